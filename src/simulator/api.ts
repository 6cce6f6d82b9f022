/**
 * The DataArts Factory V1 endpoints the bot uses: routing of `/v1/{project_id}/jobs…` and the answers
 * (shapes, codes and error bodies per docs §2–§4; the lists are lists.ts). Authentication and the project
 * check are the gateway's (simulator.ts); this module starts at the workspace check.
 *
 * Preconditions of the actions (docs §4 give the states, not the refusals):
 * - stop only while `running`: a `waiting` instance cannot be stopped (the docs say only running), nor a
 *   paused, running-exception or ended one;
 * - restart (retry) only after `success`, `fail` or `manual-stop`; it keeps the instance id and `planTime`
 *   and runs the same nodes again from now (a busy-workspace failure was transient: its rerun succeeds);
 * - run-immediate only for a batch job of the workspace asked (a job of another workspace is DLF.0100, as
 *   unknown; a real-time job is DLF.3051); a job whose schedule is stopped can still be run immediately,
 *   since that is what the docs' "check whether the job can be executed" is for;
 * - job start/stop (scheduling) are 204 whatever the job's state; a stopped job makes no scheduled
 *   instances (busy.ts), and its list status is `STOPPED`.
 * Refusals of a wrong state are 400 DLF.3051 with a sentence naming the state (the docs give no code); a
 * non-numeric instance id is DLF.3051 too. An unknown `workspace` header is 400 DLF.6888; a job lives in
 * exactly one workspace, and a job of another one is unknown (DLF.0100).
 */
import { type Answer, dlfError, invalidParameter, noInstance, noJob } from './answers';
import { type ListSettings, listInstances, listJobs, listSettings } from './lists';
import { BadParameter, readJobParams } from './params';
import { isTerminal } from './run';
import { jobDetails } from './views';
import type { InstanceRecord, JobRecord, World } from './world';

export type Route =
  | { kind: 'instance' | 'stop' | 'restart'; job: string; id: string }
  | { kind: 'run-now' | 'job' | 'start-job' | 'stop-job'; job: string }
  | { kind: 'list-instances' | 'list-jobs' };

export interface ApiRequest {
  projectId: string;
  route: Route;
}

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
  if (method === 'POST' && rest.length === 2) {
    const kind = ({ 'run-immediate': 'run-now', start: 'start-job', stop: 'stop-job' } as const)[part!];
    return kind && { kind, job };
  }
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
  /** How the lists page and order (lists.ts). Default: SIM_LIST_OFFSET / SIM_LIST_ORDER, else record and mixed. */
  list?: ListSettings;
}

export interface ApiInput {
  query: URLSearchParams;
  body: Buffer;
  /** The `workspace` header, if sent. */
  workspace: string | undefined;
}

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
        return listInstances(world, input.query, workspace, now, context.list ?? listSettings());
      case 'list-jobs':
        return listJobs(world, input.query, workspace, now, context.list ?? listSettings());
    }
    const job = jobOf(route.job);
    if (!job) return noJob();
    switch (route.kind) {
      case 'job':
        return { status: 200, body: jobDetails(job) };
      case 'run-now':
        readJobParams(input.body);
        if ((job.processType ?? 'BATCH') !== 'BATCH') {
          throw new BadParameter('The job is not a batch job; only a batch job can be run immediately.');
        }
        return { status: 200, body: { instanceId: world.startRun(job.name).instanceId } };
      case 'start-job':
      case 'stop-job':
        job.scheduling = route.kind === 'start-job' ? 'SCHEDULING' : 'STOPPED';
        return { status: 204 };
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

export function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
