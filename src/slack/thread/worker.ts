/**
 * The look-up thread's entry: its own DataArts client and Slack Web API clients, built from the bot's settings,
 * running each look-up the main thread sends (show, render, a page of nodes). The main thread keeps only Bolt, so
 * acknowledgements never wait behind a look-up's parsing, rendering and posting.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BotConfig } from '../../config';
import { createDataArtsClient } from '../../dataarts/config';
import { JobHistory } from '../../following/usual';
import { createLogger } from '../../logger';
import { Metrics } from '../../metrics/metrics';
import { answerMetricsAsk } from '../../metrics/threads';
import { boltLogger } from '../bolt-logger';
import { lookUpCalls, runLookUp } from '../look-ups/calls';
import type { LookUpDeps } from '../look-ups/deps';
import { MemoryMessageRecords } from '../message-records';
import { Publisher } from '../services/publisher';
import { slackWebFor } from '../web';
import type { LookUpRequest, LookUpResponse } from './look-up-thread';
import { resultToWire } from './wire';

const config = (workerData as { config: BotConfig }).config;
const logger = createLogger({ level: config.logLevel }).child({ thread: 'look-up' });
const metrics = new Metrics();
const web = slackWebFor(config.slack, boltLogger(logger), metrics);
const dataarts = createDataArtsClient(config.dataarts, {
  logger: logger.child({ component: 'dataarts' }),
  metrics,
});
const deps: LookUpDeps = {
  dataarts,
  web,
  timeZone: config.timeZone,
  timelinesAtOnce: config.timelinesAtOnce,
  history: new JobHistory({ dataarts, logger }),
  // New messages only: the main thread records what this returns.
  publisher: new Publisher(web, new MemoryMessageRecords(1_000), logger),
  clock: Date.now,
  consoleUrl: config.consoleUrl,
  operable: config.operators !== undefined,
  logButtons: config.logs !== undefined,
  logger,
};
const calls = lookUpCalls(deps);

const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread (see look-up-thread.ts).');
port.on('message', (request: LookUpRequest) => {
  if (answerMetricsAsk(port, metrics, request)) return;
  void runLookUp(calls, request).then(
    (result) => port.postMessage({ id: request.id, result: resultToWire(result) } satisfies LookUpResponse),
    (error: unknown) =>
      port.postMessage({
        id: request.id,
        result: resultToWire({ kind: 'failed', error }),
      } satisfies LookUpResponse),
  );
});
