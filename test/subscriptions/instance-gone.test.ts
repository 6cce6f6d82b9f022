import type { RunningSimulator } from '../../src/simulator';
import { createSlackWeb } from '../../src/slack/web';
import { type RunningStandin, startSlackStandin } from '../../src/slack-standin';
import { instanceKey, type Subscription } from '../../src/subscriptions/model';
import { MemorySubscriptionStore } from '../../src/subscriptions/store';
import { BOT_TOKEN } from '../helpers/bot';
import { withSimulator } from '../helpers/dataarts';
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

test('a followed instance deleted in DataArts: one "can no longer be found" reply each, then polling stops', async () => {
  const { standin } = slack;
  const store = new MemorySubscriptionStore();
  const web = createSlackWeb({ token: BOT_TOKEN, apiUrl: slack.apiUrl, timeoutMs: 2_000 });
  const id = sim.simulator.startRun('gone_job', {
    nodes: [{ name: 'load', type: 'DWS SQL', durationMs: 3_600_000 }],
  });
  const subscriptions: Subscription[] = [];
  for (const [channel, user] of [
    ['C0GENERAL', 'U0ALICE'],
    ['G0TEAM', 'U0BOB'],
  ] as const) {
    const ts = (await web.post.chat.postMessage({ channel, text: `gone_job #${id}` })).ts!;
    subscriptions.push({ job: 'gone_job', instanceId: id, channel, ts, user, createdAt: Date.now() });
  }
  for (const subscription of subscriptions) await store.add(subscription);
  const poller = pollerFor({ sim, slack, store });
  const key = instanceKey(subscriptions[0]!);
  expect(await poller.poll(key)).toMatchObject({ done: false });

  sim.simulator.deleteInstance('gone_job', id);
  expect(await poller.poll(key)).toEqual({ done: true });
  for (const { channel, ts, user } of subscriptions) {
    const replies = standin.thread(channel, ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toContain(`gone_job #${id} can no longer be found`);
    expect(JSON.stringify(replies[0]?.blocks)).toContain(`<@${user}>`);
  }
  expect(await store.instances()).toEqual([]);
  expect(await store.byInstance(key)).toEqual([]);
});
