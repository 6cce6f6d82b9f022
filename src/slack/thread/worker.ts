/**
 * The look-up thread's entry: its own DataArts client and Slack Web API clients, built from the bot's settings by
 * its kit (kit.ts), running each look-up the main thread sends (a call of look-ups/calls.ts). The main thread
 * keeps only Bolt, so acknowledgements never wait behind a look-up's parsing, rendering and posting.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BotConfig } from '../../config';
import { kitFor } from '../../kit';
import { answerMetricsAsk } from '../../metrics/threads';
import { lookUpCalls, runLookUp } from '../look-ups/calls';
import type { LookUpRequest, LookUpResponse } from './look-up-thread';
import { resultToWire } from './wire';

const config = (workerData as { config: BotConfig }).config;
// Its own DataArts and Slack clients; new messages only in its records (the main thread records what it returns).
const kit = kitFor(config, { thread: 'look-up' });
const { metrics } = kit;
const calls = lookUpCalls(kit.lookUpDeps);

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
