/**
 * The poll engine at scale: many subscriptions on fewer running instances, spread over many channels, with one
 * bot process and then with several (each `node dist/app.js`, as `npm start` runs it) on one private Redis.
 * The DataArts simulator and the Slack stand-in run in the bench process. Subscriptions are seeded through the
 * project's own service (`Subscriptions.follow`, as an operator migration would), with their messages present in
 * the stand-in as the bot renders them; the bots then poll, update and reply as in production.
 *
 * Measured per process count: DataArts calls per poll round, Redis commands per poll (INFO commandstats), bot CPU
 * per poll (/proc), Redis memory per 1,000 subscriptions, and, when every instance ends within one second, the
 * delay from each end to each thread reply, duplicates and missing replies.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import Redis from 'ioredis';
import { createDataArtsClient, dataArtsSettingsFromEnv } from '../src/dataarts/config';
import type { JobInstance } from '../src/dataarts/model';
import { BullFollowEngine } from '../src/following/engine';
import { factsOf, instanceKey, type Subscription } from '../src/following/model';
import { Following } from '../src/following/service';
import { RedisSubscriptionStore } from '../src/following/store';
import { RedisWatchStore } from '../src/following/watch-store';
import { silentLogger } from '../src/logger';
import { DEMO_AK, DEMO_PROJECT_ID, DEMO_SK, type RunningSimulator, startSimulator } from '../src/simulator';
import { renderInstanceMessage } from '../src/slack/blocks/instance-message';
import { MemoryMessageRecords } from '../src/slack/message-records';
import { SlackOutlet } from '../src/slack/outlet';
import { createSlackWeb } from '../src/slack/web';
import { type RunningStandin, startSlackStandin } from '../src/slack-standin';
import { BOT_TOKEN } from '../test/helpers/bot';
import { type BotChild, spawnBot } from '../test/helpers/bot-process';
import { startRedis, type TestRedis } from '../test/helpers/redis';
import { ms, type Row, ratio, summarize } from './stats';

export interface PollScaleOptions {
  subscriptions: number;
  instances: number;
  channels: number;
  intervalSeconds: number;
  /** Bot process counts, one run each. */
  processes: number[];
  /** SLACK_UPDATES_PER_MINUTE of the bots: Slack's chat.update is Tier 3 (50+ a minute per workspace). */
  updatesPerMinute: number;
  appendfsync: 'always' | 'everysec';
  /** Poll rounds in the steady-state window. */
  rounds: number;
  /** How long the stand-in takes to answer chat.postMessage (real Slack: ~100–300 ms); 0 answers at once. */
  postLatencyMs: number;
  /** How long the simulator takes to answer each poll (real DataArts: ~100–300 ms); 0 answers at once. */
  dataartsLatencyMs: number;
}

export function pollScaleOptionsFromEnv(env: NodeJS.ProcessEnv): PollScaleOptions {
  const number = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
    return value;
  };
  const instances = number('BENCH_INSTANCES', 2_000);
  return {
    subscriptions: number('BENCH_SUBSCRIPTIONS', 10_000),
    instances,
    channels: number('BENCH_CHANNELS', instances),
    intervalSeconds: number('BENCH_POLL_INTERVAL_SECONDS', 5),
    processes: (env.BENCH_PROCESSES ?? '1,3').split(',').map((p) => number('BENCH_PROCESSES', Number(p))),
    updatesPerMinute: number('BENCH_UPDATES_PER_MINUTE', 45),
    appendfsync: env.BENCH_REDIS_FSYNC === 'always' ? 'always' : 'everysec',
    rounds: number('BENCH_ROUNDS', 2),
    postLatencyMs: Number(env.BENCH_SLACK_POST_LATENCY_MS ?? 0),
    dataartsLatencyMs: Number(env.BENCH_POLL_DLF_LATENCY_MS ?? 0),
  };
}

