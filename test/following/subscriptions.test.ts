import type { RunningSimulator } from '../../src/simulator';
import type { RunningStandin, SlackStandin, StoredMessage } from '../../src/slack-standin';
import { type Backends, longRun, sleep, startBackends } from '../helpers/backends';
import { type BotProcess, startBotAgainst } from '../helpers/bot';
import type { TestRedis } from '../helpers/redis';

const INTERVAL_MS = 300;
const CHANNEL = 'C0GENERAL';

let redis: TestRedis;
let sim: RunningSimulator;
let slackServer: RunningStandin;
let slack: SlackStandin;
const bots: BotProcess[] = [];

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: redis.url,
    DLF_POLL_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
    DLF_WATCH_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
    DLF_POLL_LOCK_SECONDS: '2',
    SLACK_API_TIMEOUT_SECONDS: '1',
    ...extra,
  };
}

async function bot(extra: Record<string, string> = {}): Promise<BotProcess> {
  const started = await startBotAgainst(sim, slackServer, env(extra));
  bots.push(started);
  return started;
}

async function stop(process: BotProcess): Promise<void> {
  bots.splice(bots.indexOf(process), 1);
  await process.bot.stop();
}

let backends: Backends;
beforeAll(async () => {
  backends = await startBackends();
  ({ redis, sim, slackServer } = backends);
  slack = slackServer.standin;
});
afterAll(async () => {
  for (const process of [...bots]) await stop(process);
  await backends.close();
});

const json = (value: unknown) => JSON.stringify(value);

async function show(process: BotProcess, job: string, id: string, verb = ''): Promise<StoredMessage> {
  const before = new Set(slack.messages(CHANNEL).map((m) => m.ts));
  await process.driver.command('/dlf-instance', `${verb} ${job} ${id}`.trim());
  return slack.waitFor(
    () => slack.messages(CHANNEL).find((m) => !before.has(m.ts) && json(m.blocks).includes(`${job} #${id}`)),
    {
      what: `the message of ${job} #${id}`,
    },
  );
}

async function subscribeButton(process: BotProcess, message: StoredMessage): Promise<void> {
  await process.driver.blockAction({ actionId: 'instance_subscribe', channel: CHANNEL, ts: message.ts });
  await slack.waitFor(() => json(message.blocks).includes('instance_unsubscribe'), {
    what: 'the Unsubscribe button',
  });
}

async function oneReply(message: StoredMessage, timeoutMs = INTERVAL_MS + 4_000): Promise<StoredMessage> {
  const reply = await slack.waitFor(() => slack.thread(CHANNEL, message.ts)[0], {
    timeoutMs,
    what: `a reply to ${message.text}`,
  });
  // Several more poll rounds: nothing else may arrive.
  await sleep(INTERVAL_MS * 4);
  expect(slack.thread(CHANNEL, message.ts)).toHaveLength(1);
  return reply;
}

