/**
 * The main thread's side of the look-up thread (worker.ts): sends each look-up there (show, render, a page of
 * nodes) and awaits its result, so parsing a 20,000-node answer and rendering it never holds up an
 * acknowledgement. A thread that dies fails its look-ups in flight (each person is told) and is started again on
 * the next one. The thread runs compiled JavaScript, so it is available when the bot runs from dist/ (npm start);
 * from the TypeScript sources (Jest) the bot does its look-ups on the main thread instead.
 */
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { BotConfig } from '../../config';
import type { InstanceRef } from '../../dataarts/lookup';
import type { Logger } from '../../logger';
import type { MetricsSnapshot } from '../../metrics/metrics';
import { WorkerHost } from '../../support/worker-host';
import type { DigestPostResult, DigestRequest } from '../services/digest-post';
import type {
  ExactRef,
  Looker,
  NodesResult,
  RenderResult,
  ShowOptions,
  ShowResult,
} from '../services/look-ups';
import type { PostTarget } from '../services/publisher';
import type { TimelineResult, TimelineWhere } from '../services/timeline';
import { type Result, resultFromWire, type WireResult } from './wire';

export type LookUpRequest = { id: number } & (
  | { op: 'show'; ref: InstanceRef; target: PostTarget; options?: ShowOptions }
  | { op: 'render'; ref: ExactRef; subscribed: boolean }
  | { op: 'nodes'; ref: ExactRef; page: number }
  | { op: 'timeline'; ref: ExactRef; where: TimelineWhere }
  | { op: 'digest'; request: DigestRequest }
);

export interface LookUpResponse {
  id: number;
  result: WireResult;
}

const SCRIPT = path.join(__dirname, 'worker.js');

type Request = LookUpRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class LookUpThread implements Looker {
  private host?: WorkerHost<LookUpRequest, LookUpResponse>;
  private readonly pending = new Map<number, (result: Result) => void>();
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

  show(ref: InstanceRef, target: PostTarget, options?: ShowOptions): Promise<ShowResult> {
    return this.ask({ op: 'show', ref, target, options }) as Promise<ShowResult>;
  }

  render(ref: ExactRef, options: { subscribed: boolean }): Promise<RenderResult> {
    return this.ask({ op: 'render', ref, subscribed: options.subscribed }) as Promise<RenderResult>;
  }

  nodes(ref: ExactRef, page: number): Promise<NodesResult> {
    return this.ask({ op: 'nodes', ref, page }) as Promise<NodesResult>;
  }

  timeline(ref: ExactRef, where: TimelineWhere): Promise<TimelineResult> {
    return this.ask({ op: 'timeline', ref, where }) as Promise<TimelineResult>;
  }

  digest(request: DigestRequest): Promise<DigestPostResult> {
    return this.ask({ op: 'digest', request }) as Promise<DigestPostResult>;
  }

  /** The thread's metrics (undefined when none runs, or it does not answer in time). */
  snapshot(): Promise<MetricsSnapshot | undefined> {
    return this.host?.snapshot() ?? Promise.resolve(undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.host?.stop();
  }

  private ask(request: Request): Promise<Result> {
    if (this.stopped) return Promise.resolve({ kind: 'failed', error: new Error('The bot is stopping.') });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.thread().postMessage({ ...request, id } as LookUpRequest);
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
