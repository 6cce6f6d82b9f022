/**
 * The DataArts Factory V1 client: builds each request, authenticates it, retries what is safe to retry,
 * and turns every answer into our model types or a typed DataArtsError.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import { type Metrics, unobserved } from '../metrics/metrics';
import type { DataArtsApi } from './api';
import type { AuthProvider } from './auth/providers';
import {
  ApiError,
  AuthFailedError,
  DataArtsError,
  InstanceNotFoundError,
  InvalidReferenceError,
  JobNotFoundError,
  PermissionDeniedError,
  ThrottledError,
  UnavailableError,
  UnreadableAnswerError,
  WrongInstanceError,
} from './errors';
import type {
  CallOptions,
  InstancePage,
  InstanceSummary,
  JobInstance,
  JobPage,
  JobParam,
  ListInstancesQuery,
  ListJobsQuery,
} from './model';
import {
  InstanceList,
  LIST_AHEAD_MS,
  type ListPaging,
  type ListRead,
  MAX_WINDOW_MS,
  type WindowQuery,
  windowEnding,
} from './paging';
import {
  parseErrorBody,
  parseInstancePage,
  parseJobInstance,
  parseJobPage,
  parseJson,
  parseRunNow,
} from './parse';
import { isInstanceId, isJobName, isWorkspaceId } from './refs';
import { DEFAULT_RETRY_POLICY, isRetryable, parseRetryAfter, type RetryPolicy, retryDelayMs } from './retry';
import { createTransport, type HttpResponse, type Transport } from './transport';

export interface DataArtsClientOptions {
  /** Base URL, e.g. https://dayu-dlf.eu-de.otc.t-systems.com */
  endpoint: string;
  projectId: string;
  /** Sent as the `workspace` header unless a call names another. */
  workspace?: string;
  auth: AuthProvider;
  timeoutMs?: number;
  /** Answers larger than this are refused as they stream in (ResponseTooLargeError). */
  maxResponseBytes?: number;
  retry?: Partial<RetryPolicy>;
  transport?: Transport;
  logger?: Logger;
  /** DataArts requests by route template and outcome, with their latency. */
  metrics?: Metrics;
  clock?: () => number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** What a request is about, so an error can name the job and instance. */
interface Subject {
  jobName?: string;
  instanceId?: string;
}

interface Call {
  method: 'GET' | 'POST';
  path: string;
  /** The path with ids as placeholders (a metrics label: never an id). */
  route: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  subject: Subject;
  options?: CallOptions;
}

/** The newest instance is looked for in this many 7-day windows back from now, each read whole (≤ 5 pages). */
const LATEST_WINDOWS = 4;
const LATEST_PAGES = 5;

export class DataArtsClient implements DataArtsApi {
  private readonly base: URL;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly transport: Transport;
  private readonly logger: Logger;
  private readonly metrics: Metrics;
  private readonly clock: () => number;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /**
   * What DataArts' clock minus ours (ms) can be, given the `Date` headers seen: each answer bounds it (the header
   * has whole seconds, and the server read its clock somewhere between our sending and our receiving), and the
   * bounds of successive answers narrow it down, to about a round trip once answers have come at different points
   * of the second.
   */
  private offsetRange?: { low: number; high: number };
  private readonly list: InstanceList;

  constructor(private readonly options: DataArtsClientOptions) {
    this.base = new URL(options.endpoint.endsWith('/') ? options.endpoint : `${options.endpoint}/`);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.transport = options.transport ?? createTransport();
    this.logger = options.logger ?? silentLogger;
    this.metrics = options.metrics ?? unobserved;
    this.clock = options.clock ?? Date.now;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? ((ms) => sleep(ms));
    this.list = new InstanceList({
      list: (query, callOptions) => this.listInstances(query, callOptions),
      logger: this.logger,
      onPaging: (paging) => this.metrics.listPaging(paging),
    });
  }

  now(): number {
    const range = this.offsetRange;
    return range ? Math.round(this.clock() + (range.low + range.high) / 2) : this.clock();
  }

  earliestNow(): number {
    return this.clock() + (this.offsetRange?.low ?? 0);
  }

  private observeClock(date: string | undefined, sentAt: number, receivedAt: number): void {
    const server = date ? Date.parse(date) : Number.NaN;
    if (Number.isNaN(server)) return;
    // The server's clock read between `server` and `server + 1000`, at a moment between sending and receiving.
    const sample = { low: server - receivedAt, high: server + 1_000 - sentAt };
    const range = this.offsetRange;
    const low = Math.max(range?.low ?? Number.NEGATIVE_INFINITY, sample.low);
    const high = Math.min(range?.high ?? Number.POSITIVE_INFINITY, sample.high);
    // Bounds that no longer meet mean a clock changed: start again from this answer.
    this.offsetRange = low <= high ? { low, high } : sample;
  }

