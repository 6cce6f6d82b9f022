/** The readers the deploy tests rely on: the README's settings. */
import { documentedSettings } from './deploy-files';

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
