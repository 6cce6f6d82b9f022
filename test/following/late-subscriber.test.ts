/**
 * Someone subscribes while the final poll of an instance is replying to the others (found by `npm run
 * test:faults`, F17): that subscription must not be forgotten with theirs, and must get its own reply.
 */
import Redis from 'ioredis';
import { instanceKey } from '../../src/following/model';
import type { RunningSimulator } from '../../src/simulator';
import { createSlackWeb } from '../../src/slack/web';
import { type RunningStandin, startSlackStandin } from '../../src/slack-standin';
import { BOT_TOKEN } from '../helpers/bot';
import { withSimulator } from '../helpers/dataarts';
import { startRedis, type TestRedis } from '../helpers/redis';
import { bothStores, pollerFor, subscription as sub } from '../helpers/subscriptions';

let redis: TestRedis;
let client: Redis;
let sim: RunningSimulator;
let slack: RunningStandin;
beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
  sim = await withSimulator();
  slack = await startSlackStandin({ botToken: BOT_TOKEN });
});
afterAll(async () => {
  client.disconnect();
  await Promise.all([sim.close(), slack.close()]);
  await redis.stop();
});

describe.each(bothStores(() => client))('%s store', (_name, make) => {
  test('forget(key, these): only these go; the instance goes with the last one', async () => {
    const store = make();
    const key = instanceKey(sub());
    const [a, b] = [sub(), sub({ ts: '2.000001', channel: 'C2', user: 'U2' })];
    await store.add(a);
    await store.add(b);
    expect(await store.forget(key, [a])).toBe(false);
    expect((await store.byInstance(key)).map((s) => s.ts)).toEqual(['2.000001']);
    expect(await store.byChannel('C1')).toEqual([]);
    expect(await store.instances()).toEqual([key]);
    expect(await store.forget(key, [b])).toBe(true);
    expect(await store.instances()).toEqual([]);
    expect(await store.state(key)).toEqual({});
    // Every one when not told which.
    await store.add(a);
    await store.add(b);
    expect(await store.forget(key)).toBe(true);
    expect(await store.byInstance(key)).toEqual([]);
  });

  test('a subscription made during the final poll gets its reply on the next poll', async () => {
    const store = make();
    const standin = slack.standin;
    const job = `late_${Math.random().toString(36).slice(2, 8)}`;
    const id = sim.simulator.startRun(job, {
      nodes: [{ name: 'load', type: 'DWS SQL', durationMs: 3_600_000 }],
    });
    const web = createSlackWeb({ token: BOT_TOKEN, apiUrl: slack.apiUrl, timeoutMs: 2_000 });
    const post = async (channel: string) =>
      (await web.post.chat.postMessage({ channel, text: `${job} #${id} is running` })).ts!;
    const first = sub({ job, instanceId: id, channel: 'C0GENERAL', ts: await post('C0GENERAL') });
    const late = sub({ job, instanceId: id, channel: 'G0TEAM', ts: await post('G0TEAM'), user: 'U0BOB' });
    await store.add(first);
    sim.simulator.finish(job, id, 'success');
    // The late subscription is stored while the first reply is being posted.
    const stop = standin.subscribe((event) => {
      if (event.type === 'message' && event.message.threadTs === first.ts) void store.add(late);
    });
    const poller = pollerFor({ sim, slack, store });
    const key = instanceKey(first);
    try {
      expect(await poller.poll(key)).toMatchObject({ done: false });
      expect(standin.thread('C0GENERAL', first.ts)).toHaveLength(1);
      expect(await store.byInstance(key)).toEqual([late]);
      expect(await poller.poll(key)).toEqual({ done: true });
      expect(standin.thread('G0TEAM', late.ts).map((m) => m.text)).toEqual([
        expect.stringContaining('succeeded'),
      ]);
      expect(standin.thread('C0GENERAL', first.ts)).toHaveLength(1);
      // Its message, subscribed while the instance still ran, shows the end too.
      expect(standin.message('G0TEAM', late.ts)?.text).toMatch(/succeeded/);
      expect(await store.instances()).toEqual([]);
    } finally {
      stop();
    }
  });
});