  async getInstance(jobName: string, instanceId: string, options?: CallOptions): Promise<JobInstance> {
    const text = await this.call({
      method: 'GET',
      path: `jobs/${jobSegment(jobName)}/instances/${instanceSegment(instanceId)}`,
      route: 'jobs/{job}/instances/{id}',
      subject: { jobName, instanceId },
      options,
    });
    // Times are judged against DataArts' own clock, as this answer's Date header left it.
    const instance = this.read('jobs/{job}/instances/{id}', text, (value) =>
      parseJobInstance(value, { now: this.now() }),
    );
    // Whatever the answer says, it must be the instance asked for (ids compared as numbers, leading zeros aside).
    const sameJob = instance.jobName === '' || instance.jobName === jobName;
    const sameId = instance.instanceId.replace(/^0+(?=\d)/, '') === instanceId.replace(/^0+(?=\d)/, '');
    if (!sameJob || !sameId)
      throw new WrongInstanceError(
        { jobName, instanceId },
        { jobName: instance.jobName || jobName, instanceId: instance.instanceId },
      );
    // An answer without a job name is about the job asked (the check above): it is named so everywhere.
    return instance.jobName === '' ? { ...instance, jobName } : instance;
  }

  async listInstances(query: ListInstancesQuery, options?: CallOptions): Promise<InstancePage> {
    const text = await this.call({
      method: 'GET',
      path: 'jobs/instances/detail',
      route: 'jobs/instances/detail',
      query: { preciseQuery: true, ...query },
      subject: { jobName: query.jobName },
      options,
    });
    return this.read('jobs/instances/detail', text, (value) => parseInstancePage(value, { now: this.now() }));
  }

  readList(query: WindowQuery, options?: CallOptions, maxPages?: number): Promise<ListRead> {
    return this.list.read(query, options, maxPages);
  }

  listPaging(): ListPaging | undefined {
    return this.list.paging;
  }

  /**
   * The newest instance: greatest planTime, ties by highest id. The list's order is undocumented, so each window
   * is read whole; the list takes 7 days at a time, so older ones are read one after another until a run shows.
   */
  async latestInstance(jobName: string, options?: CallOptions): Promise<InstanceSummary | undefined> {
    const end = this.now() + LIST_AHEAD_MS;
    for (let back = 0; back < LATEST_WINDOWS; back++) {
      const window = windowEnding(end - back * MAX_WINDOW_MS, MAX_WINDOW_MS);
      const { rows } = await this.readList({ jobName, preciseQuery: true, ...window }, options, LATEST_PAGES);
      const found = newest(rows.filter((row) => row.jobName === '' || row.jobName === jobName));
      if (found) return found;
    }
    return undefined;
  }

  async listJobs(query: ListJobsQuery, options?: CallOptions): Promise<JobPage> {
    const text = await this.call({
      method: 'GET',
      path: 'jobs',
      route: 'jobs',
      query: { ...query },
      subject: { jobName: query.jobName },
      options,
    });
    return this.read('jobs', text, parseJobPage);
  }

  async getJob(jobName: string, options?: CallOptions): Promise<Record<string, unknown>> {
    const text = await this.call({
      method: 'GET',
      path: `jobs/${jobSegment(jobName)}`,
      route: 'jobs/{job}',
      subject: { jobName },
      options,
    });
    const job = this.read('jobs/{job}', text, (value) => value);
    if (typeof job !== 'object' || job === null) {
      throw new UnreadableAnswerError('the job is not an object');
    }
    return job as Record<string, unknown>;
  }

  async stopInstance(jobName: string, instanceId: string, options?: CallOptions): Promise<void> {
    await this.call({
      method: 'POST',
      path: `jobs/${jobSegment(jobName)}/instances/${instanceSegment(instanceId)}/stop`,
      route: 'jobs/{job}/instances/{id}/stop',
      subject: { jobName, instanceId },
      options,
    });
  }

  async restartInstance(jobName: string, instanceId: string, options?: CallOptions): Promise<void> {
    await this.call({
      method: 'POST',
      path: `jobs/${jobSegment(jobName)}/instances/${instanceSegment(instanceId)}/restart`,
      route: 'jobs/{job}/instances/{id}/restart',
      subject: { jobName, instanceId },
      options,
    });
  }

  async runJobNow(jobName: string, params?: JobParam[], options?: CallOptions): Promise<string> {
    const text = await this.call({
      method: 'POST',
      path: `jobs/${jobSegment(jobName)}/run-immediate`,
      route: 'jobs/{job}/run-immediate',
      body: params && params.length > 0 ? { jobParams: params } : undefined,
      subject: { jobName },
      options,
    });
    return this.read('jobs/{job}/run-immediate', text, parseRunNow);
  }

  /**
   * The answer's text as our types. One that cannot be read is logged here, once, with the route and what was
   * wrong (never the text: it may be anything), so the person's sentence ("an admin can find the details in the
   * bot's log") is true.
   */
  private read<T>(route: string, text: string, parse: (value: unknown) => T): T {
    try {
      return parse(parseJson(text));
    } catch (error) {
      if (error instanceof UnreadableAnswerError)
        this.logger.warn(
          { route, bytes: Buffer.byteLength(text), what: error.what },
          'DataArts sent an answer the bot could not read',
        );
      throw error;
    }
  }

