/**
 * Runs polls on time. With Redis: BullMQ, one self-rescheduling delayed job per followed instance
 * (jobId from the instance, so ten subscribers share one job); its locks give each poll to one process,
 * and a process killed mid-poll loses its lock, so another process takes the poll over. A watchdog
 * re-adds any followed instance whose job went missing. Without Redis: timers in this process.
 */
import { DelayedError, type Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import type { Logger } from '../logger';
import { throttledWarn } from '../support/throttled-log';
import { instanceHash } from './model';
import type { PollOutcome } from './poller';

export type PollFn = (key: string) => Promise<PollOutcome>;

export interface PollEngine {
  readonly name: string;
  start(poll: PollFn, followed: () => Promise<string[]>): Promise<void>;
  /** Idempotent: an instance already scheduled keeps its schedule. */
  schedule(key: string, delayMs: number): Promise<void>;
  /** Poll this instance as soon as possible (Refresh, a new subscriber). */
  pollSoon(key: string): Promise<void>;
  /** False while its store (Redis) cannot be reached. */
  reachable(): boolean;
  /** `force`: give up on polls in flight and drop connections at once (the stop deadline has passed). */
  stop(force?: boolean): Promise<void>;
}

export interface BullEngineOptions {
  redisUrl: string;
  logger: Logger;
  /** How long a poll's lock lasts; a killed process delays the instance by about this much. */
  lockMs?: number;
  concurrency?: number;
  watchdogMs?: number;
  prefix?: string;
}

const QUEUE = 'dlf-poll';

function jobId(key: string): string {
  return `poll-${instanceHash(key)}`;
}

export class BullPollEngine implements PollEngine {
  readonly name = 'BullMQ on Redis';
  private readonly queueConnection: Redis;
  private readonly queue: Queue<{ key: string }>;
  private worker?: Worker<{ key: string }>;
  private workerConnection?: Redis;
  private watchdog?: NodeJS.Timeout;
  private readonly lockMs: number;

  constructor(private readonly options: BullEngineOptions) {
    this.lockMs = options.lockMs ?? 30_000;
    // Producers fail fast; the worker's own connection waits out Redis outages.
    this.queueConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: 3, enableOfflineQueue: true });
    const queueWarn = throttledWarn(options.logger, 'redis (poll queue) error');
    this.queueConnection.on('error', (error) => queueWarn({ err: error.message }));
    this.queue = new Queue(QUEUE, { connection: this.queueConnection, prefix: options.prefix ?? '{dlfbot}' });
    this.queue.on('error', (error) => queueWarn({ err: error.message }));
  }

  reachable(): boolean {
    return this.queueConnection.status === 'ready' && (this.workerConnection?.status ?? 'ready') === 'ready';
  }

  async start(poll: PollFn, followed: () => Promise<string[]>): Promise<void> {
    const { logger } = this.options;
    const workerConnection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
    this.workerConnection = workerConnection;
    const workerWarn = throttledWarn(logger, 'redis (poll worker) error');
    workerConnection.on('error', (error) => workerWarn({ err: error.message }));
    this.worker = new Worker<{ key: string }>(
      QUEUE,
      async (job: Job<{ key: string }>, token?: string) => {
        let outcome: PollOutcome;
        try {
          outcome = await poll(job.data.key);
        } catch (error) {
          // A poll never fails its job: anything unexpected is logged and retried a little later.
          logger.error({ err: error }, 'poll crashed; retrying');
          outcome = { done: false, delayMs: 5_000 };
        }
        logger.debug({ key: job.data.key, outcome }, 'polled');
        if (outcome.done) return;
        await job.moveToDelayed(Date.now() + outcome.delayMs, token);
        throw new DelayedError();
      },
      {
        connection: workerConnection,
        prefix: this.options.prefix ?? '{dlfbot}',
        // Polls wait on DataArts and Slack (~100–300 ms each), not on CPU: with 20, 2,000 followed instances
        // were polled every ~20 s instead of every 5 s at 200 ms per DataArts answer (the scale bench).
        concurrency: this.options.concurrency ?? 100,
        lockDuration: this.lockMs,
        stalledInterval: Math.max(500, Math.floor(this.lockMs / 2)),
        // stalledCounter never resets on a long-lived job: a high cap keeps deploys from failing it.
        maxStalledCount: 1_000_000,
      },
    );
    this.worker.on('error', (error) => workerWarn({ err: error.message }));
    const check = async () => {
      try {
        for (const key of await followed()) await this.ensure(key);
      } catch (error) {
        logger.warn({ err: (error as Error).message }, 'watchdog could not check followed instances');
      }
    };
    await check();
    const every = this.options.watchdogMs ?? 60_000;
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

  async schedule(key: string, delayMs: number): Promise<void> {
    await this.queue.add(
      'poll',
      { key },
      {
        jobId: jobId(key),
        delay: Math.max(0, delayMs),
        removeOnComplete: true,
        removeOnFail: { age: 86_400 },
      },
    );
  }

  /** The watchdog's check: a followed instance must have a live job (a failed one is retried). */
  private async ensure(key: string): Promise<void> {
    const job = await this.queue.getJob(jobId(key));
    if (!job) await this.schedule(key, 0);
    else if (await job.isFailed()) await job.retry();
  }

  async pollSoon(key: string): Promise<void> {
    const job = await this.queue.getJob(jobId(key));
    if (job && (await job.isDelayed())) await job.promote().catch(() => undefined);
  }

  async stop(force = false): Promise<void> {
    if (this.watchdog) clearTimeout(this.watchdog);
    if (force) {
      // Redis may be unreachable: nothing is waited for, the connections simply go.
      this.workerConnection?.disconnect();
      this.queueConnection.disconnect();
      void this.worker?.close(true).catch(() => undefined);
      void this.queue.close().catch(() => undefined);
      return;
    }
    await this.worker?.close();
    await this.queue.close();
    // BullMQ does not close connections it was given.
    await this.workerConnection?.quit().catch(() => undefined);
    await this.queueConnection.quit().catch(() => undefined);
  }
}

/** One process, in memory: the local default without REDIS_URL. */
export class TimerPollEngine implements PollEngine {
  readonly name = 'in-process timers';
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<string>();
  private poll?: PollFn;
  private stopped = false;

  constructor(private readonly logger: Logger) {}

  async start(poll: PollFn): Promise<void> {
    this.poll = poll;
  }

  async schedule(key: string, delayMs: number): Promise<void> {
    if (this.timers.has(key) || this.running.has(key) || this.stopped) return;
    this.arm(key, delayMs);
  }

  async pollSoon(key: string): Promise<void> {
    if (!this.timers.has(key)) return;
    clearTimeout(this.timers.get(key));
    this.arm(key, 0);
  }

  private arm(key: string, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(key);
      void this.run(key);
    }, delayMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  private async run(key: string): Promise<void> {
    if (!this.poll || this.stopped) return;
    this.running.add(key);
    let outcome: PollOutcome;
    try {
      outcome = await this.poll(key);
    } catch (error) {
      this.logger.error({ err: error }, 'poll crashed; retrying');
      outcome = { done: false, delayMs: 5_000 };
    } finally {
      this.running.delete(key);
    }
    if (!outcome.done && !this.stopped) this.arm(key, outcome.delayMs);
  }

  reachable(): boolean {
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
