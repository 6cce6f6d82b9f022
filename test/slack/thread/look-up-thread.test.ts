/**
 * The bot as `npm start` runs it (dist/app.js), where look-ups run in the look-up thread: the same messages,
 * the same sentences for failures, and the permalink fetched once and kept by the main thread.
 */
import { type RunningSimulator, startSimulator } from '../../../src/simulator';
import { bigInstance } from '../../../src/simulator/scenarios';
import { type RunningStandin, SlackDriver, startSlackStandin } from '../../../src/slack-standin';
import { BOT_TOKEN, SIGNING_SECRET } from '../../helpers/bot';
import { type BotChild, spawnBot } from '../../helpers/bot-process';

let sim: RunningSimulator;
let slack: RunningStandin;
let bot: BotChild;
let driver: SlackDriver;

beforeAll(async () => {
  sim = await startSimulator();
  slack = await startSlackStandin({ botToken: BOT_TOKEN });
  bot = await spawnBot(sim, slack, {});
  driver = new SlackDriver({
    standin: slack.standin,
    botUrl: `http://127.0.0.1:${bot.port}/slack/events`,
    signingSecret: SIGNING_SECRET,
  });
});
afterAll(async () => {
  await bot?.kill();
  await Promise.all([sim.close(), slack.close()]);
});

const json = (value: unknown) => JSON.stringify(value);

test('a command posts the instance from the look-up thread', async () => {
  const { standin } = slack;
  expect(bot.startup).toContain('"lookUps":"worker thread"');
  const answer = await driver.command('/dlf-instance', 'job_batch 34765');
  expect(answer.status).toBe(200);
  const message = await standin.waitFor(() => standin.messages('C0GENERAL')[0]);
  expect(message.text).toBe('job_batch #34765: failed after 1 minute (2 nodes)');
  expect(json(message.blocks)).toContain('*Dummy_8556* · Dummy');
});

test('the main thread keeps the permalink the look-up thread fetched: following does not fetch it again', async () => {
  const { standin } = slack;
  const id = sim.simulator.startRun('thread_long', {
    nodes: [{ name: 'load', type: 'DWS SQL', durationMs: 3_600_000 }],
  });
  const before = standin.calls('chat.getPermalink').length;
  // The message shortcut posts in a thread and tells the person where (a link): the look-up thread fetches it.
  const alert = standin.addMessage({
    channel: 'C0GENERAL',
    user: 'U0BOB',
    text: `[DLF] Job thread_long instance ${id} is late`,
    blocks: [],
  });
  await driver.messageShortcut('dlf_track_message', { channel: 'C0GENERAL', ts: alert.ts });
  const message = await standin.waitFor(() =>
    standin.thread('C0GENERAL', alert.ts).find((m) => json(m.blocks).includes(`thread_long #${id}`)),
  );
  const fetched = await standin.waitFor(() => standin.calls('chat.getPermalink')[before]);
  const permalink = String(fetched.response?.permalink);
  // The Subscribe button and the list run on the main thread, which needs that permalink.
  await driver.blockAction({ actionId: 'instance_subscribe', channel: 'C0GENERAL', ts: message.ts });
  await standin.waitFor(() =>
    json(standin.message('C0GENERAL', message.ts)?.blocks).includes('instance_unsubscribe'),
  );
  await driver.command('/dlf-instance', 'list');
  const list = await standin.waitFor(() =>
    standin.ephemerals().find((e) => json(e).includes('Followed in this channel')),
  );
  expect(json(list)).toContain(permalink);
  expect(standin.calls('chat.getPermalink')).toHaveLength(before + 1);
});

