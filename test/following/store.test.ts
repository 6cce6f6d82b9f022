import Redis from 'ioredis';
import { instanceKey } from '../../src/following/model';
import { startRedis, type TestRedis } from '../helpers/redis';
import { bothStores, subscription as sub } from '../helpers/subscriptions';

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

describe.each(bothStores(() => client))('%s store', (_name, make) => {
  test('subscriptions by message, instance, channel and user; idempotent add; forget', async () => {
    const store = make();
    expect(await store.add(sub())).toBe(true);
    expect(await store.add(sub())).toBe(false);
    await store.add(sub({ ts: '2.000001', user: 'U2' }));
    await store.add(sub({ instanceId: '1', channel: 'C2', ts: '3.000001' }));
    const key = instanceKey(sub());
    expect((await store.byInstance(key)).map((s) => s.ts).sort()).toEqual(['1.000001', '2.000001']);
    expect(await store.byChannel('C2')).toHaveLength(1);
    expect(await store.byUser('U2')).toHaveLength(1);
    expect((await store.instances()).sort()).toEqual([instanceKey(sub({ instanceId: '1' })), key].sort());
    expect((await store.remove('C1', '2.000001'))?.user).toBe('U2');
    expect(await store.byUser('U2')).toHaveLength(0);
    expect(await store.state(key)).toMatchObject({ since: 1000 });
    await store.setState(key, { status: 'running', signature: 'abc', errors: 2 });
    expect(await store.state(key)).toEqual({ status: 'running', signature: 'abc', errors: 2, since: 1000 });
    await store.forget(key);
    expect(await store.byInstance(key)).toEqual([]);
    expect(await store.byMessage('C1', '1.000001')).toBeUndefined();
  });

  test('markers: one claim wins; a stale inflight can be claimed again; done is final; release frees', async () => {
    const store = make();
    expect(await store.claim('k', 10_000, 0)).toBe(true);
    expect(await store.claim('k', 10_001, 0)).toBe(false);
    expect(await store.marker('k')).toEqual({ state: 'inflight', at: 10_000 });
    expect(await store.claim('k', 30_000, 20_000)).toBe(true);
    await store.markDone('k', '9.000001');
    expect(await store.marker('k')).toEqual({ state: 'done', ts: '9.000001' });
    expect(await store.claim('k', 99_000, 98_000)).toBe(false);
    await store.release('k');
    expect(await store.marker('k')).toBeUndefined();
  });

  test('markers in flight are counted (claimed, not yet done or released), with the oldest claim', async () => {
    const store = make();
    expect(await store.markersInFlight(50_000)).toEqual({ count: 0 });
    expect(await store.claim('a', 10_000, 0)).toBe(true);
    expect(await store.claimIfAbsent('b', 20_000)).toBe(true);
    expect(await store.claimIfAbsent('c', 30_000)).toBe(true);
    expect(await store.markersInFlight(50_000)).toEqual({ count: 3, oldestAt: 10_000 });
    await store.markDone('a', '9.000001');
    await store.release('b');
    expect(await store.markersInFlight(50_000)).toEqual({ count: 1, oldestAt: 30_000 });
    // A stale claim taken over counts once, from its new claim.
    expect(await store.claim('c', 40_000, 35_000)).toBe(true);
    expect(await store.markersInFlight(50_000)).toEqual({ count: 1, oldestAt: 40_000 });
  });

  test('the update budget is per minute', async () => {
    const store = make();
    const minute = 60_000 * 1000;
    const taken = [];
    for (let i = 0; i < 4; i++) taken.push(await store.takeUpdateBudget(minute + i, 3));
    expect(taken).toEqual([true, true, true, false]);
    expect(await store.takeUpdateBudget(minute + 60_000, 3)).toBe(true);
  });
});
