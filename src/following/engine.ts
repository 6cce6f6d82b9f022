/**
 * Runs following's work on time, in any bot process: the sweep of each workspace (one at a time, again every
 * interval), a look at a followed instance, the announcement of an instance end, and the drain of a channel's
 * outbox. Each piece of work has a key (the workspace, the instance, the end, the channel): work already waiting
 * for a key is not added twice, and work that says "again in N ms" is put back to wait that long.
 *
 * With Redis: BullMQ, one queue, one job per key. Its locks give each job to one process at a time, and a process
 * killed mid-job loses its lock, so another process takes it over. A watchdog in every process makes sure every
 * workspace with something followed or watched has its sweep. Without Redis: timers in this process.
 */
import { DelayedError, type Job, Queue, Worker } from 'bullmq';
import type { Logger } from '../logger';
import type { QueueStats } from '../metrics/metrics';
import { connectRedis, type RedisConnection, type RedisSettings } from '../redis/connection';
import { closeBull } from '../support/bullmq';
import { throttledWarn } from '../support/throttled-log';
import type { EndSeen } from './announcer';
import type { LogRequest } from './log-follow-up';
import { instanceHash } from './model';
import type { PollOutcome } from './poller';

export type WorkKind = 'sweep' | 'poll' | 'announce' | 'drain' | 'log';

/** What each kind of work is given. */
export interface WorkData {
  sweep: { workspace: string };
  poll: { key: string };
  announce: { end: EndSeen };
  drain: { channel: string };
  log: { request: LogRequest };
}

export interface Handlers {
  sweep(workspace: string): Promise<PollOutcome>;
  poll(key: string): Promise<PollOutcome>;
  announce(end: EndSeen): Promise<PollOutcome>;
  drain(channel: string): Promise<PollOutcome>;
  log(request: LogRequest): Promise<PollOutcome>;
}

export interface FollowEngine {
  readonly name: string;
  /** Starts running work here; `workspaces` lists every workspace that must be swept (for the watchdog). */
  start(handlers: Handlers, workspaces: () => Promise<string[]>): Promise<void>;
  /** Adds work for a key unless some is waiting; `now` also brings waiting work forward. */
  add<K extends WorkKind>(
    kind: K,
    data: WorkData[K],
    options?: { delayMs?: number; now?: boolean },
  ): Promise<void>;
  /** False while its store (Redis) cannot be reached. */
  reachable(): boolean;
  /** The queue's counts and lag, for the metrics (engines without a queue have none). */
  stats?(now: number): Promise<QueueStats>;
  /** `force`: give up on work in flight and drop connections at once (the stop deadline has passed). */
  stop(force?: boolean): Promise<void>;
}

/** The key of a piece of work: BullMQ job ids may not contain ':' and must not be only digits. */
export function workId<K extends WorkKind>(kind: K, data: WorkData[K]): string {
  const subject =
    kind === 'sweep'
      ? (data as WorkData['sweep']).workspace
      : kind === 'poll'
        ? (data as WorkData['poll']).key
        : kind === 'drain'
          ? (data as WorkData['drain']).channel
          : kind === 'log'
            ? (data as WorkData['log']).request.key
            : (() => {
                const { end } = data as WorkData['announce'];
                return JSON.stringify([
                  end.workspace,
                  end.job,
                  end.instanceId,
                  end.status,
                  end.endTime ?? end.at,
                ]);
              })();
  return `${kind}-${instanceHash(`${kind}\n${subject}`)}`;
}

function dispatch(handlers: Handlers, kind: WorkKind, data: unknown): Promise<PollOutcome> {
  switch (kind) {
    case 'sweep':
      return handlers.sweep((data as WorkData['sweep']).workspace);
    case 'poll':
      return handlers.poll((data as WorkData['poll']).key);
    case 'announce':
      return handlers.announce((data as WorkData['announce']).end);
    case 'drain':
      return handlers.drain((data as WorkData['drain']).channel);
    case 'log':
      return handlers.log((data as WorkData['log']).request);
  }
}

export interface BullEngineOptions {
  redis: RedisSettings;
  logger: Logger;
  /** How long a job's lock lasts; a killed process delays its work by about this much. */
  lockMs?: number;
  concurrency?: number;
  watchdogMs?: number;
  prefix?: string;
}

