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
