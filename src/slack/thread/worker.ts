/**
 * The look-up thread's entry: its own DataArts client and Slack Web API clients, built from the bot's
 * settings, running the show-instance flow for each request the main thread sends. The main thread keeps
 * only Bolt, so acknowledgements never wait behind a look-up's parsing, rendering and posting.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BotConfig } from '../../config';
import { createDataArtsClient } from '../../dataarts/config';
import { createLogger } from '../../logger';
import { boltLogger } from '../bolt-logger';
import { MemoryPermalinkStore } from '../permalinks';
import { Publisher } from '../services/publisher';
import { showInstance } from '../services/show-instance';
import { createSlackWeb } from '../web';
import type { ShowRequest, ShowResponse } from './show-thread';
import { resultToWire } from './wire';

const config = (workerData as { config: BotConfig }).config;
const logger = createLogger({ level: config.logLevel }).child({ thread: 'look-up' });
const web = createSlackWeb({
  token: config.slack.botToken,
  apiUrl: config.slack.apiUrl,
  timeoutMs: config.slack.timeoutMs,
  logger: boltLogger(logger),
});
const deps = {
  dataarts: createDataArtsClient(config.dataarts, { logger: logger.child({ component: 'dataarts' }) }),
  // New messages only: the main thread keeps the permalink this returns.
  publisher: new Publisher(web, new MemoryPermalinkStore(), logger),
  clock: Date.now,
  consoleUrl: config.consoleUrl,
  logger,
};

const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread (see show-thread.ts).');
port.on('message', (request: ShowRequest) => {
  void showInstance(deps, request.ref, request.target).then(
    (result) => port.postMessage({ id: request.id, result: resultToWire(result) } satisfies ShowResponse),
    (error: unknown) =>
      port.postMessage({
        id: request.id,
        result: resultToWire({ kind: 'failed', error }),
      } satisfies ShowResponse),
  );
});