const QUEUE = 'dlf-follow';

export class BullFollowEngine implements FollowEngine {
  readonly name = 'BullMQ on Redis';
  private readonly queueConnection: RedisConnection;
  private readonly queue: Queue;
  private worker?: Worker;
  private workerConnection?: RedisConnection;
  private watchdog?: NodeJS.Timeout;
  private readonly lockMs: number;

  constructor(private readonly options: BullEngineOptions) {
    this.lockMs = options.lockMs ?? 30_000;
    // Producers fail fast; the worker's own connection waits out Redis outages.
    this.queueConnection = connectRedis(options.redis, { maxRetriesPerRequest: 3, enableOfflineQueue: true });
    const queueWarn = throttledWarn(options.logger, 'redis (work queue) error');
    this.queueConnection.on('error', (error) => queueWarn({ err: error.message }));
    this.queue = new Queue(QUEUE, { connection: this.queueConnection, prefix: options.prefix ?? '{dlfbot}' });
    this.queue.on('error', (error) => queueWarn({ err: error.message }));
  }

  reachable(): boolean {
    return this.queueConnection.status === 'ready' && (this.workerConnection?.status ?? 'ready') === 'ready';
  }

  async start(handlers: Handlers, workspaces: () => Promise<string[]>): Promise<void> {
    const { logger } = this.options;
    const workerConnection = connectRedis(this.options.redis, { maxRetriesPerRequest: null });
    this.workerConnection = workerConnection;
    const workerWarn = throttledWarn(logger, 'redis (work worker) error');
    workerConnection.on('error', (error) => workerWarn({ err: error.message }));
    this.worker = new Worker(
      QUEUE,
      async (job: Job, token?: string) => {
        let outcome: PollOutcome;
        try {
          outcome = await dispatch(handlers, job.name as WorkKind, job.data);
        } catch (error) {
          // Work never fails its job: anything unexpected is logged and tried again a little later.
          logger.error({ err: error, work: job.name }, 'work crashed; retrying');
          outcome = { done: false, delayMs: 5_000 };
        }
        if (outcome.done) return;
        await job.moveToDelayed(Date.now() + outcome.delayMs, token);
        throw new DelayedError();
      },
      {
        connection: workerConnection,
        prefix: this.options.prefix ?? '{dlfbot}',
        // Work waits on DataArts and Slack (~100–300 ms each), not on CPU: many at once.
        concurrency: this.options.concurrency ?? 100,
        lockDuration: this.lockMs,
        stalledInterval: Math.max(500, Math.floor(this.lockMs / 2)),
        // stalledCounter never resets on a long-lived job (a sweep lives as long as its workspace): a high cap
        // keeps deploys from failing it.
        maxStalledCount: 1_000_000,
      },
    );
    this.worker.on('error', (error) => workerWarn({ err: error.message }));
    const check = async () => {
      try {
        for (const workspace of await workspaces()) await this.ensureSweep(workspace);
      } catch (error) {
        logger.warn({ err: (error as Error).message }, 'watchdog could not check the sweeps');
      }
    };
    await check();
    // Every few seconds: a sweep job lost with a Redis failover's last writes stops every end from being seen
    // until this finds it missing. One job read per workspace per check is all it costs.
    const every = this.options.watchdogMs ?? 5_000;
    const tick = () => {
      this.watchdog = setTimeout(
        () => {
          void check().finally(tick);
        },
        every * (0.8 + 0.4 * Math.random()),
      );
      this.watchdog.unref();
    };
    tick();
  }

  async add<K extends WorkKind>(
    kind: K,
    data: WorkData[K],
    options: { delayMs?: number; now?: boolean } = {},
  ): Promise<void> {
    const jobId = workId(kind, data);
    await this.queue.add(kind, data, {
      jobId,
      delay: Math.max(0, options.delayMs ?? 0),
      removeOnComplete: true,
      removeOnFail: { age: 86_400 },
    });
    if (options.now) {
      const job = await this.queue.getJob(jobId);
      if (job && (await job.isDelayed())) await job.promote().catch(() => undefined);
    }
  }

