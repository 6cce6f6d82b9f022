/**
 * What the poller, store and following tests share: a subscription to vary, both stores, a poller on the loopback
 * parts, and following a long run through a bot with the one reply expected at its end.
 */
import type Redis from 'ioredis';
import type { Subscription } from '../../src/following/model';
import { Notifier } from '../../src/following/notifier';
import { Poller } from '../../src/following/poller';
import {
  MemorySubscriptionStore,
  RedisSubscriptionStore,
  type SubscriptionStore,
} from '../../src/following/store';
import { silentLogger } from '../../src/logger';
import type { RunningSimulator } from '../../src/simulator';
import { MemoryMessageRecords } from '../../src/slack/message-records';
import { SlackOutlet } from '../../src/slack/outlet';
import { createSlackWeb } from '../../src/slack/web';
import type { RunningStandin, SlackDriver, SlackStandin, StoredMessage } from '../../src/slack-standin';
import { sleep } from './backends';
import { BOT_TOKEN } from './bot';
import { clientFor } from './dataarts';

export const subscription = (over: Partial<Subscription> = {}): Subscription => ({
  job: 'job_batch',
  instanceId: '34765',
  channel: 'C1',
  ts: '1.000001',
  user: 'U1',
  createdAt: 1000,
  ...over,
});

/** For describe.each: a fresh Redis store (own key prefix) on `client`, and a memory store. */
export function bothStores(client: () => Redis): [string, () => SubscriptionStore][] {
  return [
    ['Redis', () => new RedisSubscriptionStore(client(), `{t${Math.random().toString(36).slice(2)}}`)],
    ['memory', () => new MemorySubscriptionStore()],
  ];
}

/** A poller as the bot builds one, on the simulator and the Slack stand-in, polling every 100 ms. */
export function pollerFor(
  parts: { sim: RunningSimulator; slack: RunningStandin; store: SubscriptionStore },
  options: { updatesPerMinute?: number; clock?: () => number; dataarts?: ReturnType<typeof clientFor> } = {},
): Poller {
  const web = createSlackWeb({ token: BOT_TOKEN, apiUrl: parts.slack.apiUrl, timeoutMs: 2_000 });
  const outlet = new SlackOutlet({ web, records: new MemoryMessageRecords(), logger: silentLogger });
  return new Poller({
    dataarts: options.dataarts ?? clientFor(parts.sim),
    store: parts.store,
    outlet,
    notifier: new Notifier(parts.store, outlet, silentLogger),
    settings: {
      intervalMs: 100,
      maxAgeMs: 86_400_000,
      maxBackoffMs: 1_000,
      updatesPerMinute: options.updatesPerMinute ?? 1_000,
    },
    logger: silentLogger,
    clock: options.clock,
  });
}

const json = (value: unknown) => JSON.stringify(value);

/**
 * `/dlf-instance subscribe` to a new long run of `job` (its second node lasts an hour), sent through `driver`;
 * the posted message once it shows Unsubscribe (the subscription is stored).
 */
export async function followLongRun(
  parts: { sim: RunningSimulator; slack: SlackStandin },
  driver: SlackDriver,
  job: string,
  channel = 'C0GENERAL',
): Promise<{ id: string; message: StoredMessage }> {
  const { sim, slack } = parts;
  const id = sim.simulator.startRun(job, {
    nodes: [
      { name: 'extract', type: 'CDMJob', durationMs: 1 },
      { name: 'load', type: 'DWS SQL', durationMs: 3_600_000 },
    ],
  });
  await driver.command('/dlf-instance', `subscribe ${job} ${id}`, { channel });
  const message = await slack.waitFor(() =>
    slack.messages(channel).find((m) => json(m.blocks).includes(`${job} #${id}`)),
  );
  await slack.waitFor(() => json(message.blocks).includes('instance_unsubscribe'));
  return { id, message };
}

/** The first reply in the message's thread within `timeoutMs`; after `quietMs` more it must still be the only one. */
export async function exactlyOneReply(
  slack: SlackStandin,
  message: StoredMessage,
  options: { timeoutMs: number; quietMs?: number; channel?: string },
): Promise<StoredMessage> {
  const channel = options.channel ?? 'C0GENERAL';
  const reply = await slack.waitFor(() => slack.thread(channel, message.ts)[0], {
    timeoutMs: options.timeoutMs,
    what: `the reply to ${message.text}`,
  });
  await sleep(options.quietMs ?? 2_000);
  expect(slack.thread(channel, message.ts)).toHaveLength(1);
  return reply;
}
