/**
 * The API edge: DataArts JSON text → our model types. Lenient where the docs are loose
 * (missing optional fields, unknown statuses, `executeTime` of unknown unit is ignored), exact where it matters
 * (integers above 2^53 keep every digit, as decimal strings). Numbers are as untrusted as strings: a time that
 * cannot be one (not finite, before 2000, more than a day past the answer's own time, a run longer than
 * MAX_RUN_MS: a `planTime` of 1e20, an `endTime` in microseconds) is left out and its item marked `oddTimes`, so
 * it is shown as unknown; counts are whole and not negative; an instance's id that is not one is refused.
 */
import { isInteger, isSafeNumber, parse as parseLossless } from 'lossless-json';
import { UnreadableAnswerError } from './errors';
import {
  INSTANCE_STATUSES,
  type InstancePage,
  type InstanceStatus,
  type InstanceSummary,
  type JobInstance,
  type JobNode,
  type JobPage,
  type JobSummary,
  NODE_STATUSES,
  type NodeStatus,
  type TimeField,
} from './model';
import { isInstanceId } from './refs';

type Json = Record<string, unknown>;

/** Earlier than this, a time from DataArts is not one it can mean (DataArts did not exist). */
export const EARLIEST_TIME = Date.UTC(2000, 0, 1);
/** How far past the answer's own time (DataArts' clock, or ours) a time may lie: plan times of tomorrow's runs. */
export const FUTURE_MARGIN_MS = 24 * 3_600_000;
/** A run (start to end) longer than this is not believed: both its times are shown as unknown. */
export const MAX_RUN_MS = 31 * 24 * 3_600_000;
/** The last moment a JavaScript Date holds. */
const LATEST_DATE = 8.64e15;

/**
 * What the times of an answer are checked against: `now` is the answer's own time (the client passes DataArts'
 * clock as it estimates it). Without it (tests, benchmarks) the latest time is the last a Date holds.
 */
export interface ParseContext {
  now?: number;
}

/**
 * JSON.parse that keeps integers beyond Number.MAX_SAFE_INTEGER as their exact decimal text. The native parser
 * reads the answer (several times faster than a lossless one on a 20,000-node instance); only when it met an
 * integer it could not hold exactly is the text read again losslessly. Text that is not JSON (a truncated or
 * garbled answer) is an UnreadableAnswerError, which people are told plainly.
 */
export function parseJson(text: string): unknown {
  let unsafe = false;
  let value: unknown;
  try {
    value = JSON.parse(text, (_key, field: unknown) => {
      // Past 2^53 an integer loses digits; past a double's range (a 5,000-digit id) it reads as Infinity.
      if (
        typeof field === 'number' &&
        !Number.isSafeInteger(field) &&
        (Number.isInteger(field) || !Number.isFinite(field))
      )
        unsafe = true;
      return field;
    });
  } catch {
    throw new UnreadableAnswerError(text.trim() === '' ? 'an empty answer' : 'not JSON, or cut short');
  }
  if (!unsafe) return value;
  return parseLossless(text, null, (number) =>
    isInteger(number) && !isSafeNumber(number) ? number : Number(number),
  );
}

function unreadable(what: string): UnreadableAnswerError {
  return new UnreadableAnswerError(what);
}

function asObject(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw unreadable(`${what} is not an object`);
  return value as Json;
}

function optNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

/** A count (rows, retries, nodes): a whole number ≥ 0 that a double holds exactly, else absent. */
function optCount(value: unknown): number | undefined {
  const number = optNumber(value);
  return number !== undefined && Number.isSafeInteger(number) && number >= 0 ? number : undefined;
}

/** A rate (rows per second): not negative, else absent. */
function optRate(value: unknown): number | undefined {
  const number = optNumber(value);
  return number !== undefined && number >= 0 ? number : undefined;
}

function optString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Ids are Long in the API; we keep their exact digits. */
export function idText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return value.trim();
  return undefined;
}

function bool(value: unknown): boolean {
  return value === true || value === 'true';
}

function status<T extends string>(value: unknown, known: readonly T[]): T | { unknown: string } {
  const text =
    typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value);
  return (known as readonly string[]).includes(text) ? (text as T) : { unknown: text };
}

export function parseInstanceStatus(value: unknown): InstanceStatus {
  return status(value, INSTANCE_STATUSES);
}

export function parseNodeStatus(value: unknown): NodeStatus {
  return status(value, NODE_STATUSES);
}

type Times = Partial<Record<TimeField, number>> & { oddTimes?: readonly TimeField[] };

const RUN_TIMES: readonly TimeField[] = ['planTime', 'startTime', 'endTime'];

/**
 * The item's times, each one DataArts can mean or left out (absent, null, '' and 0 are "none yet"; anything else
 * left out is named in `oddTimes`). A start and an end further apart than MAX_RUN_MS are both left out: which of
 * the two is wrong cannot be told.
 */
function times(raw: Json, context: ParseContext, fields = RUN_TIMES): Times {
  const latest = context.now === undefined ? LATEST_DATE : context.now + FUTURE_MARGIN_MS;
  const odd: TimeField[] = [];
  const out: Times = {};
  for (const field of fields) {
    const value = raw[field];
    if (value === undefined || value === null || value === '' || value === 0) continue;
    const time = optNumber(value);
    if (time !== undefined && time >= EARLIEST_TIME && time <= latest) out[field] = time;
    else odd.push(field);
  }
  if (out.startTime !== undefined && out.endTime !== undefined && out.endTime - out.startTime > MAX_RUN_MS) {
    delete out.startTime;
    delete out.endTime;
    odd.push('startTime', 'endTime');
  }
  if (odd.length > 0) out.oddTimes = odd;
  return out;
}

