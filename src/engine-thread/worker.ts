/**
 * The engine thread's entry: following's work (the sweeps, the looks at followed instances, the announcements,
 * the drains of each channel's alerts) with its own Redis connections, DataArts client and Slack clients, built from
 * the bot's settings by its kit (kit.ts). The main thread keeps Bolt and the listeners, so parsing list pages and
 * instance details and rendering alerts never holds up an acknowledgement.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BotConfig } from '../config';
import { kitFor } from '../kit';
import { answerMetricsAsk } from '../metrics/threads';
import type { EngineMessage, EngineReport } from './host';

const config = (workerData as { config: BotConfig }).config;
const port = parentPort;
if (!port || !config.redis) throw new Error('worker.ts runs as the engine thread, with Redis (see host.ts).');
const { logger, metrics, redis, following } = kitFor(config, { thread: 'engine' });

port.on('message', (message: EngineMessage) => {
  if (answerMetricsAsk(port, metrics, message) || message.kind !== 'stop') return;
  void following.stop(message.force).finally(() => {
    port.postMessage({ kind: 'stopped' } satisfies EngineReport);
    // The thread's own connection would keep reconnecting to an unreachable Redis (and the thread alive).
    redis?.disconnect();
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
