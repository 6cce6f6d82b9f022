/**
 * Metrics across worker threads: each thread (the engine's, the look-ups') keeps its own registry; on a scrape
 * the main thread asks each for a snapshot over its message port and merges them with its own (metrics.ts). A
 * thread that does not answer in time (busy, restarting) is left out of that scrape instead of holding it up.
 */
import type { MessagePort, Worker } from 'node:worker_threads';
import type { Metrics, MetricsSnapshot } from './metrics';

export interface MetricsAsk {
  kind: 'metrics';
  id: number;
}

export interface MetricsAnswer {
  kind: 'metrics';
  id: number;
  snapshot: MetricsSnapshot;
}

const ANSWER_WITHIN_MS = 2_000;

function isMetricsMessage(message: unknown): message is { kind: 'metrics'; id: number } {
  return (message as { kind?: unknown } | null)?.kind === 'metrics';
}

/** In a worker thread: answers the main thread's asks with this thread's snapshot; true if it was one. */
export function answerMetricsAsk(port: MessagePort, metrics: Metrics, message: unknown): boolean {
  if (!isMetricsMessage(message)) return false;
  const { id } = message;
  void metrics.snapshot().then(
    (snapshot) => port.postMessage({ kind: 'metrics', id, snapshot } satisfies MetricsAnswer),
    () => port.postMessage({ kind: 'metrics', id, snapshot: [] } satisfies MetricsAnswer),
  );
  return true;
}

/** In the main thread: asks one worker at a time for its snapshot (undefined without an answer in time). */
export class MetricsAsker {
  private readonly pending = new Map<number, (snapshot: MetricsSnapshot | undefined) => void>();
  private nextId = 1;

  /** Hands a worker's message here first: true if it was an answer to an ask. */
  received(message: unknown): boolean {
    if (!isMetricsMessage(message)) return false;
    const resolve = this.pending.get(message.id);
    this.pending.delete(message.id);
    resolve?.((message as MetricsAnswer).snapshot);
    return true;
  }

  ask(worker: Worker | undefined, withinMs = ANSWER_WITHIN_MS): Promise<MetricsSnapshot | undefined> {
    if (!worker) return Promise.resolve(undefined);
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(undefined);
      }, withinMs);
      timer.unref();
      this.pending.set(id, (snapshot) => {
        clearTimeout(timer);
        resolve(snapshot);
      });
      worker.postMessage({ kind: 'metrics', id } satisfies MetricsAsk);
    });
  }

  /** The worker is gone: nothing will answer. */
  abandon(): void {
    for (const resolve of this.pending.values()) resolve(undefined);
    this.pending.clear();
  }
}