  /**
   * Counts by state, and the lag: how long the most overdue job has been due without starting. A delayed job is
   * due at its score's time (BullMQ scores delayed jobs as due time × 4096 + a counter); the next waiting job,
   * if it never ran, since it was added (BullMQ keeps no trace of when a promoted job became due, so one that ran
   * before counts only among the waiting, and one added with a delay counts from when it was added).
   */
  async stats(now: number): Promise<QueueStats> {
    const redis = this.queueConnection;
    const [counts, earliest, nextId] = await Promise.all([
      this.queue.getJobCounts('waiting', 'delayed', 'active', 'failed'),
      redis.zrange(this.queue.toKey('delayed'), '0', '0', 'WITHSCORES'),
      // BullMQ pushes on the left and takes from the right: the right end is the next to start.
      redis.lindex(this.queue.toKey('wait'), -1),
    ]);
    const dues: number[] = [];
    if (earliest.length === 2) dues.push(Math.floor(Number(earliest[1]) / 0x1000));
    const next = nextId ? await this.queue.getJob(nextId) : undefined;
    if (next && next.processedOn === undefined) dues.push(next.timestamp + (next.delay ?? 0));
    return {
      waiting: counts.waiting ?? 0,
      delayed: counts.delayed ?? 0,
      active: counts.active ?? 0,
      failed: counts.failed ?? 0,
      lagMs: Math.max(0, ...dues.map((due) => now - due)),
    };
  }

  /** The watchdog's check: a workspace's sweep must have a live job (a failed one is retried). */
  private async ensureSweep(workspace: string): Promise<void> {
    const job = await this.queue.getJob(workId('sweep', { workspace }));
    if (!job) await this.add('sweep', { workspace });
    else if (await job.isFailed()) await job.retry();
  }

  async stop(force = false): Promise<void> {
    if (this.watchdog) clearTimeout(this.watchdog);
    await closeBull(
      {
        queue: this.queue,
        worker: this.worker,
        connections: [this.workerConnection, this.queueConnection],
      },
      force,
    );
  }
}

/** One process, in memory: the local default without REDIS_URL. */
export class TimerFollowEngine implements FollowEngine {
  readonly name = 'in-process timers';
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; run: () => void }>();
  private readonly running = new Set<string>();
  /** Work asked for while the same key ran: it runs again once the run ends. */
  private readonly again = new Set<string>();
  private handlers?: Handlers;
  private watchdog?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly logger: Logger) {}

  async start(handlers: Handlers, workspaces: () => Promise<string[]>): Promise<void> {
    this.handlers = handlers;
    const check = async () => {
      for (const workspace of await workspaces().catch(() => [])) await this.add('sweep', { workspace });
    };
    await check();
    const tick = () => {
      this.watchdog = setTimeout(() => void check().finally(tick), 30_000);
      this.watchdog.unref();
    };
    tick();
  }

  reachable(): boolean {
    return true;
  }

  async add<K extends WorkKind>(
    kind: K,
    data: WorkData[K],
    options: { delayMs?: number; now?: boolean } = {},
  ): Promise<void> {
    if (this.stopped) return;
    const id = workId(kind, data);
    const waiting = this.timers.get(id);
    if (waiting) {
      if (options.now) {
        clearTimeout(waiting.timer);
        this.timers.delete(id);
        waiting.run();
      }
      return;
    }
    if (this.running.has(id)) {
      this.again.add(id);
      return;
    }
    this.arm(id, kind, data, options.delayMs ?? 0);
  }

  private arm(id: string, kind: WorkKind, data: unknown, delayMs: number): void {
    const run = () => void this.run(id, kind, data);
    const timer = setTimeout(() => {
      this.timers.delete(id);
      run();
    }, delayMs);
    timer.unref();
    this.timers.set(id, { timer, run });
  }

  private async run(id: string, kind: WorkKind, data: unknown): Promise<void> {
    if (!this.handlers || this.stopped) return;
    this.running.add(id);
    let outcome: PollOutcome;
    try {
      outcome = await dispatch(this.handlers, kind, data);
    } catch (error) {
      this.logger.error({ err: error, work: kind }, 'work crashed; retrying');
      outcome = { done: false, delayMs: 5_000 };
    } finally {
      this.running.delete(id);
    }
    if (this.stopped) return;
    const asked = this.again.delete(id);
    if (!outcome.done) this.arm(id, kind, data, asked ? 0 : outcome.delayMs);
    else if (asked) this.arm(id, kind, data, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.watchdog) clearTimeout(this.watchdog);
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
