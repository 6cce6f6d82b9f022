/**
 * The simulator: its control surface (jobs, runs, ends, faults, the call log, token expiry, clock skew, the
 * busy workspace) and the HTTP dispatch in front of the DataArts API, as the API gateway does it: route (404
 * APIG.0101), faults, authentication (401 APIG.0301), project check (403 APIG.0302), then DataArts
 * (api.ts). `/v3/auth/tokens` is IAM's, `/__sim/…` the control API (control.ts); neither is logged in
 * `calls` or subject to faults.
 *
 * Clock skew: the cloud's clock (DataArts, its gateway and IAM alike) is the injected clock plus `skewMs`.
 * Every time it reports (planTime, startTime, endTime, token expiry, the `Date` header of API and IAM
 * answers), every time filter it applies (the lists' default window too: today 00:00 UTC to now), the
 * X-Sdk-Date check (so a skew beyond `maxSkewMs` fails every
 * signature, as the real gateway's "signature expired") and the call log's `at` are in that clock.
 *
 * Where the docs are silent: a 5xx fault answers `{"error_code":"APIG.0500",…}` (the simulator's own
 * code) and a project id other than the simulator's is 403 `APIG.0302` ("The IAM user is forbidden in the
 * currently selected region", from Huawei's general APIG code list). A fault's knobs apply in this order:
 * latency, then drop, hang, throttle, status, then the body knobs (garbage, else oversize and truncate).
 */
import type http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { listenLocal } from '../support/http-server';
import { type Answer, gatewayError } from './answers';
import { answerApi, type Route, routeApi } from './api';
import { type AuthSettings, authFailure } from './auth';
import { type BusyOptions, BusyWorkspace } from './busy';
import { answerControl } from './control';
import {
  BUSY_WORKSPACE,
  DEMO_AK,
  DEMO_IAM_USER,
  DEMO_PROJECT_ID,
  DEMO_PROJECT_NAME,
  DEMO_SK,
  DEMO_TOKEN,
  DEMO_WORKSPACE,
} from './demo';
import { type Fault, Faults, type FaultTarget } from './faults';
import { Iam, type IamUser } from './iam';
import { type ListOffset, type ListOrder, type ListSettings, listCallFields, listSettings } from './lists';
import { respond } from './respond';
import {
  type NodePlan,
  OVERRIDE_STATUSES,
  type OverrideStatus,
  type RawInstance,
  TERMINAL_STATUSES,
  type TerminalStatus,
} from './run';
import { seedWorld } from './scenarios';
import { World } from './world';

export interface SimulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Default DEMO_PROJECT_ID. */
  projectId?: string;
  /** The real clock; DataArts' is this plus `skewMs`, and everything time-dependent reads that. Default Date.now. */
  clock?: () => number;
  /** How far DataArts' clock runs ahead of the real one (negative: behind). Default 0. */
  skewMs?: number;
  /** Adds BUSY_WORKSPACE, a workspace with hundreds of scheduled jobs (busy.ts). Default none. */
  busy?: BusyOptions;
  /** Load the scenarios (scenarios.ts). Default true. */
  seed?: boolean;
  /** Access key → secret key. Default {DEMO_AK: DEMO_SK}. */
  accessKeys?: Record<string, string>;
  /** Accepted X-Auth-Token values besides issued tokens. Default [DEMO_TOKEN]. */
  staticTokens?: string[];
  /** Default [DEMO_IAM_USER]. */
  iamUsers?: IamUser[];
  /** Default 24 h. */
  tokenTtlMs?: number;
  /** Accepted X-Sdk-Date skew. Default 15 min. */
  maxSkewMs?: number;
  /** Default true. */
  requireAuth?: boolean;
  /**
   * How the instance and job lists read `offset`: `record` skips that many rows, `page` that many pages of
   * `limit` rows. Default: SIM_LIST_OFFSET if set (record or page; anything else throws), else `record`.
   */
  listOffset?: ListOffset;
  /**
   * The order of the instance list's rows: `newest` planTime first (ties by highest id), `oldest` first, or
   * `mixed`, neither, but stable (lists.ts). Default: SIM_LIST_ORDER if set (anything else throws), else `mixed`.
   */
  listOrder?: ListOrder;
  /**
   * Valid workspaces; the first is the default one (no `workspace` header). Default [DEMO_WORKSPACE].
   * With `busy`, BUSY_WORKSPACE is added when missing.
   */
  workspaces?: string[];
}

export interface CallRecord {
  method: string;
  path: string;
  /** The workspace asked (the `workspace` header, else the default one). */
  workspace: string;
  jobName?: string;
  instanceId?: string;
  /** Lists only: paging as read (limit and offset with their defaults), and the planTime window if sent. */
  limit?: number;
  offset?: number;
  minPlanTime?: number;
  maxPlanTime?: number;
  /** HTTP status answered; 0 for a request hung, dropped, or cut short by close(). */
  status: number;
  at: number;
}

