/**
 * The Slack message metadata every post of the bot carries, so other apps and workflows can tell what a message
 * is about without reading its text (README, "Message metadata"). Pure: facts in, metadata out. Nothing secret
 * goes in (no keys, tokens or log paths); strings are cut to Slack-friendly lengths and lists are bounded.
 *
 * Keyed posts (thread replies, alerts, digests) also carry `k`, the key following finds a post again by
 * (notifier.ts): finding goes by `k` alone, whatever the event type, so posts made before these types still match.
 */
import type { MessageMetadata } from '@slack/types';

/** One instance: an instance message, a thread reply, a lone alert, a rerun told again. */
export const INSTANCE_EVENT = 'dlf_instance';
/** Several instances in one message (a storm of alerts, grouped). */
export const INSTANCES_EVENT = 'dlf_instances';
/** A channel's digest of watched jobs. */
export const DIGEST_EVENT = 'dlf_digest';

/** The most instances or jobs one payload lists. */
const LISTED = 20;

export interface InstanceFacts {
  workspace?: string;
  job: string;
  instanceId: string;
  /** The instance's status as the bot shows it (`success`, `fail`, `running`, …), or what the post says of it. */
  status: string;
}

const cut = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

function keyed(payload: Record<string, unknown>, key?: string): Record<string, unknown> {
  return key === undefined ? payload : { ...payload, k: key };
}

function instancePayload(facts: InstanceFacts): Record<string, string> {
  return {
    workspace: cut(facts.workspace ?? '', 64),
    job: cut(facts.job, 128),
    instance: cut(facts.instanceId, 30),
    status: cut(facts.status, 40),
  };
}

export function instanceMetadata(facts: InstanceFacts, key?: string): MessageMetadata {
  return {
    event_type: INSTANCE_EVENT,
    event_payload: keyed(instancePayload(facts), key) as MessageMetadata['event_payload'],
  };
}

export function instancesMetadata(lines: readonly InstanceFacts[], key?: string): MessageMetadata {
  const listed = lines.slice(0, LISTED);
  return {
    event_type: INSTANCES_EVENT,
    event_payload: keyed(
      {
        count: lines.length,
        instances: listed.map((line) => instancePayload(line)),
      },
      key,
    ) as MessageMetadata['event_payload'],
  };
}

export function digestMetadata(
  jobs: readonly { job: string; failed: number }[],
  key?: string,
): MessageMetadata {
  return {
    event_type: DIGEST_EVENT,
    event_payload: keyed(
      {
        count: jobs.length,
        jobs: jobs.slice(0, LISTED).map((job) => ({ job: cut(job.job, 128), failed: job.failed })),
        failed: jobs.reduce((sum, job) => sum + job.failed, 0),
      },
      key,
    ) as MessageMetadata['event_payload'],
  };
}
