/** The Redis settings: the three forms, credentials and TLS, every mistake named, no password in a description. */
import type { Env } from '../../src/config-error';
import { describeRedis, readRedisSettings } from '../../src/redis/connection';

const read = (env: Env) => {
  const problems: string[] = [];
  return { settings: readRedisSettings(env, problems), problems };
};

test('no Redis setting: no Redis, no problem', () => {
  expect(read({})).toEqual({ settings: undefined, problems: [] });
});

test('REDIS_URL: redis:// or rediss:// (TLS), credentials from the settings', () => {
  expect(read({ REDIS_URL: 'redis://cache:6379/2' }).settings).toEqual({
    mode: 'url',
    url: 'redis://cache:6379/2',
    tls: false,
  });
  expect(
    read({ REDIS_URL: 'rediss://cache:6380', REDIS_USERNAME: 'bot', REDIS_PASSWORD: 'pw' }).settings,
  ).toEqual({ mode: 'url', url: 'rediss://cache:6380', username: 'bot', password: 'pw', tls: true });
  expect(read({ REDIS_URL: 'redis://cache', REDIS_TLS: 'true' }).settings).toMatchObject({ tls: true });
  expect(read({ REDIS_URL: 'cache:6379' }).problems).toEqual([
    'REDIS_URL must start with redis:// or rediss://.',
  ]);
});

test('REDIS_CLUSTER_NODES: host:port items, IPv6 in brackets; a bad item is named', () => {
  expect(
    read({ REDIS_CLUSTER_NODES: 'a:7000, b:7001 [::1]:7002', REDIS_PASSWORD: 'pw', REDIS_TLS: 'yes' })
      .settings,
  ).toEqual({
    mode: 'cluster',
    nodes: [
      { host: 'a', port: 7000 },
      { host: 'b', port: 7001 },
      { host: '::1', port: 7002 },
    ],
    password: 'pw',
    tls: true,
  });
  expect(read({ REDIS_CLUSTER_NODES: 'a:7000,b' }).problems).toEqual([
    'REDIS_CLUSTER_NODES must list host:port items separated by commas (got "b").',
  ]);
  expect(read({ REDIS_CLUSTER_NODES: 'a:70000' }).problems).toHaveLength(1);
});

test('REDIS_SENTINELS needs REDIS_SENTINEL_NAME, and the name needs sentinels', () => {
  expect(
    read({
      REDIS_SENTINELS: 's1:26379,s2:26379',
      REDIS_SENTINEL_NAME: 'mymaster',
      REDIS_SENTINEL_PASSWORD: 'sp',
    }).settings,
  ).toEqual({
    mode: 'sentinel',
    sentinels: [
      { host: 's1', port: 26379 },
      { host: 's2', port: 26379 },
    ],
    name: 'mymaster',
    sentinelPassword: 'sp',
    tls: false,
  });
  expect(read({ REDIS_SENTINELS: 's1:26379' }).problems).toEqual([
    'REDIS_SENTINELS needs REDIS_SENTINEL_NAME: the name of the master the sentinels watch.',
  ]);
  expect(read({ REDIS_SENTINEL_NAME: 'mymaster' }).problems).toEqual([
    'REDIS_SENTINEL_NAME is set but REDIS_SENTINELS is not.',
  ]);
});

test('two forms at once, credentials without a form, a missing CA file: each named, no secret echoed', () => {
  expect(read({ REDIS_URL: 'redis://a', REDIS_CLUSTER_NODES: 'b:1' }).problems).toEqual([
    'Set only one of REDIS_URL, REDIS_CLUSTER_NODES and REDIS_SENTINELS (got REDIS_URL, REDIS_CLUSTER_NODES).',
  ]);
  const orphans = read({ REDIS_PASSWORD: 'hunter2-secret', REDIS_TLS: 'true' }).problems;
  expect(orphans).toEqual([
    'REDIS_PASSWORD, REDIS_TLS are set without REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS.',
  ]);
  expect(read({ REDIS_URL: 'rediss://a', REDIS_TLS_CA_FILE: '/no/such/ca.pem' }).problems).toEqual([
    'REDIS_TLS_CA_FILE names a file that does not exist (/no/such/ca.pem).',
  ]);
});

test('what a log line says of Redis: where, never a password or user', () => {
  const described = [
    { REDIS_URL: 'rediss://bot:hunter2@cache:6380/1' },
    { REDIS_CLUSTER_NODES: 'a:7000,b:7001', REDIS_PASSWORD: 'hunter2', REDIS_TLS: 'true' },
    { REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_NAME: 'mymaster', REDIS_PASSWORD: 'hunter2' },
  ].map((env) => describeRedis(read(env).settings!));
  expect(described).toEqual([
    'rediss://cache:6380/1 over TLS',
    'cluster a:7000,b:7001 over TLS',
    'master "mymaster" via sentinels s1:26379',
  ]);
});