export interface StartRunOptions {
  /** Default: the job's node template. */
  nodes?: NodePlan[];
  /** 0 scheduled, 2 manual (default), 5 patch data, 6 sub-job, 7 schedule once. */
  instanceType?: number;
  /** Default now; the instance is `waiting` until then. */
  planTime?: number;
}

export interface WorkspaceStats {
  workspace: string;
  jobs: number;
  instances: number;
  /** Instances by the status the list shows now. */
  byStatus: Record<string, number>;
}

export class Simulator {
  readonly world: World;
  /** The busy workspace, when the options asked for it. */
  readonly busy: BusyWorkspace | undefined;
  readonly faults = new Faults();
  readonly iam: Iam;
  /** Every API request received (not IAM, not control), in order. */
  readonly calls: CallRecord[] = [];
  readonly projectId: string;
  /** How the lists page and order, as the options or the environment said. */
  readonly list: Readonly<ListSettings>;
  private readonly auth: AuthSettings | undefined;
  private readonly workspaces: string[];
  private readonly closing = new AbortController();
  private readonly runs: { job: string; instanceId: string }[] = [];
  private skew: number;

  constructor(options: SimulatorOptions = {}) {
    this.list = listSettings(options);
    const realClock = options.clock ?? Date.now;
    this.skew = options.skewMs ?? 0;
    const clock = () => realClock() + this.skew;
    this.world = new World(clock);
    this.projectId = options.projectId ?? DEMO_PROJECT_ID;
    this.iam = new Iam({
      users: options.iamUsers ?? [DEMO_IAM_USER],
      projectId: this.projectId,
      projectName: DEMO_PROJECT_NAME,
      ttlMs: options.tokenTtlMs ?? 86_400_000,
      clock,
    });
    this.auth =
      (options.requireAuth ?? true)
        ? {
            accessKeys: options.accessKeys ?? { [DEMO_AK]: DEMO_SK },
            staticTokens: options.staticTokens ?? [DEMO_TOKEN],
            maxSkewMs: options.maxSkewMs ?? 15 * 60_000,
            iam: this.iam,
            clock,
          }
        : undefined;
    this.workspaces = options.workspaces?.length ? [...options.workspaces] : [DEMO_WORKSPACE];
    if (options.seed ?? true) seedWorld(this.world, this.workspaces[0]!);
    if (options.busy) {
      if (!this.workspaces.includes(BUSY_WORKSPACE)) this.workspaces.push(BUSY_WORKSPACE);
      this.busy = new BusyWorkspace(this.world, BUSY_WORKSPACE, options.busy);
    }
  }

  /** DataArts' clock: the real one plus the skew. */
  get clock(): () => number {
    return this.world.clock;
  }

  get skewMs(): number {
    return this.skew;
  }

  /** DataArts' clock runs `ms` ahead of the real one from now on (negative: behind). */
  setSkew(ms: number): void {
    this.skew = ms;
  }

  /** Brings the busy workspace up to now; everything that reads or changes instances calls it first. */
  look(): void {
    this.busy?.advance(this.clock());
  }

  // ---- control surface ------------------------------------------------------------------------------

  /** Adds (or replaces) a job; `nodes` is the template of its runs, `workspace` defaults to the default one. */
  addJob(
    name: string,
    options: { nodes?: NodePlan[]; workspace?: string; processType?: 'BATCH' | 'REAL_TIME' } = {},
  ): void {
    this.world.addJob({
      name,
      workspace: options.workspace ?? this.workspaces[0]!,
      ...(options.nodes ? { template: options.nodes } : {}),
      ...(options.processType ? { processType: options.processType } : {}),
    });
  }

  /** Starts a live run (adding the job if it is new); returns its instance id. */
  startRun(jobName: string, options: StartRunOptions = {}): string {
    this.look();
    if (!this.world.jobs.has(jobName)) this.addJob(jobName, { nodes: options.nodes });
    const { instanceId } = this.world.startRun(jobName, options);
    this.runs.push({ job: jobName, instanceId });
    return instanceId;
  }

  /** Every run started with startRun, oldest first (notification rules watch them end: notifications.ts). */
  startedRuns(): readonly { job: string; instanceId: string }[] {
    return this.runs;
  }

  /** Ends an instance now. An instance that has already ended keeps its own end. */
  finish(jobName: string, instanceId: string, status: TerminalStatus): void {
    if (!TERMINAL_STATUSES.includes(status)) throw new Error(`finish takes ${TERMINAL_STATUSES.join(', ')}.`);
    this.setInstanceStatus(jobName, instanceId, status);
  }

