import { configFromEnv } from '../src/config';
import { ConfigError } from '../src/config-error';

const base = {
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: 'secret',
  DLF_ENDPOINT: 'http://127.0.0.1:9',
  DLF_PROJECT_ID: 'b384b9e9ab9b4ee8994c8633aabc9505',
  DLF_TOKEN: 'token',
};

test('booleans: DLF_LOOKUP_THREAD is on unless turned off, DLF_BROADCAST_FAILURES off unless turned on', () => {
  expect(configFromEnv(base)).toMatchObject({
    lookUpThread: true,
    following: { broadcastFailures: false },
  });
  expect(configFromEnv({ ...base, DLF_LOOKUP_THREAD: 'false', DLF_BROADCAST_FAILURES: 'yes' })).toMatchObject(
    { lookUpThread: false, following: { broadcastFailures: true } },
  );
  expect(configFromEnv({ ...base, DLF_LOOKUP_THREAD: 'ON' }).lookUpThread).toBe(true);
});

test('a boolean that is neither is named, with what it got', () => {
  expect(() => configFromEnv({ ...base, DLF_LOOKUP_THREAD: 'maybe' })).toThrow(ConfigError);
  expect(() => configFromEnv({ ...base, DLF_LOOKUP_THREAD: 'maybe' })).toThrow(
    'DLF_LOOKUP_THREAD must be true or false (got "maybe").',
  );
});

test('Redis: one of REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS (test/redis/settings.test.ts has the rest)', () => {
  expect(configFromEnv(base).redis).toBeUndefined();
  expect(configFromEnv({ ...base, REDIS_CLUSTER_NODES: 'a:1' }).redis).toMatchObject({ mode: 'cluster' });
  expect(() => configFromEnv({ ...base, REDIS_PASSWORD: 'hunter2-secret' })).toThrow(
    /REDIS_PASSWORD is set without/,
  );
});

test('DLF_TIMEZONE: UTC by default, an IANA zone when set, and a clear sentence for one Intl does not know', () => {
  expect(configFromEnv(base).timeZone).toBe('UTC');
  expect(configFromEnv({ ...base, DLF_TIMEZONE: 'Europe/Berlin' }).timeZone).toBe('Europe/Berlin');
  expect(() => configFromEnv({ ...base, DLF_TIMEZONE: 'Mars/Olympus' })).toThrow(
    'DLF_TIMEZONE must be an IANA time zone such as Europe/Berlin or UTC (got "Mars/Olympus").',
  );
});
