/**
 * The two list endpoints (§3 instances, §4 jobs), answered from the world's (planTime, id) indexes: a call
 * costs a binary search plus the rows in its window, and views (the clock-dependent part) are computed only
 * for the rows it answers, or, with a `status` filter, for the rows of its window.
 *
 * Where the docs are silent (or, for the window, where Huawei's doc of 2026-02 says more than ours):
 * - `offset` is read as the simulator is told (`listOffset`, SIM_LIST_OFFSET), for instances as for jobs:
 *   `record` (the default) skips `offset` rows, as every known real caller pages; `page` skips
 *   offset × limit rows, as the docs' "start page" reads;
 * - `jobName` matches a substring (case-sensitive) unless `preciseQuery=true`; no `jobName` (and no
 *   `preciseQuery=true`) means every job of the workspace; `preciseQuery=true` without a name matches none;
 * - `minPlanTime`/`maxPlanTime` are inclusive bounds on `planTime`, in DataArts' own clock (skew included);
 *   an absent `minPlanTime` is today 00:00 (the start of the current UTC day of that clock) and an absent
 *   `maxPlanTime` is now; a window of more than 7 days (maxPlanTime − minPlanTime > 604,800,000 ms, after
 *   those defaults) is 400 DLF.3051; minPlanTime > maxPlanTime is an empty answer (total 0);
 * - the rows' order is undocumented (the docs' example is newest first) and follows `listOrder`
 *   (SIM_LIST_ORDER): `newest` is newest `planTime` first, ties by highest id; `oldest` the reverse; `mixed`
 *   (the default) is neither: the window's rows sorted by a 32-bit FNV-1a hash of the instance id, ties by
 *   lowest id, so two rows keep their relative order across calls, as time passes and as instances are
 *   added (it is computed once per window and index version, so a sweep's pages share one sort);
 * - the job list keeps the order jobs were created in, whatever `listOrder`; a job's "last instance" is its
 *   newest (greatest planTime, ties by highest id), shown as the instance list shows it.
 */
import { INSTANCE_STATUSES } from '../dataarts/model';
import type { Answer } from './answers';
import { BadParameter, boolParam, intParam } from './params';
import { compareIds, type Indexed, type PlanIndex } from './plan-index';
import { instanceRow, jobSummary } from './views';
import type { InstanceRecord, World } from './world';

const INSTANCE_TYPES = [0, 2, 5, 6, 7];
const DAY = 86_400_000;
/** The widest planTime window accepted (Huawei's doc: at most 7 days). */
export const MAX_WINDOW_MS = 7 * DAY;

export const LIST_OFFSETS = ['record', 'page'] as const;
/** How `offset` counts: rows to skip (`record`) or pages of `limit` rows (`page`). */
export type ListOffset = (typeof LIST_OFFSETS)[number];
export const LIST_ORDERS = ['newest', 'oldest', 'mixed'] as const;
/** The order of the instance list's rows. */
export type ListOrder = (typeof LIST_ORDERS)[number];

export interface ListSettings {
  offset: ListOffset;
  order: ListOrder;
}

/**
 * The settings asked, else SIM_LIST_OFFSET / SIM_LIST_ORDER (when set and not empty), else record paging and
 * mixed order. A value that is none of the accepted ones throws, naming the option or the variable.
 */
export function listSettings(
  asked: { listOffset?: ListOffset; listOrder?: ListOrder } = {},
  env: NodeJS.ProcessEnv = process.env,
): ListSettings {
  return {
    offset: choice(
      LIST_OFFSETS,
      'record',
      ['listOffset', asked.listOffset],
      ['SIM_LIST_OFFSET', env.SIM_LIST_OFFSET],
    ),
    order: choice(
      LIST_ORDERS,
      'mixed',
      ['listOrder', asked.listOrder],
      ['SIM_LIST_ORDER', env.SIM_LIST_ORDER],
    ),
  };
}

/** The option's value if given, else the variable's if set, else `fallback`; each checked against `accepted`. */
function choice<T extends string>(
  accepted: readonly T[],
  fallback: T,
  ...sources: [name: string, value: string | undefined][]
): T {
  const [name, value] = sources.find(([, candidate]) => candidate !== undefined && candidate !== '') ?? [];
  if (value === undefined) return fallback;
  if (!(accepted as readonly string[]).includes(value)) {
    const names = `${accepted.slice(0, -1).join(', ')} or ${accepted.at(-1)}`;
    throw new Error(`${name} must be ${names} (got "${value}").`);
  }
  return value as T;
}

/** What the call log keeps of a list request: its paging and window, where valid. */
export function listCallFields(query: URLSearchParams): {
  limit?: number;
  offset?: number;
  minPlanTime?: number;
  maxPlanTime?: number;
} {
  const read = (name: string, fallback?: number) => {
    const raw = query.get(name);
    if (raw === null) return fallback === undefined ? {} : { [name]: fallback };
    return /^\d{1,15}$/.test(raw) ? { [name]: Number(raw) } : {};
  };
  return { ...read('limit', 10), ...read('offset', 0), ...read('minPlanTime'), ...read('maxPlanTime') };
}

