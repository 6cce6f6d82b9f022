/** What a subscription is: a posted instance message that someone asked to follow to the instance's end. */
import { createHash } from 'node:crypto';

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
