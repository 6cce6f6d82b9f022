/**
 * Following and watching at scale, with one bot process (`node dist/app.js`, as `npm start` runs it) at its default
 * settings on a private Redis: 2,000 followed running instances and 500 watched jobs in one workspace. The DataArts
 * simulator and the Slack stand-in run in the bench process. Subscriptions and watches are seeded through the
 * project's own service (`Following.follow`, `Following.watch`, as an operator migration would), the subscribed
 * messages present in the stand-in as the bot renders them.
 *
 * Measured: DataArts calls per sweep round (the list, and node refreshes of followed messages), against what the
 * per-instance engine the sweep replaced made (one call per followed instance and per watched job each round);
 * end → thread reply and end → watch alert, p50 and p99, for instances ending at random moments, against the
 * sweep's own cadence; Redis bytes per watch, per followed message and per row of the watch ledger; bot CPU per
 * sweep round.
 */
import Redis from 'ioredis';
import { createDataArtsClient, dataArtsSettingsFromEnv } from '../src/dataarts/config';
import type { JobInstance } from '../src/dataarts/model';
import { BullFollowEngine } from '../src/following/engine';
import { factsOf, type Subscription, type Watch, watchId } from '../src/following/model';
import { Following } from '../src/following/service';
import { RedisSubscriptionStore } from '../src/following/store';
import { RedisWatchStore } from '../src/following/watch-store';
import { silentLogger } from '../src/logger';
import { DEMO_AK, DEMO_PROJECT_ID, DEMO_SK, startSimulator } from '../src/simulator';
import { renderInstanceMessage } from '../src/slack/blocks/instance-message';
import { MemoryMessageRecords } from '../src/slack/message-records';
import { SlackOutlet } from '../src/slack/outlet';
import { createSlackWeb } from '../src/slack/web';
import { startSlackStandin } from '../src/slack-standin';
import { BOT_TOKEN } from '../test/helpers/bot';
import { spawnBot } from '../test/helpers/bot-process';
import { startRedis } from '../test/helpers/redis';
import { cpuSeconds, ms, type Row, ratio, summarize } from './stats';

export interface SweepScaleOptions {
  followed: number;
  watchedJobs: number;
  /** Instances that end at random moments during the latency measurement (each followed, each of a watched job). */
  ends: number;
  /** Sweep rounds in the steady-state window. */
  rounds: number;
  /** Followed instances of jobs nobody watches that end at once, for the CPU per thread reply. */
  burst: number;
}

