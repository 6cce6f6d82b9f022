import Redis from 'ioredis';
import { RedisProbe } from '../../src/support/redis-probe';
import { startRedis, type TestRedis } from '../helpers/redis';
import { type RedisProxy, startRedisProxy } from '../helpers/redis-proxy';

let redis: TestRedis;
let proxy: RedisProxy;
beforeAll(async () => {
  redis = await startRedis();
  proxy = await startRedisProxy({ port: redis.port });
});
afterAll(async () => {
  await proxy.close();
  await redis.stop();
});

const until = async (check: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

test('a partition (connection open, nothing answers) makes Redis unreachable; healing makes it reachable again', async () => {
  const client = new Redis(proxy.url, { maxRetriesPerRequest: 1 }).on('error', () => undefined);
  const probe = new RedisProbe(client, { everyMs: 100, timeoutMs: 200, staleMs: 500 }).start();
  try {
    await until(() => probe.reachable());
    proxy.pause();
    // The connection still says ready: only the probe notices.
    await until(() => !probe.reachable());
    expect(client.status).toBe('ready');
    proxy.resume();
    await until(() => probe.reachable());
  } finally {
    probe.stop();
    client.disconnect();
  }
});