  /** Ends, pauses or marks running-exception an instance now; it stops advancing from the first of these. */
  setInstanceStatus(jobName: string, instanceId: string, status: OverrideStatus): void {
    if (!OVERRIDE_STATUSES.includes(status))
      throw new Error(`The status must be one of ${OVERRIDE_STATUSES.join(', ')}.`);
    this.look();
    this.world.override(this.record(jobName, instanceId), status);
  }

  /** Places (or replaces) an instance exactly as given, in the API's shape; its job is added if new. */
  setInstance(raw: Record<string, unknown>): void {
    const jobName = typeof raw.jobName === 'string' ? raw.jobName : '';
    const instanceId = String(raw.instanceId ?? '');
    if (!jobName || !/^\d+$/.test(instanceId))
      throw new Error('An instance needs a jobName and a numeric instanceId.');
    this.look();
    if (!this.world.jobs.has(jobName)) this.addJob(jobName);
    const planTime = typeof raw.planTime === 'number' ? raw.planTime : this.clock();
    const nodes = Array.isArray(raw.nodes) ? (raw.nodes as RawInstance['nodes']) : [];
    this.world.addInstance({
      jobName,
      instanceId,
      planTime,
      submitTime: this.world.jobs.get(jobName)!.createTime,
      instanceType: typeof raw.instanceType === 'number' ? raw.instanceType : 2,
      version: 1,
      snapshot: { ...raw, instanceId, nodes },
    });
  }

  /** Deletes an instance, as someone cleaning up in the console would: the API answers DLF.0137 for it. */
  deleteInstance(jobName: string, instanceId: string): void {
    this.look();
    if (!this.world.deleteInstance(jobName, instanceId))
      throw new Error(`There is no instance ${instanceId} of job ${jobName}.`);
  }

  /** The secret and security token of a temporary AK IAM handed out (the OBS endpoint checks with it). */
  temporaryKey(access: string): { secret: string; securitytoken: string } | undefined {
    return this.iam.temporaryKey(access);
  }

  /** How many temporary AK/SK pairs IAM has handed out. */
  temporaryKeysIssued(): number {
    return this.iam.temporaryIssued;
  }

  /** The instance as the API would show it now, without a request. */
  instance(jobName: string, instanceId: string): RawInstance | undefined {
    this.look();
    const record = this.world.instance(jobName, instanceId);
    return record && this.world.view(record, this.clock());
  }

  /** How many jobs and instances a workspace has, and its instances by status; undefined if unknown. */
  workspaceStats(workspace: string): WorkspaceStats | undefined {
    if (!this.workspaces.includes(workspace)) return undefined;
    this.look();
    const now = this.clock();
    const index = this.world.workspaceIndex(workspace);
    const byStatus: Record<string, number> = {};
    for (let i = 0; index && i < index.size; i++) {
      const record = index.at(i);
      const status = String((record.listRow ?? this.world.view(record, now)).status);
      byStatus[status] = (byStatus[status] ?? 0) + 1;
    }
    return {
      workspace,
      jobs: [...this.world.jobsIn(workspace)].length,
      instances: index?.size ?? 0,
      byStatus,
    };
  }

