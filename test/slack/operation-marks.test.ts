/** The once-only marks of the writes and the confirmations taken once, in Redis and in memory alike. */
import Redis from 'ioredis';
import {
  MemoryOperationMarks,
  type OperationMarks,
  RedisOperationMarks,
} from '../../src/slack/operation-marks';
import { startRedis, type TestRedis } from '../helpers/redis';

let redis: TestRedis;
let client: Redis;
let now = 1_000_000;
beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

describe.each<[string, () => OperationMarks]>([
  ['Redis', () => new RedisOperationMarks(client, `{t${Math.random().toString(36).slice(2)}}`)],
  ['memory', () => new MemoryOperationMarks(() => now)],
])('%s', (_name, make) => {
  test('a mark is claimed once; the second claimer learns who holds it; released, it can be claimed again', async () => {
    const marks = make();
    const claims = await Promise.all([marks.claim('stop:k', 'U1', 60), marks.claim('stop:k', 'U2', 60)]);
    expect(claims.filter((claim) => claim === true)).toHaveLength(1);
    expect(claims).toContain(claims[0] === true ? 'U1' : 'U2');
    expect(await marks.claim('rerun:k', 'U2', 60)).toBe(true);
    await marks.release('stop:k');
    expect(await marks.claim('stop:k', 'U3', 60)).toBe(true);
  });

  test('a confirmation is taken once', async () => {
    const marks = make();
    await marks.putPending('t1', '{"job":"j"}', 60);
    const [first, second] = await Promise.all([marks.takePending('t1'), marks.takePending('t1')]);
    expect([first, second].filter(Boolean)).toEqual(['{"job":"j"}']);
    expect(await marks.takePending('unknown')).toBeUndefined();
  });
});

test('in memory, a shortened mark lapses after its time', async () => {
  const marks = new MemoryOperationMarks(() => now);
  expect(await marks.claim('k', 'U1', 86_400)).toBe(true);
  await marks.shorten('k', 120);
  now += 119_000;
  expect(await marks.claim('k', 'U2', 60)).toBe('U1');
  now += 2_000;
  expect(await marks.claim('k', 'U2', 60)).toBe(true);
});

test('in Redis, a shortened mark keeps only that long', async () => {
  const marks = new RedisOperationMarks(client, '{shorten}');
  await marks.claim('k', 'U1', 86_400);
  await marks.shorten('k', 120);
  expect(await client.ttl('{shorten}:op:k')).toBeLessThanOrEqual(120);
});
