/**
 * An instance rerun (the same id) after its end while it is still followed, because its messages still wait
 * for Slack's update budget: the new end is announced too, once, although the poller keeps the first end
 * and does not ask DataArts on every poll meanwhile.
 */
import type { RunningSimulator } from '../../src/simulator';
import { createSlackWeb } from '../../src/slack/web';
import { type RunningStandin, startSlackStandin } from '../../src/slack-standin';
import { instanceKey, type Subscription } from '../../src/subscriptions/model';
import { MemorySubscriptionStore } from '../../src/subscriptions/store';
import { BOT_TOKEN } from '../helpers/bot';
import { clientFor, withSimulator } from '../helpers/dataarts';
import { pollerFor } from '../helpers/subscriptions';

let sim: RunningSimulator;
let slack: RunningStandin;
beforeAll(async () => {
  sim = await withSimulator();
  slack = await startSlackStandin({ botToken: BOT_TOKEN });
});
afterAll(async () => {
  await Promise.all([sim.close(), slack.close()]);
});

test('a rerun that ends again while the messages wait for the update budget gets its own reply', async () => {
  const { standin } = slack;
  const store = new MemorySubscriptionStore();
  const web = createSlackWeb({ token: BOT_TOKEN, apiUrl: slack.apiUrl, timeoutMs: 2_000 });
  const job = 'rerun_job';
  const id = sim.simulator.startRun(job, {
    nodes: [{ name: 'load', type: 'DWS SQL', durationMs: 3_600_000 }],
  });
  const subscriptions: Subscription[] = [];
  for (const channel of ['C0GENERAL', 'G0TEAM']) {
    const ts = (await web.post.chat.postMessage({ channel, text: `${job} #${id}` })).ts!;
    const subscription = { job, instanceId: id, channel, ts, user: 'U0ALICE', createdAt: Date.now() };
    await store.add(subscription);
    subscriptions.push(subscription);
  }
  const key = instanceKey(subscriptions[0]!);
  let now = Date.now();
  // One update a minute for two messages: after the end, one message waits for the next minute.
  const poller = pollerFor({ sim, slack, store }, { updatesPerMinute: 1, clock: () => now });
  const replies = () => subscriptions.map(({ channel, ts }) => standin.thread(channel, ts).length);

  sim.simulator.finish(job, id, 'fail');
  expect(await poller.poll(key)).toMatchObject({ done: false });
  expect(replies()).toEqual([1, 1]);
  sim.simulator.resetCalls();
  expect(await poller.poll(key)).toMatchObject({ done: false });
  expect(sim.simulator.callsFor(job)).toHaveLength(0);

  // Rerun and a new end; the kept end is read again once it is older than the backoff ceiling (1 s here).
  await clientFor(sim).restartInstance(job, id);
  await new Promise((resolve) => setTimeout(resolve, 5));
  sim.simulator.finish(job, id, 'success');
  now += 1_500;
  await poller.poll(key);
  expect(sim.simulator.callsFor(job, id).filter((call) => call.method === 'GET')).toHaveLength(1);
  expect(replies()).toEqual([2, 2]);
  expect(standin.thread('C0GENERAL', subscriptions[0]!.ts).at(-1)?.text).toMatch(/succeeded/);

  // Once every message shows the end, polling stops; nothing is announced twice.
  now += 61_000;
  for (let i = 0; i < 3 && !(await poller.poll(key)).done; i++) now += 61_000;
  expect(await store.instances()).toEqual([]);
  expect(replies()).toEqual([2, 2]);
});
