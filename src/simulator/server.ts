/**
 * The simulator's HTTP server: the DataArts Factory V1 endpoints the bot uses, the IAM token endpoint,
 * gateway-style authentication (AK/SK signatures and tokens), fault injection, and a small control API:
 *
 *   POST   /__sim/faults                      {target: job | '*', latencyMs?, status?, throttle?, hang?, drop?, times?}
 *   DELETE /__sim/faults
 *   POST   /__sim/runs                        {jobName, nodes?}              → {instanceId}
 *   POST   /__sim/instances/{job}/{id}/status {status}   (success, fail, manual-stop, pause, running-exception)
 *   GET    /__sim/calls   DELETE /__sim/calls
 *   POST   /__sim/expire-tokens
 *
 * Where the docs are silent we chose (and the client does not depend on it): a wrong project id is 403
 * APIG.0302; an unknown workspace is 400 DLF.6888; stop/restart in the wrong state is 400 DLF.3051;
 * the list's `offset` is a page number; restart reuses the instance id.
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { verifySignature } from '../dataarts/auth/signer';
import { listenLocal } from '../support/http-server';
import type { Fault } from './faults';
import { Faults } from './faults';
import { Iam, type IamUser } from './iam';
import { toJson } from './json';
import { seedWorld } from './scenarios';
import { type InstanceRecord, materialize, type NodePlan, type RawInstance, World } from './world';

export const DEMO_PROJECT_ID = 'b384b9e9ab9b4ee8994c8633aabc9505';
export const DEMO_WORKSPACE = 'd1cd7861478748a6925bc02f47c69279';
/** Public, fake credentials of the simulator (never real ones). */
export const DEMO_AK = 'SIMULATORACCESSKEY01';
export const DEMO_SK = 'simulator-secret-key-not-a-real-one-000001';
export const DEMO_TOKEN = 'simulator-static-token';
export const DEMO_IAM_USER: IamUser = {
  domain: 'demo_account',
  name: 'dlf_bot',
  password: 'simulator-password',
};

export interface SimulatorOptions {
  host?: string;
  port?: number;
  projectId?: string;
  clock?: () => number;
  seed?: boolean;
  accessKeys?: Record<string, string>;
  staticTokens?: string[];
  iamUsers?: IamUser[];
  tokenTtlMs?: number;
  maxSkewMs?: number;
  requireAuth?: boolean;
  /** Valid workspaces; the first is the default one, used when no `workspace` header is sent. */
  workspaces?: string[];
}

export interface CallRecord {
  method: string;
  path: string;
  jobName?: string;
  instanceId?: string;
  /** HTTP status answered; 0 for a hung or dropped request. */
  status: number;
  at: number;
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Route =
  | { kind: 'instance'; job: string; id: string }
  | { kind: 'stop' | 'restart'; job: string; id: string }
  | { kind: 'run-now'; job: string }
  | { kind: 'list-instances' }
  | { kind: 'list-jobs' }
  | { kind: 'job'; job: string };

const TERMINAL = ['success', 'fail', 'manual-stop'];
const OVERRIDES = ['success', 'fail', 'manual-stop', 'pause', 'running-exception'] as const;

function dlf(code: string, message: string): Answer {
  return { status: 400, body: { error_code: code, error_msg: message } };
}

function gateway(status: number, code: string, message: string, headers?: Record<string, string>): Answer {
  return {
    status,
    headers,
    body: { error_code: code, error_msg: message, request_id: randomBytes(16).toString('hex') },
  };
}

const INVALID_PARAMETER = () => dlf('DLF.3051', 'The request parameter is invalid.');
const NO_INSTANCE = () => dlf('DLF.0137', 'Job instance does not exist.');
const NO_JOB = () => dlf('DLF.0100', 'The job does not exist.');

export class Simulator {
  readonly world: World;
  readonly faults = new Faults();
  readonly iam: Iam;
  readonly calls: CallRecord[] = [];
  readonly projectId: string;
  private readonly accessKeys: Record<string, string>;
  private readonly staticTokens: string[];
  private readonly maxSkewMs: number;
  private readonly requireAuth: boolean;
  private readonly workspaces: string[];

