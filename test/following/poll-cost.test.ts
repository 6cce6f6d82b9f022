/**
 * What one poll costs, found by the scale bench (`npm run bench`, 10,000 subscriptions on 2,000 instances): a
 * poll that finds nothing new makes one DataArts call and one Redis round trip of our own; a freshly followed
 * message is not updated again by the first poll; an ended instance whose messages wait for Slack's update
 * budget is not asked of DataArts again; the replies of one poll go out in parallel; a thread reply claims its
 * marker in one round trip.
 */
import Redis from 'ioredis';
import { instanceKey, type Subscription, signatureOf } from '../../src/following/model';
import { RedisSubscriptionStore, type SubscriptionStore } from '../../src/following/store';
import type { RunningSimulator } from '../../src/simulator';
import { renderInstanceMessage } from '../../src/slack/blocks/instance-message';
import { createSlackWeb } from '../../src/slack/web';
import { type RunningStandin, startSlackStandin } from '../../src/slack-standin';
import { BOT_TOKEN } from '../helpers/bot';
import { clientFor, withSimulator } from '../helpers/dataarts';
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

/** Redis commands run since the last CONFIG RESETSTAT (commands inside scripts included), by name. */
async function commandsSinceReset(): Promise<Record<string, number>> {
  const info = await client.info('commandstats');
  const counts: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (match[1] !== 'info' && !match[1]!.startsWith('config')) counts[match[1]!] = Number(match[2]);
  }
  return counts;
}

const stores = bothStores(() => client);

describe.each(stores)('%s store', (_name, make) => {
  test('forPoll: the subscriptions and the state together; add keeps the first shown status and signature', async () => {
    const store = make();
    const key = instanceKey(sub());
    await store.add(sub(), { status: 'running', signature: 'first' });
    await store.add(sub({ ts: '2.000001', user: 'U2' }), { status: 'fail', signature: 'second' });
    const { subscriptions, state } = await store.forPoll(key);
    expect(subscriptions.map((s) => s.ts).sort()).toEqual(['1.000001', '2.000001']);
    expect(state).toEqual({ status: 'running', signature: 'first', since: 1000 });
    expect(await store.forPoll(instanceKey(sub({ instanceId: '9' })))).toEqual({
      subscriptions: [],
      state: {},
    });
  });

  test('claimIfAbsent claims a missing marker, and otherwise tells what is there without changing it', async () => {
    const store = make();
    expect(await store.claimIfAbsent('k', 10_000)).toBe(true);
    expect(await store.claimIfAbsent('k', 20_000)).toEqual({ state: 'inflight', at: 10_000 });
    await store.markDone('k', '9.000001');
    expect(await store.claimIfAbsent('k', 30_000)).toEqual({ state: 'done', ts: '9.000001' });
    expect(await store.marker('k')).toEqual({ state: 'done', ts: '9.000001' });
  });
});