describe('following an instance to its end', () => {
  test('subscribe with the command; a failure gets exactly one reply naming the failed node, and the message shows it', async () => {
    const process = bots[0] ?? (await bot());
    const id = longRun(sim, 'sub_command');
    const message = await show(process, 'sub_command', id, 'subscribe');
    await slack.waitFor(() =>
      slack.ephemerals().find((e) => e.text?.includes(`Following *sub_command #${id}*`)),
    );
    expect(json(message.blocks)).toContain('instance_unsubscribe');
    sim.simulator.finish('sub_command', id, 'fail');
    const reply = await oneReply(message);
    expect(reply.text).toContain(`sub_command #${id} failed`);
    expect(json(reply.blocks)).toContain('*validate* (HiveSQL)');
    expect(json(reply.blocks)).toContain('log: `obs://');
    expect(json(reply.blocks)).toContain('<@U0ALICE>');
    expect(message.text).toMatch(/failed after/);
    expect(json(message.blocks)).toContain('instance_subscribe');
  });

  test('ten messages following one instance cost one DataArts call per poll, and each gets one reply', async () => {
    const process = bots[0] ?? (await bot());
    const id = longRun(sim, 'sub_ten');
    const messages: StoredMessage[] = [];
    for (let i = 0; i < 10; i++) messages.push(await show(process, 'sub_ten', id));
    for (const message of messages) await subscribeButton(process, message);
    sim.simulator.resetCalls();
    const watchMs = 2_000;
    await sleep(watchMs);
    const calls = sim.simulator.callsFor('sub_ten', id).length;
    // Polls come at 80–100% of the interval: at most this many rounds fit (naive polling would be 10× more).
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(Math.ceil(watchMs / (INTERVAL_MS * 0.8)) + 1);
    sim.simulator.finish('sub_ten', id, 'success');
    for (const message of messages) expect((await oneReply(message, 6_000)).text).toContain('succeeded');
  });

  test('the global shortcut’s modal can follow what it posts', async () => {
    const process = bots[0] ?? (await bot());
    const id = longRun(sim, 'sub_modal');
    await process.driver.globalShortcut('dlf_find_global');
    const modal = await slack.waitFor(() => slack.views('U0ALICE').find((v) => json(v).includes('"follow"')));
    const field = (type: string, value: Record<string, unknown>) => ({ type, ...value });
    await process.driver.viewSubmission({
      view: modal,
      values: {
        job: { job: field('plain_text_input', { value: 'sub_modal' }) },
        instance: { instance: field('plain_text_input', { value: id }) },
        workspace: { workspace: field('plain_text_input', { value: null }) },
        conversation: { conversation: field('conversations_select', { selected_conversation: CHANNEL }) },
        follow: { follow: field('checkboxes', { selected_options: [{ value: 'follow' }] }) },
      },
    });
    const message = await slack.waitFor(() =>
      slack.messages(CHANNEL).find((m) => json(m.blocks).includes(`sub_modal #${id}`)),
    );
    await slack.waitFor(() => json(message.blocks).includes('instance_unsubscribe'), {
      what: 'the message followed',
    });
    sim.simulator.finish('sub_modal', id, 'success');
    expect((await oneReply(message)).text).toContain('succeeded');
  });

  test('an instance that already ended answers at once with its final state', async () => {
    const process = bots[0] ?? (await bot());
    const message = await show(process, 'job_batch', '34765');
    await process.driver.blockAction({ actionId: 'instance_subscribe', channel: CHANNEL, ts: message.ts });
    expect((await oneReply(message, 3_000)).text).toContain('job_batch #34765 failed');
    await slack.waitFor(() => slack.ephemerals().find((e) => e.text?.includes('has already ended')));
  });

  test('an ended instance whose immediate reply meets a Slack 429 still gets exactly one reply', async () => {
    const process = bots[0] ?? (await bot());
    const id = longRun(sim, 'ended_429');
    sim.simulator.finish('ended_429', id, 'success');
    const message = await show(process, 'ended_429', id);
    slack.fail('chat.postMessage', { channel: CHANNEL, times: 1, rateLimited: { retryAfterSeconds: 1 } });
    await process.driver.blockAction({ actionId: 'instance_subscribe', channel: CHANNEL, ts: message.ts });
    expect((await oneReply(message, 6_000)).text).toContain('succeeded');
    slack.clearFaults();
  });

  test('a pause gets one "needs attention" reply, then the end its own reply', async () => {
    const process = bots[0] ?? (await bot());
    const id = longRun(sim, 'sub_pause');
    const message = await show(process, 'sub_pause', id);
    await subscribeButton(process, message);
    sim.simulator.setInstanceStatus('sub_pause', id, 'pause');
    const attention = await oneReply(message);
    expect(attention.text).toContain('needs attention: paused');
    expect(json(attention.blocks)).toContain('I keep following it.');
    sim.simulator.setInstance({
      ...sim.simulator.instance('sub_pause', id)!,
      status: 'fail',
      endTime: Date.now(),
    });
    await slack.waitFor(() => slack.thread(CHANNEL, message.ts).length === 2, {
      timeoutMs: 5_000,
      what: 'the end reply',
    });
    await sleep(INTERVAL_MS * 4);
    expect(slack.thread(CHANNEL, message.ts).map((reply) => reply.text)).toEqual([
      expect.stringContaining('needs attention'),
      expect.stringContaining('failed'),
    ]);
  });

  test('unsubscribe by someone else: recorded in the thread (who stopped, whose reply will not come), and no reply when it ends', async () => {
    const process = bots[0] ?? (await bot());
    const id = longRun(sim, 'sub_unsub');
    const message = await show(process, 'sub_unsub', id);
    await subscribeButton(process, message);
    await process.driver.with({ user: 'U0BOB' }).command('/dlf-instance', `unsubscribe sub_unsub ${id}`);
    await slack.waitFor(() =>
      slack.ephemerals().find((e) => e.text?.includes(`Stopped following *sub_unsub #${id}*`)),
    );
    const [note] = slack.thread(CHANNEL, message.ts);
    expect(note?.text).toBe(
      `:no_bell: <@U0BOB> stopped following *sub_unsub #${id}*. <@U0ALICE> followed it; that reply will not come.`,
    );
    sim.simulator.finish('sub_unsub', id, 'fail');
    await sleep(INTERVAL_MS * 5);
    expect(slack.thread(CHANNEL, message.ts)).toEqual([note]);
  });

  test('list shows the channel’s subscriptions with permalinks; App Home shows the viewer’s', async () => {
    const process = bots[0] ?? (await bot());
    const id = longRun(sim, 'sub_list');
    const message = await show(process, 'sub_list', id);
    await subscribeButton(process, message);
    await process.driver.command('/dlf-instance', 'list');
    const listed = await slack.waitFor(() =>
      slack.ephemerals().find((e) => String(json(e.blocks)).includes(`sub_list #${id}`)),
    );
    expect(json(listed.blocks)).toContain(`p${message.ts.replace('.', '')}`);
    await process.driver.event('app_home_opened', { user: 'U0ALICE', channel: 'D0ALICE', tab: 'home' });
    await slack.waitFor(() => String(json(slack.home('U0ALICE'))).includes(`sub_list #${id}`));
    sim.simulator.finish('sub_list', id, 'success');
    await oneReply(message);
  });
});