/** CPU seconds (user + system) the process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** Runs `work` over `items` with at most `parallel` at a time. */
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

function infoField(info: string, field: string): number {
  const match = new RegExp(`^${field}:(\\S+)`, 'm').exec(info);
  return match ? Number(match[1]) : Number.NaN;
}

/** Calls and microseconds per command since the last CONFIG RESETSTAT, without the bench's own INFO/CONFIG. */
function commandStats(info: string): Record<string, { calls: number; usec: number }> {
  const stats: Record<string, { calls: number; usec: number }> = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    const name = match[1]!;
    if (name === 'info' || name.startsWith('config')) continue;
    stats[name] = { calls: Number(match[2]), usec: Number(match[3]) };
  }
  return stats;
}

interface Followed {
  job: string;
  id: string;
  key: string;
}

interface PhaseResult {
  processes: number;
  polls: number;
  windowMs: number;
  meanGapMs: number;
  callsPerRound: number;
  /** DataArts calls per DLF_POLL_INTERVAL of wall time (more than per round: polls come at 80–100%). */
  callsPerInterval: number;
  distinctPolled: number;
  /** Two DataArts calls for one instance less than half an interval apart. */
  doublePolls: number;
  redisCommandsPerPoll: number;
  redisScriptsPerPoll: number;
  redisUsecPerPoll: number;
  redisCpuMsPerPoll: number;
  topCommands: [string, number][];
  botCpuMsPerPoll: number;
  redisBytesPerThousand: number;
  jsonBytesPerThousand: number;
  emptyUsedMemory: number;
  chatUpdatesBeforeEnd: number;
  endSpreadMs: number;
  delay: { p50: number; p99: number; max: number; n: number };
  /** End → the poll that saw it. */
  detection: { p50: number; p99: number; max: number; n: number };
  expected: number;
  delivered: number;
  duplicates: number;
  missing: number;
  botCpuMsPerReply: number;
  /** The bench process (simulator, stand-in) during the end phase, and how long that phase took. */
  benchCpuMsPerReply: number;
  endPhaseMs: number;
  memoryByKind: Record<string, { keys: number; bytes: number }>;
  callsPerRoundAfterEnd: number;
  messagesShowingEnd: number;
  seedMs: number;
  /** The machine's 1-minute load average at the start and the end of the run (shared machines). */
  loadAverage: [number, number];
}

