/**
 * The fault matrix of poll-engine-notes.md §5, one entry per fault. Each scenario builds its world (fresh Redis,
 * simulator, Slack stand-in, bot processes), follows instances through real `/dlf-instance subscribe` commands,
 * injects its fault, ends the instances in the simulator and hands the followed messages to the checker.
 * Besides the counts, a scenario may state checks of its own (no endless retries, one subscription…);
 * `gate: true` ones fail the run like a missing reply does. The rows about the process itself
 * (process-scenarios.ts) count no replies: they report an ObservedOutcome.
 */
import Redis from 'ioredis';
import { instanceKey } from '../../src/following/model';
import { endReplies, type Followed, settle, type Tally } from './checker';
import { BOT_ENV, type Harness, sleep } from './harness';

export interface Check {
  what: string;
  ok: boolean;
  /** A failed gated check fails the run; others are reported. */
  gate: boolean;
}

/** A row that counts thread replies: every ended instance's thread against the checker. */
export interface RepliesOutcome {
  tally: Tally;
  /** Duplicates this fault may cause, and why (0 unless said). */
  duplicateBound?: { max: number; why: string };
  checks?: Check[];
  /** What the row's figures mean beyond the fault's name (durations, counts). */
  notes?: string[];
}

/**
 * A row about something other than replies (readiness, stopping, memory): what it expects and what it saw, in
 * a few words for the table, and its measured figures for faults.json. It passes when its gated checks do,
 * and it must state at least one.
 */
export interface ObservedOutcome {
  observed: { expected: string; got: string; figures: Record<string, number | boolean | null> };
  checks: Check[];
  notes?: string[];
}

export type Outcome = RepliesOutcome | ObservedOutcome;

export interface Options {
  quick: boolean;
  /** "All processes down": how long, seconds. */
  downtimeSeconds: number;
  /** How long a DataArts or Redis fault lasts, ms. */
  faultMs: number;
  /** The herd: instances ending at once (each followed in two channels). */
  herdInstances: number;
}

export interface Scenario {
  id: string;
  fault: string;
  /** Whether the proxy sits between the bots and Redis. */
  proxy?: boolean;
  run(h: Harness, options: Options): Promise<Outcome>;
}

const LOCK_MS = Number(BOT_ENV.DLF_POLL_LOCK_SECONDS) * 1000;
/** Long enough for a late duplicate: a reconciliation (1.5 × the Slack timeout) plus a few polls. */
const QUIET_MS = 3_000;

const waitUntil = async (check: () => boolean, timeoutMs: number, what: string) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/** BullMQ's failed poll jobs: a failed job is a follow silently given up. */
async function failedPollJobs(h: Harness): Promise<number> {
  const redis = new Redis(h.redis.url, { maxRetriesPerRequest: 1 });
  try {
    return await redis.zcard('{dlfbot}:dlf-follow:failed');
  } finally {
    redis.disconnect();
  }
}

async function subscriptionCount(h: Harness, f: Followed): Promise<number> {
  const redis = new Redis(h.redis.url, { maxRetriesPerRequest: 1 });
  try {
    return await redis.scard(`{dlfbot}:subs:${instanceKey({ job: f.job, instanceId: f.instanceId })}`);
  } finally {
    redis.disconnect();
  }
}

/** The end-reply markers in Redis: how many say `done` (the bot knows its reply is in the thread). */
async function doneMarkers(h: Harness): Promise<{ done: number; all: number }> {
  const redis = new Redis(h.redis.url, { maxRetriesPerRequest: 1 });
  try {
    const keys = await redis.keys('{dlfbot}:notified:end:*');
    const values = keys.length ? await redis.mget(...keys) : [];
    return { done: values.filter((v) => v?.startsWith('done:')).length, all: keys.length };
  } finally {
    redis.disconnect();
  }
}

/** Waits until `count` end replies are confirmed (marker `done`); ms since `from`, or undefined if never. */
async function confirmed(h: Harness, count: number, from: number, timeoutMs = 15_000) {
  while (Date.now() - from < timeoutMs) {
    if ((await doneMarkers(h)).done >= count) return Date.now() - from;
    await sleep(100);
  }
  return undefined;
}

