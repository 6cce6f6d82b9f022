/**
 * What a thread of the bot is built from, made from the settings in one place: the logger, the metrics, the
 * DataArts client, the Slack Web API clients, the outlet, the job history, what look-ups run with, following, and
 * Redis or memory for every store. The main thread, the look-up thread and the engine thread each take a kit and
 * read the parts they need; a part is built on first use and kept (support/lazy.ts), so a thread builds nothing
 * it does not use (the look-up thread never connects to Redis). A part given in the options is used as it is
 * (tests, an injected DataArts client).
 */
import type { Logger as BoltLogger } from '@slack/bolt';
import { MemoryRateWindows, type RateWindows, RedisRateWindows } from './access/limits';
import type { BotConfig } from './config';
import type { DataArtsApi } from './dataarts/api';
import { createDataArtsClient } from './dataarts/config';
import { BullDigestScheduler, type DigestScheduler, TimerDigestScheduler } from './digest/scheduler';
import { type DigestStore, MemoryDigestStore, RedisDigestStore } from './digest/store';
import { createFollowing } from './following/create';
import type { Following } from './following/service';
import { JobHistory } from './following/usual';
import { createLogger, type Logger } from './logger';
import { Metrics } from './metrics/metrics';
import { connectRedis, type RedisConnection } from './redis/connection';
import { boltLogger } from './slack/bolt-logger';
import { type DeliveryLog, MemoryDeliveryLog, RedisDeliveryLog } from './slack/deliveries';
import type { LookUpDeps } from './slack/look-ups/deps';
import { MemoryMessageRecords, type MessageRecords, RedisMessageRecords } from './slack/message-records';
import { MemoryOperationMarks, type OperationMarks, RedisOperationMarks } from './slack/operation-marks';
import { SlackOutlet } from './slack/outlet';
import { Publisher } from './slack/publisher';
import { type SlackWeb, slackWebFor } from './slack/web';
import { lazily } from './support/lazy';
import { throttledWarn } from './support/throttled-log';

/** Bolt's thread (the main one), the look-ups' thread, or the thread following's work runs in. */
export type Thread = 'main' | 'look-up' | 'engine';

export interface Kit {
  readonly config: BotConfig;
  readonly thread: Thread;
  readonly logger: Logger;
  /** The logger as Bolt and the Slack SDK want it. */
  readonly boltLogger: BoltLogger;
  /** This thread's metrics (the main thread's with the process's own; the others' merged on a scrape). */
  readonly metrics: Metrics;
  readonly clock: () => number;
  readonly dataarts: DataArtsApi;
  readonly web: SlackWeb;
  /** The shared connection, when Redis is set; closed by following's stop. */
  readonly redis: RedisConnection | undefined;
  /** What each posted message shows: in Redis (shared by every process), or in memory. */
  readonly records: MessageRecords;
  readonly publisher: Publisher;
  readonly history: JobHistory;
  /** What look-ups run with (in the look-up thread, or on the main thread without one). */
  readonly lookUpDeps: LookUpDeps;
  /** Following's way to Slack. */
  readonly outlet: SlackOutlet;
  readonly following: Following;
  /** Slack's deliveries seen, so a retry of a handled one is dropped (across processes with Redis). */
  readonly deliveries: DeliveryLog;
  readonly operationMarks: OperationMarks;
  readonly rateWindows: RateWindows;
  readonly digestStore: DigestStore;
  /** BullMQ's job schedulers with Redis (once across processes), timers in this process without. */
  readonly digestScheduler: DigestScheduler;
}

export type KitOptions = { thread: Thread } & Partial<Omit<Kit, 'config' | 'thread'>>;

