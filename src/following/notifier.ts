/**
 * Posts a message exactly once per marker key, across processes, crashes and lost answers. Slack has no
 * idempotency key, so: claim the marker (`inflight`), post with the key in the message metadata, mark `done`. A
 * marker left `inflight` (a crash, or an answer lost after Slack accepted the post) is reconciled by looking for
 * the key where the post would be (its thread, or the channel since the claim) before posting again.
 */
import type { Logger } from '../logger';
import { type Metrics, unobserved } from '../metrics/metrics';
import type { Content, Poster } from './outlet';

/** Where markers live (Redis, or memory): claimed `inflight`, then `done`. */
export interface MarkerStore {
  /** Claims a marker for posting: true if it was absent, or `inflight` since before `staleBefore`. */
  claim(key: string, now: number, staleBefore: number): Promise<boolean>;
  /** Claims an absent marker (true), or tells what is there, unchanged: one round trip either way. */
  claimIfAbsent(key: string, now: number): Promise<true | Marker | undefined>;
  markDone(key: string, ts: string): Promise<void>;
  release(key: string): Promise<void>;
}

export type Marker = { state: 'inflight'; at: number } | { state: 'done'; ts: string };

export type DeliveryOutcome = 'sent' | 'already' | 'undeliverable' | 'retry-later';

/** The outcome, the message's ts when there is one, and after a 429 how long Slack asked us to wait. */
export interface DeliveryResult {
  outcome: DeliveryOutcome;
  ts?: string;
  retryAfterMs?: number;
}

/** What is delivered: following's content unless a notifier is made for another kind (the digest). */
export interface Delivery<C extends { kind: string } = Content> {
  key: string;
  channel: string;
  /** A reply in this thread; a top-level post without it. */
  threadTs?: string;
  /** Its kind labels the delivery in the metrics. */
  content: C;
  broadcast?: boolean;
}

/** The ts a `done` marker holds when the post was given up as undeliverable. */
const UNDELIVERABLE = 'undeliverable:';

export class Notifier<C extends { kind: string } = Content> {
  constructor(
    private readonly markers: MarkerStore,
    private readonly outlet: Poster<C>,
    private readonly logger: Logger,
    private readonly clock: () => number = Date.now,
    /** Longer than a Slack call can take (10 s timeout), so an `inflight` marker this old is no post in flight. */
    private readonly reconcileAfterMs = 15_000,
    private readonly metrics: Metrics = unobserved,
    /** Told of each post made (or found after a lost answer): what follows a message (its log) starts here. */
    private readonly onPosted?: (delivery: Delivery<C>, ts: string) => Promise<void>,
  ) {}

  /** Delivers, counted by what was delivered and how it went. */
  async deliver(delivery: Delivery<C>): Promise<DeliveryResult> {
    const result = await this.attempt(delivery);
    this.metrics.delivery(delivery.content.kind, result.outcome);
    return result;
  }

  private async attempt(delivery: Delivery<C>): Promise<DeliveryResult> {
    const now = this.clock();
    // One round trip in the usual cases: no marker yet (claimed now), or `done`.
    const marker = await this.markers.claimIfAbsent(delivery.key, now);
    if (marker !== true) {
      if (marker?.state === 'done') return { outcome: 'already', ...doneTs(marker.ts) };
      if (marker?.state === 'inflight') {
        if (now - marker.at < this.reconcileAfterMs) return { outcome: 'retry-later' };
        const found = await this.outlet.find(
          {
            channel: delivery.channel,
            threadTs: delivery.threadTs,
            sinceMs: marker.at - this.reconcileAfterMs,
          },
          delivery.key,
        );
        if (found === 'unknown') return { outcome: 'retry-later' };
        if (found) {
          await this.markers.markDone(delivery.key, found);
          await this.posted(delivery, found);
          return { outcome: 'already', ts: found };
        }
      }
      if (!(await this.markers.claim(delivery.key, now, now - this.reconcileAfterMs)))
        return { outcome: 'retry-later' };
    }
    const result = await this.outlet.post({
      channel: delivery.channel,
      threadTs: delivery.threadTs,
      content: delivery.content,
      key: delivery.key,
      broadcast: delivery.broadcast,
    });
    switch (result.kind) {
      case 'sent':
        await this.markers.markDone(delivery.key, result.ts);
        await this.posted(delivery, result.ts);
        return { outcome: 'sent', ts: result.ts };
      case 'ratelimited':
        // Slack refused it: nothing was posted, so the marker goes and the caller comes back after Retry-After.
        await this.markers.release(delivery.key);
        return { outcome: 'retry-later', retryAfterMs: result.retryAfterMs };
      case 'undeliverable':
        this.logger.warn({ channel: delivery.channel, slackError: result.reason }, 'post undeliverable');
        await this.markers.markDone(delivery.key, `${UNDELIVERABLE}${result.reason}`);
        return { outcome: 'undeliverable' };
      case 'refused':
        // Another answer from Slack (not a lost one): not posted.
        await this.markers.release(delivery.key);
        this.logger.warn({ channel: delivery.channel, slackError: result.reason }, 'post not confirmed');
        return { outcome: 'retry-later' };
      case 'unanswered':
        // No answer at all: the post may have landed; the marker stays inflight for reconciliation.
        this.logger.warn({ channel: delivery.channel, slackError: 'no answer' }, 'post not confirmed');
        return { outcome: 'retry-later' };
    }
  }

  private async posted(delivery: Delivery<C>, ts: string): Promise<void> {
    try {
      await this.onPosted?.(delivery, ts);
    } catch (error) {
      // What follows a message is a courtesy: the message itself is posted and marked.
      this.logger.warn({ err: (error as Error).message }, 'what follows a post could not be started');
    }
  }
}

function doneTs(ts: string): { ts?: string } {
  return ts && !ts.startsWith(UNDELIVERABLE) ? { ts } : {};
}
