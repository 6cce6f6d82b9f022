/**
 * The main thread's side of the engine thread (worker.ts): starts it, starts it again a second after it dies, and
 * stops it within the bot's stop deadline (the thread's lifecycle is support/worker-host.ts's). It runs only with
 * Redis (the work is shared through it) and from the compiled JavaScript (npm start); from the TypeScript sources
 * (Jest) or without Redis the work runs on the main thread.
 */
import path from 'node:path';
import type { BotConfig } from '../config';
import type { Logger } from '../logger';
import type { MetricsSnapshot } from '../metrics/metrics';
import type { MetricsAsk } from '../metrics/threads';
import { WorkerHost } from '../support/worker-host';

export type EngineMessage = { kind: 'stop'; force: boolean } | MetricsAsk;
export type EngineReport = { kind: 'started' } | { kind: 'stopped' } | { kind: 'failed'; message: string };

const SCRIPT = path.join(__dirname, 'worker.js');
/** A dead thread is started again after this long (not in a tight loop). */
const RESTART_AFTER_MS = 1_000;

export class EngineThread {
  private started = false;
  private readonly host: WorkerHost<EngineMessage, EngineReport>;

  static available(): boolean {
    return WorkerHost.available(SCRIPT);
  }

  constructor(config: BotConfig, logger: Logger) {
    this.host = new WorkerHost({
      script: SCRIPT,
      name: 'engine thread',
      workerData: { config },
      logger,
      received: (report) => {
        if (report.kind === 'started') this.started = true;
        if (report.kind === 'failed')
          logger.error({ reason: report.message }, 'the engine thread failed to start');
      },
      ended: () => {
        this.started = false;
      },
      restartAfterMs: RESTART_AFTER_MS,
    });
  }

  start(): void {
    this.host.thread();
  }

  /** The thread's metrics (undefined when it does not answer in time). */
  async snapshot(): Promise<MetricsSnapshot | undefined> {
    return this.started ? this.host.snapshot() : undefined;
  }

  /** What keeps the work from running (for /healthz). */
  problems(): string[] {
    return this.started ? [] : ['the engine thread is not running yet'];
  }

  /** Asks the thread to stop (dropping its connections at once with `force`), then ends it within `withinMs`. */
  stop(force: boolean, withinMs = 5_000): Promise<void> {
    return this.host.stop({ message: { kind: 'stop', force }, withinMs });
  }
}