  /** `target`: a job name, or '*' for every API request. Replaces that target's previous fault. */
  setFault(target: FaultTarget, fault: Fault): void {
    this.faults.set(target, fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  callsFor(jobName: string, instanceId?: string): CallRecord[] {
    return this.calls.filter(
      (call) => call.jobName === jobName && (instanceId === undefined || call.instanceId === instanceId),
    );
  }

  resetCalls(): void {
    this.calls.length = 0;
  }

  /** Every token issued so far expires now. */
  expireTokens(): void {
    this.iam.expireAll();
  }

  private record(jobName: string, instanceId: string) {
    const record = this.world.instance(jobName, instanceId);
    if (!record) throw new Error(`There is no instance ${instanceId} of job ${jobName}.`);
    return record;
  }

  // ---- HTTP ----------------------------------------------------------------------------------------

  readonly handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    if (url.pathname === '/__sim' || url.pathname.startsWith('/__sim/')) {
      this.look();
      return respond(res, answerControl(this, method, url.pathname, body), { serialize: JSON.stringify });
    }
    if (method === 'POST' && url.pathname === '/v3/auth/tokens') {
      return respond(res, this.iam.issue(parseBody(body)), { now: this.clock() });
    }
    if (method === 'POST' && url.pathname === '/v3.0/OS-CREDENTIAL/securitytokens') {
      const token = req.headers['x-auth-token'];
      return respond(
        res,
        this.iam.temporaryKeys(
          typeof token === 'string' ? token : undefined,
          this.auth?.staticTokens ?? [],
          parseBody(body),
        ),
        { now: this.clock() },
      );
    }

    this.look();
    const asked = routeApi(method, url.pathname);
    const route = asked?.route;
    const jobName = route && 'job' in route ? route.job : (url.searchParams.get('jobName') ?? undefined);
    const workspace = req.headers.workspace;
    const call: CallRecord = {
      method,
      path: url.pathname,
      workspace: typeof workspace === 'string' && workspace ? workspace : this.workspaces[0]!,
      ...(jobName !== undefined ? { jobName } : {}),
      ...(route && 'id' in route ? { instanceId: route.id } : {}),
      ...(route?.kind === 'list-instances' || route?.kind === 'list-jobs'
        ? listCallFields(url.searchParams)
        : {}),
      status: 0,
      at: this.clock(),
    };
    this.calls.push(call);

    const fault = this.faults.take(jobName);
    if (fault?.latencyMs) {
      const waited = await delay(fault.latencyMs, true, { signal: this.closing.signal }).catch(() => false);
      if (!waited) return;
    }
    if (fault?.drop) {
      req.socket.destroy();
      return;
    }
    if (fault?.hang) return;
    // The answer about another instance than the one asked (the call log keeps what was asked).
    const request =
      asked && fault?.answerInstance !== undefined && asked.route.kind === 'instance'
        ? { ...asked, route: { ...asked.route, id: fault.answerInstance } }
        : asked;
    const answer =
      fault?.throttle || fault?.status
        ? faultAnswer(fault)
        : request
          ? this.gateway(request.projectId, request.route, req, method, url, body)
          : gatewayError(
              404,
              'APIG.0101',
              'The API does not exist or has not been published in the environment.',
            );
    call.status = fault?.garbage ? 200 : answer.status;
    const served =
      fault?.unreadableRows && request?.route.kind === 'list-instances'
        ? withUnreadableRows(answer, fault.unreadableRows, jobName ?? 'unreadable_row', this.clock())
        : answer;
    await respond(res, served, { now: this.clock(), ...(fault ? { fault } : {}) });
  };

  private gateway(
    projectId: string,
    route: Route,
    req: http.IncomingMessage,
    method: string,
    url: URL,
    body: Buffer,
  ): Answer {
    if (this.auth) {
      const reason = authFailure({ method, url, headers: lowerHeaders(req), body }, this.auth);
      if (reason !== undefined) {
        return gatewayError(401, 'APIG.0301', `Incorrect IAM authentication information: ${reason}`);
      }
    }
    if (projectId !== this.projectId) {
      return gatewayError(403, 'APIG.0302', 'The IAM user is forbidden in the currently selected region.');
    }
    const workspace = req.headers.workspace;
    const context = { world: this.world, workspaces: this.workspaces, now: this.clock(), list: this.list };
    return answerApi(context, route, {
      query: url.searchParams,
      body,
      workspace: typeof workspace === 'string' ? workspace : undefined,
    });
  }

  /** Ends latency waits at once; close() calls it before destroying the sockets. */
  abortPending(): void {
    this.closing.abort();
  }
}

/** A list answer headed by `count` failed rows of `jobName` without an instanceId (the unreadableRows fault). */
function withUnreadableRows(answer: Answer, count: number, jobName: string, now: number): Answer {
  const body = answer.body as { total?: number; instances?: unknown[] } | undefined;
  if (answer.status !== 200 || !Array.isArray(body?.instances)) return answer;
  const rows = Array.from({ length: count }, () => ({
    jobName,
    status: 'fail',
    planTime: now,
    startTime: now,
    endTime: now,
  }));
  return {
    ...answer,
    body: { ...body, total: (body.total ?? 0) + count, instances: [...rows, ...body.instances] },
  };
}

function faultAnswer(fault: Fault): Answer {
  if (fault.throttle) {
    return gatewayError(
      429,
      'APIG.0308',
      'The throttling threshold has been reached: policy user over ratelimit,limit:5,time:1 second',
      { 'Retry-After': String(fault.throttle.retryAfterSeconds) },
    );
  }
  const status = fault.status ?? 500;
  return gatewayError(status, 'APIG.0500', SERVER_ERRORS[status]);
}

const SERVER_ERRORS: Record<NonNullable<Fault['status']>, string> = {
  500: 'Internal server error.',
  502: 'Bad gateway.',
  503: 'Service unavailable.',
  504: 'Gateway timeout.',
};

function lowerHeaders(req: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return out;
}

function parseBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface RunningSimulator {
  /** The control surface. */
  simulator: Simulator;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** Stops listening and destroys every open connection, hanging ones included. */
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const simulator = new Simulator(options);
  const server = await listenLocal(simulator.handle, {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
  });
  return {
    simulator,
    url: server.url,
    close: async () => {
      simulator.abortPending();
      await server.close();
    },
  };
}
