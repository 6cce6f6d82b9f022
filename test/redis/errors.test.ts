import Redis from 'ioredis';
import { isOutOfMemory, memoryOf } from '../../src/redis/errors';
import { startRedis, type TestRedis } from '../helpers/redis';

let redis: TestRedis;
let client: Redis;
beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

test('a full Redis: its refusals, of a command and of a MULTI, are told apart from other errors', async () => {
  const { used } = memoryOf(await client.info('memory'));
  expect(used).toBeGreaterThan(0);
  await client.config('SET', 'maxmemory', String(Math.max(1, used! - 100_000)));
  try {
    const { max } = memoryOf(await client.info('memory'));
    expect(max).toBeGreaterThan(0);
    const refused = await client.set('k', 'v').catch((error: unknown) => error);
    expect(isOutOfMemory(refused)).toBe(true);
    const aborted = await client
      .multi()
      .set('a', '1')
      .sadd('s', 'x')
      .exec()
      .catch((error: unknown) => error);
    expect(isOutOfMemory(aborted)).toBe(true);
    // Deletes still pass.
    await expect(client.del('a')).resolves.toBe(0);
  } finally {
    await client.config('SET', 'maxmemory', '0');
  }
  expect(isOutOfMemory(new Error('ERR wrong number of arguments'))).toBe(false);
  expect(isOutOfMemory(undefined)).toBe(false);
});
