/**
 * Our own types for DataArts Factory job instances, parsed once at the API edge (see parse.ts).
 * Instance ids are decimal strings: the API sends them as JSON numbers that may exceed 2^53.
 * Times are epoch milliseconds.
 */

export const INSTANCE_STATUSES = [
  'waiting',
  'running',
  'success',
  'fail',
  'running-exception',
  'pause',
  'manual-stop',
] as const;
export type KnownInstanceStatus = (typeof INSTANCE_STATUSES)[number];

export const NODE_STATUSES = [
  'waiting',
  'running',
  'success',
  'fail',
  'skip',
  'pause',
  'manual-stop',
] as const;
export type KnownNodeStatus = (typeof NODE_STATUSES)[number];

/** A status the API sent that we do not know: kept verbatim and shown as such, never a crash. */
export interface UnknownStatus {
  readonly unknown: string;
}

export type InstanceStatus = KnownInstanceStatus | UnknownStatus;
export type NodeStatus = KnownNodeStatus | UnknownStatus;

/** Terminal: polling stops. */
export const TERMINAL_STATUSES: readonly KnownInstanceStatus[] = ['success', 'fail', 'manual-stop'];
/** Not terminal per the docs, but a person should look. */
export const ATTENTION_STATUSES: readonly KnownInstanceStatus[] = ['running-exception', 'pause'];

/** The times DataArts sends; those that make no sense are left out and named in `oddTimes` (parse.ts). */
export type TimeField = 'planTime' | 'startTime' | 'endTime' | 'submitTime';

export interface JobNode {
  name: string;
  status: NodeStatus;
  type: string;
  planTime?: number;
  startTime?: number;
  endTime?: number;
  retryTimes?: number;
  inputRowCount?: number;
  /** Write speed, rows per second. */
  speed?: number;
  logPath?: string;
  /** Times DataArts sent for this node that make no sense (parse.ts): left out, shown as unknown. */
  oddTimes?: readonly TimeField[];
}

export interface JobInstance {
  jobName: string;
  instanceId: string;
  status: InstanceStatus;
  planTime?: number;
  startTime?: number;
  endTime?: number;
  /** Number of node records as reported by the API (may differ from nodes.length). */
  total: number;
  nodes: JobNode[];
  forceSuccess: boolean;
  ignoreSuccess: boolean;
  /** Times DataArts sent for the instance itself that make no sense (parse.ts): left out, shown as unknown. */
  oddTimes?: readonly TimeField[];
}

export const INSTANCE_TYPES: Readonly<Record<number, string>> = {
  0: 'scheduled',
  2: 'manual',
  5: 'patch data',
  6: 'sub-job',
  7: 'schedule once',
};

/** One row of the instance list API: no nodes. */
export interface InstanceSummary {
  jobName: string;
  instanceId: string;
  status: InstanceStatus;
  planTime?: number;
  startTime?: number;
  endTime?: number;
  submitTime?: number;
  instanceType?: number;
  jobInstanceName?: string;
  forceSuccess: boolean;
  ignoreSuccess: boolean;
  /** Times DataArts sent for this row that make no sense (parse.ts): left out. */
  oddTimes?: readonly TimeField[];
}

export interface InstancePage {
  total: number;
  instances: InstanceSummary[];
  /** Rows of the answer that could not be read (not an object, no instance id): left out, counted here. */
  unreadable?: number;
}

export interface JobSummary {
  name: string;
  jobType: string;
  status: string;
  owner?: string;
  createUser?: string;
  createTime?: number;
  lastInstanceStatus?: string;
  lastInstanceEndTime?: number;
  path?: string;
}

export interface JobPage {
  total: number;
  jobs: JobSummary[];
}

/** Where a call goes: the workspace header is sent whenever it is known. */
export interface CallOptions {
  workspace?: string;
  signal?: AbortSignal;
}

export interface ListInstancesQuery {
  jobName?: string;
  /** Both bounds are always sent (DataArts fills an absent one in: today 00:00, now), at most 7 days apart. */
  minPlanTime: number;
  maxPlanTime: number;
  limit?: number;
  offset?: number;
  status?: KnownInstanceStatus;
  instanceType?: number;
  /** Exact job-name match; we default it to true, since the API's default is fuzzy. */
  preciseQuery?: boolean;
}

export interface ListJobsQuery {
  jobType?: 'BATCH' | 'REAL_TIME';
  jobName?: string;
  limit?: number;
  offset?: number;
}

export interface JobParam {
  name: string;
  value: string;
  paramType?: 'variable' | 'constants';
}

export function isUnknownStatus(status: InstanceStatus | NodeStatus): status is UnknownStatus {
  return typeof status === 'object';
}

/** The status as one word for display and for storage ("running", or the unknown value verbatim). */
export function statusText(status: InstanceStatus | NodeStatus): string {
  return isUnknownStatus(status) ? status.unknown : status;
}

export function isTerminal(status: InstanceStatus): boolean {
  return !isUnknownStatus(status) && TERMINAL_STATUSES.includes(status);
}

export function needsAttention(status: InstanceStatus): boolean {
  return !isUnknownStatus(status) && ATTENTION_STATUSES.includes(status);
}

/** The instance or any of its nodes came with a time that makes no sense: renderers say so, once. */
export function hasOddTimes(instance: JobInstance): boolean {
  return instance.oddTimes !== undefined || instance.nodes.some((node) => node.oddTimes);
}

/**
 * Duration from the start and end times; `now` for a run still going. Undefined without a start, and when one of
 * the item's times was left out as senseless (an end left out must not read as a run still going).
 */
export function durationMs(
  item: { startTime?: number; endTime?: number; oddTimes?: readonly TimeField[] },
  now?: number,
): number | undefined {
  if (item.startTime === undefined || item.oddTimes?.some((field) => field !== 'planTime')) return undefined;
  const end = item.endTime ?? now;
  if (end === undefined) return undefined;
  return Math.max(0, end - item.startTime);
}
