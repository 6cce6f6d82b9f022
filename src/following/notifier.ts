/**
 * Posts a thread reply exactly once per marker key, across processes, crashes and lost answers. Slack has no
 * idempotency key, so: claim the marker (`inflight`), post with the key in the message metadata, mark `done`.
 * A marker left `inflight` (a crash, or an answer lost after Slack accepted the post) is reconciled by looking
 * for the key in the thread before posting again. Posts never retry inside the SDK.
 */
import type { Logger } from '../logger';
import type { ReplyMessage } from '../slack/blocks/notification';
import { type SlackWeb, slackErrorCode } from '../slack/web';
import type { SubscriptionStore } from './store';

export const METADATA_EVENT = 'dlf_instance_update';

/** Slack errors after which posting again cannot help: the reply is counted undeliverable. */
const PERMANENT = new Set([
  'channel_not_found',
  'is_archived',
  'not_in_channel',
  'thread_not_found',
  'restricted_action',
  'msg_too_long',
  'invalid_blocks',
  'account_inactive',
  'token_revoked',
  'invalid_auth',
]);

/** conversations.replies errors that will not go away by waiting. */
const UNREADABLE = new Set([
  'missing_scope',
  'not_allowed_token_type',
  'not_in_channel',
  'channel_not_found',
  'thread_not_found',
]);

export type DeliveryOutcome = 'sent' | 'already' | 'undeliverable' | 'retry-later';

/** The outcome, and after a 429 how long Slack asked us to wait. */
export interface DeliveryResult {
  outcome: DeliveryOutcome;
  retryAfterMs?: number;
}

export interface Delivery {
  key: string;
  channel: string;
  threadTs: string;
  message: ReplyMessage;
  broadcast?: boolean;
}

export class Notifier {
  constructor(
    private readonly store: SubscriptionStore,
    private readonly web: SlackWeb,
    private readonly logger: Logger,
    private readonly clock: () => number = Date.now,
    /** Longer than a Slack call can take (10 s timeout), so an `inflight` marker this old is no post in flight. */
    private readonly reconcileAfterMs = 15_000,
  ) {}

  async deliver(delivery: Delivery): Promise<DeliveryResult> {
    const now = this.clock();
    // One round trip in the usual cases: no marker yet (claimed now), or `done`.
    const marker = await this.store.claimIfAbsent(delivery.key, now);
    if (marker !== true) {
      if (marker?.state === 'done') return { outcome: 'already' };
      if (marker?.state === 'inflight') {
        if (now - marker.at < this.reconcileAfterMs) return { outcome: 'retry-later' };
        const found = await this.findInThread(delivery);
        if (found === 'unknown') return { outcome: 'retry-later' };
        if (found) {
          await this.store.markDone(delivery.key, found);
          return { outcome: 'already' };
        }
      }
      if (!(await this.store.claim(delivery.key, now, now - this.reconcileAfterMs)))
        return { outcome: 'retry-later' };
    }
    try {
      const common = {
        channel: delivery.channel,
        thread_ts: delivery.threadTs,
        text: delivery.message.text,
        blocks: delivery.message.blocks,
        metadata: { event_type: METADATA_EVENT, event_payload: { k: delivery.key } },
        unfurl_links: false,
      };
      const result = await this.web.post.chat.postMessage(
        delivery.broadcast ? { ...common, reply_broadcast: true } : common,
      );
      await this.store.markDone(delivery.key, result.ts ?? '');
      return { outcome: 'sent' };
    } catch (error) {
      const code = slackErrorCode(error);
      if (code === 'ratelimited') {
        // Slack refused it: nothing was posted, so the marker goes and the poll comes back after Retry-After.
        await this.store.release(delivery.key);
        return {
          outcome: 'retry-later',
          retryAfterMs: ((error as { retryAfter?: number }).retryAfter ?? 1) * 1000,
        };
      }
      if (code && PERMANENT.has(code)) {
        this.logger.warn({ channel: delivery.channel, slackError: code }, 'thread reply undeliverable');
        await this.store.markDone(delivery.key, `undeliverable:${code}`);
        return { outcome: 'undeliverable' };
      }
      if (code) {
        // Another answer from Slack (not a lost one): not posted.
        await this.store.release(delivery.key);
      }
      // No answer at all (timeout, reset): the post may have landed; the marker stays inflight for reconciliation.
      this.logger.warn(
        { channel: delivery.channel, slackError: code ?? 'no answer' },
        'thread reply not confirmed',
      );
      return { outcome: 'retry-later' };
    }
  }

  /** The ts of our reply carrying this key in the thread, undefined if absent, 'unknown' if we cannot tell. */
  private async findInThread(delivery: Delivery): Promise<string | undefined | 'unknown'> {
    try {
      const replies = await this.web.idempotent.conversations.replies({
        channel: delivery.channel,
        ts: delivery.threadTs,
        include_all_metadata: true,
        limit: 200,
      });
      const match = (replies.messages ?? []).find(
        (message) => (message.metadata?.event_payload as { k?: string } | undefined)?.k === delivery.key,
      );
      return match?.ts;
    } catch (error) {
      const code = slackErrorCode(error);
      if (code && UNREADABLE.has(code)) {
        // The thread cannot be read at all (e.g. the app lacks the history scope): posting again risks one
        // duplicate, waiting forever would lose the reply. One duplicate is the lesser harm.
        this.logger.warn({ slackError: code }, 'cannot read the thread to reconcile; posting again');
        return undefined;
      }
      this.logger.warn({ slackError: code }, 'could not read the thread to reconcile a reply');
      return 'unknown';
    }
  }
}