export function sweepScaleOptionsFromEnv(env: NodeJS.ProcessEnv): SweepScaleOptions {
  const number = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number`);
    return value;
  };
  return {
    followed: number('BENCH_FOLLOWED', 2_000),
    watchedJobs: number('BENCH_WATCHED_JOBS', 500),
    ends: number('BENCH_ENDS', 100),
    rounds: number('BENCH_ROUNDS', 3),
    burst: number('BENCH_REPLY_BURST', 100),
  };
}

/** The bot's defaults (src/config.ts): a sweep every 10 s, node refreshes every 10 s, 45 updates a minute. */
const INTERVAL_MS = 10_000;
const UPDATES_PER_MINUTE = 45;

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

async function inParallel<T>(items: T[], parallel: number, work: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i]!, i);
      }
    }),
  );
}

async function usedMemory(admin: Redis): Promise<number> {
  return Number(/^used_memory:(\d+)/m.exec(await admin.info('memory'))?.[1]);
}

interface SweepScaleResult {
  listCallsPerRound: number;
  refreshCallsPerRound: number;
  otherCallsPerRound: number;
  botCpuMsPerRound: number;
  /** Bot CPU per thread reply, the steady window's rate taken off. */
  botCpuMsPerReply: number;
  burst: { ends: number; delivered: number; elapsedMs: number };
  reply: { p50: number; p99: number; max: number; n: number };
  alert: { p50: number; p99: number; max: number; n: number };
  /** End → the first list call after it: the sweep's cadence alone. */
  detection: { p50: number; p99: number; max: number; n: number };
  replies: { delivered: number; duplicates: number; missing: number };
  alerts: { delivered: number; duplicates: number; missing: number };
  bytesPerWatch: number;
  bytesPerFollowed: number;
  bytesPerLedgerRow: number;
  ledgerRows: number;
}

async function measure(options: SweepScaleOptions): Promise<SweepScaleResult> {
  const redis = await startRedis();
  const sim = await startSimulator({ seed: false });
  const slack = await startSlackStandin({ botToken: BOT_TOKEN, channels: [] });
  const admin = new Redis(redis.url);
  const connection = new Redis(redis.url);
  const engine = new BullFollowEngine({
    redis: { mode: 'url', url: redis.url, tls: false },
    logger: silentLogger,
  });
  let child: Awaited<ReturnType<typeof spawnBot>> | undefined;
  try {
    const { standin } = slack;
    const { simulator } = sim;
    const jobs = Array.from({ length: options.watchedJobs }, (_, j) => `watched_job_${j}`);
    // Running instances spread over the watched jobs: a quick node, then one that runs for an hour.
    const followed = Array.from({ length: options.followed }, (_, i) => {
      const job = jobs[i % jobs.length]!;
      const id = simulator.startRun(job, {
        nodes: [
          { name: 'extract', type: 'CDMJob', durationMs: 1 },
          { name: 'load', type: 'DWS SQL', durationMs: 3_600_000 },
        ],
      });
      return { job, id };
    });
    const followChannels = Math.ceil(options.followed / 10);
    const watchChannels = Math.ceil(options.watchedJobs / 10);
    for (let c = 0; c < followChannels; c++)
      standin.addChannel({ id: `CF${c}`, name: `follow-${c}`, kind: 'public', botIsMember: true });
    for (let c = 0; c < watchChannels; c++)
      standin.addChannel({ id: `CW${c}`, name: `watch-${c}`, kind: 'public', botIsMember: true });

    const dataarts = createDataArtsClient(
      dataArtsSettingsFromEnv({
        DLF_ENDPOINT: sim.url,
        DLF_PROJECT_ID: DEMO_PROJECT_ID,
        DLF_AK: DEMO_AK,
        DLF_SK: DEMO_SK,
      }),
    );
    await sleep(20);
    const shown: JobInstance[] = new Array(followed.length);
    await inParallel(followed, 32, async (f, i) => {
      shown[i] = await dataarts.getInstance(f.job, f.id);
    });
    const service = new Following({
      store: new RedisSubscriptionStore(connection),
      watches: new RedisWatchStore(connection),
      engine,
      dataarts,
      outlet: new SlackOutlet({
        web: createSlackWeb({ token: BOT_TOKEN, apiUrl: slack.apiUrl }),
        records: new MemoryMessageRecords(),
        logger: silentLogger,
      }),
      settings: {
        intervalMs: INTERVAL_MS,
        maxAgeMs: 7 * 86_400_000,
        maxBackoffMs: 300_000,
        updatesPerMinute: UPDATES_PER_MINUTE,
        broadcastFailures: false,
        reconcileAfterMs: 15_000,
        sweepIntervalMs: INTERVAL_MS,
        windowMs: 86_400_000,
        maxListPages: 20,
        catchupMs: 3_600_000,
      },
      logger: silentLogger,
    });

    // Watches first (every end after them is theirs), each job in one of the watch channels, on every end.
    const empty = await usedMemory(admin);
    const now = Date.now();
    const watchChannelOf = (job: number) => `CW${Math.floor(job / 10)}`;
    await inParallel(jobs, 20, async (job, j) => {
      const channel = watchChannelOf(j);
      const watch: Watch = {
        id: watchId(channel, undefined, job),
        channel,
        pattern: job,
        mode: 'end',
        user: 'U0LEAD',
        createdAt: now,
      };
      await service.watch(watch);
    });
    const afterWatches = await usedMemory(admin);

    const subscriptions: Subscription[] = [];
    const threadOf = new Map<string, number>();
    followed.forEach((f, i) => {
      const channel = `CF${Math.floor(i / 10)}`;
      const rendered = renderInstanceMessage(shown[i]!, { now: Date.now(), subscribed: true });
      const message = standin.addMessage({
        channel,
        user: standin.workspace.bot.userId,
        text: rendered.text,
        blocks: structuredClone(rendered.blocks),
      });
      subscriptions.push({
        job: f.job,
        instanceId: f.id,
        channel,
        ts: message.ts,
        user: `U0SUB${i % 500}`,
        createdAt: Date.now(),
        permalink: standin.workspace.permalink(channel, message.ts),
      });
      threadOf.set(`${channel}/${message.ts}`, i);
    });
    await inParallel(subscriptions, 50, async (s, i) => {
      await service.follow(s, factsOf(shown[i]!));
    });
    const afterFollows = await usedMemory(admin);

    // One bot at its defaults.
    child = await spawnBot(sim, slack, {
      REDIS_URL: redis.url,
      LOG_LEVEL: process.env.BENCH_DEBUG ? 'debug' : 'info',
      SLACK_UPDATES_PER_MINUTE: String(UPDATES_PER_MINUTE),
    });
    const pid = child.child.pid!;
    // Warm-up: the first sweeps write the ledger (every row is new to it) and look at what changed.
    await sleep(2 * INTERVAL_MS + 1_000);
    const beforeLedger = await usedMemory(admin);
    const ledgerRows = options.followed;

    // Steady state: nothing ends.
    const cpuBefore = cpuSeconds(pid);
    const windowStart = Date.now();
    await sleep(options.rounds * INTERVAL_MS);
    const windowMs = Date.now() - windowStart;
    const cpuMs = (cpuSeconds(pid) - cpuBefore) * 1000;
    const windowEnd = windowStart + windowMs;
    const window = simulator.calls.filter((call) => call.at >= windowStart && call.at < windowEnd);
    const perRound = (n: number) => (n * INTERVAL_MS) / windowMs;
    const isList = (path: string) => path.endsWith('/jobs/instances/detail');
    const isDetail = (path: string) => /\/jobs\/[^/]+\/instances\/[^/]+$/.test(path);
    const listCalls = window.filter((call) => isList(call.path)).length;
    const detailCalls = window.filter((call) => isDetail(call.path)).length;
    const refreshed = new Set(window.filter((call) => isDetail(call.path)).map((call) => call.instanceId))
      .size;
    if (process.env.BENCH_DEBUG) console.error({ detailCalls, refreshed, list: listCalls, windowMs });

    // Ends at random moments over three rounds, each instance followed in its own thread and of a watched job.
    const replies = new Map<string, number[]>();
    const posted: { at: number; content: string }[] = [];
    const watchChannelIds = new Set(Array.from({ length: watchChannels }, (_, c) => `CW${c}`));
    const stopListening = standin.subscribe((event) => {
      if (event.type !== 'message') return;
      const { message } = event;
      if (message.threadTs && message.channel.startsWith('CF')) {
        const thread = `${message.channel}/${message.threadTs}`;
        replies.set(thread, [...(replies.get(thread) ?? []), event.at]);
      } else if (!message.threadTs && watchChannelIds.has(message.channel)) {
        posted.push({
          at: event.at,
          content: `${message.text ?? ''} ${JSON.stringify(message.blocks ?? [])}`,
        });
      }
    });
    // Distinct jobs, two ends per watch channel at most (a storm is not what is measured here).
    const ends = Math.min(options.ends, jobs.length, followed.length);
    const stride = Math.max(1, Math.floor(jobs.length / ends));
    const perJob = Math.max(1, Math.floor(followed.length / jobs.length));
    const picks = Array.from({ length: ends }, (_, k) => k * stride + jobs.length * (k % perJob));
    const alertTimes = (id: string) => {
      const named = new RegExp(`#${id}(?!\\d)`);
      return posted.filter((p) => named.test(p.content)).map((p) => p.at);
    };
    const endedAt = new Map<number, number>();
    const endsStarted = Date.now();
    await Promise.all(
      picks.map(async (i, k) => {
        await sleep(Math.random() * 3 * INTERVAL_MS);
        simulator.finish(followed[i]!.job, followed[i]!.id, k % 3 === 0 ? 'fail' : 'success');
        endedAt.set(i, Date.now());
      }),
    );
    const deadline = Date.now() + 2 * INTERVAL_MS + 20_000;
    const alertCount = () => picks.filter((i) => alertTimes(followed[i]!.id).length > 0).length;
    while ((replies.size < picks.length || alertCount() < picks.length) && Date.now() < deadline)
      await sleep(200);
    await sleep(INTERVAL_MS); // late duplicates
    stopListening();

    const replyDelays: number[] = [];
    let replyDuplicates = 0;
    for (const [thread, times] of replies) {
      const i = threadOf.get(thread);
      if (i === undefined || !endedAt.has(i)) continue;
      replyDelays.push(times[0]! - endedAt.get(i)!);
      replyDuplicates += times.length - 1;
    }
    const alertDelays: number[] = [];
    let alertDuplicates = 0;
    for (const i of picks) {
      const times = alertTimes(followed[i]!.id);
      if (times.length === 0) continue;
      alertDelays.push(times[0]! - endedAt.get(i)!);
      alertDuplicates += times.length - 1;
    }
    const listTimes = simulator.calls.filter((c) => c.at >= endsStarted && isList(c.path)).map((c) => c.at);

    // CPU per thread reply: followed instances of jobs nobody watches any more end at once (one instance a job,
    // none of the jobs ended above); the bot's CPU from the sweep that sees them until their last reply, less
    // what the same time costs with nothing ending (the steady window's rate). Their parents' chat.update, paced
    // by the update budget, may come after and is not in it.
    const burstJobs = jobs
      .map((_, j) => j)
      .filter((j) => j % stride === 1 % stride && j < followed.length && !picks.includes(j))
      .slice(0, options.burst);
    await inParallel(burstJobs, 20, async (j) => {
      await service.unwatch(watchId(watchChannelOf(j), undefined, jobs[j]!));
    });
    await sleep(INTERVAL_MS);
    const burstThreads = new Map(
      burstJobs.map((j) => [`${subscriptions[j]!.channel}/${subscriptions[j]!.ts}`, 0]),
    );
    const stopCounting = standin.subscribe((event) => {
      if (event.type !== 'message' || !event.message.threadTs) return;
      const thread = `${event.message.channel}/${event.message.threadTs}`;
      const seen = burstThreads.get(thread);
      if (seen !== undefined) burstThreads.set(thread, seen + 1);
    });
    const finishedAt = Date.now();
    for (const j of burstJobs) simulator.finish(followed[j]!.job, followed[j]!.id, 'success');
    // Counted from the sweep that sees them (the wait for it is idle time, whose noise would swamp the figure).
    const burstDeadline = Date.now() + 3 * INTERVAL_MS + 30_000;
    const sweptSince = () => simulator.calls.some((call) => call.at >= finishedAt && isList(call.path));
    while (!sweptSince() && Date.now() < burstDeadline) await sleep(2);
    const burstCpuBefore = cpuSeconds(pid);
    const burstStarted = Date.now();
    const repliedCount = () => [...burstThreads.values()].filter((n) => n > 0).length;
    while (repliedCount() < burstJobs.length && Date.now() < burstDeadline) await sleep(20);
    const burstElapsedMs = Date.now() - burstStarted;
    const burstCpuMs = (cpuSeconds(pid) - burstCpuBefore) * 1000;
    stopCounting();
    const burstReplies = repliedCount();
    const detection = picks
      .map((i) => (listTimes.find((at) => at >= endedAt.get(i)!) ?? Number.NaN) - endedAt.get(i)!)
      .filter((d) => !Number.isNaN(d));

    if (process.env.BENCH_DEBUG) {
      const stages = picks.map((i) => {
        const end = endedAt.get(i)!;
        const list = listTimes.find((at) => at >= end) ?? Number.NaN;
        const detail =
          simulator.calls.find((c) => c.at >= end && isDetail(c.path) && c.instanceId === followed[i]!.id)
            ?.at ?? Number.NaN;
        const thread = `${subscriptions[i]!.channel}/${subscriptions[i]!.ts}`;
        return [
          list - end,
          detail - list,
          (replies.get(thread)?.[0] ?? Number.NaN) - detail,
          (alertTimes(followed[i]!.id)[0] ?? Number.NaN) - detail,
        ];
      });
      const swept = child
        .output()
        .split('\n')
        .filter((line) => line.includes('"swept"'));
      console.error(swept.slice(-12).join('\n'));
      for (let s = 0; s < 4; s++)
        console.error(
          ['end→list', 'list→detail', 'detail→reply', 'detail→alert'][s],
          summarize(stages.map((x) => x[s]!).filter((v) => !Number.isNaN(v))),
        );
    }
    return {
      listCallsPerRound: perRound(listCalls),
      refreshCallsPerRound: perRound(detailCalls),
      otherCallsPerRound: perRound(window.length - listCalls - detailCalls),
      botCpuMsPerRound: perRound(cpuMs),
      botCpuMsPerReply: (burstCpuMs - (cpuMs / windowMs) * burstElapsedMs) / Math.max(1, burstReplies),
      burst: { ends: burstJobs.length, delivered: burstReplies, elapsedMs: burstElapsedMs },
      reply: summarize(replyDelays),
      alert: summarize(alertDelays),
      detection: summarize(detection),
      replies: {
        delivered: replyDelays.length,
        duplicates: replyDuplicates,
        missing: picks.length - replyDelays.length,
      },
      alerts: {
        delivered: alertDelays.length,
        duplicates: alertDuplicates,
        missing: picks.length - alertDelays.length,
      },
      bytesPerWatch: (afterWatches - empty) / options.watchedJobs,
      bytesPerFollowed: (afterFollows - afterWatches) / options.followed,
      bytesPerLedgerRow: Math.max(0, beforeLedger - afterFollows) / ledgerRows,
      ledgerRows,
    };
  } finally {
    await child?.kill();
    await engine.stop(true).catch(() => undefined);
    admin.disconnect();
    connection.disconnect();
    await Promise.all([sim.close(), slack.close()]);
    await redis.stop();
  }
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const seconds = (milliseconds: number) => `${(milliseconds / 1000).toFixed(2)} s`;
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

