/**
 * What following needs from Slack, and nothing more: post a message (in a thread or at the top of a channel)
 * carrying a key in its metadata, find such a post again, and update a message in place. Following says what a
 * message is about (`Content`); the Slack side (slack/outlet.ts) renders it and maps Slack's answers onto the
 * outcomes below, so this folder never imports Slack.
 */
import type { JobInstance } from '../dataarts/model';
import type { LogExcerpt } from '../logs/excerpts';
import type { AlertLine, WatchSummary } from './model';
import type { Slowness } from './usual';
import type { LiveCard } from './watch-store';

export type Content =
  /** The instance message itself, as it reads now (updated in place). */
  | { kind: 'instance'; instance: JobInstance; workspace?: string; followed: boolean }
  /** A followed instance ended (or needs attention): the reply in its thread. */
  | { kind: 'end'; instance: JobInstance; workspace?: string; subscriber: string; slowness?: Slowness }
  | {
      kind: 'retired';
      workspace?: string;
      job: string;
      instanceId: string;
      status?: string;
      subscriber: string;
      maxAgeMs: number;
    }
  | { kind: 'gone'; workspace?: string; job: string; instanceId: string; subscriber: string }
  /** A watched job's instance ended as watched: a new message in the channel. */
  | { kind: 'alert'; instance: JobInstance; workspace?: string; watch: WatchSummary }
  /** Several at once (a storm): one message listing them. */
  | { kind: 'alerts'; lines: AlertLine[]; more: number; watches: WatchSummary[] }
  /** An instance already announced here ended again (a rerun): in the first alert's thread. */
  | { kind: 'again'; instance: JobInstance; workspace?: string }
  /** A job whose last alert here was a failure succeeded: in that alert's thread. */
  | { kind: 'recovered'; line: AlertLine; failedInstanceId: string }
  /** The log of a failed node, in the thread of the reply or alert that told the failure (log-follow-up.ts). */
  | {
      kind: 'log';
      workspace?: string;
      job: string;
      instanceId: string;
      node: string;
      excerpt: LogExcerpt;
    };

export interface PostRequest<C extends { kind: string } = Content> {
  channel: string;
  /** A reply in this thread; a top-level message without it. */
  threadTs?: string;
  content: C;
  /** Carried in the message metadata, to find the post again (notifier.ts). */
  key: string;
  /** A thread reply also shown in the channel. */
  broadcast?: boolean;
}

export type PostResult =
  | { kind: 'sent'; ts: string }
  /** Slack refused it now and asked to wait: nothing was posted. */
  | { kind: 'ratelimited'; retryAfterMs: number }
  /** Slack will never take it there (archived, not in channel, thread gone…): nothing was posted. */
  | { kind: 'undeliverable'; reason: string }
  /** Slack answered with another error: nothing was posted. */
  | { kind: 'refused'; reason: string }
  /** No answer (timeout, reset): it may have been posted. */
  | { kind: 'unanswered' };

export type UpdateResult = 'updated' | 'gone' | 'failed';

/** Where a post may be: in a thread, or at the top of a channel since a moment (ms). */
export interface FindWhere {
  channel: string;
  threadTs?: string;
  sinceMs?: number;
}

/**
 * What the notifier needs to post exactly once: post with the key, and find such a post again. Following's
 * outlet is one; the channel digest's (slack/services/digest.ts) is only this, with content of its own.
 */
export interface Poster<C extends { kind: string } = Content> {
  post(request: PostRequest<C>): Promise<PostResult>;
  /** The ts of our post carrying `key`, undefined if surely absent, 'unknown' if it cannot tell now. */
  find(where: FindWhere, key: string): Promise<string | undefined | 'unknown'>;
}

export interface Outlet extends Poster {
  update(channel: string, ts: string, content: Content): Promise<UpdateResult>;
  /** Draws a live card again (chat.unfurl replaces the card it sent for that link before). */
  unfurl(card: LiveCard, instance: JobInstance): Promise<UpdateResult>;
  /** Remember what a posted instance message shows (its buttons act on that), and its permalink. */
  record(
    channel: string,
    ts: string,
    ref: { job: string; instanceId: string; workspace?: string },
  ): Promise<void>;
}