/** An instance's own id: refused unless it is one (refs.ts), so no answer's id reaches a message or a button. */
function instanceIdOf(raw: Json): string {
  if (raw.instanceId === undefined || raw.instanceId === null) throw unreadable('instanceId missing');
  const id = idText(raw.instanceId);
  if (id !== undefined && isInstanceId(id)) return id;
  throw unreadable(
    id !== undefined && /^\d+$/.test(id)
      ? `an instance id of ${id.length.toLocaleString('en-US')} digits, more than an id has`
      : 'an instance id that is not one',
  );
}

export function parseNode(value: unknown, context: ParseContext = {}): JobNode {
  const raw = asObject(value, 'node');
  return {
    name: optString(raw.nodeName) ?? '(unnamed node)',
    status: parseNodeStatus(raw.status),
    type: optString(raw.type) ?? 'unknown',
    ...times(raw, context),
    retryTimes: optCount(raw.retryTimes),
    inputRowCount: optCount(raw.inputRowCount),
    speed: optRate(raw.speed),
    logPath: optString(raw.logPath) || undefined,
  };
}

export function parseJobInstance(value: unknown, context: ParseContext = {}): JobInstance {
  const raw = asObject(value, 'instance');
  const instanceId = instanceIdOf(raw);
  const jobName = optString(raw.jobName);
  if (jobName === undefined) throw unreadable('jobName missing');
  const nodes = Array.isArray(raw.nodes) ? raw.nodes.map((node) => parseNode(node, context)) : [];
  return {
    jobName,
    instanceId,
    status: parseInstanceStatus(raw.status),
    ...times(raw, context),
    total: optCount(raw.total) ?? nodes.length,
    nodes,
    forceSuccess: bool(raw.forceSuccess),
    ignoreSuccess: bool(raw.ignoreSuccess),
  };
}

/**
 * A row of the list. Its id is kept when it is digits, however many: the sweep sets aside a row no request could
 * carry (following/sweep.ts), so one such row never holds up the rest of its page.
 */
export function parseInstanceSummary(value: unknown, context: ParseContext = {}): InstanceSummary {
  const raw = asObject(value, 'instance');
  const instanceId = idText(raw.instanceId);
  if (instanceId === undefined) throw unreadable('instanceId missing');
  return {
    jobName: optString(raw.jobName) ?? '',
    instanceId,
    status: parseInstanceStatus(raw.status),
    ...times(raw, context, [...RUN_TIMES, 'submitTime']),
    instanceType: optNumber(raw.instanceType),
    jobInstanceName: optString(raw.jobInstanceName),
    forceSuccess: bool(raw.forceSuccess),
    ignoreSuccess: bool(raw.ignoreSuccess),
  };
}

/**
 * A page of the list. A row that cannot be read (not an object, no instance id) is left out and counted, so one
 * bad row never costs the rest of its page; the page's rows as sent still count for paging (paging.ts).
 */
export function parseInstancePage(value: unknown, context: ParseContext = {}): InstancePage {
  const raw = asObject(value, 'instance list');
  const instances: InstanceSummary[] = [];
  let unreadable = 0;
  for (const row of Array.isArray(raw.instances) ? raw.instances : []) {
    try {
      instances.push(parseInstanceSummary(row, context));
    } catch (error) {
      if (!(error instanceof UnreadableAnswerError)) throw error;
      unreadable += 1;
    }
  }
  const sent = instances.length + unreadable;
  return { total: optCount(raw.total) ?? sent, instances, ...(unreadable > 0 ? { unreadable } : {}) };
}

export function parseJobSummary(value: unknown): JobSummary {
  const raw = asObject(value, 'job');
  return {
    name: optString(raw.name) ?? '',
    jobType: optString(raw.jobType) ?? 'BATCH',
    status: optString(raw.status) ?? '',
    owner: optString(raw.owner),
    createUser: optString(raw.createUser),
    createTime: optNumber(raw.createTime),
    lastInstanceStatus: optString(raw.lastInstanceStatus),
    lastInstanceEndTime: optNumber(raw.lastInstanceEndTime),
    path: optString(raw.path),
  };
}

export function parseJobPage(value: unknown): JobPage {
  const raw = asObject(value, 'job list');
  const jobs = Array.isArray(raw.jobs) ? raw.jobs.map(parseJobSummary) : [];
  return { total: optNumber(raw.total) ?? jobs.length, jobs };
}

/** `{"instanceId": n}` from run-immediate. */
export function parseRunNow(value: unknown): string {
  return instanceIdOf(asObject(value, 'run-immediate answer'));
}

/** `{"error_code","error_msg"}` (DLF) or the same plus `request_id` (gateway); undefined if the body is not that. */
export function parseErrorBody(text: string): { code?: string; message?: string } {
  try {
    const raw = JSON.parse(text) as Json;
    const code = optString(raw.error_code) ?? optString(raw.errorCode) ?? optString(raw.code);
    const message = optString(raw.error_msg) ?? optString(raw.errorMsg) ?? optString(raw.message);
    return { code, message };
  } catch {
    return {};
  }
}
