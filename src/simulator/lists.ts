/**
 * The two list endpoints (§3 instances, §4 jobs), answered from the world's (planTime, id) indexes: a call
 * costs a binary search plus the rows in its window, and views (the clock-dependent part) are computed only
 * for the rows it answers, or, with a `status` filter, for the rows of its window.
 *
 * Where the docs are silent:
 * - `offset` is a page number (skip offset × limit), for instances as for jobs;
 * - `jobName` matches a substring (case-sensitive) unless `preciseQuery=true`; no `jobName` (and no
 *   `preciseQuery=true`) means every job of the workspace; `preciseQuery=true` without a name matches none;
 * - `minPlanTime`/`maxPlanTime` are inclusive bounds on `planTime`, in DataArts' own clock;
 * - rows are newest `planTime` first, ties by highest id;
 * - the job list keeps the order jobs were created in; a job's "last instance" is its newest by the same
 *   order as the instance list, shown as that list shows it.
 */
import { INSTANCE_STATUSES } from '../dataarts/model';
import type { Answer } from './answers';
import { BadParameter, boolParam, intParam } from './params';
import type { PlanIndex } from './plan-index';
import { instanceRow, jobSummary } from './views';
import type { InstanceRecord, World } from './world';

const INSTANCE_TYPES = [0, 2, 5, 6, 7];

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

export function listInstances(world: World, query: URLSearchParams, workspace: string, now: number): Answer {
  const limit = intParam(query, 'limit', 1, 1000) ?? 10;
  const offset = intParam(query, 'offset', 0) ?? 0;
  const minPlanTime = intParam(query, 'minPlanTime', 0) ?? Number.NEGATIVE_INFINITY;
  const maxPlanTime = intParam(query, 'maxPlanTime', 0) ?? Number.POSITIVE_INFINITY;
  const instanceType = intParam(query, 'instanceType', 0);
  if (instanceType !== undefined && !INSTANCE_TYPES.includes(instanceType)) throw new BadParameter();
  const status = query.get('status');
  if (status !== null && !(INSTANCE_STATUSES as readonly string[]).includes(status)) throw new BadParameter();
  const precise = boolParam(query, 'preciseQuery');
  const name = query.get('jobName') ?? '';

  const empty = { status: 200, body: { total: 0, instances: [] } };
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
  const first = offset * limit;
  const row = (record: InstanceRecord, view = world.view(record, now)) =>
    instanceRow(record, view, world.jobs.get(record.jobName)!);
  const rows: Record<string, unknown>[] = [];
  if (!jobFilter && status === null && instanceType === undefined) {
    // Every row of the window counts: the page is a slice by rank, newest first.
    for (let rank = first; rank < Math.min(to - from, first + limit); rank++)
      rows.push(row(index.at(to - 1 - rank)));
    return { status: 200, body: { total: to - from, instances: rows } };
  }
  let total = 0;
  for (let i = to - 1; i >= from; i--) {
    const record = index.at(i);
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

export function listJobs(world: World, query: URLSearchParams, workspace: string, now: number): Answer {
  const limit = intParam(query, 'limit', 1, 100) ?? 10;
  const offset = intParam(query, 'offset', 0) ?? 0;
  const jobType = query.get('jobType') ?? 'BATCH';
  if (jobType !== 'BATCH' && jobType !== 'REAL_TIME') throw new BadParameter();
  const name = query.get('jobName') ?? '';
  const jobs = [...world.jobsIn(workspace)].filter(
    (job) => (job.processType ?? 'BATCH') === jobType && job.name.includes(name),
  );
  const page = jobs.slice(offset * limit, (offset + 1) * limit).map((job) => {
    const latest = world.jobIndex(job.name)?.newest();
    return jobSummary(job, latest && (latest.listRow ?? world.view(latest, now)));
  });
  return { status: 200, body: { total: jobs.length, jobs: page } };
}
