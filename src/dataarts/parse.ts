/**
 * The API edge: DataArts JSON text → our model types. Lenient where the docs are loose
 * (missing optional fields, unknown statuses, `executeTime` of unknown unit is ignored), exact where it matters
 * (integers above 2^53 keep every digit, as decimal strings).
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
} from './model';

type Json = Record<string, unknown>;

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
      if (typeof field === 'number' && !Number.isSafeInteger(field) && Number.isInteger(field)) unsafe = true;
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

function times(raw: Json): { planTime?: number; startTime?: number; endTime?: number } {
  return {
    planTime: optNumber(raw.planTime),
    startTime: optNumber(raw.startTime),
    endTime: optNumber(raw.endTime),
  };
}

export function parseNode(value: unknown): JobNode {
  const raw = asObject(value, 'node');
  return {
    name: optString(raw.nodeName) ?? '(unnamed node)',
    status: parseNodeStatus(raw.status),
    type: optString(raw.type) ?? 'unknown',
    ...times(raw),
    retryTimes: optNumber(raw.retryTimes),
    inputRowCount: optNumber(raw.inputRowCount),
    speed: optNumber(raw.speed),
    logPath: optString(raw.logPath) || undefined,
  };
}

export function parseJobInstance(value: unknown): JobInstance {
  const raw = asObject(value, 'instance');
  const instanceId = idText(raw.instanceId);
  const jobName = optString(raw.jobName);
  if (instanceId === undefined) throw unreadable('instanceId missing');
  if (jobName === undefined) throw unreadable('jobName missing');
  const nodes = Array.isArray(raw.nodes) ? raw.nodes.map(parseNode) : [];
  return {
    jobName,
    instanceId,
    status: parseInstanceStatus(raw.status),
    ...times(raw),
    total: optNumber(raw.total) ?? nodes.length,
    nodes,
    forceSuccess: bool(raw.forceSuccess),
    ignoreSuccess: bool(raw.ignoreSuccess),
  };
}

export function parseInstanceSummary(value: unknown): InstanceSummary {
  const raw = asObject(value, 'instance');
  const instanceId = idText(raw.instanceId);
  if (instanceId === undefined) throw unreadable('instanceId missing');
  return {
    jobName: optString(raw.jobName) ?? '',
    instanceId,
    status: parseInstanceStatus(raw.status),
    ...times(raw),
    submitTime: optNumber(raw.submitTime),
    instanceType: optNumber(raw.instanceType),
    jobInstanceName: optString(raw.jobInstanceName),
    forceSuccess: bool(raw.forceSuccess),
    ignoreSuccess: bool(raw.ignoreSuccess),
  };
}

export function parseInstancePage(value: unknown): InstancePage {
  const raw = asObject(value, 'instance list');
  const instances = Array.isArray(raw.instances) ? raw.instances.map(parseInstanceSummary) : [];
  return { total: optNumber(raw.total) ?? instances.length, instances };
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
  const id = idText(asObject(value, 'run-immediate answer').instanceId);
  if (id === undefined) throw unreadable('instanceId missing');
  return id;
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
