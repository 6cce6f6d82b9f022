/**
 * The engine thread's entry: following's work (the sweeps, the looks at followed instances, the announcements,
 * the drains of each channel's alerts) with its own Redis connections, DataArts client and Slack clients, built from
 * the bot's settings. The main thread keeps Bolt and the listeners, so parsing list pages and instance details and
 * rendering alerts never holds up an acknowledgement.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BotConfig } from '../config';
import { createDataArtsClient } from '../dataarts/config';
import { createFollowing } from '../following/create';
import { createLogger } from '../logger';
import { Metrics } from '../metrics/metrics';
import { answerMetricsAsk } from '../metrics/threads';
import { connectRedis } from '../redis/connection';
import { boltLogger } from '../slack/bolt-logger';
import { RedisMessageRecords } from '../slack/message-records';
import { SlackOutlet } from '../slack/outlet';
import { slackWebFor } from '../slack/web';
import { throttledWarn } from '../support/throttled-log';
import type { EngineMessage, EngineReport } from './host';

const config = (workerData as { config: BotConfig }).config;
const logger = createLogger({ level: config.logLevel }).child({ thread: 'engine' });
const port = parentPort;
if (!port || !config.redis) throw new Error('worker.ts runs as the engine thread, with Redis (see host.ts).');

const metrics = new Metrics();
const warn = throttledWarn(logger, 'redis error');
const redis = connectRedis(config.redis, { maxRetriesPerRequest: 3 }).on('error', (error) =>
  warn({ err: error.message }),
);
const web = slackWebFor(config.slack, boltLogger(logger), metrics);
const following = createFollowing(config, {
  dataarts: createDataArtsClient(config.dataarts, {
    logger: logger.child({ component: 'dataarts' }),
    metrics,
  }),
  outlet: new SlackOutlet({
    web,
    records: new RedisMessageRecords(redis),
    logger: logger.child({ component: 'outlet' }),
    consoleUrl: config.consoleUrl,
    operable: config.operators !== undefined,
    logButtons: config.logs !== undefined,
  }),
  logger,
  redis,
  metrics,
});

port.on('message', (message: EngineMessage) => {
  if (answerMetricsAsk(port, metrics, message) || message.kind !== 'stop') return;
  void following.stop(message.force).finally(() => {
    port.postMessage({ kind: 'stopped' } satisfies EngineReport);
    // The thread's own connection would keep reconnecting to an unreachable Redis (and the thread alive).
    redis.disconnect();
    process.exit(0);
  });
});

following.start().then(
  () => port.postMessage({ kind: 'started' } satisfies EngineReport),
  (error: unknown) => {
    logger.error({ err: error }, 'the engine could not start');
    port.postMessage({ kind: 'failed', message: (error as Error).message } satisfies EngineReport);
  },
);
