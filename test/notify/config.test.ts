/** The notification settings: off by default; on, the topics required and checked, SMN's host found by region. */
import { configFromEnv } from '../../src/config';
import { ConfigError } from '../../src/config-error';

const BASE = {
  SLACK_BOT_TOKEN: 'xoxb-1',
  SLACK_SIGNING_SECRET: 'secret',
  DLF_ENDPOINT: 'https://dayu-dlf.eu-de.otc.t-systems.com',
  DLF_PROJECT_ID: 'p1',
  DLF_AK: 'AKAKAKAKAKAKAKAKAK01',
  DLF_SK: 'sk-secret-value',
};
const TOPIC = 'urn:smn:eu-de:b384b9e9ab9b4ee8994c8633aabc9505:dlf_alerts';

function problems(env: Record<string, string>): string {
  try {
    configFromEnv({ ...BASE, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join('\n');
    throw error;
  }
  return '';
}

test('off by default; on, SMN is found in DLF_ENDPOINT’s region and messages may be 10 minutes old', () => {
  expect(configFromEnv(BASE).notify).toBeUndefined();
  expect(configFromEnv({ ...BASE, DLF_NOTIFY_ENABLED: 'true', DLF_NOTIFY_TOPICS: TOPIC }).notify).toEqual({
    topics: [TOPIC],
    certHosts: ['smn.eu-de.otc.t-systems.com'],
    maxAgeMs: 600_000,
  });
});

test('on without topics, with a topic that is no URN, or with no SMN host to be found: a sentence naming the setting', () => {
  expect(problems({ DLF_NOTIFY_ENABLED: 'true' })).toMatch(/DLF_NOTIFY_TOPICS is not set/);
  expect(problems({ DLF_NOTIFY_ENABLED: 'true', DLF_NOTIFY_TOPICS: 'dlf_alerts' })).toMatch(
    /DLF_NOTIFY_TOPICS must list SMN topic URNs/,
  );
  expect(
    problems({ DLF_NOTIFY_ENABLED: 'true', DLF_NOTIFY_TOPICS: TOPIC, DLF_ENDPOINT: 'http://127.0.0.1:8090' }),
  ).toMatch(/DLF_NOTIFY_CERT_HOSTS is not set/);
  expect(
    configFromEnv({
      ...BASE,
      DLF_NOTIFY_ENABLED: 'true',
      DLF_NOTIFY_TOPICS: TOPIC,
      DLF_NOTIFY_CERT_HOSTS: '127.0.0.1:9999',
    }).notify?.certHosts,
  ).toEqual(['127.0.0.1:9999']);
});
