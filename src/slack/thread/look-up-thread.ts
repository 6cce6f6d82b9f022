/**
 * The main thread's side of the look-up thread (worker.ts): sends each look-up there (a call of
 * look-ups/calls.ts) and awaits its result, so parsing a 20,000-node answer and rendering it never holds up an
 * acknowledgement. A thread that dies fails its look-ups in flight (each person is told) and is started again on
 * the next one. The thread runs compiled JavaScript, so it is available when the bot runs from dist/ (npm start);
 * from the TypeScript sources (Jest) the bot does its look-ups on the main thread instead.
 */
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { BotConfig } from '../../config';
import type { Logger } from '../../logger';
import type { MetricsSnapshot } from '../../metrics/metrics';
import { WorkerHost } from '../../support/worker-host';
import { type Looker, type LookUpAnswer, type LookUpCall, lookerThrough } from '../look-ups/calls';
import { resultFromWire, type WireResult } from './wire';

/** A look-up sent to the thread (calls.ts), with the id its answer comes back under. */
export type LookUpRequest = { id: number } & LookUpCall;

export interface LookUpResponse {
  id: number;
  result: WireResult;
}

const SCRIPT = path.join(__dirname, 'worker.js');

export class LookUpThread implements Looker {
  private host?: WorkerHost<LookUpRequest, LookUpResponse>;
  private readonly pending = new Map<number, (result: LookUpAnswer) => void>();
  private nextId = 1;
  private stopped = false;

  /** Whether the compiled thread script is there (it is under dist/, not beside the TypeScript sources). */
  static available(): boolean {
    return WorkerHost.available(SCRIPT);
  }

  constructor(
    private readonly config: BotConfig,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.thread();
  }

  /** Sends a look-up to the thread and awaits its answer. */
  readonly ask: Looker['ask'] = lookerThrough((call) => this.send(call)).ask;

  /** The thread's metrics (undefined when none runs, or it does not answer in time). */
  snapshot(): Promise<MetricsSnapshot | undefined> {
    return this.host?.snapshot() ?? Promise.resolve(undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.host?.stop();
  }

  private send(call: LookUpCall): Promise<LookUpAnswer> {
    if (this.stopped) return Promise.resolve({ kind: 'failed', error: new Error('The bot is stopping.') });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.thread().postMessage({ ...call, id } satisfies LookUpRequest);
    });
  }

  private thread(): Worker {
    this.host ??= new WorkerHost({
      script: SCRIPT,
      name: 'look-up thread',
      workerData: { config: this.config },
      logger: this.logger,
      received: ({ id, result }) => {
        const resolve = this.pending.get(id);
        this.pending.delete(id);
        resolve?.(resultFromWire(result));
      },
      ended: () => {
        const lost = new Error('The look-up thread stopped before answering.');
        for (const resolve of this.pending.values()) resolve({ kind: 'failed', error: lost });
        this.pending.clear();
      },
    });
    return this.host.thread();
  }
}
