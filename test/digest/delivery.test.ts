/**
 * A scheduled digest delivered once a day through the notifier, on both digest stores: the markers (atomic
 * claims, a stale one taken over, done final, released), markers the earlier versions wrote read the same, and
 * each answer of the digest's compose settled as every other post's (posted, refused by Slack, rate-limited, no
 * answer then found in the channel, DataArts failing before anything was posted).
 */
import Redis from 'ioredis';
import { DEFAULT_LIMITS, FairShare, MemoryRateWindows } from '../../src/access/limits';
import type { DigestScheduler } from '../../src/digest/scheduler';
import { type DigestStore, digestKey, MemoryDigestStore, RedisDigestStore } from '../../src/digest/store';
import { createLogger } from '../../src/logger';
import type { DigestPostResult, DigestRequest } from '../../src/slack/look-ups/digest';
import { Digests } from '../../src/slack/services/digest';
import type { SlackWeb } from '../../src/slack/web';
import { startRedis, type TestRedis } from '../helpers/redis';

const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const DAY = Date.parse('2026-12-06T09:00:00Z');
const KEY = digestKey('C0D', '2026-12-06');

let redis: TestRedis;
let client: Redis;
let prefixes = 0;
beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

const stores: [string, () => { store: DigestStore; prefix?: string }][] = [
  ['memory', () => ({ store: new MemoryDigestStore() })],
  [
    'redis',
    () => {
      const prefix = `{digest-delivery-${++prefixes}}`;
      return { store: new RedisDigestStore(client, prefix), prefix };
    },
  ],
];

describe.each(stores)('%s store', (name, make) => {
  test('markers: one claim wins; a stale inflight is claimed again; done is final; release frees', async () => {
    const { store } = make();
    expect(await store.claimIfAbsent(KEY, 10_000)).toBe(true);
    expect(await store.claimIfAbsent(KEY, 11_000)).toEqual({ state: 'inflight', at: 10_000 });
    expect(await store.claim(KEY, 12_000, 5_000)).toBe(false);
    expect(await store.claim(KEY, 30_000, 20_000)).toBe(true);
    expect(await store.claimIfAbsent(KEY, 31_000)).toEqual({ state: 'inflight', at: 30_000 });
    await store.markDone(KEY, '9.000001');
    expect(await store.claim(KEY, 99_000, 98_000)).toBe(false);
    expect(await store.claimIfAbsent(KEY, 99_000)).toEqual({ state: 'done', ts: '9.000001' });
    await store.release(KEY);
    expect(await store.claim(KEY, 100_000, 0)).toBe(true);
  });

  if (name === 'redis')
    test('markers are where, and read as, the earlier versions wrote them', async () => {
      const { store, prefix } = make();
      await client.set(`${prefix}:digest:sent:C0D:2026-12-06`, 'done 1.000100');
      await client.set(`${prefix}:digest:sent:C0E:2026-12-06`, 'inflight 10000');
      expect(await store.claimIfAbsent(KEY, 20_000)).toEqual({ state: 'done', ts: '1.000100' });
      expect(await store.claimIfAbsent(digestKey('C0E', '2026-12-06'), 20_000)).toEqual({
        state: 'inflight',
        at: 10_000,
      });
      await store.markDone(digestKey('C0F', '2026-12-06'), '2.000200');
      expect(await client.get(`${prefix}:digest:sent:C0F:2026-12-06`)).toBe('done 2.000200');
    });

  /** Digests over this store, a compose answering `answers` in turn, a clock and a channel's history. */
  function digests(answers: DigestPostResult[]) {
    const { store } = make();
    const requests: DigestRequest[] = [];
    const history: { ts: string; metadata?: { event_payload: { k: string } } }[] = [];
    let now = DAY;
    const web = {
      idempotent: { conversations: { history: async () => ({ ok: true, messages: history }) } },
    } as unknown as SlackWeb;
    const made = new Digests({
      compose: async (request) => {
        requests.push(request);
        return answers.shift() ?? { kind: 'unposted' };
      },
      web,
      watchesIn: async (channel) => [
        { id: 'w', channel, pattern: 'job_*', mode: 'fail', user: 'U0ALICE', createdAt: 0 },
      ],
      store,
      scheduler: {} as DigestScheduler,
      timeZone: 'UTC',
      clock: () => now,
      logger,
      limits: new FairShare(DEFAULT_LIMITS, new MemoryRateWindows()),
    });
    return {
      store,
      requests,
      history,
      run: () => made.scheduled('C0D', DAY),
      later: (ms: number) => {
        now += ms;
      },
    };
  }

  test('posted once with its key and daily time; a second run of the day posts nothing', async () => {
    const day = digests([{ kind: 'posted', ts: '5.000001' }]);
    await day.store.put({ channel: 'C0D', time: '09:00', user: 'U0ALICE', setAt: 0 });
    await day.run();
    await day.run();
    expect(day.requests).toEqual([expect.objectContaining({ channel: 'C0D', key: KEY, daily: '09:00' })]);
    expect(await day.store.claimIfAbsent(KEY, DAY)).toEqual({ state: 'done', ts: '5.000001' });
  });

  test('Slack never taking it there gives the day up; rate-limited or DataArts failing is tried again', async () => {
    const refused = digests([{ kind: 'refused', error: 'is_archived' }]);
    await refused.store.put({ channel: 'C0D', time: '09:00', user: 'U0ALICE', setAt: 0 });
    await refused.run();
    expect(await refused.store.claimIfAbsent(KEY, DAY)).toEqual({
      state: 'done',
      ts: 'undeliverable:is_archived',
    });

    const again = digests([
      { kind: 'unposted', code: 'ratelimited', retryAfterMs: 3_000 },
      { kind: 'failed', error: new Error('DataArts is unavailable') },
      { kind: 'posted', ts: '6.000001' },
    ]);
    await again.store.put({ channel: 'C0D', time: '09:00', user: 'U0ALICE', setAt: 0 });
    await expect(again.run()).rejects.toThrow(/3000 ms/);
    await expect(again.run()).rejects.toThrow(/not posted yet/);
    await again.run();
    expect(again.requests).toHaveLength(3);
    expect(await again.store.claimIfAbsent(KEY, DAY)).toEqual({ state: 'done', ts: '6.000001' });
  });

  test('no answer: not posted again while it may be being drawn; after 2 minutes, found in the channel', async () => {
    const day = digests([{ kind: 'unposted' }]);
    await day.store.put({ channel: 'C0D', time: '09:00', user: 'U0ALICE', setAt: 0 });
    await expect(day.run()).rejects.toThrow(/not posted yet/);
    day.later(60_000);
    await expect(day.run()).rejects.toThrow(/not posted yet/);
    day.history.push({ ts: '7.000001', metadata: { event_payload: { k: KEY } } });
    day.later(61_000);
    await day.run();
    expect(day.requests).toHaveLength(1);
    expect(await day.store.claimIfAbsent(KEY, DAY)).toEqual({ state: 'done', ts: '7.000001' });
  });
});