export function kitFor(config: BotConfig, options: KitOptions): Kit {
  const { thread } = options;
  const given = <K extends keyof Kit>(key: K, build: (kit: Kit) => Kit[K]) =>
    options[key as keyof KitOptions] !== undefined ? () => options[key as keyof KitOptions] as Kit[K] : build;
  return lazily<Kit>({
    config: () => config,
    thread: () => thread,
    logger: given('logger', () => {
      const logger = createLogger({ level: config.logLevel });
      return thread === 'main' ? logger : logger.child({ thread });
    }),
    boltLogger: given('boltLogger', (kit) => boltLogger(kit.logger)),
    metrics: given('metrics', () => new Metrics({ process: thread === 'main' })),
    clock: given('clock', () => Date.now),
    dataarts: given('dataarts', (kit) =>
      createDataArtsClient(config.dataarts, {
        logger: kit.logger.child({ component: 'dataarts' }),
        metrics: kit.metrics,
      }),
    ),
    web: given('web', (kit) => slackWebFor(config.slack, kit.boltLogger, kit.metrics)),
    redis: given('redis', (kit) => {
      if (!config.redis) return undefined;
      const warn = throttledWarn(kit.logger, 'redis error');
      return connectRedis(config.redis, { maxRetriesPerRequest: 3 }).on('error', (error) =>
        warn({ err: error.message }),
      );
    }),
    records: given('records', (kit) =>
      // The look-up thread keeps only the messages it posts: the main thread records what each look-up returns.
      thread === 'look-up'
        ? new MemoryMessageRecords(1_000)
        : kit.redis
          ? new RedisMessageRecords(kit.redis)
          : new MemoryMessageRecords(),
    ),
    publisher: given('publisher', (kit) => new Publisher(kit.web, kit.records, kit.logger)),
    history: given(
      'history',
      (kit) => new JobHistory({ dataarts: kit.dataarts, clock: kit.clock, logger: kit.logger }),
    ),
    lookUpDeps: given('lookUpDeps', (kit) => ({
      dataarts: kit.dataarts,
      publisher: kit.publisher,
      web: kit.web,
      clock: kit.clock,
      consoleUrl: config.consoleUrl,
      operable: config.operators !== undefined,
      logButtons: config.logs !== undefined,
      logger: kit.logger,
      timeZone: config.timeZone,
      timelinesAtOnce: config.timelinesAtOnce,
      history: kit.history,
    })),
    outlet: given(
      'outlet',
      (kit) =>
        new SlackOutlet({
          web: kit.web,
          records: kit.records,
          logger: kit.logger.child({ component: 'outlet' }),
          clock: kit.clock,
          consoleUrl: config.consoleUrl,
          operable: config.operators !== undefined,
          logButtons: config.logs !== undefined,
        }),
    ),
    following: given('following', (kit) =>
      createFollowing(config, {
        dataarts: kit.dataarts,
        outlet: kit.outlet,
        logger: kit.logger,
        redis: kit.redis,
        metrics: kit.metrics,
      }),
    ),
    deliveries: given('deliveries', (kit) =>
      kit.redis ? new RedisDeliveryLog(kit.redis) : new MemoryDeliveryLog(),
    ),
    operationMarks: given('operationMarks', (kit) =>
      kit.redis ? new RedisOperationMarks(kit.redis) : new MemoryOperationMarks(kit.clock),
    ),
    rateWindows: given('rateWindows', (kit) =>
      kit.redis ? new RedisRateWindows(kit.redis) : new MemoryRateWindows(),
    ),
    digestStore: given('digestStore', (kit) =>
      kit.redis ? new RedisDigestStore(kit.redis) : new MemoryDigestStore(),
    ),
    digestScheduler: given('digestScheduler', (kit) =>
      config.redis && kit.redis
        ? new BullDigestScheduler({
            redis: config.redis,
            timeZone: config.timeZone,
            logger: kit.logger.child({ component: 'digest' }),
            lockMs: config.following.lockMs,
          })
        : new TimerDigestScheduler(config.timeZone, kit.logger.child({ component: 'digest' }), kit.clock),
    ),
  });
}