/** Calls answered by the simulator (or hung) for `job` between two moments, per second. */
function dlfRate(h: Harness, job: string, from: number, to: number): number {
  const calls = h.dlfCalls(job, from).filter((call) => call.at <= to).length;
  return calls / Math.max(0.001, (to - from) / 1000);
}

export const SCENARIOS: Scenario[] = [
  {
    id: 'F1',
    fault: 'SIGKILL a bot mid-poll',
    async run(h) {
      const job = 'f1_kill_mid_poll';
      // The first bot's DataArts calls hang far longer than the lock: it is surely mid-poll when killed.
      const a = await h.spawn({ DLF_TIMEOUT_MS: '60000' });
      const followed = await h.followMany([a], job, 4, ['C0GENERAL']);
      h.sim.simulator.setFault(job, { hang: true });
      const since = Date.now();
      await waitUntil(
        () =>
          followed.every((f) =>
            h.dlfCalls(job, since).some((call) => call.instanceId === f.instanceId && call.status === 0),
          ),
        10_000,
        'every poll hanging in the first bot',
      );
      await h.spawn();
      await h.kill(a);
      h.sim.simulator.clearFaults();
      h.finish(followed.slice(0, 2), 'fail');
      h.finish(followed.slice(2), 'success');
      const tally = await settle(h.slack, followed, { timeoutMs: 20_000, quietMs: QUIET_MS });
      return {
        tally,
        notes: [
          `${followed.length} polls hanging in the killed bot; a second bot takes them over once the ${seconds(LOCK_MS)} lock lapses`,
        ],
      };
    },
  },
  {
    id: 'F2',
    fault: 'SIGKILL a bot after Slack accepted its reply',
    async run(h) {
      const job = 'f2_kill_mid_post';
      const a = await h.spawn();
      const followed = await h.followMany([a], job, 3, ['C0GENERAL']);
      // Slack stores the replies but answers only after 10 s: the bot is killed before it hears back.
      h.slack.fail('chat.postMessage', { acceptThenDelayMs: 10_000, times: followed.length });
      h.finish(followed);
      await waitUntil(
        () => followed.every((f) => endReplies(h.slack, f).length > 0),
        10_000,
        'Slack accepting every reply',
      );
      const unanswered = h.slack
        .calls('chat.postMessage')
        .filter((call) => call.args.thread_ts && call.delivery === 'pending').length;
      await h.kill(a);
      await h.spawn();
      const confirmedMs = await confirmed(h, followed.length, followed[0]!.endedAt!);
      const tally = await settle(h.slack, followed, { timeoutMs: 20_000, quietMs: QUIET_MS });
      const reads = new Set(h.slack.calls('conversations.replies').map((call) => call.args.ts));
      return {
        tally,
        notes: [
          `the delay is until the reply shows in the thread; the bot knew it was there (marker done, after reading the thread) ${confirmedMs === undefined ? 'never' : `${seconds(confirmedMs)} after the end`}`,
        ],
        checks: [
          {
            what: `every reply confirmed (marker done): ${(await doneMarkers(h)).done}/${followed.length}`,
            ok: confirmedMs !== undefined,
            gate: true,
          },
          {
            what: `killed with ${unanswered}/${followed.length} accepted replies unanswered`,
            ok: unanswered > 0,
            gate: false,
          },
          {
            what: `threads read back to reconcile: ${followed.filter((f) => reads.has(f.ts)).length}/${followed.length}`,
            ok: followed.every((f) => reads.has(f.ts)),
            gate: false,
          },
        ],
      };
    },
  },
  {
    id: 'F3',
    fault: 'Slack response lost (accepted, then connection reset)',
    async run(h) {
      const job = 'f3_lost_response';
      const bots = await h.spawnMany(2);
      const followed = await h.followMany(bots, job, 4, ['C0GENERAL']);
      h.slack.fail('chat.postMessage', { acceptThenDrop: true, times: followed.length });
      h.finish(followed);
      const confirmedMs = await confirmed(h, followed.length, followed[0]!.endedAt!);
      const tally = await settle(h.slack, followed, { timeoutMs: 20_000, quietMs: QUIET_MS });
      const dropped = h.slack
        .calls('chat.postMessage')
        .filter((call) => call.args.thread_ts && call.delivery === 'dropped').length;
      return {
        tally,
        notes: [
          `the delay is until the reply shows in the thread; the bot confirmed it (marker done, after reading the thread) ${confirmedMs === undefined ? 'never' : `${seconds(confirmedMs)} after the end`}`,
        ],
        checks: [
          { what: `${dropped} answers lost`, ok: dropped === followed.length, gate: false },
          {
            what: `every reply confirmed (marker done): ${(await doneMarkers(h)).done}/${followed.length}`,
            ok: confirmedMs !== undefined,
            gate: true,
          },
        ],
      };
    },
  },
  {
    id: 'F4',
    fault: 'All bot processes down',
    async run(h, options) {
      const job = 'f4_all_down';
      const bots = await h.spawnMany(2);
      const followed = await h.followMany(bots, job, 6, ['C0GENERAL']);
      await h.killAll();
      const downMs = options.downtimeSeconds * 1000;
      h.finish(followed.slice(0, 3));
      await sleep(downMs / 2);
      h.finish(followed.slice(3), 'fail');
      await sleep(downMs / 2);
      await h.spawnMany(2);
      const tally = await settle(h.slack, followed, { timeoutMs: 30_000, quietMs: QUIET_MS });
      return {
        tally,
        notes: [
          `down ${seconds(downMs)} (FAULTS_DOWNTIME_SECONDS); half the instances ended at the start of it, half midway, so the delay is about the rest of the downtime plus a restart`,
        ],
      };
    },
  },
  {
    id: 'F5',
    fault: 'Redis SIGKILLed and restarted (AOF)',
    async run(h) {
      const job = 'f5_redis_restart';
      const bots = await h.spawnMany(2);
      const followed = await h.followMany(bots, job, 6, ['C0GENERAL']);
      h.finish(followed.slice(0, 2));
      await sleep(300);
      await h.redis.kill();
      h.finish(followed.slice(2, 4), 'fail');
      await sleep(2_000);
      await h.redis.start();
      h.finish(followed.slice(4));
      const tally = await settle(h.slack, followed, { timeoutMs: 40_000, quietMs: QUIET_MS });
      return {
        tally,
        checks: [{ what: 'no failed poll jobs', ok: (await failedPollJobs(h)) === 0, gate: true }],
        notes: [
          'Redis down 2 s, killed 0.3 s after 2 instances ended (their replies in flight), 2 more ended while it was down; appendfsync always, so an acknowledged marker survives',
        ],
      };
    },
  },
  {
    id: 'F6',
    fault: 'Redis unreachable longer than the lock, then healed',
    proxy: true,
    async run(h, options) {
      return redisPartition(h, options, 'heal');
    },
  },
  {
    id: 'F6r',
    fault: 'Redis unreachable longer than the lock, then connections reset',
    proxy: true,
    async run(h, options) {
      return redisPartition(h, options, 'reset');
    },
  },
  {
    id: 'F8',
    fault: 'DataArts 429 (APIG.0308, Retry-After 2 s)',
    async run(h, options) {
      const job = 'f8_dlf_throttled';
      const bots = await h.spawnMany(2);
      const followed = await h.followMany(bots, job, 4, ['C0GENERAL']);
      const from = Date.now();
      h.sim.simulator.setFault(job, { throttle: { retryAfterSeconds: 2 } });
      h.finish(followed);
      await sleep(options.faultMs);
      const to = Date.now();
      h.sim.simulator.clearFaults();
      const tally = await settle(h.slack, followed, { timeoutMs: 20_000, quietMs: QUIET_MS });
      const rate = dlfRate(h, job, from, to);
      // Each instance may be asked about at most once per Retry-After (plus the attempt that was throttled).
      const allowed = followed.length / 2 + followed.length / (options.faultMs / 1000);
      return {
        tally,
        checks: [
          {
            what: `${rate.toFixed(1)} DataArts calls/s while throttled (${followed.length} instances; ≤ ${allowed.toFixed(1)})`,
            ok: rate <= allowed,
            gate: false,
          },
          { what: 'no failed poll jobs', ok: (await failedPollJobs(h)) === 0, gate: true },
        ],
        notes: [`throttled for ${seconds(options.faultMs)}, the instances ending as it began`],
      };
    },
  },
  {
    id: 'F9a',
    fault: 'DataArts 500',
    async run(h, options) {
      return dataArtsDown(h, options, 'f9_dlf_500', { status: 500 });
    },
  },
  {
    id: 'F9b',
    fault: 'DataArts hanging (no answer; 3 s client timeout)',
    async run(h, options) {
      return dataArtsDown(h, options, 'f9_dlf_hang', { hang: true });
    },
  },
  {
    id: 'F11',
    fault: 'Slack 429 per channel (1 post/s, Retry-After 1 s)',
    async run(h) {
      const job = 'f11_slack_429';
      const bots = await h.spawnMany(2);
      const hot = await h.followMany(bots, job, 8, ['C0HOT']);
      const spread: Followed[] = [];
      for (let i = 0; i < 8; i++) spread.push(...(await h.followMany(bots, job, 1, [`C0SPREAD${i}`])));
      const followed = [...hot, ...spread];
      h.slack.fail('chat.postMessage', { overRate: { perSecond: 1 }, rateLimited: { retryAfterSeconds: 1 } });
      h.finish(followed);
      const tally = await settle(h.slack, followed, { timeoutMs: 40_000, quietMs: QUIET_MS });
      const replies = h.slack.calls('chat.postMessage').filter((call) => call.args.thread_ts);
      const refused = replies.filter((call) => call.status === 429).length;
      // Accepted replies per channel and second: the stand-in enforces 1/s, so this shows it was met, not forced.
      const perSecond = new Map<string, number>();
      for (const call of replies.filter((c) => c.status === 200)) {
        const slot = `${call.args.channel}@${Math.floor(call.at / 1000)}`;
        perSecond.set(slot, (perSecond.get(slot) ?? 0) + 1);
      }
      const hotDone = Math.max(...hot.map((f) => endReplies(h.slack, f)[0]?.versions[0]?.at ?? 0));
      return {
        tally,
        checks: [
          {
            what: `${refused} posts answered 429 for ${followed.length} replies`,
            ok: true,
            gate: false,
          },
          {
            what: `at most ${Math.max(0, ...perSecond.values())} accepted per channel-second`,
            ok: Math.max(0, ...perSecond.values()) <= 1,
            gate: false,
          },
        ],
        notes: [
          `${hot.length} replies due in one channel (drained in ${seconds(hotDone - hot[0]!.endedAt!)}) and ${spread.length} in ${spread.length} other channels`,
        ],
      };
    },
  },
  {
    id: 'F22',
    fault: 'Slack chat.update 429 storm (Retry-After 30 s): end replies on time',
    async run(h) {
      const job = 'f22_update_429';
      const bots = await h.spawnMany(2);
      // Runs whose nodes move on every 400 ms: their messages are refreshed (chat.update) while they run.
      const steps = Array.from({ length: 60 }, (_, i) => ({
        name: `step_${i}`,
        type: 'Dummy',
        durationMs: 400,
      }));
      const followed = await h.followMany(bots, job, 8, ['C0GENERAL', 'C0OTHER'], 8, steps);
      // Every message refresh refused from now on, as a workspace over Tier 3 would see it; the refreshes due
      // meet it before the ends come.
      h.slack.fail('chat.update', { rateLimited: { retryAfterSeconds: 30 } });
      await sleep(2_000);
      h.finish(followed);
      const tally = await settle(h.slack, followed, { timeoutMs: 40_000, quietMs: QUIET_MS });
      const slowest = Math.max(0, ...tally.delays);
      const refused = h.slack.calls('chat.update').filter((call) => call.status === 429).length;
      return {
        tally,
        checks: [
          // A sweep every 0.5 s and a look: the usual delay is well under 5 s; waiting out a 30 s Retry-After is not.
          { what: `slowest end → reply ${seconds(slowest)}`, ok: slowest <= 10_000, gate: true },
          { what: `${refused} updates answered 429`, ok: true, gate: false },
        ],
        notes: [
          'every chat.update answered 429 with Retry-After 30 s while 8 followed runs refresh; 2 s later they end',
        ],
      };
    },
  },
  {
    id: 'F23',
    fault: 'Redis full (maxmemory, noeviction) during a subscribe and during ends',
    async run(h, options: Options) {
      const job = 'f23_store_full';
      const bots = await h.spawnMany(2);
      const followed = await h.followMany(bots, job, 4, ['C0GENERAL']);
      const admin = new Redis(h.redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await admin.connect();
      try {
        // Full from now on: any write that grows the data set is refused (deletes still pass).
        const used = Number(/^used_memory:(\d+)/m.exec(await admin.info('memory'))?.[1]);
        await admin.config('SET', 'maxmemory', String(Math.max(1, used - 1_000_000)));
        // Each bot's probe reads INFO memory every 2 s; a subscribe typed meanwhile meets the refusal itself.
        const fresh = h.startRun(job);
        const before = h.slack.messages('C0GENERAL').length;
        await bots[0]!.driver.command('/dlf-instance', `subscribe ${job} ${fresh}`, { channel: 'C0GENERAL' });
        const told = await h.slack
          .waitFor(
            () =>
              h.slack.ephemerals({ channel: 'C0GENERAL' }).find((e) => /store is full/.test(e.text ?? '')),
            { timeoutMs: 10_000, what: 'the store-full sentence' },
          )
          .then(
            () => true,
            () => false,
          );
        const newFollowed = h.slack
          .messages('C0GENERAL')
          .slice(before)
          .some((m) => JSON.stringify(m.blocks ?? []).includes('instance_unsubscribe'));
        h.finish(followed);
        await sleep(options.faultMs);
        await admin.config('SET', 'maxmemory', '0');
        const tally = await settle(h.slack, followed, { timeoutMs: 30_000, quietMs: QUIET_MS });
        return {
          tally,
          checks: [
            { what: 'the new subscribe told the store is full', ok: told, gate: true },
            { what: 'the new message not shown as followed', ok: !newFollowed, gate: true },
          ],
          notes: [
            `maxmemory set under used_memory; a subscribe, then 4 followed instances ended; room again ${(options.faultMs / 1000).toFixed(0)} s later`,
          ],
        };
      } finally {
        await admin.config('SET', 'maxmemory', '0').catch(() => undefined);
        admin.disconnect();
      }
    },
  },
  {
    id: 'F12',
    fault: 'Permanent Slack errors (is_archived, channel_not_found)',
    async run(h) {
      const job = 'f12_slack_permanent';
      const bots = await h.spawnMany(2);
      const archived = await h.followMany(bots, job, 2, ['C0ARCHIVED']);
      const gone = await h.followMany(bots, job, 2, ['C0GONE']);
      const fine = await h.followMany(bots, job, 2, ['C0GENERAL']);
      h.slack.fail('*', { channel: 'C0ARCHIVED', error: 'is_archived' });
      h.slack.fail('*', { channel: 'C0GONE', error: 'channel_not_found' });
      const followed = [...archived, ...gone, ...fine];
      h.finish(followed);
      const tally = await settle(h.slack, followed, { timeoutMs: 20_000, quietMs: QUIET_MS });
      // Then a while longer: the bot must not keep trying.
      await sleep(2_000);
      const attempts = [...archived, ...gone].map(
        (f) =>
          h.slack
            .calls('chat.postMessage')
            .filter((call) => call.args.channel === f.channel && call.args.thread_ts === f.ts).length,
      );
      return {
        tally,
        checks: [
          {
            what: `posts per refused thread: ${attempts.join(', ')} (one each, then given up)`,
            ok: attempts.every((n) => n === 1),
            gate: true,
          },
        ],
        notes: [
          `${tally.undeliverable} replies undeliverable (4 expected), the 2 in a healthy channel delivered`,
        ],
      };
    },
  },
  {
    id: 'F13',
    fault: 'Herd: endings at once across three processes',
    async run(h, options) {
      const job = 'f13_herd';
      const bots = await h.spawnMany(3);
      const followed = await h.followMany(bots, job, options.herdInstances, ['C0HERD1', 'C0HERD2']);
      const from = Date.now();
      h.finish(followed.filter((_, i) => i % 4 !== 0));
      h.finish(
        followed.filter((_, i) => i % 4 === 0),
        'fail',
      );
      const tally = await settle(h.slack, followed, { timeoutMs: 60_000, quietMs: QUIET_MS });
      const calls = h.dlfCalls(job, from).length;
      return {
        tally,
        notes: [
          `${options.herdInstances} instances, each followed in 2 channels, ended in the same millisecond; ${(calls / Math.max(1, tally.delivered)).toFixed(2)} DataArts calls per delivered reply`,
        ],
      };
    },
  },
  {
    id: 'F14',
    fault: 'Slack request retries (X-Slack-Retry-Num)',
    async run(h) {
      const job = 'f14_retries';
      const [a, b] = await h.spawnMany(2);
      // A subscribe command, re-delivered twice by Slack (to the other process, then to the same).
      const id = h.startRun(job);
      const commanded = await h.subscribe(a!, job, id, 'C0GENERAL');
      await a!.driver.replay(1, 'http_timeout', b!.driver);
      await a!.driver.replay(2, 'http_timeout');
      // A Subscribe button press, re-delivered to the other process.
      const other = h.startRun(job);
      await a!.driver.command('/dlf-instance', `${job} ${other}`, { channel: 'C0GENERAL' });
      const message = await h.slack.waitFor(
        () =>
          h.slack.messages('C0GENERAL').find((m) => JSON.stringify(m.blocks).includes(`${job} #${other}`)),
        { timeoutMs: 10_000, what: 'the shown instance' },
      );
      await a!.driver.blockAction({ actionId: 'instance_subscribe', message });
      await a!.driver.replay(1, 'http_timeout', b!.driver);
      await h.slack.waitFor(() => JSON.stringify(message.blocks).includes('instance_unsubscribe'), {
        timeoutMs: 10_000,
        what: 'the button subscription',
      });
      const pressed: Followed = { channel: 'C0GENERAL', ts: message.ts, job, instanceId: other };
      await sleep(1_500);
      const posts = (instanceId: string) =>
        h.slack
          .messages('C0GENERAL')
          .filter((m) => !m.threadTs && JSON.stringify(m.blocks).includes(`${job} #${instanceId}`));
      const commandPosts = posts(id);
      const subs = [await subscriptionCount(h, commanded), await subscriptionCount(h, pressed)];
      // Every message posted for an instance counts: a second post would be a second thread with its own reply.
      const everyMessage: Followed[] = [
        ...commandPosts.map((m) => ({ channel: m.channel, ts: m.ts, job, instanceId: id })),
        pressed,
      ];
      h.finish(everyMessage);
      const raw = await settle(h.slack, everyMessage, { timeoutMs: 20_000, quietMs: QUIET_MS });
      // One notification per request: extra messages with their replies are duplicates of it.
      const tally: Tally = {
        ...raw,
        expected: 2,
        duplicates: raw.duplicates + (raw.delivered - Math.min(raw.delivered, 2)),
        delivered: Math.min(raw.delivered, 2),
        missing: Math.max(0, 2 - raw.delivered),
      };
      return {
        tally,
        checks: [
          {
            what: `instance messages posted for one command sent 3 times: ${commandPosts.length}`,
            ok: commandPosts.length === 1,
            gate: true,
          },
          {
            what: `subscriptions stored (command, button): ${subs.join(', ')}`,
            ok: subs.every((n) => n === 1),
            gate: true,
          },
        ],
        notes: ['a command re-delivered twice (to the other process, then the same), a button press once'],
      };
    },
  },
  {
    id: 'F17',
    fault: 'Subscribe while the instance ends (slow Slack)',
    async run(h) {
      const job = 'f17_subscribe_at_end';
      const bots = await h.spawnMany(2);
      const early = await h.followMany(bots, job, 4, ['C0GENERAL']);
      const late = h.addChannel('C0LATE');
      // The final poll takes a while (Slack slow to update the message and take the reply, within the timeout)…
      h.slack.fail('chat.update', { channel: 'C0GENERAL', delayMs: 700, times: early.length });
      h.slack.fail('chat.postMessage', { channel: 'C0GENERAL', delayMs: 700, times: early.length });
      // …and the late subscriber's message is slow to post, so its subscription is stored during that poll.
      h.slack.fail('chat.postMessage', { channel: late, delayMs: 800, times: early.length });
      const before = new Set(h.slack.messages(late).map((m) => m.ts));
      await Promise.all(
        early.map((f) =>
          bots[0]!.driver.command('/dlf-instance', `subscribe ${job} ${f.instanceId}`, { channel: late }),
        ),
      );
      await sleep(150);
      h.finish(early);
      const lateFollowed: Followed[] = [];
      await waitUntil(
        () => h.slack.messages(late).filter((m) => !before.has(m.ts)).length >= early.length,
        10_000,
        "the late subscribers' messages",
      );
      for (const m of h.slack.messages(late).filter((m) => !before.has(m.ts))) {
        const f = early.find((e) => JSON.stringify(m.blocks).includes(`${job} #${e.instanceId}`))!;
        lateFollowed.push({ channel: late, ts: m.ts, job, instanceId: f.instanceId, endedAt: f.endedAt });
      }
      const followed = [...early, ...lateFollowed];
      const tally = await settle(h.slack, followed, { timeoutMs: 20_000, quietMs: QUIET_MS });
      const showingEnd = lateFollowed.filter((f) =>
        /succeeded/.test(h.slack.message(late, f.ts)?.text ?? ''),
      );
      return {
        tally,
        checks: [
          {
            what: `late subscribers' messages showing the end: ${showingEnd.length}/${lateFollowed.length}`,
            ok: showingEnd.length === lateFollowed.length,
            gate: true,
          },
        ],
        notes: [
          `${early.length} instances followed, each followed again from another channel just before it ended, the second subscription stored while the final poll was replying to the first`,
        ],
      };
    },
  },
];

async function redisPartition(h: Harness, options: Options, end: 'heal' | 'reset'): Promise<RepliesOutcome> {
  const job = `f6_redis_${end}`;
  const proxy = h.proxy!;
  const bots = await h.spawnMany(2);
  const followed = await h.followMany(bots, job, 6, ['C0GENERAL']);
  const partitionMs = Math.max(options.faultMs, 3 * LOCK_MS);
  h.finish(followed.slice(0, 3));
  await sleep(300);
  proxy.pause();
  h.finish(followed.slice(3), 'fail');
  await sleep(partitionMs);
  if (end === 'reset') proxy.reset();
  proxy.resume();
  const tally = await settle(h.slack, followed, { timeoutMs: 40_000, quietMs: QUIET_MS });
  return {
    tally,
    checks: [{ what: 'no failed poll jobs', ok: (await failedPollJobs(h)) === 0, gate: true }],
    notes: [
      `every bot cut off from Redis for ${seconds(partitionMs)} (${partitionMs / LOCK_MS}× the lock) by the proxy, 0.3 s after 3 instances ended; 3 more ended during it; ${end === 'heal' ? 'then the held bytes flow again' : 'then every connection is reset'}; polls may run twice, replies may not`,
    ],
  };
}

async function dataArtsDown(
  h: Harness,
  options: Options,
  job: string,
  fault: { status?: 500; hang?: boolean },
): Promise<RepliesOutcome> {
  const bots = await h.spawnMany(2);
  const followed = await h.followMany(bots, job, 4, ['C0GENERAL']);
  const from = Date.now();
  h.sim.simulator.setFault(job, fault);
  h.finish(followed);
  await sleep(options.faultMs);
  const to = Date.now();
  h.sim.simulator.clearFaults();
  const tally = await settle(h.slack, followed, { timeoutMs: 20_000, quietMs: QUIET_MS });
  const rate = dlfRate(h, job, from, to);
  return {
    tally,
    checks: [
      {
        what: `${rate.toFixed(1)} DataArts calls/s during the fault (${followed.length} instances, backing off)`,
        ok: true,
        gate: false,
      },
      { what: 'no failed poll jobs', ok: (await failedPollJobs(h)) === 0, gate: true },
    ],
    notes: [`for ${seconds(options.faultMs)}, the instances ending as it began; delay ≈ the fault + backoff`],
  };
}
