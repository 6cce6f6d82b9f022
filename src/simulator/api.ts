/**
 * The DataArts Factory V1 endpoints the bot uses: routing of `/v1/{project_id}/jobs…` and the answers
 * (shapes, codes and error bodies per docs §2–§4). Authentication and the project check are the gateway's
 * (simulator.ts); this module starts at the workspace check.
 *
 * Where the docs are silent:
 * - the list's `offset` is a page number (skip offset × limit), for instances as for jobs;
 * - `jobName` matches a substring (case-sensitive) unless `preciseQuery=true`; `minPlanTime`/`maxPlanTime`
 *   are inclusive bounds on `planTime`; rows are newest `planTime` first, ties by highest id;
 * - stop outside `running` and restart outside `success`/`fail`/`manual-stop` are 400 DLF.3051 (the docs
 *   give no code); a non-numeric instance id is 400 DLF.3051 too;
 * - restart keeps the instance id and `planTime`, and runs the same nodes again from now;
 * - an unknown `workspace` header is 400 DLF.6888; a job lives in exactly one workspace.
 */
import { type Answer, dlfError, invalidParameter, noInstance, noJob } from './answers';
import { isTerminal } from './run';
import { instanceRow, jobDetails, jobSummary } from './views';
import type { InstanceRecord, JobRecord, World } from './world';

export type Route =
  | { kind: 'instance' | 'stop' | 'restart'; job: string; id: string }
  | { kind: 'run-now' | 'job'; job: string }
  | { kind: 'list-instances' | 'list-jobs' };

export interface ApiRequest {
  projectId: string;
  route: Route;
}

const INSTANCE_STATUSES = [
  'waiting',
  'running',
  'success',
  'fail',
  'running-exception',
  'pause',
  'manual-stop',
];
const INSTANCE_TYPES = [0, 2, 5, 6, 7];

/** `/v1/{project_id}/jobs…` and the method → the route, or undefined (the gateway's 404). Segments are decoded. */
export function routeApi(method: string, pathname: string): ApiRequest | undefined {
  const [version, projectId, jobs, ...rest] = pathname.split('/').slice(1).map(safeDecode);
  if (version !== 'v1' || jobs !== 'jobs' || !projectId) return undefined;
  const route = jobRoute(method, rest);
  return route && { projectId, route };
}

function jobRoute(method: string, rest: string[]): Route | undefined {
  const [job, part, id, action] = rest;
  if (method === 'GET' && rest.length === 0) return { kind: 'list-jobs' };
  if (!job) return undefined;
  if (method === 'GET' && rest.length === 2 && job === 'instances' && part === 'detail') {
    return { kind: 'list-instances' };
  }
  if (method === 'GET' && rest.length === 1) return { kind: 'job', job };
  if (method === 'POST' && rest.length === 2 && part === 'run-immediate') return { kind: 'run-now', job };
  if (part !== 'instances' || !id) return undefined;
  if (method === 'GET' && rest.length === 3) return { kind: 'instance', job, id };
  if (method === 'POST' && rest.length === 4 && (action === 'stop' || action === 'restart')) {
    return { kind: action, job, id };
  }
  return undefined;
}

export interface ApiContext {
  world: World;
  /** Valid workspaces; the first is the default one. */
  workspaces: readonly string[];
  now: number;
}

export interface ApiInput {
  query: URLSearchParams;
  body: Buffer;
  /** The `workspace` header, if sent. */
  workspace: string | undefined;
}

class BadParameter extends Error {}

export function answerApi(context: ApiContext, route: Route, input: ApiInput): Answer {
  const workspace = input.workspace || context.workspaces[0]!;
  if (!context.workspaces.includes(workspace)) return dlfError('DLF.6888', 'Invalid account permissions.');
  const { world, now } = context;
  const jobOf = (name: string): JobRecord | undefined => {
    const job = world.jobs.get(name);
    return job?.workspace === workspace ? job : undefined;
  };
  try {
    switch (route.kind) {
      case 'list-instances':
        return listInstances(world, input.query, jobOf, now);
      case 'list-jobs':
        return listJobs(world, input.query, workspace, now);
    }
    const job = jobOf(route.job);
    if (!job) return noJob();
    switch (route.kind) {
      case 'job':
        return { status: 200, body: jobDetails(job) };
      case 'run-now':
        readJobParams(input.body);
        return { status: 200, body: { instanceId: world.startRun(job.name).instanceId } };
      default: {
        if (!/^\d+$/.test(route.id)) throw new BadParameter();
        const record = world.instance(job.name, route.id);
        if (!record) return noInstance();
        return route.kind === 'instance'
          ? { status: 200, body: world.view(record, now) }
          : changeInstance(world, record, route.kind, now);
      }
    }
  } catch (error) {
    if (error instanceof BadParameter) return invalidParameter(error.message || undefined);
    throw error;
  }
}

