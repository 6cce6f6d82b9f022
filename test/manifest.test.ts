import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { load } from 'js-yaml';
import { CONSOLE_HOSTS } from '../src/config';
import { CALLBACKS, COMMAND } from '../src/slack/ids';
import { DEFAULT_SCOPES } from '../src/slack-standin';
import schema from './fixtures/manifest-facts.schema.json';

type Manifest = {
  features: {
    slash_commands: { command: string; url: string }[];
    shortcuts: { type: string; callback_id: string }[];
    app_home: { home_tab_enabled: boolean };
    unfurl_domains: string[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    socket_mode_enabled: boolean;
    interactivity: { is_enabled: boolean; request_url: string };
    event_subscriptions: { request_url: string; bot_events: string[] };
  };
};

const manifest = load(readFileSync(path.join(__dirname, '..', 'manifest.yml'), 'utf8')) as Manifest;

describe('manifest.yml', () => {
  test('matches the facts of Slack’s manifest schema', () => {
    // Formats are checked by the URL test below; ajv's format plugin is not needed for that.
    const validate = new Ajv({ allErrors: true, validateFormats: false }).compile(schema);
    expect(validate(manifest) ? [] : validate.errors).toEqual([]);
  });

  test('the schema rejects what Slack rejects', () => {
    const validate = new Ajv({ allErrors: true, validateFormats: false }).compile(schema);
    const broken = structuredClone(manifest) as unknown as Record<string, Record<string, unknown>>;
    (broken.features!.shortcuts as { name: string }[])[0]!.name = 'A shortcut name that is too long';
    expect(validate(broken)).toBe(false);
  });

  test('declares exactly what the bot handles, all at /slack/events in HTTP mode', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([COMMAND]);
    expect(manifest.features.shortcuts.map((s) => [s.type, s.callback_id])).toEqual([
      ['global', CALLBACKS.globalShortcut],
      ['message', CALLBACKS.messageShortcut],
    ]);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    const urls = [
      ...manifest.features.slash_commands.map((c) => c.url),
      manifest.settings.interactivity.request_url,
      manifest.settings.event_subscriptions.request_url,
    ];
    for (const url of urls) expect(new URL(url).pathname).toBe('/slack/events');
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened', 'link_shared']);
    // The console hosts the bot unfurls by default, and no more than Slack takes.
    expect(manifest.features.unfurl_domains).toEqual(CONSOLE_HOSTS);
    expect(manifest.features.unfurl_domains.length).toBeLessThanOrEqual(5);
  });

  test('asks only for the scopes the bot uses', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([
      'channels:history',
      'channels:read',
      'chat:write',
      'commands',
      'files:write',
      'groups:history',
      'groups:read',
      'links:read',
      'links:write',
      'usergroups:read',
    ]);
    // The stand-in grants what the manifest asks for, so tests see the real app's permissions.
    expect([...DEFAULT_SCOPES].sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
  });
});