export async function sweepScaleRows(
  options: SweepScaleOptions,
): Promise<{ rows: Row[]; results: Record<string, unknown> }> {
  const r = await measure(options);
  const load = `${count(options.followed)} followed instances, ${count(options.watchedJobs)} watched jobs, one workspace`;
  const perInstance = options.followed + options.watchedJobs;
  const total = r.listCallsPerRound + r.refreshCallsPerRound + r.otherCallsPerRound;
  const rows: Row[] = [
    {
      measured: `DataArts list calls per sweep round (the sweep), ${load}`,
      value: r.listCallsPerRound.toFixed(1),
      baseline: 'per-instance engine: a GET per followed instance, a list per watched job',
      baselineValue: count(perInstance),
      ratio: ratio(r.listCallsPerRound, perInstance),
      target: `≤ 3 per round per workspace: ${met(r.listCallsPerRound <= 3)}`,
    },
    {
      measured: 'DataArts calls per round in all: the sweep + node refreshes of followed messages',
      value: `${total.toFixed(1)} (${r.refreshCallsPerRound.toFixed(1)} refreshes, ${r.otherCallsPerRound.toFixed(1)} other)`,
      baseline: 'per-instance engine',
      baselineValue: count(perInstance),
      ratio: ratio(total, perInstance),
      target: `refreshes bounded by the chat.update budget (${UPDATES_PER_MINUTE}/min = ${Math.floor((UPDATES_PER_MINUTE * INTERVAL_MS) / 60_000)} a round), not by what is followed`,
    },
    {
      measured: `End → thread reply p50 / p99 / max, ${r.reply.n} ends at random moments, defaults (sweep every 10 s)`,
      value: `${seconds(r.reply.p50)} / ${seconds(r.reply.p99)} / ${seconds(r.reply.max)}`,
      baseline: 'end → the sweep that saw it p50 / p99',
      baselineValue: `${seconds(r.detection.p50)} / ${seconds(r.detection.p99)}`,
      ratio: ratio(r.reply.p99, r.detection.p99),
      target: `p50 ≤ 6 s, p99 ≤ 12 s: ${met(r.reply.p50 <= 6_000 && r.reply.p99 <= 12_000)}`,
    },
    {
      measured: `End → watch alert p50 / p99 / max, same ends (each of a watched job, its own channel)`,
      value: `${seconds(r.alert.p50)} / ${seconds(r.alert.p99)} / ${seconds(r.alert.max)}`,
      baseline: 'end → the sweep that saw it p50 / p99',
      baselineValue: `${seconds(r.detection.p50)} / ${seconds(r.detection.p99)}`,
      ratio: ratio(r.alert.p99, r.detection.p99),
      target: `p50 ≤ 6 s, p99 ≤ 12 s: ${met(r.alert.p50 <= 6_000 && r.alert.p99 <= 12_000)}`,
    },
    {
      measured: 'Thread replies / alerts: delivered, duplicates, missing',
      value: `${r.replies.delivered}/${r.replies.duplicates}/${r.replies.missing}, ${r.alerts.delivered}/${r.alerts.duplicates}/${r.alerts.missing}`,
      baseline: 'ends',
      baselineValue: String(r.reply.n + r.replies.missing),
      ratio: '',
      target: `0 duplicates, 0 missing: ${met(r.replies.duplicates + r.replies.missing + r.alerts.duplicates + r.alerts.missing === 0)}`,
    },
    {
      measured: 'Redis bytes per watch / per followed message / per watch-ledger row',
      value: `${count(r.bytesPerWatch)} / ${count(r.bytesPerFollowed)} / ${count(r.bytesPerLedgerRow)}`,
      baseline: 'ledger rows (instances in the 24 h window)',
      baselineValue: count(r.ledgerRows),
      ratio: '',
    },
    {
      measured: 'Bot CPU per sweep round, nothing ending',
      value: ms(r.botCpuMsPerRound),
      baseline: 'the round',
      baselineValue: ms(INTERVAL_MS),
      ratio: ratio(r.botCpuMsPerRound, INTERVAL_MS),
    },
    {
      measured: `Bot CPU per thread reply (${r.burst.delivered} of ${r.burst.ends} followed instances of as many jobs ending at once, replied ${seconds(r.burst.elapsedMs)} after the sweep that saw them)`,
      value: ms(r.botCpuMsPerReply),
      baseline: 'the same time with nothing ending, taken off',
      baselineValue: '',
      ratio: '',
      target: `≤ 0.5 ms (issue 14): ${met(r.botCpuMsPerReply <= 0.5)}`,
    },
  ];
  return { rows, results: { sweepScale: { options, ...r } } };
}
