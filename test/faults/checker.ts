/**
 * The checker over what the fakes recorded: for every followed message whose instance ended, how many end
 * replies its thread got in the Slack stand-in (the bot's metadata key `end:…` marks them), and how long after
 * the simulator's end the first one was posted. A thread that got none but whose reply Slack refused for good
 * (an archived channel, say) is undeliverable, not missing.
 */

import { INSTANCE_EVENT } from '../../src/slack/blocks/metadata';
import type { SlackStandin, StoredMessage } from '../../src/slack-standin';
import { sleep } from '../helpers/backends';

/** A followed message, and when the runner ended its instance in the simulator. */
export interface Followed {
  channel: string;
  ts: string;
  job: string;
  instanceId: string;
  /** Date.now() when the simulator was told to end the instance; absent while it runs. */
  endedAt?: number;
}

export interface Tally {
  expected: number;
  delivered: number;
  duplicates: number;
  missing: number;
  undeliverable: number;
  /** End → first reply, per delivered thread, ms. */
  delays: number[];
}

/** Slack answers after which the bot rightly gives up (the notifier's PERMANENT list, as Slack words it). */
const PERMANENT = new Set(['channel_not_found', 'is_archived', 'not_in_channel', 'thread_not_found']);

export function endReplies(standin: SlackStandin, followed: Followed): StoredMessage[] {
  return standin.thread(followed.channel, followed.ts).filter((reply) => {
    const key = (reply.metadata?.event_payload as { k?: unknown } | undefined)?.k;
    return reply.metadata?.event_type === INSTANCE_EVENT && typeof key === 'string' && key.startsWith('end:');
  });
}

/** The permanent refusals Slack gave to end replies in this thread. */
export function refusals(standin: SlackStandin, followed: Followed): string[] {
  return standin
    .calls('chat.postMessage')
    .filter((call) => call.args.channel === followed.channel && call.args.thread_ts === followed.ts)
    .map((call) => String(call.response?.error ?? ''))
    .filter((error) => PERMANENT.has(error));
}

export function tally(standin: SlackStandin, all: Followed[]): Tally {
  const result: Tally = {
    expected: 0,
    delivered: 0,
    duplicates: 0,
    missing: 0,
    undeliverable: 0,
    delays: [],
  };
  for (const followed of all) {
    if (followed.endedAt === undefined) continue;
    result.expected += 1;
    const replies = endReplies(standin, followed);
    if (replies.length > 0) {
      result.delivered += 1;
      result.duplicates += replies.length - 1;
      result.delays.push(replies[0]!.versions[0]!.at - followed.endedAt);
    } else if (refusals(standin, followed).length > 0) result.undeliverable += 1;
    else result.missing += 1;
  }
  return result;
}

/**
 * Waits until every ended instance's thread has its reply (or was refused for good), then a little longer,
 * so that a late duplicate (a reconciliation that failed, a second process) is still counted.
 */
export async function settle(
  standin: SlackStandin,
  all: Followed[],
  options: { timeoutMs: number; quietMs: number },
): Promise<Tally> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline && tally(standin, all).missing > 0) await sleep(50);
  await sleep(options.quietMs);
  return tally(standin, all);
}
