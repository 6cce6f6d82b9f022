/**
 * What a timeline shows, before any drawing: one bar per node (ongoing ones up to `now`), the longest path,
 * nodes slower than usual, and past `maxRows` which nodes keep a row of their own (failures first, then the
 * longest path, what is still going, what was slower than usual, the slowest) while every node is counted in a
 * band of how many ran at once, by outcome.
 */
import { durationMs, type JobInstance, type JobNode, type TimeField } from '../dataarts/model';
import { longestPath, type TimedNode } from './longest-path';
import { STATUS_ORDER, type StatusKey, statusKey } from './palette';
import { drawable } from './time-axis';

export interface PlanOptions {
  /** Where ongoing bars end. Default: the latest time the instance reports. */
  now?: number;
  /** Predecessors by node name (the job's `preNodeName`s); without them the path is inferred from times. */
  dependencies?: Record<string, readonly string[]>;
  /** Usual (median) duration by node name: nodes that took at least twice as long are marked. */
  usual?: Record<string, number>;
  /** Past this many nodes, rows are chosen and the rest summarised (default 60). */
  maxRows?: number;
}

export interface Bar {
  node: JobNode;
  status: StatusKey;
  /** Undefined for a node that has not started. */
  start?: number;
  end?: number;
  /** Still going: the bar ends at `now`. */
  ongoing: boolean;
  durationMs?: number;
  onPath: boolean;
  /** Duration over usual, when at least 2. */
  slowFactor?: number;
}

export interface Summary {
  /** Nodes without a row. */
  hidden: number;
  /** Why the rows shown were chosen, e.g. ["15 of 100 failed", "the longest path (7)"]. */
  reasons: string[];
}

export interface TimelinePlan {
  from: number;
  to: number;
  now: number;
  ended: boolean;
  rows: Bar[];
  /** Every node's bar (rows are a subset when summarised). */
  all: Bar[];
  path: string[];
  counts: Record<StatusKey, number>;
  summary?: Summary;
}

export const DEFAULT_MAX_ROWS = 60;
/** Rows kept when summarising: fewer than the limit, since the band takes room too. */
const SUMMARY_ROWS = 30;
const SLOW_FACTOR = 2;

const ONGOING: ReadonlySet<StatusKey> = new Set(['running', 'pause']);

type Timed = { planTime?: number; startTime?: number; endTime?: number; oddTimes?: readonly TimeField[] };

/** An item with only times a Date holds; any other is left out and named in `oddTimes`, as parse.ts does. */
function drawableTimes<T extends Timed>(item: T): T {
  const odd = (['planTime', 'startTime', 'endTime'] as const).filter(
    (field) => item[field] !== undefined && !drawable(item[field]!),
  );
  if (odd.length === 0) return item;
  const out: T = { ...item, oddTimes: [...(item.oddTimes ?? []), ...odd] };
  for (const field of odd) delete out[field];
  return out;
}

/**
 * The instance with only times a picture can place. Parsing already leaves out times that make no sense; this is
 * the pictures' own guard, so no model a caller builds can make the drawing throw or its work grow with the span.
 */
export function drawableInstance(instance: JobInstance): JobInstance {
  const nodes = instance.nodes.map(drawableTimes);
  const changed = nodes.some((node, i) => node !== instance.nodes[i]);
  const own = drawableTimes(instance);
  return changed ? { ...own, nodes } : own;
}

function latestKnown(instance: JobInstance): number | undefined {
  let latest = instance.endTime ?? instance.startTime ?? instance.planTime;
  for (const node of instance.nodes)
    for (const t of [node.startTime, node.endTime])
      if (t !== undefined && (latest === undefined || t > latest)) latest = t;
  return latest;
}

function toBar(node: JobNode, now: number, usual: Record<string, number> | undefined): Bar {
  const status = statusKey(node.status);
  if (node.startTime === undefined) return { node, status, ongoing: false, onPath: false };
  const ongoing = node.endTime === undefined && ONGOING.has(status);
  const end = node.endTime ?? (ongoing ? Math.max(now, node.startTime) : node.startTime);
  const duration = durationMs({ startTime: node.startTime, endTime: end });
  const median = usual?.[node.name];
  const factor = median && median > 0 && duration !== undefined ? duration / median : undefined;
  return {
    node,
    status,
    start: node.startTime,
    end,
    ongoing,
    durationMs: duration,
    onPath: false,
    ...(factor !== undefined && factor >= SLOW_FACTOR ? { slowFactor: factor } : {}),
  };
}