/** One run: fresh Redis, simulator and stand-in, `processes` bots. */
async function phase(options: PollScaleOptions, processes: number): Promise<PhaseResult> {
  const intervalMs = options.intervalSeconds * 1000;
  const bots: BotChild[] = [];
  let redis: TestRedis | undefined;
  let sim: RunningSimulator | undefined;
  let slack: RunningStandin | undefined;
  let admin: Redis | undefined;
  let service: Following | undefined;
  const loadAtStart = os.loadavg()[0]!;
  try {
    redis = await startRedis({ appendfsync: options.appendfsync });
    sim = await startSimulator({ seed: false });
    slack = await startSlackStandin({ botToken: BOT_TOKEN, channels: [] });
    const { standin } = slack;
    const simulator = sim.simulator;
    admin = new Redis(redis.url);

    // Running instances (a quick node, then one that runs for an hour), over a quarter as many jobs.
    const jobs = Math.max(1, Math.round(options.instances / 4));
    const followed: Followed[] = [];
    for (let i = 0; i < options.instances; i++) {
      const job = `scale_job_${i % jobs}`;
      const id = simulator.startRun(job, {
        nodes: [
          { name: 'extract', type: 'CDMJob', durationMs: 1 },
          { name: 'load', type: 'DWS SQL', durationMs: 3_600_000 },
        ],
      });
      followed.push({ job, id, key: instanceKey({ job, instanceId: id }) });
    }
    for (let c = 0; c < options.channels; c++)
      standin.addChannel({ id: `CS${c}`, name: `scale-${c}`, kind: 'public', botIsMember: true });

    const dataarts = createDataArtsClient(
      dataArtsSettingsFromEnv({
        DLF_ENDPOINT: sim.url,
        DLF_PROJECT_ID: DEMO_PROJECT_ID,
        DLF_AK: DEMO_AK,
        DLF_SK: DEMO_SK,
      }),
    );
    await sleep(20); // the quick node has ended: every instance now shows one node done, one running
    const shown: JobInstance[] = new Array(followed.length);
    await inParallel(followed, 32, async (f, i) => {
      shown[i] = await dataarts.getInstance(f.job, f.id);
    });

    if (options.dataartsLatencyMs > 0) simulator.setFault('*', { latencyMs: options.dataartsLatencyMs });
    const settings = {
      intervalMs,
      maxAgeMs: 7 * 86_400_000,
      maxBackoffMs: 300_000,
      updatesPerMinute: options.updatesPerMinute,
      broadcastFailures: false,
      reconcileAfterMs: 15_000,
      sweepIntervalMs: intervalMs,
      windowMs: 86_400_000,
      catchupMs: 3_600_000,
    };
    const connection = new Redis(redis.url);
    const store = new RedisSubscriptionStore(connection);
    service = new Following({
      store,
      watches: new RedisWatchStore(connection),
      engine: new BullFollowEngine({
        redis: { mode: 'url', url: redis.url, tls: false },
        logger: silentLogger,
      }),
      dataarts,
      outlet: new SlackOutlet({
        web: createSlackWeb({ token: BOT_TOKEN, apiUrl: slack.apiUrl }),
        records: new MemoryMessageRecords(),
        logger: silentLogger,
      }),
      settings,
      logger: silentLogger,
    });

    // Subscription s follows instance s mod N, in channel ⌊s / (S/C)⌋: each channel follows several instances,
    // and each instance's subscribers sit in different channels. Their messages are what the bot would have
    // posted and updated on subscribing (rendered from the same instance, "Unsubscribe" button).
    const perChannel = Math.ceil(options.subscriptions / options.channels);
    const rendered = shown.map((instance) =>
      renderInstanceMessage(instance, { now: Date.now(), subscribed: true }),
    );
    const subscriptions: Subscription[] = [];
    const instanceOf = new Map<string, number>();
    for (let s = 0; s < options.subscriptions; s++) {
      const i = s % followed.length;
      const channel = `CS${Math.floor(s / perChannel) % options.channels}`;
      const message = standin.addMessage({
        channel,
        user: standin.workspace.bot.userId,
        text: rendered[i]!.text,
        blocks: structuredClone(rendered[i]!.blocks),
      });
      subscriptions.push({
        job: followed[i]!.job,
        instanceId: followed[i]!.id,
        channel,
        ts: message.ts,
        user: `U0SUB${s % 500}`,
        createdAt: Date.now(),
        permalink: standin.workspace.permalink(channel, message.ts),
      });
      instanceOf.set(`${channel}/${message.ts}`, i);
    }
    const jsonBytes = subscriptions.reduce((sum, s) => sum + Buffer.byteLength(JSON.stringify(s)), 0);

    const env = {
      REDIS_URL: redis.url,
      DLF_POLL_INTERVAL_SECONDS: String(options.intervalSeconds),
      SLACK_UPDATES_PER_MINUTE: String(options.updatesPerMinute),
      LOG_LEVEL: 'info',
      // For profiling (e.g. `--require` a script that starts the inspector's profiler); bots then stop gracefully.
      ...(process.env.BENCH_BOT_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_BOT_NODE_OPTIONS } : {}),
    };
    bots.push(...(await Promise.all(Array.from({ length: processes }, () => spawnBot(sim!, slack!, env)))));
    const emptyUsedMemory = infoField(await admin.info('memory'), 'used_memory');

    // Seeding through the service: store.add and the first poll scheduled within one interval.
    simulator.resetCalls();
    const seedStarted = Date.now();
    await inParallel(subscriptions, 50, async (s, n) => {
      await service!.follow(s, factsOf(shown[n % shown.length]!));
    });
    const seedMs = Date.now() - seedStarted;

    // Warm-up: every instance polled at least once, then one more interval.
    const polled = () => new Set(simulator.calls.map((call) => `${call.jobName}\n${call.instanceId}`)).size;
    const warmupDeadline = Date.now() + 10 * intervalMs + 60_000;
    while (polled() < followed.length && Date.now() < warmupDeadline) await sleep(200);
    await sleep(intervalMs + 500);

    // Steady state: `rounds` intervals.
    const windowMs = options.rounds * intervalMs;
    const callsBefore = simulator.calls.length;
    await admin.config('RESETSTAT');
    const redisCpuBefore = await redisCpu(admin);
    const cpuBefore = bots.map((bot) => cpuSeconds(bot.child.pid!));
    const windowStart = Date.now();
    await sleep(windowMs);
    const cpuAfter = bots.map((bot) => cpuSeconds(bot.child.pid!));
    const stats = commandStats(await admin.info('commandstats'));
    const redisCpuAfter = await redisCpu(admin);
    const windowEnd = Date.now();
    const usedMemory = infoField(await admin.info('memory'), 'used_memory');
    const memoryByKind = await memoryByKeyKind(admin);
    const windowCalls = simulator.calls
      .slice(callsBefore)
      .filter((call) => call.at >= windowStart && call.at < windowEnd);
    const polls = windowCalls.length;
    const chatUpdatesBeforeEnd = standin.calls('chat.update').length;

    // Gaps between successive calls for one instance, over everything since seeding.
    const byInstance = new Map<string, number[]>();
    for (const call of simulator.calls.filter((c) => c.at < windowEnd)) {
      const key = `${call.jobName}\n${call.instanceId}`;
      const list = byInstance.get(key) ?? [];
      list.push(call.at);
      byInstance.set(key, list);
    }
    const gaps: number[] = [];
    let doublePollsInWindow = 0;
    for (const times of byInstance.values())
      for (let g = 1; g < times.length; g++) {
        gaps.push(times[g]! - times[g - 1]!);
        if (times[g]! >= windowStart && times[g]! - times[g - 1]! < intervalMs / 2) doublePollsInWindow += 1;
      }
    const meanGapMs = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
    // Since seeding: a second call for one instance within half an interval would be a poll too many.
    const doublePolls = gaps.filter((gap) => gap < intervalMs / 2).length;
    const distinctPolled = new Set(windowCalls.map((call) => `${call.jobName}\n${call.instanceId}`)).size;

    const totalCommands = Object.values(stats).reduce((sum, s) => sum + s.calls, 0);
    const totalUsec = Object.values(stats).reduce((sum, s) => sum + s.usec, 0);
    const scripts = (stats.evalsha?.calls ?? 0) + (stats.eval?.calls ?? 0);
    const cpuMs = cpuAfter.reduce((sum, after, b) => sum + after - cpuBefore[b]!, 0) * 1000;

    // Every instance ends within one second; each subscribed thread must get exactly one reply.
    const replies = new Map<string, number[]>();
    const endedAt: number[] = new Array(followed.length);
    const unsubscribe = standin.subscribe((event) => {
      if (event.type !== 'message' || !event.message.threadTs) return;
      const thread = `${event.message.channel}/${event.message.threadTs}`;
      const list = replies.get(thread) ?? [];
      list.push(event.at);
      replies.set(thread, list);
    });
    if (options.postLatencyMs > 0) standin.fail('chat.postMessage', { delayMs: options.postLatencyMs });
    const cpuBeforeEnd = bots.map((bot) => cpuSeconds(bot.child.pid!));
    const benchCpuBeforeEnd = process.cpuUsage();
    const endStarted = Date.now();
    followed.forEach((f, i) => {
      simulator.finish(f.job, f.id, i % 10 === 0 ? 'fail' : 'success');
      endedAt[i] = Date.now();
    });
    const endSpreadMs = Date.now() - endStarted;
    const replyDeadline = Date.now() + 3 * intervalMs + 60_000;
    while (replies.size < subscriptions.length && Date.now() < replyDeadline) await sleep(100);
    const cpuEnd = bots.map((bot) => cpuSeconds(bot.child.pid!));
    const benchCpuEnd = process.cpuUsage(benchCpuBeforeEnd);
    const endPhaseMs = Date.now() - endStarted;
    // Late duplicates: keep listening a while; count DataArts calls meanwhile (nothing left to poll for?).
    const callsAfterEndFrom = simulator.calls.length;
    const settleStarted = Date.now();
    await sleep(intervalMs + 2_000);
    const callsPerRoundAfterEnd =
      ((simulator.calls.length - callsAfterEndFrom) * intervalMs) / (Date.now() - settleStarted);
    unsubscribe();

    const delays: number[] = [];
    let delivered = 0;
    let duplicates = 0;
    for (const [thread, times] of replies) {
      const i = instanceOf.get(thread);
      if (i === undefined) continue;
      delivered += 1;
      duplicates += times.length - 1;
      delays.push(times[0]! - endedAt[i]!);
    }
    // The baseline: end → the DataArts call that saw it (the poll cadence alone, without the replying).
    const firstCallAfterEnd = new Map<string, number>();
    for (const call of simulator.calls) {
      const key = `${call.jobName}\n${call.instanceId}`;
      if (call.at >= endStarted && !firstCallAfterEnd.has(key)) firstCallAfterEnd.set(key, call.at);
    }
    const detection = followed.map(
      (f, i) => (firstCallAfterEnd.get(`${f.job}\n${f.id}`) ?? NaN) - endedAt[i]!,
    );
    const messagesShowingEnd = subscriptions.filter(
      (s) => (standin.message(s.channel, s.ts)?.versions.at(-1)?.at ?? 0) >= endStarted,
    ).length;
    const replyCpuMs = cpuEnd.reduce((sum, after, b) => sum + after - cpuBeforeEnd[b]!, 0) * 1000;

    return {
      processes,
      polls,
      windowMs: windowEnd - windowStart,
      meanGapMs,
      // A round: each instance's own poll period (80–100% of the interval). Calls in one round are one per
      // instance polled, plus any second call for an instance within half an interval (per-subscription
      // polling would show here as four more per instance).
      callsPerRound: distinctPolled + doublePollsInWindow,
      callsPerInterval: (polls * intervalMs) / (windowEnd - windowStart),
      distinctPolled,
      doublePolls,
      redisCommandsPerPoll: totalCommands / polls,
      redisScriptsPerPoll: scripts / polls,
      redisUsecPerPoll: totalUsec / polls,
      redisCpuMsPerPoll: ((redisCpuAfter - redisCpuBefore) * 1000) / polls,
      topCommands: Object.entries(stats)
        .map(([name, s]): [string, number] => [name, Math.round((s.calls / polls) * 100) / 100])
        .sort((a, b) => b[1] - a[1])
        .slice(0, 40),
      botCpuMsPerPoll: cpuMs / polls,
      redisBytesPerThousand: ((usedMemory - emptyUsedMemory) * 1000) / options.subscriptions,
      jsonBytesPerThousand: (jsonBytes * 1000) / options.subscriptions,
      emptyUsedMemory,
      chatUpdatesBeforeEnd,
      endSpreadMs,
      delay: summarize(delays),
      detection: summarize(detection.filter((d) => !Number.isNaN(d))),
      expected: subscriptions.length,
      delivered,
      duplicates,
      missing: subscriptions.length - delivered,
      botCpuMsPerReply: replyCpuMs / Math.max(1, delivered),
      benchCpuMsPerReply: (benchCpuEnd.user + benchCpuEnd.system) / 1000 / Math.max(1, delivered),
      endPhaseMs,
      memoryByKind,
      callsPerRoundAfterEnd,
      messagesShowingEnd,
      seedMs,
      loadAverage: [loadAtStart, os.loadavg()[0]!],
    };
  } finally {
    if (process.env.BENCH_BOT_NODE_OPTIONS) await Promise.all(bots.map((bot) => stopGracefully(bot)));
    await Promise.all(bots.map((bot) => bot.kill()));
    await service?.stop().catch(() => undefined);
    admin?.disconnect();
    await Promise.all([sim?.close(), slack?.close()]);
    await redis?.stop();
  }
}

