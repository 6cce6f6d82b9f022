/**
 * Message metadata, end to end: every kind of post the bot makes about instances carries what it is about
 * (README, "Message metadata"), over signed requests to a bot on a private Redis, the simulator and the stand-in.
 * An instance message (and its update once the instance ends), the thread reply to a follow, a watch alert, a
 * grouped alert, and a digest.
 */
import type { MessageMetadata } from '@slack/types';
import type { StoredMessage } from '../../src/slack-standin';
import { type Backends, longRun, startBackends } from '../helpers/backends';
import { type BotProcess, startBotAgainst } from '../helpers/bot';

const INTERVAL_MS = 300;
let backends: Backends;
let process: BotProcess;

beforeAll(async () => {
  backends = await startBackends();
  for (const id of ['C0META', 'C0ALERTS', 'C0STORMY'])
    backends.slackServer.standin.addChannel({
      id,
      name: id.toLowerCase(),
      kind: 'public',
      botIsMember: true,
    });
  process = await startBotAgainst(backends.sim, backends.slackServer, {
    REDIS_URL: backends.redis.url,
    DLF_POLL_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
    DLF_WATCH_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
    DLF_POLL_LOCK_SECONDS: '2',
  });
});
afterAll(async () => {
  await process.bot.stop();
  await backends.close();
});

const slack = () => backends.slackServer.standin;
const fromBot = (channel: string) =>
  slack()
    .messages(channel)
    .filter((m) => m.user === 'U0BOT');
const payload = (message: StoredMessage) =>
  (message.metadata as MessageMetadata | undefined)?.event_payload as Record<string, unknown> | undefined;

test('an instance message, its update when it ends, and the thread reply: dlf_instance with workspace, job, instance and status', async () => {
  const id = longRun(backends.sim, 'meta_orders');
  await process.driver.command('/dlf-instance', `subscribe meta_orders ${id}`, { channel: 'C0META' });
  const message = await slack().waitFor(() => fromBot('C0META')[0], { what: 'the instance message' });
  expect(message.metadata?.event_type).toBe('dlf_instance');
  expect(payload(message)).toEqual({ workspace: '', job: 'meta_orders', instance: id, status: 'running' });

  backends.sim.simulator.finish('meta_orders', id, 'fail');
  const reply = await slack().waitFor(() => slack().thread('C0META', message.ts)[0], {
    what: 'the end reply',
    timeoutMs: INTERVAL_MS + 8_000,
  });
  expect(reply.metadata?.event_type).toBe('dlf_instance');
  expect(payload(reply)).toMatchObject({ job: 'meta_orders', instance: id, status: 'fail' });
  // The key following finds its reply again by rides along.
  expect(String(payload(reply)?.k)).toMatch(/^end:/);
  // The message itself, updated in place, says it ended.
  await slack().waitFor(() => payload(message)?.status === 'fail', { what: 'the updated metadata' });
  // No secret in any of it.
  expect(JSON.stringify([message.metadata, reply.metadata])).not.toMatch(/xoxb|obs:\/\/|secret/i);
});

test('a watch alert is dlf_instance; a storm grouped into one message is dlf_instances listing each', async () => {
  backends.sim.simulator.addJob('meta_alert');
  await process.driver.command('/dlf-instance', 'watch meta_alert', { channel: 'C0ALERTS' });
  await slack().waitFor(() => fromBot('C0ALERTS')[0], { what: 'the watch note' });
  const failed = backends.sim.simulator.startRun('meta_alert', {
    nodes: [{ name: 'load', type: 'DWS SQL', durationMs: 50, outcome: 'fail' }],
  });
  const alert = await slack().waitFor(() => fromBot('C0ALERTS').find((m) => m.text?.includes(`#${failed}`)), {
    what: 'the alert',
    timeoutMs: 10_000,
  });
  expect(alert.metadata?.event_type).toBe('dlf_instance');
  expect(payload(alert)).toMatchObject({ job: 'meta_alert', instance: failed, status: 'fail' });

  await process.driver.command('/dlf-instance', 'watch meta_storm_*', { channel: 'C0STORMY' });
  await slack().waitFor(() => fromBot('C0STORMY')[0], { what: 'the storm watch note' });
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) {
    backends.sim.simulator.addJob(`meta_storm_${i}`);
    ids.push(
      backends.sim.simulator.startRun(`meta_storm_${i}`, {
        nodes: [{ name: 'load', type: 'DWS SQL', durationMs: 20, outcome: 'fail' }],
      }),
    );
  }
  const grouped = await slack().waitFor(
    () => fromBot('C0STORMY').find((m) => m.metadata?.event_type === 'dlf_instances'),
    { what: 'a grouped alert', timeoutMs: 15_000 },
  );
  const listed = payload(grouped)?.instances as { job: string; instance: string; status: string }[];
  expect(payload(grouped)?.count).toBe(listed.length);
  expect(listed.length).toBeGreaterThan(1);
  for (const entry of listed) {
    expect(entry.job).toMatch(/^meta_storm_\d$/);
    expect(ids).toContain(entry.instance);
    expect(entry.status).toBe('fail');
  }
});

test('a digest is dlf_digest, naming the jobs it counts', async () => {
  await process.driver.command('/dlf-instance', 'digest now', { channel: 'C0ALERTS' });
  const digest = await slack().waitFor(
    () => fromBot('C0ALERTS').find((m) => m.metadata?.event_type === 'dlf_digest'),
    { what: 'the digest', timeoutMs: 10_000 },
  );
  expect(payload(digest)).toMatchObject({ count: 1, jobs: [{ job: 'meta_alert', failed: 1 }], failed: 1 });
});
