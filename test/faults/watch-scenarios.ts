/**
 * The watch rows of the fault matrix: a channel watches a job (`/dlf-instance watch`), some of that job's
 * instances are also followed in another channel, and they all fail while the sweep is disturbed: its process
 * SIGKILLed mid-sweep, Redis restarted mid-sweep, the DataArts instance list answering 500 or 429. Counted: the
 * followed threads' end replies (the checker's tally) and one alert per failed instance in the watching channel
 * (a gated check: 0 missing, 0 duplicates).
 */
import { settle } from './checker';
import type { Bot, Harness } from './harness';
import { sleep } from './harness';
import type { Check, Options, RepliesOutcome, Scenario } from './scenarios';

export const WATCHING = 'C0WATCHING';
const QUIET_MS = 3_000;
const json = (value: unknown) => JSON.stringify(value);
const isList = (path: string) => path.endsWith('/jobs/instances/detail');

/** `/dlf-instance watch <pattern>` in the watching channel (its `job` made), resolved once the bot's note is there. */
export async function watch(h: Harness, bot: Bot, job: string, pattern = job): Promise<void> {
  h.addChannel(WATCHING);
  h.sim.simulator.addJob(job);
  const notes = () =>
    h.slack.messages(WATCHING).filter((m) => !m.threadTs && /is now watching/.test(m.text ?? ''));
  const before = notes().length;
  const answer = await bot.driver.command('/dlf-instance', `watch ${pattern}`, { channel: WATCHING });
  if (answer.status !== 200) throw new Error(`watch answered HTTP ${answer.status}`);
  await h.slack.waitFor(() => notes()[before], { timeoutMs: 20_000, what: `the note of watch ${pattern}` });
}

/** The bot's top-level messages in the watching channel naming instance `id` (a grouped storm names several). */
export function alertsFor(h: Harness, id: string): number {
  const named = new RegExp(`#${id}(?!\\d)`);
  return h.slack
    .messages(WATCHING)
    .filter((m) => !m.threadTs && named.test(`${m.text ?? ''} ${json(m.blocks ?? [])}`)).length;
}

/** Waits for an alert of each instance (or `timeoutMs`), then a quiet while for late duplicates; the gated check. */
export async function settleAlerts(h: Harness, ids: string[], timeoutMs: number): Promise<Check> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && ids.some((id) => alertsFor(h, id) === 0)) await sleep(100);
  await sleep(QUIET_MS);
  const counts = ids.map((id) => alertsFor(h, id));
  const missing = counts.filter((n) => n === 0).length;
  const duplicates = counts.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  return {
    what: `alerts: ${ids.length} failures, ${counts.filter((n) => n > 0).length} alerted, ${duplicates} duplicates, ${missing} missing`,
    ok: missing === 0 && duplicates === 0,
    gate: true,
  };
}

/**
 * Two bots; `job` watched in one channel, 4 of its instances followed in another and 4 more not followed;
 * `disturb` runs as they all fail and returns what it did, for the notes.
 */
async function watchedFailures(
  h: Harness,
  job: string,
  disturb: (bots: Bot[], fail: () => void) => Promise<string>,
  timeoutMs = 30_000,
  pattern = job,
): Promise<RepliesOutcome> {
  const bots = await h.spawnMany(2);
  await watch(h, bots[0]!, job, pattern);
  const runs = await failingRuns(h, bots, job);
  const note = await disturb(bots, runs.fail);
  const { tally, alerts } = await settleRuns(h, runs, timeoutMs);
  return {
    tally,
    checks: [alerts],
    notes: [`${runs.ids.length} failed (${runs.followed.length} followed); ${note}`],
  };
}

/** 4 runs of `job` followed in another channel and 4 not, all running; `fail` ends them all as failed. */
export async function failingRuns(h: Harness, bots: Bot[], job: string) {
  const followed = await h.followMany(bots, job, 4, ['C0GENERAL']);
  const unfollowed = Array.from({ length: 4 }, () => h.startRun(job));
  const ids = [...followed.map((f) => f.instanceId), ...unfollowed];
  const fail = () => {
    h.finish(followed, 'fail');
    for (const id of unfollowed) h.sim.simulator.finish(job, id, 'fail');
  };
  return { followed, ids, fail };
}