function byStart(a: Bar, b: Bar): number {
  if (a.start === undefined || b.start === undefined)
    return a.start === undefined ? (b.start === undefined ? 0 : 1) : -1;
  return a.start - b.start || (a.end ?? 0) - (b.end ?? 0);
}

/** `instance` has drawable times only (drawableInstance). */
export function planTimeline(instance: JobInstance, options: PlanOptions = {}): TimelinePlan {
  const now =
    (options.now !== undefined && drawable(options.now) ? options.now : undefined) ??
    latestKnown(instance) ??
    0;
  const maxRows = Math.max(1, options.maxRows ?? DEFAULT_MAX_ROWS);
  const all = instance.nodes.map((node) => toBar(node, now, options.usual));
  const timed: (TimedNode & { bar: Bar })[] = [];
  for (const bar of all)
    if (bar.start !== undefined && bar.end !== undefined)
      timed.push({ name: bar.node.name, start: bar.start, end: bar.end, bar });
  const path = longestPath(timed, options.dependencies);
  const onPath = new Set(path);
  for (const bar of all) if (onPath.has(bar.node.name) && bar.start !== undefined) bar.onPath = true;

  const counts = Object.fromEntries(STATUS_ORDER.map((key) => [key, 0])) as Record<StatusKey, number>;
  for (const bar of all) counts[bar.status]++;

  let from = instance.startTime ?? Number.POSITIVE_INFINITY;
  let to = instance.endTime ?? (timed.length > 0 ? Number.NEGATIVE_INFINITY : now);
  for (const node of timed) {
    from = Math.min(from, node.start);
    to = Math.max(to, node.end);
  }
  if (!Number.isFinite(from)) from = instance.planTime ?? now;
  if (!Number.isFinite(to) || to < from) to = from;
  const ended = instance.endTime !== undefined && !all.some((bar) => bar.ongoing);
  if (!ended) to = Math.max(to, now);
  if (to - from < 1_000) to = from + 1_000;

  if (all.length <= maxRows) return { from, to, now, ended, rows: [...all].sort(byStart), all, path, counts };
  const { rows, reasons } = chooseRows(all, Math.min(SUMMARY_ROWS, maxRows));
  return {
    from,
    to,
    now,
    ended,
    rows: rows.sort(byStart),
    all,
    path,
    counts,
    summary: { hidden: all.length - rows.length, reasons },
  };
}

function chooseRows(all: Bar[], limit: number): { rows: Bar[]; reasons: string[] } {
  const chosen = new Set<Bar>();
  const reasons: string[] = [];
  const take = (
    candidates: Bar[],
    cap: number,
    describe: (taken: number, of: number) => string | undefined,
  ) => {
    let taken = 0;
    for (const bar of candidates) {
      if (chosen.size >= limit || taken >= cap) break;
      if (chosen.has(bar)) continue;
      chosen.add(bar);
      taken++;
    }
    const said = taken > 0 ? describe(taken, candidates.length) : undefined;
    if (said) reasons.push(said);
  };
  const longest = (a: Bar, b: Bar) => (b.durationMs ?? 0) - (a.durationMs ?? 0);
  const some = (taken: number, of: number, what: string) =>
    taken === of ? `all ${of} ${what}` : `${taken} of ${of} ${what}`;

  const failed = all.filter((bar) => bar.status === 'fail').sort(byStart);
  take(failed, Math.ceil(limit * 0.4), (n, of) => some(n, of, of === 1 ? 'failed' : 'failed (the first)'));
  const path = all.filter((bar) => bar.onPath).sort(byStart);
  take(path, Math.ceil(limit * 0.3), (n, of) =>
    n === of ? `the longest path (${of})` : `${n} of ${of} on the longest path`,
  );
  const going = all
    .filter((bar) => bar.ongoing || ['pause', 'manual-stop', 'unknown'].includes(bar.status))
    .sort(longest);
  take(going, Math.ceil(limit * 0.2), (n, of) => some(n, of, 'running or stopped (the longest)'));
  const slow = all
    .filter((bar) => bar.slowFactor !== undefined)
    .sort((a, b) => b.slowFactor! - a.slowFactor!);
  take(slow, Math.ceil(limit * 0.2), (n, of) => some(n, of, 'slower than usual'));
  // What is still going had its share above: the rest are the slowest of the nodes that ended.
  const ended = all.filter((bar) => bar.start !== undefined && !bar.ongoing).sort(longest);
  take(ended, limit, () => 'the slowest others');
  take(all.filter((bar) => bar.start !== undefined).sort(longest), limit, () => undefined);
  return { rows: [...chosen], reasons };
}