test('failures keep their exact sentence across the thread boundary', async () => {
  const { standin } = slack;
  await driver.command('/dlf-instance', 'job_batch 1');
  await standin.waitFor(() =>
    standin.ephemerals().find((e) => json(e).includes('Job `job_batch` has no instance `1`')),
  );
  sim.simulator.setFault('*', { status: 503 });
  try {
    await driver.command('/dlf-instance', 'job_batch 34765');
    await standin.waitFor(() =>
      standin.ephemerals().find((e) => json(e).includes('DataArts is not answering')),
    );
  } finally {
    sim.simulator.clearFaults();
  }
});

test('Refresh and View all nodes run in the thread: a 20,000-node instance never stalls /healthz for long', async () => {
  const { standin } = slack;
  // A 20,000-node instance (about 4 MB of JSON) placed in the simulator.
  sim.simulator.setInstance(bigInstance('lake_20000_nodes', '77000', 20_000, Date.now()));
  await driver.command('/dlf-instance', 'lake_20000_nodes 77000');
  const message = await standin.waitFor(
    () => standin.messages('C0GENERAL').find((m) => json(m.blocks).includes('lake_20000_nodes #77000')),
    { timeoutMs: 15_000 },
  );
  const healthz: number[] = [];
  let watching = true;
  const watch = (async () => {
    while (watching) {
      const started = Date.now();
      await fetch(`http://127.0.0.1:${bot.port}/healthz`);
      healthz.push(Date.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  await driver.blockAction({ actionId: 'instance_view_nodes', channel: 'C0GENERAL', ts: message.ts });
  await standin.waitFor(() => standin.views('U0ALICE').find((v) => json(v).includes('of 20,000 nodes')), {
    timeoutMs: 15_000,
  });
  await driver.blockAction({ actionId: 'instance_refresh', channel: 'C0GENERAL', ts: message.ts });
  await standin.waitFor(() => message.versions.length === 2 && message, { timeoutMs: 15_000 });
  watching = false;
  await watch;
  // Before, the main thread parsed the instance itself and /healthz stalled for seconds (5.9 s measured).
  expect(Math.max(...healthz)).toBeLessThan(1_000);
});

test('Timeline on a 5,000-node instance is drawn and uploaded by the look-up thread; /healthz answers meanwhile', async () => {
  const { standin } = slack;
  await driver.command('/dlf-instance', 'lake_5000_nodes 55000');
  const message = await standin.waitFor(() =>
    standin.messages('C0GENERAL').find((m) => json(m.blocks).includes('lake_5000_nodes #55000')),
  );
  await driver.blockAction({ actionId: 'instance_timeline', channel: 'C0GENERAL', ts: message.ts });
  let answered = 0;
  let reply: { files?: { imageSize?: { width: number } }[] } | undefined;
  const deadline = Date.now() + 20_000;
  while (!reply && Date.now() < deadline) {
    // The main thread keeps answering while the picture is drawn.
    if ((await fetch(`http://127.0.0.1:${bot.port}/healthz`)).status === 200) answered++;
    reply = standin.thread('C0GENERAL', message.ts).find((m) => m.files?.length);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(answered).toBeGreaterThan(0);
  expect(reply?.files?.[0]?.imageSize?.width).toBeGreaterThanOrEqual(800);
}, 30_000);

test('digest now is read, drawn and posted by the look-up thread, its chart in the thread', async () => {
  const { standin } = slack;
  standin.addChannel({ id: 'C0THREADDIGEST', name: 'thread-digest', kind: 'public', botIsMember: true });
  await driver.command('/dlf-instance', 'watch job_batch', { channel: 'C0THREADDIGEST' });
  await standin.waitFor(() => standin.messages('C0THREADDIGEST')[0]);
  await driver.command('/dlf-instance', 'digest now', { channel: 'C0THREADDIGEST' });
  const digest = await standin.waitFor(() =>
    standin.messages('C0THREADDIGEST').find((m) => m.text?.startsWith('Digest:')),
  );
  expect(json(digest.blocks)).toContain('*job_batch*');
  await standin.waitFor(() => standin.thread('C0THREADDIGEST', digest.ts).find((m) => m.files?.length));
});
