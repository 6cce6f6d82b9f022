/** The doctor's list of bot scopes is manifest.yml's, in its order. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { BOT_SCOPES, TIMELINE_SCOPE } from '../../src/cli/doctor/scopes';

test("BOT_SCOPES equals manifest.yml's bot scopes", () => {
  const manifest = load(readFileSync(path.join(__dirname, '..', '..', 'manifest.yml'), 'utf8')) as {
    oauth_config: { scopes: { bot: string[] } };
  };
  expect(BOT_SCOPES.map(({ scope }) => scope)).toEqual(manifest.oauth_config.scopes.bot);
  expect(manifest.oauth_config.scopes.bot).toContain(TIMELINE_SCOPE);
  for (const { for: what } of BOT_SCOPES) expect(what.length).toBeGreaterThan(10);
});
