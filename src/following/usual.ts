/**
 * How long a job usually takes, and whether a run was slower than that: the median duration of the job's last
 * 10 ended runs (from the instance list), and a run that took at least twice as long. The list is read once per
 * job and kept for a while (10 minutes), so a busy channel costs DataArts one list call per job, not per message.
 */
import type { DataArtsApi } from '../dataarts/api';
import { durationMs, type InstanceSummary, isTerminal, type JobInstance } from '../dataarts/model';
import { LIST_AHEAD_MS, MAX_WINDOW_MS, windowEnding } from '../dataarts/paging';
import type { Logger } from '../logger';

/** Ended runs the usual duration is the median of. */
export const USUAL_RUNS = 10;
/** Fewer ended runs than this, and nothing is "usual" yet. */
export const MIN_RUNS = 3;
/** A run this many times its usual duration (or more) is slower than usual. */
export const SLOW_FACTOR = 2;

export interface Usual {
  /** The median duration of the runs below (ms). */
  medianMs: number;
  /** How many ended runs it is the median of (MIN_RUNS..USUAL_RUNS). */
  runs: number;
}

export interface Slowness extends Usual {
  durationMs: number;
  /** durationMs / medianMs, at least SLOW_FACTOR. */
  factor: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The usual duration of a job from its instance list rows: the median over its last USUAL_RUNS ended runs
 * (newest end first), leaving out `exclude` (the run being judged). Undefined with fewer than MIN_RUNS.
 */
export function usualDuration(
  rows: readonly InstanceSummary[],
  options: { exclude?: string } = {},
): Usual | undefined {
  const ended = rows
    .filter(
      (row) =>
        row.instanceId !== options.exclude &&
        isTerminal(row.status) &&
        row.startTime !== undefined &&
        row.endTime !== undefined &&
        row.endTime >= row.startTime,
    )
    .sort((a, b) => b.endTime! - a.endTime! || Number(BigInt(b.instanceId) - BigInt(a.instanceId)))
    .slice(0, USUAL_RUNS);
  if (ended.length < MIN_RUNS) return undefined;
  const medianMs = median(ended.map((row) => row.endTime! - row.startTime!));
  return { medianMs, runs: ended.length };
}

/** The run's slowness against its usual duration, when it took at least SLOW_FACTOR times as long. */
export function slowerThanUsual(
  durationMs: number | undefined,
  usual: Usual | undefined,
): Slowness | undefined {
  if (durationMs === undefined || !usual || usual.medianMs <= 0) return undefined;
  const factor = durationMs / usual.medianMs;
  return factor >= SLOW_FACTOR ? { ...usual, durationMs, factor } : undefined;
}

/**
 * Whether a run took at least SLOW_FACTOR times its job's usual duration. A running run is measured up to `now`
 * (an ended one needs none); `known`: rows of the job already read (JobHistory.usual). Without a history or a
 * measurable duration, nothing is read and the answer is undefined.
 */
export async function slownessOf(
  history: JobHistory | undefined,
  instance: JobInstance,
  where: { workspace?: string; now?: number; known?: readonly InstanceSummary[] } = {},
): Promise<Slowness | undefined> {
  const duration = durationMs(instance, where.now);
  if (!history || duration === undefined) return undefined;
  const usual = await history.usual(instance.jobName, where.workspace, instance.instanceId, where.known);
  return slowerThanUsual(duration, usual);
}

/** A job's history is its last 7 days (the list's widest window), up to this many pages of 1,000 rows. */
const HISTORY_PAGES = 3;
const DEFAULT_TTL_MS = 10 * 60_000;
const MAX_JOBS = 2_000;

/** Each job's recent instance list rows, read at most once per `ttlMs`; a failed read gives none (logged). */
export class JobHistory {
  private readonly cache = new Map<string, { at: number; rows: Promise<InstanceSummary[]> }>();

  constructor(
    private readonly deps: {
      dataarts: DataArtsApi;
      clock?: () => number;
      logger?: Logger;
      ttlMs?: number;
    },
  ) {}

  rows(job: string, workspace?: string): Promise<InstanceSummary[]> {
    const now = (this.deps.clock ?? Date.now)();
    const key = `${workspace ?? ''}\n${job}`;
    const cached = this.cache.get(key);
    if (cached && now - cached.at < (this.deps.ttlMs ?? DEFAULT_TTL_MS)) return cached.rows;
    const rows = this.read(job, workspace);
    this.cache.delete(key);
    this.cache.set(key, { at: now, rows });
    if (this.cache.size > MAX_JOBS) this.cache.delete(this.cache.keys().next().value!);
    return rows;
  }

  /**
   * `known`: rows of the job already read (the sweep's window). When they hold USUAL_RUNS ended runs, the usual
   * duration is theirs and the job's list is not read.
   */
  async usual(
    job: string,
    workspace: string | undefined,
    exclude?: string,
    known?: readonly InstanceSummary[],
  ): Promise<Usual | undefined> {
    const fromKnown = known ? usualDuration(known, { exclude }) : undefined;
    if (fromKnown && fromKnown.runs >= USUAL_RUNS) return fromKnown;
    return usualDuration(await this.rows(job, workspace), { exclude });
  }

  private async read(job: string, workspace?: string): Promise<InstanceSummary[]> {
    const { dataarts } = this.deps;
    try {
      const window = windowEnding(dataarts.now() + LIST_AHEAD_MS, MAX_WINDOW_MS);
      const { rows } = await dataarts.readList(
        { jobName: job, preciseQuery: true, ...window },
        { workspace },
        HISTORY_PAGES,
      );
      return rows.filter((row) => row.jobName === '' || row.jobName === job);
    } catch (error) {
      this.deps.logger?.debug({ job, err: (error as Error).message }, 'could not read the job history');
      // Not cached as an answer: the next message asks again.
      this.cache.delete(`${workspace ?? ''}\n${job}`);
      return [];
    }
  }
}