  constructor(options: SimulatorOptions = {}) {
    const clock = options.clock ?? Date.now;
    this.world = new World(clock);
    this.projectId = options.projectId ?? DEMO_PROJECT_ID;
    this.accessKeys = options.accessKeys ?? { [DEMO_AK]: DEMO_SK };
    this.staticTokens = options.staticTokens ?? [DEMO_TOKEN];
    this.iam = new Iam(
      options.iamUsers ?? [DEMO_IAM_USER],
      this.projectId,
      options.tokenTtlMs ?? 86_400_000,
      clock,
    );
    this.maxSkewMs = options.maxSkewMs ?? 15 * 60_000;
    this.requireAuth = options.requireAuth ?? true;
    this.workspaces = options.workspaces ?? [DEMO_WORKSPACE];
    if (options.seed ?? true) seedWorld(this.world, this.workspaces[0]!);
  }

  get clock(): () => number {
    return this.world.clock;
  }

  // ---- control surface -------------------------------------------------------------------------------

  setFault(target: string, fault: Fault): void {
    this.faults.set(target, fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  addJob(name: string, template?: NodePlan[]): void {
    this.world.addJob({ name, workspace: this.workspaces[0]!, ...(template ? { template } : {}) });
  }

  /** Starts a live run now; returns its instance id. */
  startRun(jobName: string, options: { nodes?: NodePlan[]; instanceType?: number } = {}): string {
    if (!this.world.jobs.has(jobName)) this.addJob(jobName, options.nodes);
    return this.world.startRun(jobName, options).instanceId;
  }

  /** Ends (or pauses) an instance now. */
  setStatus(jobName: string, instanceId: string, status: (typeof OVERRIDES)[number]): void {
    const record = this.world.instance(jobName, instanceId);
    if (!record) throw new Error(`no instance ${jobName}/${instanceId}`);
    this.world.override(record, status);
  }

  finish(jobName: string, instanceId: string, status: 'success' | 'fail' | 'manual-stop'): void {
    this.setStatus(jobName, instanceId, status);
  }

  /** Places an arbitrary instance (in the API's shape, ids as strings or numbers). */
  setInstance(raw: RawInstance): void {
    const jobName = String(raw.jobName);
    if (!this.world.jobs.has(jobName)) this.addJob(jobName);
    const instanceId = String(raw.instanceId);
    const planTime = Number(raw.planTime ?? this.clock());
    this.world.addInstance({
      jobName,
      instanceId,
      planTime,
      submitTime: planTime,
      instanceType: 2,
      version: 1,
      snapshot: { ...raw, instanceId },
    });
  }

  instance(jobName: string, instanceId: string): RawInstance | undefined {
    const record = this.world.instance(jobName, instanceId);
    return record && materialize(record, this.clock());
  }

  callsFor(jobName: string, instanceId?: string): CallRecord[] {
    return this.calls.filter(
      (call) => call.jobName === jobName && (instanceId === undefined || call.instanceId === instanceId),
    );
  }

  resetCalls(): void {
    this.calls.length = 0;
  }

  expireTokens(): void {
    this.iam.expireAll();
  }

  // ---- HTTP ------------------------------------------------------------------------------------------

  readonly handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/__sim/')) return send(res, this.control(method, url, body));
    if (method === 'POST' && url.pathname === '/v3/auth/tokens')
      return send(res, this.iam.issue(parseBody(body)));

    const parsed = this.route(method, url.pathname);
    const route = parsed?.route;
    const subject = route && 'job' in route ? route.job : (url.searchParams.get('jobName') ?? undefined);
    const record: CallRecord = {
      method,
      path: url.pathname,
      jobName: subject,
      instanceId: route && 'id' in route ? route.id : undefined,
      status: 0,
      at: this.clock(),
    };
    this.calls.push(record);

    const fault = this.faults.take(subject);
    if (fault?.latencyMs) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
    if (fault?.drop) {
      req.socket.destroy();
      return;
    }
    if (fault?.hang) return;
    const answer =
      (fault?.throttle &&
        gateway(
          429,
          'APIG.0308',
          'The throttling threshold has been reached: policy user over ratelimit,limit:5,time:1 second',
          { 'Retry-After': String(fault.throttle.retryAfterSeconds) },
        )) ||
      (fault?.status && gateway(fault.status, 'APIG.0500', 'Internal server error.')) ||
      (!parsed
        ? gateway(404, 'APIG.0101', 'The API does not exist or has not been published in the environment.')
        : (this.authenticate(req, method, url, body) ??
          this.handleApi(parsed.projectId, route!, url, req, body)));
    record.status = answer.status;
    send(res, answer);
  };

  private route(method: string, pathname: string): { projectId: string; route: Route } | undefined {
    const parts = pathname.split('/').slice(1).map(safeDecode);
    if (parts[0] !== 'v1' || parts[2] !== 'jobs' || parts[1] === undefined) return undefined;
    const projectId = parts[1];
    const rest = parts.slice(3);
    const job = rest[0];
    let route: Route | undefined;
    if (rest.length === 0 && method === 'GET') route = { kind: 'list-jobs' };
    else if (rest.length === 2 && job === 'instances' && rest[1] === 'detail' && method === 'GET') {
      route = { kind: 'list-instances' };
    } else if (job === undefined || job === '') route = undefined;
    else if (rest.length === 1 && method === 'GET') route = { kind: 'job', job };
    else if (rest.length === 2 && rest[1] === 'run-immediate' && method === 'POST')
      route = { kind: 'run-now', job };
    else if (rest.length === 3 && rest[1] === 'instances' && method === 'GET') {
      route = { kind: 'instance', job, id: rest[2]! };
    } else if (
      rest.length === 4 &&
      rest[1] === 'instances' &&
      (rest[3] === 'stop' || rest[3] === 'restart')
    ) {
      route = method === 'POST' ? { kind: rest[3], job, id: rest[2]! } : undefined;
    }
    return route && { projectId, route };
  }

  /** undefined when the request is authenticated, else the gateway's 401. */
  private authenticate(
    req: http.IncomingMessage,
    method: string,
    url: URL,
    body: Buffer,
  ): Answer | undefined {
    if (!this.requireAuth) return undefined;
    const headers = lowerHeaders(req);
    const token = headers['x-auth-token'];
    const reason = token
      ? this.iam.check(token, this.staticTokens)
      : (() => {
          const result = verifySignature({ method, url, headers, body }, (ak) => this.accessKeys[ak], {
            now: new Date(this.clock()),
            maxSkewMs: this.maxSkewMs,
          });
          return result.ok ? undefined : result.reason;
        })();
    return reason === undefined
      ? undefined
      : gateway(401, 'APIG.0301', `Incorrect IAM authentication information: ${reason}`);
  }

  private handleApi(
    projectId: string,
    route: Route,
    url: URL,
    req: http.IncomingMessage,
    body: Buffer,
  ): Answer {
    if (projectId !== this.projectId) {
      return gateway(
        403,
        'APIG.0302',
        'The IAM or custom authorizer authorization failed: project id mismatch.',
      );
    }
    const workspaceHeader = req.headers.workspace;
    const workspace =
      typeof workspaceHeader === 'string' && workspaceHeader ? workspaceHeader : this.workspaces[0]!;
    if (!this.workspaces.includes(workspace)) return dlf('DLF.6888', 'Invalid account permissions.');
    const now = this.clock();
    const jobIn = (name: string) => {
      const job = this.world.jobs.get(name);
      return job && job.workspace === workspace ? job : undefined;
    };

    switch (route.kind) {
      case 'instance': {
        if (!jobIn(route.job)) return NO_JOB();
        const record = this.world.instance(route.job, route.id);
        return record ? { status: 200, body: materialize(record, now) } : NO_INSTANCE();
      }
      case 'stop':
      case 'restart': {
        if (!jobIn(route.job)) return NO_JOB();
        const record = this.world.instance(route.job, route.id);
        if (!record) return NO_INSTANCE();
        const status = String(materialize(record, now).status);
        if (route.kind === 'stop') {
          if (status !== 'running')
            return dlf('DLF.3051', `The job instance is ${status}; only a running instance can be stopped.`);
          this.world.override(record, 'manual-stop');
        } else {
          if (!TERMINAL.includes(status)) {
            return dlf(
              'DLF.3051',
              `The job instance is ${status}; only a finished instance can be run again.`,
            );
          }
          this.world.restart(record);
        }
        return { status: 204 };
      }
      case 'run-now': {
        if (!jobIn(route.job)) return NO_JOB();
        const params = parseBody(body) as { jobParams?: unknown } | undefined;
        if (params !== undefined && params.jobParams !== undefined && !Array.isArray(params.jobParams)) {
          return INVALID_PARAMETER();
        }
        return { status: 200, body: { instanceId: this.world.startRun(route.job).instanceId } };
      }
      case 'list-instances':
        return this.listInstances(url.searchParams, workspace, now);
      case 'list-jobs':
        return this.listJobs(url.searchParams, workspace, now);
      case 'job': {
        const job = jobIn(route.job);
        if (!job) return NO_JOB();
        return {
          status: 200,
          body: {
            name: job.name,
            id: job.id,
            directory: '/',
            processType: 'BATCH',
            lastUpdateUser: job.owner,
            logPath: 'obs://dlf-log',
            schedule: {
              type: 'CRON',
              cron: { expression: '0 0 2 * * ?', startTime: '2026-01-01T00:00:00+08' },
            },
            params: [],
            basicConfig: {
              owner: job.owner,
              priority: 0,
              executeUser: '',
              instanceTimeout: 60,
              customFields: {},
            },
            nodes: job.template.map((node, index) => ({
              name: node.name,
              type: node.type,
              location: { x: 100 + index * 150, y: 100 },
              preNodeName: index === 0 ? [] : [job.template[index - 1]!.name],
              conditions: [],
              properties: [],
              pollingInterval: 20,
              maxExecutionTime: 360,
              retryTimes: 0,
              retryInterval: 120,
              failPolicy: 'FAIL',
            })),
          },
        };
      }
    }
  }

  private listInstances(query: URLSearchParams, workspace: string, now: number): Answer {
    const limit = intParam(query, 'limit', 10);
    const offset = intParam(query, 'offset', 0);
    const instanceType = intParam(query, 'instanceType', -1);
    const minPlanTime = intParam(query, 'minPlanTime', -1);
    const maxPlanTime = intParam(query, 'maxPlanTime', -1);
    if (
      limit === undefined ||
      limit < 1 ||
      limit > 1000 ||
      offset === undefined ||
      instanceType === undefined ||
      minPlanTime === undefined ||
      maxPlanTime === undefined
    ) {
      return INVALID_PARAMETER();
    }
    const name = query.get('jobName') ?? '';
    const precise = query.get('preciseQuery') === 'true';
    const status = query.get('status');
    const rows = [...this.world.instances.values()]
      .filter((record) => this.world.jobs.get(record.jobName)?.workspace === workspace)
      .filter((record) => (precise ? record.jobName === name : record.jobName.includes(name)))
      .filter(
        (record) =>
          (minPlanTime === -1 || record.planTime >= minPlanTime) &&
          (maxPlanTime === -1 || record.planTime <= maxPlanTime),
      )
      .filter((record) => instanceType === -1 || record.instanceType === instanceType)
      .map((record) => ({ record, raw: materialize(record, now) }))
      .filter(({ raw }) => !status || raw.status === status)
      .sort(
        (a, b) =>
          b.record.planTime - a.record.planTime || compareIds(b.record.instanceId, a.record.instanceId),
      );
    return {
      status: 200,
      body: {
        total: rows.length,
        instances: rows.slice(offset * limit, offset * limit + limit).map(listRow),
      },
    };
  }

  private listJobs(query: URLSearchParams, workspace: string, now: number): Answer {
    const limit = intParam(query, 'limit', 10);
    const offset = intParam(query, 'offset', 0);
    const jobType = query.get('jobType') ?? 'BATCH';
    if (limit === undefined || limit < 1 || limit > 100 || offset === undefined) return INVALID_PARAMETER();
    if (jobType !== 'BATCH' && jobType !== 'REAL_TIME') return INVALID_PARAMETER();
    const name = query.get('jobName') ?? '';
    const jobs =
      jobType === 'REAL_TIME'
        ? []
        : [...this.world.jobs.values()].filter(
            (job) => job.workspace === workspace && job.name.includes(name),
          );
    return {
      status: 200,
      body: {
        total: jobs.length,
        jobs: jobs.slice(offset * limit, offset * limit + limit).map((job) => {
          const last = this.world
            .instancesOf(job.name)
            .map((record) => materialize(record, now))
            .sort((a, b) => Number(b.planTime) - Number(a.planTime))[0];
          return {
            name: job.name,
            jobType: 'BATCH',
            status: 'SCHEDULING',
            createUser: job.owner,
            createTime: job.createTime,
            owner: job.owner,
            priority: 0,
            path: '/',
            singleNodeJobFlag: job.template.length === 1,
            lastUpdateUser: job.owner,
            ...(last
              ? {
                  lastInstanceStatus: last.status,
                  ...(last.endTime ? { lastInstanceEndTime: last.endTime } : {}),
                }
              : {}),
          };
        }),
      },
    };
  }

  private control(method: string, url: URL, body: Buffer): Answer {
    const input = (parseBody(body) ?? {}) as Record<string, unknown>;
    const path = url.pathname.slice('/__sim'.length);
    try {
      if (path === '/faults' && method === 'POST') {
        const { target = '*', ...fault } = input as Fault & { target?: string };
        this.setFault(target, fault);
        return { status: 204 };
      }
      if (path === '/faults' && method === 'DELETE') {
        this.clearFaults();
        return { status: 204 };
      }
      if (path === '/runs' && method === 'POST') {
        const instanceId = this.startRun(String(input.jobName), {
          nodes: input.nodes as NodePlan[] | undefined,
        });
        return { status: 201, body: { instanceId } };
      }
      const status = /^\/instances\/([^/]+)\/([^/]+)\/status$/.exec(path);
      if (status && method === 'POST' && OVERRIDES.includes(input.status as (typeof OVERRIDES)[number])) {
        this.setStatus(
          safeDecode(status[1]!),
          safeDecode(status[2]!),
          input.status as (typeof OVERRIDES)[number],
        );
        return { status: 204 };
      }
      if (path === '/calls' && method === 'GET') return { status: 200, body: { calls: this.calls } };
      if (path === '/calls' && method === 'DELETE') {
        this.resetCalls();
        return { status: 204 };
      }
      if (path === '/expire-tokens' && method === 'POST') {
        this.expireTokens();
        return { status: 204 };
      }
    } catch (error) {
      return { status: 400, body: { error: (error as Error).message } };
    }
    return { status: 404, body: { error: 'unknown control request' } };
  }
}

function listRow(entry: { record: InstanceRecord; raw: RawInstance }) {
  const { record, raw } = entry;
  const row: Record<string, unknown> = {
    jobName: record.jobName,
    jobInstanceName: record.jobName,
    instanceId: record.instanceId,
    instanceType: record.instanceType,
    status: raw.status,
    planTime: record.planTime,
    startTime: raw.startTime,
    submitTime: record.submitTime,
    forceSuccess: raw.forceSuccess ?? false,
    ignoreSuccess: raw.ignoreSuccess ?? false,
    version: record.version,
  };
  if (raw.endTime !== undefined) {
    row.endTime = raw.endTime;
    row.executeTime = raw.executeTime;
  }
  return row;
}

function compareIds(a: string, b: string): number {
  const diff = BigInt(a) - BigInt(b);
  return diff > 0n ? 1 : diff < 0n ? -1 : 0;
}

/** A whole-number query parameter; the fallback when absent; undefined when malformed. */
function intParam(query: URLSearchParams, name: string, fallback: number): number | undefined {
  const raw = query.get(name);
  if (raw === null) return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function lowerHeaders(req: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return out;
}

function parseBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
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

function send(res: http.ServerResponse, answer: Answer): void {
  const text = answer.body === undefined ? '' : toJson(answer.body);
  res.writeHead(answer.status, {
    ...(text ? { 'content-type': 'application/json;charset=UTF-8' } : {}),
    ...answer.headers,
  });
  res.end(text);
}

export interface RunningSimulator {
  simulator: Simulator;
  url: string;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const simulator = new Simulator(options);
  const { url, close } = await listenLocal(simulator.handle, options);
  return { simulator, url, close };
}