describe('a poll at scale', () => {
  const _web = () => createSlackWeb({ token: BOT_TOKEN, apiUrl: slack.apiUrl, timeoutMs: 2_000 });

  async function followed(job: string, count: number) {
    const id = sim.simulator.startRun(job, {
      nodes: [{ name: 'load', type: 'DWS SQL', durationMs: 3_600_000 }],
    });
    const dataarts = clientFor(sim);
    const instance = await dataarts.getInstance(job, id);
    const rendered = renderInstanceMessage(instance, { now: Date.now(), subscribed: true });
    const store = new RedisSubscriptionStore(client, `{cost${Math.random().toString(36).slice(2)}}`);
    const subscriptions: Subscription[] = [];
    for (let i = 0; i < count; i++) {
      const message = slack.standin.addMessage({
        channel: 'C0GENERAL',
        user: slack.standin.workspace.bot.userId,
        text: rendered.text,
        blocks: rendered.blocks,
      });
      const s = sub({
        job,
        instanceId: id,
        channel: 'C0GENERAL',
        ts: message.ts,
        user: `U${i}`,
        createdAt: Date.now(),
      });
      // As Subscriptions.follow stores it: what the message shows.
      await store.add(s, { status: 'running', signature: signatureOf(instance) });
      subscriptions.push(s);
    }
    return { id, dataarts, store, subscriptions, key: instanceKey(subscriptions[0]!) };
  }

  function pollerOn(
    store: SubscriptionStore,
    dataarts: ReturnType<typeof clientFor>,
    options: { updatesPerMinute: number; clock?: () => number },
  ) {
    return pollerFor({ sim, slack, store }, { ...options, dataarts });
  }

  test('nothing new: one DataArts call, two Redis round trips of ours, no chat.update of a fresh message, and done', async () => {
    const { id, dataarts, store, key } = await followed('cost_steady', 3);
    const poller = pollerOn(store, dataarts, { updatesPerMinute: 1_000 });
    await store.forPoll(key); // the script is loaded: EVALSHA does not meet NOSCRIPT below
    const updates = slack.standin.calls('chat.update').length;
    const calls = sim.simulator.callsFor('cost_steady', id).length;
    await client.config('RESETSTAT');
    // Done: nothing is pending, and the sweep comes back when the list shows a change.
    expect(await poller.poll(key)).toEqual({ done: true });
    // The load (one script: SMEMBERS, HMGET, HGETALL, three HGETs), then what was handled (one HSET).
    expect(await commandsSinceReset()).toEqual({
      evalsha: 1,
      smembers: 1,
      hmget: 1,
      hgetall: 1,
      hget: 3,
      hset: 1,
    });
    expect(slack.standin.calls('chat.update').length).toBe(updates);
    expect(sim.simulator.callsFor('cost_steady', id).length).toBe(calls + 1);
  });

  test('ended, messages waiting for the update budget: replies at once, DataArts not asked again while the list shows the same end', async () => {
    const { id, dataarts, store, key, subscriptions } = await followed('cost_budget', 3);
    let now = 60_000 * 1_000;
    const poller = pollerOn(store, dataarts, { updatesPerMinute: 3, clock: () => now });
    // Other instances have spent this minute's budget.
    for (let i = 0; i < 3; i++) await store.takeUpdateBudget(now, 3);
    sim.simulator.finish('cost_budget', id, 'success');
    expect(await poller.poll(key)).toMatchObject({ done: false });
    const replies = () => subscriptions.map((s) => slack.standin.thread(s.channel, s.ts).length);
    expect(replies()).toEqual([1, 1, 1]);
    const calls = sim.simulator.callsFor('cost_budget', id).length;
    // The next looks only retry the updates, without DataArts (the kept end is what the list shows); the next
    // minute's budget lets them through.
    expect(await poller.poll(key)).toMatchObject({ done: false });
    expect(sim.simulator.callsFor('cost_budget', id).length).toBe(calls);
    now += 60_000;
    expect(await poller.poll(key)).toEqual({ done: true });
    expect(sim.simulator.callsFor('cost_budget', id).length).toBe(calls);
    expect(replies()).toEqual([1, 1, 1]);
    for (const s of subscriptions)
      expect(slack.standin.message(s.channel, s.ts)?.text).toMatch(/succeeded|success/i);
    expect(await store.instances()).toEqual([]);
  });

  test('more messages than the update budget: each minute goes on where the last stopped, and it ends', async () => {
    const { id, dataarts, store, key, subscriptions } = await followed('cost_many', 5);
    let now = 60_000 * 2_000;
    const poller = pollerOn(store, dataarts, { updatesPerMinute: 2, clock: () => now });
    sim.simulator.finish('cost_many', id, 'fail');
    const updated = () =>
      subscriptions.filter((s) => /failed/i.test(slack.standin.message(s.channel, s.ts)?.text ?? '')).length;
    expect(await poller.poll(key)).toMatchObject({ done: false });
    expect(updated()).toBe(2);
    now += 60_000;
    expect(await poller.poll(key)).toMatchObject({ done: false });
    expect(updated()).toBe(4);
    now += 60_000;
    // Before, every minute updated the same first two messages again, and polling never stopped.
    expect(await poller.poll(key)).toEqual({ done: true });
    expect(updated()).toBe(5);
    expect(slack.standin.calls('chat.update').filter((c) => c.args.ts === subscriptions[0]!.ts)).toHaveLength(
      1,
    );
  });

  test('the replies of one poll go out together, not one Slack round trip after another', async () => {
    const { id, dataarts, store, key, subscriptions } = await followed('cost_parallel', 5);
    const poller = pollerOn(store, dataarts, { updatesPerMinute: 1_000 });
    sim.simulator.finish('cost_parallel', id, 'success');
    slack.standin.fail('chat.postMessage', { delayMs: 400, times: 5 });
    const started = Date.now();
    expect(await poller.poll(key)).toEqual({ done: true });
    // One after another: 5 × 400 ms.
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(subscriptions.map((s) => slack.standin.thread(s.channel, s.ts).length)).toEqual([1, 1, 1, 1, 1]);
  });

  test('a thread reply costs two round trips: claim the marker, then mark it done', async () => {
    const { id, dataarts, store, key } = await followed('cost_reply', 1);
    // Its message already shows the end: only the reply is left.
    sim.simulator.finish('cost_reply', id, 'success');
    const ended = await dataarts.getInstance('cost_reply', id);
    await store.setState(key, { signature: signatureOf(ended) });
    const poller = pollerOn(store, dataarts, { updatesPerMinute: 1_000 });
    await client.config('RESETSTAT');
    expect(await poller.poll(key)).toEqual({ done: true });
    const commands = await commandsSinceReset();
    // forPoll, the claim, the forgetting (and its script, inside the MULTI): GET only inside the claim script.
    expect(commands.get).toBe(1);
    expect(commands.set).toBe(2);
  });
});
