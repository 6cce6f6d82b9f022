/**
 * The main thread's side of a worker thread (the look-up thread, the engine thread): starts it from its compiled
 * script with the bot's settings, hands its messages on (metrics answers apart), starts another when it dies
 * (at the next use, or after a pause), asks it for its metrics, and stops it. The script is compiled JavaScript, so
 * a thread is available when the bot runs from dist/ (npm start), not from the TypeScript sources (Jest).
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger';
import type { MetricsSnapshot } from '../metrics/metrics';
import { MetricsAsker } from '../metrics/threads';

export interface WorkerHostOptions<Out> {
  /** The compiled thread script's path. */
  script: string;
  /** What the thread is called in the log ("the <name> failed"). */
  name: string;
  workerData: unknown;
  logger: Logger;
  /** Each message from the thread that is not a metrics answer. */
  received(message: Out): void;
  /** The thread has ended (whatever it was doing is lost). */
  ended?(): void;
  /** A thread that dies is started again after this long; without it, at the next `thread()`. */
  restartAfterMs?: number;
}

export class WorkerHost<In, Out> {
  private worker?: Worker;
  private stopping = false;
  private readonly metrics = new MetricsAsker();

  /** Whether the compiled thread script is there (it is under dist/, not beside the TypeScript sources). */
  static available(script: string): boolean {
    return existsSync(script);
  }

  constructor(private readonly options: WorkerHostOptions<Out>) {}

  /** The running thread, started if none runs. */
  thread(): Worker {
    if (this.worker) return this.worker;
    const { script, name, workerData, logger } = this.options;
    const worker = new Worker(script, { workerData });
    worker.on('message', (message: Out) => {
      if (!this.metrics.received(message)) this.options.received(message);
    });
    worker.on('error', (error) => logger.error({ err: error }, `the ${name} failed`));
    worker.on('exit', (code) => {
      const current = this.worker === worker;
      if (current) this.worker = undefined;
      this.metrics.abandon();
      this.options.ended?.();
      if (this.stopping || !current) return;
      logger.error({ code }, `the ${name} stopped; starting another`);
      const after = this.options.restartAfterMs;
      if (after === undefined) return;
      setTimeout(() => {
        if (!this.stopping) this.thread();
      }, after).unref();
    });
    this.worker = worker;
    return worker;
  }

  post(message: In): void {
    this.thread().postMessage(message);
  }

  /** The thread's metrics (undefined when none runs, or it does not answer in time). */
  snapshot(): Promise<MetricsSnapshot | undefined> {
    return this.metrics.ask(this.worker);
  }

  /**
   * Ends the thread: at once, or, given a `goodbye`, by posting it and waiting `withinMs` for the thread to end
   * itself before ending it.
   */
  async stop(goodbye?: { message: In; withinMs: number }): Promise<void> {
    this.stopping = true;
    const worker = this.worker;
    if (!worker) return;
    if (goodbye) {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage(goodbye.message);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), goodbye.withinMs);
      });
      const outcome = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (outcome !== 'late') return;
    }
    this.worker = undefined;
    await worker.terminate();
  }
}
