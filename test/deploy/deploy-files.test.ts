/** The readers the deploy tests rely on: the README's settings, env files, compose durations. */
import { documentedSettings, durationSeconds, envFileEntries } from './deploy-files';

test('the documented settings are every variable of the README’s configuration tables', () => {
  const documented = documentedSettings();
  for (const name of ['SLACK_BOT_TOKEN', 'DLF_AK', 'DLF_SK', 'REDIS_URL', 'PORT', 'LOG_LEVEL', 'SIM_HOST']) {
    expect({ name, documented: documented.has(name) }).toEqual({ name, documented: true });
  }
  // Only first cells of tables in that section count.
  const readme =
    '# Bot\n| `A` |\n## Configuration\n\n| `B_SETTING`, `C` | `D` |\nSee `E`.\n\n## Commands\n| `F` |';
  expect(documentedSettings(readme)).toEqual(new Set(['B_SETTING', 'C']));
});

test('env files: settings only, comments and blank lines skipped, `=` allowed in values', () => {
  expect(envFileEntries('# A=1\n\nB=2\n  C=x=y\nD=\n')).toEqual([
    ['B', '2'],
    ['C', 'x=y'],
    ['D', ''],
  ]);
  expect(() => envFileEntries('export E')).toThrow('not a KEY=value line');
});

test('compose durations', () => {
  expect(durationSeconds('20s')).toBe(20);
  expect(durationSeconds('1m30s')).toBe(90);
  expect(durationSeconds('1500ms')).toBe(1.5);
  expect(() => durationSeconds('20')).toThrow('not a duration');
});