function changeInstance(
  world: World,
  record: InstanceRecord,
  action: 'stop' | 'restart',
  now: number,
): Answer {
  const status = String(world.view(record, now).status);
  if (action === 'stop') {
    if (status !== 'running') {
      throw new BadParameter(`The job instance is ${status}; only a running instance can be stopped.`);
    }
    world.override(record, 'manual-stop');
  } else {
    if (!isTerminal(status)) {
      throw new BadParameter(
        `The job instance is ${status}; only a successful, failed or stopped instance can be rerun.`,
      );
    }
    world.restart(record);
  }
  return { status: 204 };
}

function listInstances(
  world: World,
  query: URLSearchParams,
  jobOf: (name: string) => JobRecord | undefined,
  now: number,
): Answer {
  const limit = intParam(query, 'limit', 1, 1000) ?? 10;
  const offset = intParam(query, 'offset', 0) ?? 0;
  const minPlanTime = intParam(query, 'minPlanTime', 0) ?? Number.NEGATIVE_INFINITY;
  const maxPlanTime = intParam(query, 'maxPlanTime', 0) ?? Number.POSITIVE_INFINITY;
  const instanceType = intParam(query, 'instanceType', 0);
  if (instanceType !== undefined && !INSTANCE_TYPES.includes(instanceType)) throw new BadParameter();
  const status = query.get('status');
  if (status !== null && !INSTANCE_STATUSES.includes(status)) throw new BadParameter();
  const precise = boolParam(query, 'preciseQuery');
  const name = query.get('jobName') ?? '';

  const rows: Record<string, unknown>[] = [];
  for (const record of world.allInstances()) {
    const job = jobOf(record.jobName);
    if (!job || !(precise ? record.jobName === name : record.jobName.includes(name))) continue;
    const row = instanceRow(record, world.view(record, now), job);
    const planTime = Number(row.planTime);
    if (planTime < minPlanTime || planTime > maxPlanTime) continue;
    if (status !== null && row.status !== status) continue;
    if (instanceType !== undefined && row.instanceType !== instanceType) continue;
    rows.push(row);
  }
  rows.sort(
    (a, b) =>
      Number(b.planTime) - Number(a.planTime) || compareIds(String(b.instanceId), String(a.instanceId)),
  );
  return {
    status: 200,
    body: { total: rows.length, instances: rows.slice(offset * limit, (offset + 1) * limit) },
  };
}

function listJobs(world: World, query: URLSearchParams, workspace: string, now: number): Answer {
  const limit = intParam(query, 'limit', 1, 100) ?? 10;
  const offset = intParam(query, 'offset', 0) ?? 0;
  const jobType = query.get('jobType') ?? 'BATCH';
  if (jobType !== 'BATCH' && jobType !== 'REAL_TIME') throw new BadParameter();
  const name = query.get('jobName') ?? '';
  // Every simulated job is a batch job.
  const jobs =
    jobType === 'BATCH'
      ? [...world.jobs.values()].filter((job) => job.workspace === workspace && job.name.includes(name))
      : [];
  const latest = new Map<string, InstanceRecord>();
  for (const record of world.allInstances()) {
    const known = latest.get(record.jobName);
    if (!known || record.planTime > known.planTime) latest.set(record.jobName, record);
  }
  const page = jobs.slice(offset * limit, (offset + 1) * limit).map((job) => {
    const last = latest.get(job.name);
    return jobSummary(job, last && world.view(last, now));
  });
  return { status: 200, body: { total: jobs.length, jobs: page } };
}

/** The optional run-immediate body: `{"jobParams":[{name ≤64, value ≤1024, paramType?}]}`. */
function readJobParams(body: Buffer): void {
  if (body.length === 0) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new BadParameter('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new BadParameter();
  const params = (parsed as { jobParams?: unknown }).jobParams;
  if (params === undefined) return;
  const valid =
    Array.isArray(params) &&
    params.every((param: { name?: unknown; value?: unknown; paramType?: unknown } | null) => {
      if (typeof param !== 'object' || param === null) return false;
      const { name, value, paramType } = param;
      return (
        typeof name === 'string' &&
        name.length > 0 &&
        name.length <= 64 &&
        typeof value === 'string' &&
        value.length <= 1024 &&
        (paramType === undefined || paramType === 'variable' || paramType === 'constants')
      );
    });
  if (!valid) throw new BadParameter();
}

/** A whole-number query parameter within bounds; undefined when absent. */
function intParam(
  query: URLSearchParams,
  name: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const value = /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max)) throw new BadParameter();
  return value;
}

function boolParam(query: URLSearchParams, name: string): boolean {
  const raw = query.get(name);
  if (raw === null || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new BadParameter();
}

function compareIds(a: string, b: string): number {
  const diff = BigInt(a) - BigInt(b);
  return diff > 0n ? 1 : diff < 0n ? -1 : 0;
}

export function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
