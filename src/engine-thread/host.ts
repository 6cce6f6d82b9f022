/**
 * The main thread's side of the engine thread (worker.ts): starts it, starts it again if it dies, and stops it
 * within the bot's stop deadline. It runs only with Redis (the work is shared through it) and from the compiled
 * JavaScript (npm start); from the TypeScript sources (Jest) or without Redis the work runs on the main thread.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BotConfig } from '../config';
import type { Logger } from '../logger';
import type { MetricsSnapshot } from '../metrics/metrics';
import { type MetricsAsk, MetricsAsker } from '../metrics/threads';

export type EngineMessage = { kind: 'stop'; force: boolean } | MetricsAsk;
export type EngineReport = { kind: 'started' } | { kind: 'stopped' } | { kind: 'failed'; message: string };

const SCRIPT = path.join(__dirname, 'worker.js');
/** A dead thread is started again after this long (not in a tight loop). */
const RESTART_AFTER_MS = 1_000;

export class EngineThread {
  private worker?: Worker;
  private stopping = false;
  private started = false;
  private readonly metrics = new MetricsAsker();

  static available(): boolean {
    return existsSync(SCRIPT);
  }

  constructor(
    private readonly config: BotConfig,
    private readonly logger: Logger,
  ) {}

  start(): void {
    const worker = new Worker(SCRIPT, { workerData: { config: this.config } });
    this.worker = worker;
    worker.on('message', (report: EngineReport) => {
      if (this.metrics.received(report)) return;
      if (report.kind === 'started') this.started = true;
      if (report.kind === 'failed')
        this.logger.error({ reason: report.message }, 'the engine thread failed to start');
    });
    worker.on('error', (error) => this.logger.error({ err: error }, 'the engine thread failed'));
    worker.on('exit', (code) => {
      this.started = false;
      this.metrics.abandon();
      if (this.stopping || this.worker !== worker) return;
      this.logger.error({ code }, 'the engine thread stopped; starting another');
      setTimeout(() => {
        if (!this.stopping) this.start();
      }, RESTART_AFTER_MS).unref();
    });
  }

  /** The thread's metrics (undefined when it does not answer in time). */
  snapshot(): Promise<MetricsSnapshot | undefined> {
    return this.metrics.ask(this.started ? this.worker : undefined);
  }

  /** What keeps the work from running (for /healthz). */
  problems(): string[] {
    return this.started ? [] : ['the engine thread is not running yet'];
  }

  /** Asks the thread to stop (dropping its connections at once with `force`), then ends it within `withinMs`. */
  async stop(force: boolean, withinMs = 5_000): Promise<void> {
    this.stopping = true;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ kind: 'stop', force } satisfies EngineMessage);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), withinMs);
    });
    if ((await Promise.race([exited, late])) === 'late') await worker.terminate();
    clearTimeout(timer);
  }
}
