/**
 * Runs each channel's digest once a day at its time. With Redis: a BullMQ job scheduler per channel (a cron
 * pattern in DLF_TIMEZONE), kept in Redis, so the next run waits there whatever happens to the processes: a run
 * due while every process was down is taken by the first worker back (not skipped), and one run is handed to
 * one process at a time (the marker in store.ts keeps a re-run after a crash from posting twice). Without Redis:
 * a timer in this process.
 */
import { type Job, Queue, Worker } from 'bullmq';
import type { Logger } from '../logger';
import { connectRedis, type RedisConnection, type RedisSettings } from '../redis/connection';
import { closeBull } from '../support/bullmq';
import { throttledWarn } from '../support/throttled-log';
import { cronOf, type DailyTime, nextDailyAt, parseDailyTime } from './schedule';
import type { DigestSetting } from './store';

/** Posts the channel's digest for the run scheduled at `scheduledAt`; throws to be tried again later. */
export type DigestHandler = (channel: string, scheduledAt: number) => Promise<void>;

export interface DigestScheduler {
  readonly name: string;
  /** Starts running digests here; `settings` are the stored ones (the timer arms them; BullMQ keeps its own). */
  start(handler: DigestHandler, settings: DigestSetting[]): Promise<void>;
  /** Sets or moves the channel's daily time. */
  schedule(channel: string, time: DailyTime): Promise<void>;
  unschedule(channel: string): Promise<void>;
  stop(force?: boolean): Promise<void>;
}

const QUEUE = 'dlf-digest';
const schedulerId = (channel: string) => `digest-${channel}`;

export interface BullDigestOptions {
  redis: RedisSettings;
  timeZone: string;
  logger: Logger;
  prefix?: string;
  lockMs?: number;
  /** The cron pattern of a daily time (tests use one that fires within seconds). */
  cron?: (time: DailyTime) => string;
}

export class BullDigestScheduler implements DigestScheduler {
  readonly name = 'BullMQ job schedulers';
  private readonly connection: RedisConnection;
  private readonly queue: Queue;
  private worker?: Worker;
  private workerConnection?: RedisConnection;

  constructor(private readonly options: BullDigestOptions) {
    this.connection = connectRedis(options.redis, { maxRetriesPerRequest: 3 });
    const warn = throttledWarn(options.logger, 'redis (digest queue) error');
    this.connection.on('error', (error) => warn({ err: error.message }));
    this.queue = new Queue(QUEUE, { connection: this.connection, prefix: options.prefix ?? '{dlfbot}' });
    this.queue.on('error', (error) => warn({ err: error.message }));
  }

  async start(handler: DigestHandler): Promise<void> {
    const { logger } = this.options;
    this.workerConnection = connectRedis(this.options.redis, { maxRetriesPerRequest: null });
    const warn = throttledWarn(logger, 'redis (digest worker) error');
    this.workerConnection.on('error', (error) => warn({ err: error.message }));
    this.worker = new Worker(
      QUEUE,
      async (job: Job<{ channel: string }>) => {
        // The time it was due (a scheduler's job carries it), not when it runs: a late run keeps its day.
        const scheduledAt = (job.opts as { prevMillis?: number }).prevMillis ?? job.timestamp;
        await handler(job.data.channel, scheduledAt);
      },
      {
        connection: this.workerConnection,
        prefix: this.options.prefix ?? '{dlfbot}',
        concurrency: 5,
        lockDuration: this.options.lockMs ?? 30_000,
      },
    );
    this.worker.on('error', (error) => warn({ err: error.message }));
    this.worker.on('failed', (job, error) =>
      logger.warn({ channel: job?.data.channel, err: error.message }, 'a digest failed; it is tried again'),
    );
  }

  async schedule(channel: string, time: DailyTime): Promise<void> {
    await this.queue.upsertJobScheduler(
      schedulerId(channel),
      { pattern: (this.options.cron ?? cronOf)(time), tz: this.options.timeZone },
      {
        name: 'digest',
        data: { channel },
        opts: {
          attempts: 5,
          backoff: { type: 'exponential', delay: 30_000 },
          removeOnComplete: true,
          removeOnFail: { age: 7 * 86_400 },
        },
      },
    );
  }

  async unschedule(channel: string): Promise<void> {
    await this.queue.removeJobScheduler(schedulerId(channel));
  }

  /** The scheduler of a channel as BullMQ keeps it (for tests and checks). */
  async scheduled(channel: string): Promise<{ pattern?: string; tz?: string; next?: number } | undefined> {
    const found = await this.queue.getJobScheduler(schedulerId(channel));
    return found
      ? { pattern: found.pattern ?? undefined, tz: found.tz ?? undefined, next: found.next }
      : undefined;
  }

  stop(force = false): Promise<void> {
    return closeBull(
      { queue: this.queue, worker: this.worker, connections: [this.workerConnection, this.connection] },
      force,
    );
  }
}

/** One process, in memory (no REDIS_URL): a timer per channel, armed again after each run. */
export class TimerDigestScheduler implements DigestScheduler {
  readonly name = 'in-process timers';
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private handler?: DigestHandler;
  private stopped = false;

  constructor(
    private readonly timeZone: string,
    private readonly logger: Logger,
    private readonly clock: () => number = Date.now,
  ) {}

  async start(handler: DigestHandler, settings: DigestSetting[]): Promise<void> {
    this.handler = handler;
    for (const setting of settings) {
      const time = parseDailyTime(setting.time);
      if (time) await this.schedule(setting.channel, time);
    }
  }

  async schedule(channel: string, time: DailyTime): Promise<void> {
    await this.unschedule(channel);
    if (this.stopped) return;
    const at = nextDailyAt(this.clock(), time, this.timeZone);
    const timer = setTimeout(() => {
      void (async () => {
        try {
          await this.handler?.(channel, at);
        } catch (error) {
          this.logger.warn({ channel, err: (error as Error).message }, 'a digest failed');
        }
        if (this.timers.get(channel) === timer) await this.schedule(channel, time);
      })();
    }, at - this.clock());
    timer.unref();
    this.timers.set(channel, timer);
  }

  async unschedule(channel: string): Promise<void> {
    clearTimeout(this.timers.get(channel));
    this.timers.delete(channel);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