  /** Sends one call with retries and one re-authentication; returns the body text of a 2xx answer. */
  private async call(call: Call): Promise<string> {
    const url = this.url(call);
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    const workspace = call.options?.workspace ?? this.options.workspace;
    if (workspace && !isWorkspaceId(workspace)) throw new InvalidReferenceError('workspace', workspace);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (workspace) headers.workspace = workspace;

    const endpoint = `${call.method} /v1/{project}/${call.route}`;
    let reauthenticated = false;
    for (let attempt = 1; ; attempt++) {
      const started = this.clock();
      const startedPrecise = performance.now();
      const measure = (outcome: string) =>
        this.metrics.dataartsRequest(endpoint, outcome, (performance.now() - startedPrecise) / 1000);
      let answered = false;
      try {
        const signed = await this.options.auth.authorize({ method: call.method, url, headers, body });
        const response = await this.transport({
          method: call.method,
          url,
          headers: signed,
          body,
          timeoutMs: this.timeoutMs,
          signal: call.options?.signal,
          maxBytes: this.options.maxResponseBytes,
        });
        answered = true;
        this.observeClock(response.header('date'), started, this.clock());
        this.logger.debug(
          {
            method: call.method,
            path: url.pathname,
            status: response.status,
            ms: this.clock() - started,
            attempt,
          },
          'dataarts call',
        );
        if (response.status >= 200 && response.status < 300) {
          measure('ok');
          return response.text;
        }
        throw this.errorFor(response, call.subject);
      } catch (error) {
        if (!(error instanceof DataArtsError)) {
          measure('error');
          throw error;
        }
        measure(error.kind);
        // A 401 from DataArts (not from IAM itself) may mean our cached token expired early: re-authenticate once.
        if (answered && error instanceof AuthFailedError && !reauthenticated) {
          reauthenticated = true;
          if (this.options.auth.invalidate()) {
            attempt--;
            continue;
          }
        }
        const delay = isRetryable(error, call.method)
          ? retryDelayMs(error, attempt, this.retry, this.random)
          : undefined;
        this.logger.debug(
          {
            method: call.method,
            path: url.pathname,
            kind: error.kind,
            code: error.code,
            attempt,
            retryInMs: delay,
          },
          'dataarts call failed',
        );
        if (delay === undefined) throw error;
        await this.sleep(delay);
      }
    }
  }

  private url(call: Call): URL {
    const url = new URL(`v1/${encodeURIComponent(this.options.projectId)}/${call.path}`, this.base);
    for (const [name, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url;
  }

  /** One place that gives every DataArts and gateway error answer its meaning. */
  private errorFor(response: HttpResponse, subject: Subject): DataArtsError {
    const { code, message: rawMessage } = parseErrorBody(response.text);
    const message = this.redact(rawMessage ?? '');
    const details = { code, httpStatus: response.status };
    if (response.status === 401) {
      return new AuthFailedError(
        message.replace(/^Incorrect IAM authentication information:\s*/i, ''),
        details,
      );
    }
    if (response.status === 429) {
      return new ThrottledError(parseRetryAfter(response.header('retry-after'), this.clock()), details);
    }
    if (response.status >= 500) return new UnavailableError('server-error', details);
    if (response.status === 403 || code === 'DLF.6888')
      return new PermissionDeniedError({ ...details, message });
    if (code === 'DLF.0137' && subject.jobName !== undefined && subject.instanceId !== undefined) {
      return new InstanceNotFoundError(subject.jobName, subject.instanceId, details);
    }
    if (code === 'DLF.0100' && subject.jobName !== undefined)
      return new JobNotFoundError(subject.jobName, details);
    return new ApiError(message, details);
  }

  /** The API never echoes our secrets, but a proxy or gateway might: scrub them from texts we pass on. */
  private redact(text: string): string {
    return this.options.auth.secrets().reduce((out, secret) => out.split(secret).join('[redacted]'), text);
  }
}

/**
 * Path segments, whoever the caller: a job name or instance id that is not one (`.` and `..` above all, which URL
 * resolution would drop or climb with) is refused before any request.
 */
function jobSegment(jobName: string): string {
  if (!isJobName(jobName)) throw new InvalidReferenceError('job', jobName);
  return encodeURIComponent(jobName);
}

function instanceSegment(instanceId: string): string {
  if (!isInstanceId(instanceId)) throw new InvalidReferenceError('instance', instanceId);
  return instanceId;
}

/** Greatest planTime, ties broken by the highest id (compared exactly, ids may exceed 2^53). */
export function newest(instances: readonly InstanceSummary[]): InstanceSummary | undefined {
  let best: InstanceSummary | undefined;
  for (const candidate of instances) {
    if (!best) {
      best = candidate;
      continue;
    }
    const byPlan = (candidate.planTime ?? -Infinity) - (best.planTime ?? -Infinity);
    if (byPlan > 0 || (byPlan === 0 && compareIds(candidate.instanceId, best.instanceId) > 0))
      best = candidate;
  }
  return best;
}

function compareIds(a: string, b: string): number {
  try {
    const diff = BigInt(a) - BigInt(b);
    return diff > 0n ? 1 : diff < 0n ? -1 : 0;
  } catch {
    return a.localeCompare(b);
  }
}
