/** Live cards (unfurled running instances) in both watch stores: kept, listed per workspace, removed, bounded. */
import Redis from 'ioredis';
import {
  LIVE_CARDS_MAX,
  type LiveCard,
  MemoryWatchStore,
  RedisWatchStore,
  type WatchStore,
} from '../../src/following/watch-store';
import type { RedisConnection } from '../../src/redis/connection';
import { startRedis, type TestRedis } from '../helpers/redis';

let redis: TestRedis;
let connection: Redis;
beforeAll(async () => {
  redis = await startRedis();
  connection = new Redis(redis.url);
});
afterAll(async () => {
  connection.disconnect();
  await redis.stop();
});

const card = (id: string, workspace = ''): LiveCard => ({
  id,
  workspace,
  job: 'orders_daily',
  instanceId: '71001',
  url: `https://console.huaweicloud.com/dlf?jobName=orders_daily&instanceId=71001#${id}`,
  channel: 'C0GENERAL',
  ts: '1796500000.000100',
  at: 1_796_500_000_000,
});

describe.each([
  ['Redis', () => new RedisWatchStore(connection as unknown as RedisConnection, `{live${Math.random()}}`)],
  ['memory', () => new MemoryWatchStore()],
] as const)('%s', (_name, make: () => WatchStore) => {
  test('kept per workspace, replaced by id, removed; past LIVE_CARDS_MAX a workspace keeps no more', async () => {
    const store = make();
    expect(await store.putLiveCard(card('a'))).toBe('kept');
    expect(await store.putLiveCard({ ...card('a'), instanceId: '71002' })).toBe('kept');
    expect(await store.putLiveCard(card('b', 'ws_other'))).toBe('kept');
    expect((await store.liveCards('')).map((c) => [c.id, c.instanceId])).toEqual([['a', '71002']]);
    expect((await store.liveCards('ws_other')).map((c) => c.id)).toEqual(['b']);
    await store.removeLiveCard('', 'a');
    expect(await store.liveCards('')).toEqual([]);
    for (let i = 0; i < LIVE_CARDS_MAX; i++) await store.putLiveCard(card(`c${i}`, 'ws_full'));
    expect(await store.putLiveCard(card('one-more', 'ws_full'))).toBe('full');
    expect(await store.liveCards('ws_full')).toHaveLength(LIVE_CARDS_MAX);
  });
});