/** MEMORY USAGE summed per kind of key (ids and hashes replaced by *), where the bytes go. */
async function memoryByKeyKind(admin: Redis): Promise<Record<string, { keys: number; bytes: number }>> {
  const kinds: Record<string, { keys: number; bytes: number }> = {};
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'COUNT', 1000);
    cursor = next;
    const pipeline = admin.pipeline();
    for (const key of keys) pipeline.memory('USAGE', key, 'SAMPLES', '0');
    const sizes = (await pipeline.exec()) ?? [];
    keys.forEach((key, i) => {
      const kind = key
        .replace(/\[.*\]/, '*')
        .replace(/[0-9a-f]{20}/, '*')
        .replace(/:C\w+$|:U\w+$/, ':*');
      const entry = kinds[kind] ?? { keys: 0, bytes: 0 };
      entry.keys += 1;
      entry.bytes += Number(sizes[i]?.[1] ?? 0);
      kinds[kind] = entry;
    });
  } while (cursor !== '0');
  return kinds;
}

/** SIGTERM, and up to 10 s to exit (so that a profiler can write its profile). */
function stopGracefully(bot: BotChild): Promise<void> {
  const { child } = bot;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function redisCpu(admin: Redis): Promise<number> {
  const info = await admin.info('cpu');
  return infoField(info, 'used_cpu_user') + infoField(info, 'used_cpu_sys');
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const seconds = (milliseconds: number) => `${(milliseconds / 1000).toFixed(2)} s`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export async function pollScaleRows(
  options: PollScaleOptions,
): Promise<{ rows: Row[]; results: Record<string, unknown> }> {
  const phases: PhaseResult[] = [];
  for (const processes of options.processes) phases.push(await phase(options, processes));
  const intervalMs = options.intervalSeconds * 1000;
  const single = phases.find((p) => p.processes === 1) ?? phases[0]!;
  const scale = `${count(options.subscriptions)} subs on ${count(options.instances)} instances`;
  const rows: Row[] = [];
  for (const p of phases) {
    const who = `${p.processes} bot process${p.processes === 1 ? '' : 'es'}`;
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    rows.push(
      {
        measured: `DataArts calls per poll round, ${scale}, ${who}`,
        value: count(p.callsPerRound),
        baseline: 'naive: one per subscription',
        baselineValue: count(options.subscriptions),
        ratio: ratio(p.callsPerRound, options.subscriptions),
        target: `= running instances (${count(options.instances)}), ${p.doublePolls} double polls: ${met(
          p.callsPerRound === options.instances && p.doublePolls === 0,
        )}`,
      },
      {
        measured: `Poll period of an instance (mean gap between its DataArts calls), ${who}`,
        value: seconds(p.meanGapMs),
        baseline: 'DLF_POLL_INTERVAL_SECONDS (polls at 80–100%)',
        baselineValue: seconds(intervalMs),
        ratio: ratio(p.meanGapMs, intervalMs),
        target: `≤ interval: ${met(p.meanGapMs <= intervalMs)}`,
      },
      {
        measured: `Redis commands per poll (incl. inside Lua), ${who}`,
        value: `${p.redisCommandsPerPoll.toFixed(1)} (${p.redisScriptsPerPoll.toFixed(1)} scripts)`,
        baseline: 'one GET',
        baselineValue: '1',
        ratio: ratio(p.redisCommandsPerPoll, 1),
      },
      {
        measured: `Bot CPU per poll, ${who}`,
        value: ms(p.botCpuMsPerPoll),
        baseline: p === single ? '' : '1 bot process',
        baselineValue: p === single ? '' : ms(single.botCpuMsPerPoll),
        ratio: p === single ? '' : ratio(p.botCpuMsPerPoll, single.botCpuMsPerPoll),
      },
      {
        measured: `chat.update before anything changed (messages already current), ${who}`,
        value: count(p.chatUpdatesBeforeEnd),
        baseline: 'needed',
        baselineValue: '0',
        ratio: '',
      },
      {
        measured: `Redis memory per 1,000 subscriptions, ${who}`,
        value: kib(p.redisBytesPerThousand),
        baseline: 'their JSON',
        baselineValue: kib(p.jsonBytesPerThousand),
        ratio: ratio(p.redisBytesPerThousand, p.jsonBytesPerThousand),
      },
      {
        measured: `All ${count(options.instances)} end within ${ms(p.endSpreadMs)}: end → thread reply p50 / p99 / max, ${who} (load average ${p.loadAverage.map((l) => l.toFixed(1)).join(' → ')})`,
        value: `${seconds(p.delay.p50)} / ${seconds(p.delay.p99)} / ${seconds(p.delay.max)}`,
        baseline: 'end → the poll that saw it, p99',
        baselineValue: seconds(p.detection.p99),
        ratio: ratio(p.delay.p99, p.detection.p99),
        target: `p99 ≤ interval (${options.intervalSeconds} s) + 2 s: ${met(p.delay.p99 <= intervalMs + 2_000)}`,
      },
      {
        measured: `Bot CPU per thread reply while all end at once, ${who}`,
        value: ms(p.botCpuMsPerReply),
        baseline: p === single ? '' : '1 bot process',
        baselineValue: p === single ? '' : ms(single.botCpuMsPerReply),
        ratio: p === single ? '' : ratio(p.botCpuMsPerReply, single.botCpuMsPerReply),
      },
      {
        measured: `Replies delivered / duplicates / missing, ${who}`,
        value: `${count(p.delivered)} / ${p.duplicates} / ${count(p.missing)}`,
        baseline: 'subscribed threads',
        baselineValue: count(p.expected),
        ratio: ratio(p.delivered, p.expected),
        target: `0 duplicates, 0 missing: ${met(p.duplicates === 0 && p.missing === 0)}`,
      },
      {
        measured: `DataArts calls per round after every reply, ${who}`,
        value: `${count(p.callsPerRoundAfterEnd)} (${count(p.messagesShowingEnd)} of ${count(p.expected)} messages updated yet)`,
        baseline: 'running instances',
        baselineValue: '0',
        ratio: '',
        target: 'messages wait for the chat.update budget; DataArts is not asked again',
      },
    );
  }
  const perChannel = Math.ceil(options.subscriptions / options.channels);
  rows.push({
    measured: `Slack rate limits in these rows (${count(options.channels)} channels, ${perChannel} followed messages each)`,
    value: `stand-in enforces none; bot's chat.update budget ${options.updatesPerMinute}/min`,
    baseline: 'Slack',
    baselineValue: 'postMessage ~1/s per channel (bursts allowed), chat.update Tier 3 (~50/min)',
    ratio: '',
    target: `real Slack may add up to ~${perChannel - 1} s to a channel's last reply; all messages show the end after ~${Math.ceil(options.subscriptions / options.updatesPerMinute)} min`,
  });
  return { rows, results: { pollScale: { options, phases } } };
}
