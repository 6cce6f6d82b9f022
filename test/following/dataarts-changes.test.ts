/**
 * What DataArts can do to a followed instance besides ending it: delete it (DLF.0137 on the next look,
 * poll-engine notes F10), or rerun it (the same id) after its end while its messages still wait for Slack's
 * update budget, so that it is still followed although the poller keeps the first end: the sweep's row differs
 * from the kept end, which is then read again.
 */

import { statusText } from '../../src/dataarts/model';
import { windowEnding } from '../../src/dataarts/paging';
import { instanceKey, rowSignature, type Subscription } from '../../src/following/model';
import { MemorySubscriptionStore } from '../../src/following/store';
import type { RunningSimulator } from '../../src/simulator';
import { createSlackWeb } from '../../src/slack/web';
import { type RunningStandin, startSlackStandin } from '../../src/slack-standin';
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

/** A long run of `job`, posted in #general (by alice) and #team-private (by bob), both messages followed. */
async function followedRun(job: string) {
  const store = new MemorySubscriptionStore();
  const web = createSlackWeb({ token: BOT_TOKEN, apiUrl: slack.apiUrl, timeoutMs: 2_000 });
  const id = sim.simulator.startRun(job, {
    nodes: [{ name: 'load', type: 'DWS SQL', durationMs: 3_600_000 }],
  });
  const subscriptions: Subscription[] = [];
  for (const [channel, user] of [
    ['C0GENERAL', 'U0ALICE'],
    ['G0TEAM', 'U0BOB'],
  ] as const) {
    const ts = (await web.post.chat.postMessage({ channel, text: `${job} #${id}` })).ts!;
    const subscription = { job, instanceId: id, channel, ts, user, createdAt: Date.now() };
    await store.add(subscription);
    subscriptions.push(subscription);
  }
  const replies = () => subscriptions.map(({ channel, ts }) => slack.standin.thread(channel, ts));
  return { id, store, subscriptions, key: instanceKey(subscriptions[0]!), replies };
}

test('a followed instance deleted in DataArts: one "can no longer be found" reply each, then polling stops', async () => {
  const { id, store, subscriptions, key, replies } = await followedRun('gone_job');
  const poller = pollerFor({ sim, slack, store });
  // Running, nothing pending: done until the sweep sees a change (here: the instance gone from the list).
  expect(await poller.poll(key)).toEqual({ done: true });

  sim.simulator.deleteInstance('gone_job', id);
  expect(await poller.poll(key)).toEqual({ done: true });
  replies().forEach((thread, i) => {
    expect(thread).toHaveLength(1);
    expect(thread[0]?.text).toContain(`gone_job #${id} can no longer be found`);
    expect(JSON.stringify(thread[0]?.blocks)).toContain(`<@${subscriptions[i]!.user}>`);
  });
  expect(await store.instances()).toEqual([]);
  expect(await store.byInstance(key)).toEqual([]);
});

test('a rerun that ends again while the messages wait for the update budget gets its own reply', async () => {
  const job = 'rerun_job';
  const { id, store, key, replies } = await followedRun(job);
  const counts = () => replies().map((thread) => thread.length);
  let now = Date.now();
  // One update a minute for two messages: after the end, one message waits for the next minute.
  const poller = pollerFor({ sim, slack, store }, { updatesPerMinute: 1, clock: () => now });

  sim.simulator.finish(job, id, 'fail');
  expect(await poller.poll(key)).toMatchObject({ done: false });
  expect(counts()).toEqual([1, 1]);
  sim.simulator.resetCalls();
  expect(await poller.poll(key)).toMatchObject({ done: false });
  expect(sim.simulator.callsFor(job)).toHaveLength(0);

  // Rerun and a new end; the sweep sees a row unlike the kept end, and the next look reads DataArts again.
  await clientFor(sim).restartInstance(job, id);
  await new Promise((resolve) => setTimeout(resolve, 5));
  sim.simulator.finish(job, id, 'success');
  const [row] = (
    await clientFor(sim).listInstances({ jobName: job, ...windowEnding(Date.now() + 60_000, 86_400_000) })
  ).instances;
  await store.setSeen('', [
    [
      key,
      rowSignature({ status: statusText(row!.status), startTime: row!.startTime, endTime: row!.endTime }),
    ],
  ]);
  now += 1_500;
  await poller.poll(key);
  expect(sim.simulator.callsFor(job, id).filter((call) => call.method === 'GET')).toHaveLength(1);
  expect(counts()).toEqual([2, 2]);
  expect(replies()[0]?.at(-1)?.text).toMatch(/succeeded/);

  // Once every message shows the end, polling stops; nothing is announced twice.
  now += 61_000;
  for (let i = 0; i < 3 && !(await poller.poll(key)).done; i++) now += 61_000;
  expect(await store.instances()).toEqual([]);
  expect(counts()).toEqual([2, 2]);
});