export function listInstances(
  world: World,
  query: URLSearchParams,
  workspace: string,
  now: number,
  settings: ListSettings,
): Answer {
  const limit = intParam(query, 'limit', 1, 1000) ?? 10;
  const offset = intParam(query, 'offset', 0) ?? 0;
  const minPlanTime = intParam(query, 'minPlanTime', 0) ?? startOfDay(now);
  const maxPlanTime = intParam(query, 'maxPlanTime', 0) ?? now;
  if (maxPlanTime - minPlanTime > MAX_WINDOW_MS) {
    throw new BadParameter(
      'The planTime window may span at most 7 days (maxPlanTime - minPlanTime <= 604800000 ms).',
    );
  }
  const instanceType = intParam(query, 'instanceType', 0);
  if (instanceType !== undefined && !INSTANCE_TYPES.includes(instanceType)) throw new BadParameter();
  const status = query.get('status');
  if (status !== null && !(INSTANCE_STATUSES as readonly string[]).includes(status)) throw new BadParameter();
  const precise = boolParam(query, 'preciseQuery');
  const name = query.get('jobName') ?? '';

  const empty = { status: 200, body: { total: 0, instances: [] } };
  if (minPlanTime > maxPlanTime) return empty;
  let index: PlanIndex<InstanceRecord> | undefined;
  let jobFilter: Set<string> | undefined;
  if (precise) {
    if (world.jobs.get(name)?.workspace !== workspace) return empty;
    index = world.jobIndex(name);
  } else {
    index = world.workspaceIndex(workspace);
    if (name !== '') {
      jobFilter = new Set();
      for (const job of world.jobsIn(workspace)) if (job.name.includes(name)) jobFilter.add(job.name);
    }
  }
  if (!index) return empty;

  const { from, to } = index.window(minPlanTime, maxPlanTime);
  const rankOf = ranksInOrder(index, from, to, settings.order);
  const first = firstRow(offset, limit, settings.offset);
  const row = (record: InstanceRecord, view = world.view(record, now)) =>
    instanceRow(record, view, world.jobs.get(record.jobName)!);
  const rows: Record<string, unknown>[] = [];
  if (!jobFilter && status === null && instanceType === undefined) {
    // Every row of the window counts: the page is a slice of the window in the list's order.
    for (let k = first; k < Math.min(to - from, first + limit); k++) rows.push(row(index.at(rankOf(k))));
    return { status: 200, body: { total: to - from, instances: rows } };
  }
  let total = 0;
  for (let k = 0; k < to - from; k++) {
    const record = index.at(rankOf(k));
    if (jobFilter && !jobFilter.has(record.jobName)) continue;
    if (
      instanceType !== undefined &&
      (record.listRow?.instanceType ?? record.instanceType) !== instanceType
    ) {
      continue;
    }
    let view: ReturnType<World['view']> | undefined;
    if (status !== null) {
      view = record.listRow ? undefined : world.view(record, now);
      if ((record.listRow ?? view)!.status !== status) continue;
    }
    if (total >= first && total < first + limit) rows.push(row(record, view));
    total++;
  }
  return { status: 200, body: { total, instances: rows } };
}

export function listJobs(
  world: World,
  query: URLSearchParams,
  workspace: string,
  now: number,
  settings: ListSettings,
): Answer {
  const limit = intParam(query, 'limit', 1, 100) ?? 10;
  const offset = intParam(query, 'offset', 0) ?? 0;
  const jobType = query.get('jobType') ?? 'BATCH';
  if (jobType !== 'BATCH' && jobType !== 'REAL_TIME') throw new BadParameter();
  const name = query.get('jobName') ?? '';
  const jobs = [...world.jobsIn(workspace)].filter(
    (job) => (job.processType ?? 'BATCH') === jobType && job.name.includes(name),
  );
  const first = firstRow(offset, limit, settings.offset);
  const page = jobs.slice(first, first + limit).map((job) => {
    // The newest by (planTime, id), whatever the instance list's order.
    const latest = world.jobIndex(job.name)?.newest();
    return jobSummary(job, latest && (latest.listRow ?? world.view(latest, now)));
  });
  return { status: 200, body: { total: jobs.length, jobs: page } };
}

/** How many rows `offset` skips. */
function firstRow(offset: number, limit: number, reading: ListOffset): number {
  return reading === 'record' ? offset : offset * limit;
}

/** 00:00 UTC of the day of `now`. */
function startOfDay(now: number): number {
  return now - (((now % DAY) + DAY) % DAY);
}

/** The k-th row of the window [from, to) in `order` is the index's entry of rank `rankOf(k)`. */
function ranksInOrder(
  index: PlanIndex<Indexed>,
  from: number,
  to: number,
  order: ListOrder,
): (k: number) => number {
  if (order === 'newest') return (k: number) => to - 1 - k;
  if (order === 'oldest') return (k: number) => from + k;
  const ranks = mixedRanks(index, from, to);
  return (k: number) => ranks[k]!;
}

interface MixedWindow {
  version: number;
  from: number;
  to: number;
  /** The window's ranks in mixed order. */
  ranks: Uint32Array;
}

/** The last few mixed orders computed, per index: a sweep reads several pages of one window. */
const mixedWindows = new WeakMap<PlanIndex<Indexed>, MixedWindow[]>();
const MIXED_WINDOWS_KEPT = 4;

/** The window's ranks sorted by FNV-1a of the instance id, ties by id; computed once per window and version. */
function mixedRanks(index: PlanIndex<Indexed>, from: number, to: number): Uint32Array {
  const { version } = index;
  const kept = (mixedWindows.get(index) ?? []).filter((window) => window.version === version);
  const known = kept.find((window) => window.from === from && window.to === to);
  if (known) return known.ranks;
  const hashes = new Uint32Array(to - from);
  const ranks = new Uint32Array(to - from);
  for (let k = 0; k < ranks.length; k++) {
    hashes[k] = fnv1a(index.at(from + k).instanceId);
    ranks[k] = from + k;
  }
  ranks.sort(
    (a, b) =>
      hashes[a - from]! - hashes[b - from]! || compareIds(index.at(a).instanceId, index.at(b).instanceId),
  );
  kept.push({ version, from, to, ranks });
  mixedWindows.set(index, kept.slice(-MIXED_WINDOWS_KEPT));
  return ranks;
}

/** 32-bit FNV-1a of the id's characters (decimal digits). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
