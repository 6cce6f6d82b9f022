/** What a subscription is: a posted instance message that someone asked to follow to the instance's end. */
import { createHash } from 'node:crypto';
import { type JobInstance, statusText } from '../dataarts/model';

export interface InstanceKeyParts {
  job: string;
  instanceId: string;
  workspace?: string;
}

export interface Subscription extends InstanceKeyParts {
  /** The followed message. */
  channel: string;
  ts: string;
  /** Who subscribed (mentioned in the thread reply). */
  user: string;
  createdAt: number;
  permalink?: string;
}

/** One poll per distinct (workspace, job, instance), however many messages follow it. */
export function instanceKey(parts: InstanceKeyParts): string {
  return JSON.stringify([parts.workspace ?? '', parts.job, parts.instanceId]);
}

export function partsOf(key: string): InstanceKeyParts {
  const [workspace, job, instanceId] = JSON.parse(key) as [string, string, string];
  return { job, instanceId, ...(workspace ? { workspace } : {}) };
}

/** Short, Redis- and BullMQ-safe id for an instance (BullMQ job ids may not contain ':'). */
export function instanceHash(key: string): string {
  return createHash('sha1').update(key).digest('hex').slice(0, 20);
}

export function messageKey(channel: string, ts: string): string {
  return `${channel}/${ts}`;
}

/** The marker key of the one end reply a followed message gets for one end (its endTime, else its status). */
export function endReplyKey(key: string, end: number | string, channel: string, ts: string): string {
  return `end:${key}:${end}:${messageKey(channel, ts)}`;
}

/** What the message shows, minus the clock: it changes only when the instance does. */
export function signatureOf(instance: JobInstance): string {
  const hash = createHash('sha1');
  hash.update(
    `${statusText(instance.status)}|${instance.endTime ?? ''}|${instance.forceSuccess}|${instance.ignoreSuccess}`,
  );
  for (const node of instance.nodes) {
    hash.update(`\n${node.name}|${statusText(node.status)}|${node.endTime ?? ''}|${node.retryTimes ?? ''}`);
  }
  return hash.digest('hex');
}

/**
 * What following needs to know of an instance a message shows, without its nodes (so a look-up thread can send
 * it across cheaply): its status, times and the signature of what the message shows.
 */
export interface InstanceFacts {
  jobName: string;
  instanceId: string;
  status: string;
  planTime?: number;
  startTime?: number;
  endTime?: number;
  signature: string;
}

export function factsOf(instance: JobInstance): InstanceFacts {
  return {
    jobName: instance.jobName,
    instanceId: instance.instanceId,
    status: statusText(instance.status),
    ...(instance.planTime !== undefined ? { planTime: instance.planTime } : {}),
    ...(instance.startTime !== undefined ? { startTime: instance.startTime } : {}),
    ...(instance.endTime !== undefined ? { endTime: instance.endTime } : {}),
    signature: signatureOf(instance),
  };
}

/** The workspace an instance key is in ('' for DataArts' default one). */
export function workspaceOfKey(key: string): string {
  return (JSON.parse(key) as [string])[0];
}

/**
 * What the sweep compares: an instance's status and times as the instance list shows them. A followed instance
 * whose row differs from what was last handled is looked at again; nodes are not in the list.
 */
export function rowSignature(row: { status: string; startTime?: number; endTime?: number }): string {
  return `${row.status}|${row.startTime ?? ''}|${row.endTime ?? ''}`;
}

/** What the sweep knows of each followed instance, in one record per instance (read once per sweep). */
export interface FollowedEntry {
  /** The instance's planTime, so the sweep's window reaches it even when it is older than the window. */
  planTime?: number;
  /** When it was first followed: retirement counts from here. */
  since: number;
  /** rowSignature of what was last handled (the messages show it, its replies went out); '' for nothing yet. */
  handled: string;
  /** When its messages were last rendered from DataArts (nodes refresh at DLF_POLL_INTERVAL_SECONDS). */
  refreshedAt?: number;
  /** The row signature the sweep last saw where it differed from `handled` (a kept end is stale if it differs). */
  seen?: string;
}

// ---- Watches ------------------------------------------------------------------------------------------------

/** `fail`: failures and "needs attention"; `end`: every end. */
export type WatchMode = 'fail' | 'end';

/** What the watch that announces an instance says about itself in the alert. */
export interface WatchSummary {
  pattern: string;
  mode: WatchMode;
}

/** One line of a grouped alert (a storm): enough to name the run and why it matters. */
export interface AlertLine {
  job: string;
  instanceId: string;
  workspace?: string;
  status: string;
  startTime?: number;
  endTime?: number;
  /** The first failed nodes, with their log paths. */
  failed: { name: string; logPath?: string }[];
}

const FAIL_STATES = new Set(['fail', 'running-exception', 'pause']);
const END_STATES = new Set([...FAIL_STATES, 'success', 'manual-stop']);

/** The statuses a watch in this mode announces. */
export function announcedStatuses(mode: WatchMode): ReadonlySet<string> {
  return mode === 'end' ? END_STATES : FAIL_STATES;
}

/** A failure-like end, after which a success is a recovery. */
export function isFailureStatus(status: string): boolean {
  return FAIL_STATES.has(status);
}

/** "Tell this channel about every failure (or end) of these jobs." */
export interface Watch {
  /** Stable for (channel, workspace, pattern): watching again changes the mode instead of adding one. */
  id: string;
  channel: string;
  workspace?: string;
  /** A job name, or a glob where `*` matches any run of characters. */
  pattern: string;
  mode: WatchMode;
  /** Who set it, and when (bot clock; ends before this are never announced). */
  user: string;
  createdAt: number;
}

export function watchId(channel: string, workspace: string | undefined, pattern: string): string {
  return createHash('sha1')
    .update(JSON.stringify([channel, workspace ?? '', pattern]))
    .digest('hex')
    .slice(0, 20);
}

/** A job glob: letters, digits, `_`, `.`, `-` and `*`, at most 128, not only dots. */
export function isJobPattern(pattern: string): boolean {
  return /^[\p{L}\p{N}_.*-]{1,128}$/u.test(pattern) && !/^\.+$/.test(pattern);
}

/** Whether a pattern holds a `*`. */
export function isGlob(pattern: string): boolean {
  return pattern.includes('*');
}

/** Matches job names against a pattern, linearly (no regular expression built from input). */
export function patternMatches(pattern: string, job: string): boolean {
  if (!isGlob(pattern)) return pattern === job;
  const parts = pattern.split('*');
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!job.startsWith(first) || job.length < first.length + last.length) return false;
  let at = first.length;
  for (const middle of parts.slice(1, -1)) {
    if (middle === '') continue;
    const found = job.indexOf(middle, at);
    if (found < 0) return false;
    at = found + middle.length;
  }
  return job.length - last.length >= at && job.endsWith(last);
}