describe('several processes, restarts and faults', () => {
  test('three bot processes on one Redis: exactly one reply per followed message', async () => {
    while (bots.length < 3) await bot();
    const jobs = ['race_a', 'race_b', 'race_c'];
    const followed: StoredMessage[] = [];
    for (const [index, job] of jobs.entries()) {
      const id = longRun(sim, job);
      for (const process of bots) {
        const message = await show(process, job, id);
        await subscribeButton(bots[(index + 1) % bots.length]!, message);
        followed.push(message);
      }
      sim.simulator.finish(job, id, index === 0 ? 'fail' : 'success');
    }
    for (const message of followed) await oneReply(message, 6_000);
  });

  test('every process stopped between subscribing and the end; a new one delivers the reply', async () => {
    const first = bots[0] ?? (await bot());
    const id = longRun(sim, 'sub_restart');
    const message = await show(first, 'sub_restart', id);
    await subscribeButton(first, message);
    for (const process of [...bots]) await stop(process);
    sim.simulator.finish('sub_restart', id, 'fail');
    await sleep(1_000);
    expect(slack.thread(CHANNEL, message.ts)).toHaveLength(0);
    await bot();
    expect((await oneReply(message, 6_000)).text).toContain('failed');
  });

  test('Slack 429 and a lost answer after an accepted post: still exactly one reply', async () => {
    const process = bots[0] ?? (await bot());
    const limited = longRun(sim, 'slack_429');
    const lost = longRun(sim, 'slack_lost');
    const a = await show(process, 'slack_429', limited);
    const b = await show(process, 'slack_lost', lost);
    await subscribeButton(process, a);
    await subscribeButton(process, b);
    slack.fail('chat.postMessage', { channel: CHANNEL, times: 1, rateLimited: { retryAfterSeconds: 1 } });
    sim.simulator.finish('slack_429', limited, 'fail');
    await oneReply(a, 8_000);
    slack.fail('chat.postMessage', { channel: CHANNEL, times: 1, acceptThenDrop: true });
    sim.simulator.finish('slack_lost', lost, 'fail');
    await oneReply(b, 8_000);
    // Once the unconfirmed reply is old enough, the thread is read (metadata) instead of posting again.
    await slack.waitFor(() => slack.calls('conversations.replies').some((c) => c.args.ts === b.ts), {
      timeoutMs: 6_000,
    });
    await sleep(INTERVAL_MS * 4);
    expect(slack.thread(CHANNEL, b.ts)).toHaveLength(1);
    slack.clearFaults();
  });

  test('a lost answer where the thread cannot be read (no history scope): posted again, one duplicate at most', async () => {
    const process = bots[0] ?? (await bot());
    const id = longRun(sim, 'slack_noscope');
    const message = await show(process, 'slack_noscope', id);
    await subscribeButton(process, message);
    slack.fail('chat.postMessage', { channel: CHANNEL, times: 1, acceptThenDrop: true });
    slack.fail('conversations.replies', { error: 'missing_scope' });
    sim.simulator.finish('slack_noscope', id, 'fail');
    await slack.waitFor(() => slack.thread(CHANNEL, message.ts).length === 2, {
      timeoutMs: 8_000,
      what: 'the second post',
    });
    await sleep(INTERVAL_MS * 6);
    expect(slack.thread(CHANNEL, message.ts)).toHaveLength(2);
    slack.clearFaults();
  });

  test('DataArts 500s, 429s and hanging requests delay the reply but do not lose it', async () => {
    const process = bots[0] ?? (await bot());
    const id = longRun(sim, 'dlf_faults');
    const message = await show(process, 'dlf_faults', id);
    await subscribeButton(process, message);
    sim.simulator.setFault('dlf_faults', { status: 500, times: 3 });
    await sleep(INTERVAL_MS * 3);
    sim.simulator.setFault('dlf_faults', { throttle: { retryAfterSeconds: 1 }, times: 2 });
    await sleep(INTERVAL_MS * 3);
    sim.simulator.setFault('dlf_faults', { hang: true, times: 2 });
    sim.simulator.finish('dlf_faults', id, 'success');
    expect((await oneReply(message, 15_000)).text).toContain('succeeded');
    sim.simulator.clearFaults();
  });

  test('DLF_BROADCAST_FAILURES also shows failure replies in the channel, and only failures', async () => {
    for (const process of [...bots]) await stop(process);
    const process = await bot({ DLF_BROADCAST_FAILURES: 'true' });
    const failing = longRun(sim, 'broadcast_fail');
    const passing = longRun(sim, 'broadcast_ok');
    const a = await show(process, 'broadcast_fail', failing);
    const b = await show(process, 'broadcast_ok', passing);
    await subscribeButton(process, a);
    await subscribeButton(process, b);
    sim.simulator.finish('broadcast_fail', failing, 'fail');
    sim.simulator.finish('broadcast_ok', passing, 'success');
    const failed = await oneReply(a);
    const succeeded = await oneReply(b);
    expect(failed.replyBroadcast).toBe(true);
    expect(succeeded.replyBroadcast).toBe(false);
    expect(slack.messages(CHANNEL)).toContain(failed);
    await stop(process);
  });

  test('a subscription that never ends is retired after the maximum age, with a note', async () => {
    for (const process of [...bots]) await stop(process);
    const process = await bot({ DLF_SUBSCRIPTION_MAX_AGE_HOURS: String(1.5 / 3600) });
    const id = longRun(sim, 'sub_expiry');
    const message = await show(process, 'sub_expiry', id);
    await subscribeButton(process, message);
    const note = await oneReply(message, 6_000);
    expect(json(note.blocks)).toContain('Stopped following');
    expect(json(message.blocks)).toContain('instance_subscribe');
  });
});