/** The followed threads' end replies and one alert per failed run, once they have settled. */
export async function settleRuns(
  h: Harness,
  runs: Awaited<ReturnType<typeof failingRuns>>,
  timeoutMs: number,
) {
  const [tally, alerts] = await Promise.all([
    settle(h.slack, runs.followed, { timeoutMs, quietMs: QUIET_MS }),
    settleAlerts(h, runs.ids, timeoutMs),
  ]);
  return { tally, alerts };
}

/** Waits until a sweep's list call hangs in the simulator (recorded with status 0) since `since`. */
async function listHanging(h: Harness, since: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!h.sim.simulator.calls.some((call) => call.at >= since && isList(call.path) && call.status === 0)) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a sweep to hang on the list');
    await sleep(25);
  }
}

export const WATCH_SCENARIOS: Scenario[] = [
  {
    id: 'W1',
    fault: 'Watch: SIGKILL the sweeping bots mid-sweep',
    async run(h) {
      return watchedFailures(h, 'w1_kill_mid_sweep', async (_bots, fail) => {
        fail();
        // The list hangs: whichever bot holds the sweep is inside it when every bot is killed.
        const since = Date.now();
        h.sim.simulator.setFault('*', { hang: true });
        await listHanging(h, since, 10_000);
        await h.killAll();
        h.sim.simulator.clearFaults();
        await h.spawn();
        return 'every bot SIGKILLed while a sweep waited on the list, one bot started after';
      });
    },
  },
  {
    id: 'W2',
    fault: 'Watch: Redis SIGKILLed and restarted mid-sweep (AOF)',
    async run(h) {
      return watchedFailures(
        h,
        'w2_redis_mid_sweep',
        async (_bots, fail) => {
          fail();
          await sleep(300);
          await h.redis.kill();
          await sleep(2_000);
          await h.redis.start();
          return 'Redis killed 0.3 s after the failures (a sweep due meanwhile), down 2 s';
        },
        40_000,
      );
    },
  },
  {
    id: 'W3',
    fault: 'Watch: DataArts list answering 500',
    async run(h, options: Options) {
      return watchedFailures(h, 'w3_list_500', async (_bots, fail) => {
        h.sim.simulator.setFault('*', { status: 500 });
        fail();
        await sleep(options.faultMs);
        h.sim.simulator.clearFaults();
        return `every DataArts call (the list too) answered 500 for ${(options.faultMs / 1000).toFixed(0)} s`;
      });
    },
  },
  {
    id: 'W4',
    fault: 'Watch: DataArts list answering 429 (Retry-After 2 s)',
    async run(h, options: Options) {
      return watchedFailures(h, 'w4_list_429', async (_bots, fail) => {
        const from = Date.now();
        h.sim.simulator.setFault('*', { throttle: { retryAfterSeconds: 2 } });
        fail();
        await sleep(options.faultMs);
        h.sim.simulator.clearFaults();
        const lists = h.sim.simulator.calls.filter((call) => call.at >= from && isList(call.path)).length;
        return `every DataArts call throttled for ${(options.faultMs / 1000).toFixed(0)} s; ${lists} list calls meanwhile (2 bots, one sweep at a time)`;
      });
    },
  },
  {
    id: 'W5',
    fault: 'Watch: rows the bot cannot act on ahead of the failures',
    async run(h) {
      return watchedFailures(
        h,
        'w5_orders',
        async (_bots, fail) => {
          // Watched by the same glob and ended first, so they head the channel's outbox: a job name no request
          // can carry (the sweep sets its row aside), and a job whose details never read (garbage).
          const quick = [{ name: 'n', type: 'Dummy', durationMs: 10, outcome: 'fail' as const }];
          // And at the head of every list answer, a failed row with no instanceId at all.
          h.sim.simulator.setFault('*', { unreadableRows: 1 });
          h.sim.simulator.addJob('w5_unreadable');
          h.sim.simulator.setFault('w5_unreadable', { garbage: true });
          h.sim.simulator.startRun('w5_unreadable', { nodes: quick });
          h.sim.simulator.setInstance({
            jobName: 'w5_bad name',
            instanceId: '990001',
            status: 'fail',
            planTime: Date.now(),
            startTime: Date.now(),
            endTime: Date.now() + 5,
            nodes: [],
          });
          await sleep(1_000);
          fail();
          return 'a row with no instanceId in every list answer, a row named "w5_bad name" and one whose details answer garbage, all failed and watched, ahead of them';
        },
        30_000,
        'w5_*',
      );
    },
  },
];
