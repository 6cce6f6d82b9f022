/**
 * One poll of one followed instance: a single DataArts call however many messages follow it; the messages
 * updated in place only when what they show changed; at the end, one thread reply per subscribed message;
 * "needs attention" once per status; retirement after the maximum age. Returns when to poll next, or done.
 */
import { createHash } from 'node:crypto';
import type { DataArtsApi } from '../dataarts/api';
import { DataArtsError, InstanceNotFoundError, ThrottledError } from '../dataarts/errors';
import { isTerminal, type JobInstance, needsAttention, statusText } from '../dataarts/model';
import type { Logger } from '../logger';
import { renderInstanceMessage } from '../slack/blocks/instance-message';
import { renderEndReply, renderGoneReply, renderRetiredReply } from '../slack/blocks/notification';
import { type SlackWeb, slackErrorCode } from '../slack/web';
import { messageKey, partsOf, type Subscription } from './model';
import type { Notifier } from './notifier';
import { nextPollDelay, type PollSettings } from './schedule';
import type { SubscriptionStore } from './store';

export type PollOutcome = { done: true } | { done: false; delayMs: number };

export interface PollerDeps {
  dataarts: DataArtsApi;
  store: SubscriptionStore;
  web: SlackWeb;
  notifier: Notifier;
  settings: PollSettings;
  logger: Logger;
  clock?: () => number;
  consoleUrl?: string;
  broadcastFailures?: boolean;
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

/** Gone from Slack: stop updating that message. */
const MESSAGE_GONE = new Set([
  'message_not_found',
  'channel_not_found',
  'is_archived',
  'cant_update_message',
]);

export class Poller {
  private readonly clock: () => number;
  constructor(private readonly deps: PollerDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  async poll(key: string): Promise<PollOutcome> {
    const { store, settings } = this.deps;
    const subscriptions = await store.byInstance(key);
    if (subscriptions.length === 0) {
      await store.forget(key);
      return { done: true };
    }
    const parts = partsOf(key);
    const state = await store.state(key);
    let instance: JobInstance;
    try {
      instance = await this.deps.dataarts.getInstance(parts.job, parts.instanceId, {
        workspace: parts.workspace,
      });
    } catch (error) {
      if (error instanceof InstanceNotFoundError) {
        const { pending, retryAfterMs } = await this.replyToAll(subscriptions, 'gone', (s) =>
          renderGoneReply(parts.job, parts.instanceId, s.user),
        );
        if (pending) return this.later({ errors: 0, retryAfterMs });
        await store.forget(key);
        return { done: true };
      }
      if (!(error instanceof DataArtsError)) throw error;
      const errors = (state.errors ?? 0) + 1;
      await store.setState(key, { errors });
      this.deps.logger.warn(
        { job: parts.job, instanceId: parts.instanceId, kind: error.kind, errors },
        'poll failed',
      );
      return this.later({
        errors,
        retryAfterMs: error instanceof ThrottledError ? error.retryAfterMs : undefined,
      });
    }

    const now = this.clock();
    const status = statusText(instance.status);
    const ended = isTerminal(instance.status);
    const signature = signatureOf(instance);
    // Messages not updated now (budget spent, Slack hiccup) are updated on the next poll.
    let allUpdated = true;
    if (signature !== state.signature) {
      allUpdated = await this.updateMessages(subscriptions, instance, !ended);
      await store.setState(key, { status, errors: 0, ...(allUpdated ? { signature } : {}) });
    } else if (state.errors) {
      await store.setState(key, { errors: 0 });
    }

    if (ended) {
      const endKey = `end:${key}:${instance.endTime ?? status}`;
      const { pending, retryAfterMs } = await this.replyToAll(
        subscriptions,
        endKey,
        (s) => renderEndReply(instance, s.user, now),
        status === 'fail' && this.deps.broadcastFailures,
      );
      if (pending || !allUpdated) return this.later({ errors: 0, retryAfterMs });
      await store.forget(key);
      return { done: true };
    }
    if (needsAttention(instance.status)) {
      await this.replyToAll(subscriptions, `attention:${key}:${status}:${instance.startTime ?? ''}`, (s) =>
        renderEndReply(instance, s.user, now),
      );
    }
    if (state.since !== undefined && now - state.since > settings.maxAgeMs) {
      const { pending } = await this.replyToAll(subscriptions, `retired:${key}`, (s) =>
        renderRetiredReply(parts.job, parts.instanceId, status, s.user, settings.maxAgeMs),
      );
      if (!pending) {
        await this.updateMessages(subscriptions, instance, false);
        await store.forget(key);
        return { done: true };
      }
    }
    return this.later({ errors: 0 });
  }

  private later(situation: { errors: number; retryAfterMs?: number }): PollOutcome {
    return { done: false, delayMs: nextPollDelay(this.deps.settings, situation) };
  }

  /** One reply per subscribed message; says whether some must be tried again later, and after how long. */
  private async replyToAll(
    subscriptions: Subscription[],
    prefix: string,
    render: (subscription: Subscription) => ReturnType<typeof renderEndReply>,
    broadcast = false,
  ): Promise<{ pending: boolean; retryAfterMs?: number }> {
    let pending = false;
    let retryAfterMs: number | undefined;
    for (const subscription of subscriptions) {
      const result = await this.deps.notifier.deliver({
        key: `${prefix}:${messageKey(subscription.channel, subscription.ts)}`,
        channel: subscription.channel,
        threadTs: subscription.ts,
        message: render(subscription),
        broadcast,
      });
      if (result.outcome === 'retry-later') {
        pending = true;
        retryAfterMs = Math.max(retryAfterMs ?? 0, result.retryAfterMs ?? 0) || undefined;
      }
    }
    return { pending, retryAfterMs };
  }

  /** chat.update on each followed message; false if some could not be updated now (tried again next poll). */
  private async updateMessages(
    subscriptions: Subscription[],
    instance: JobInstance,
    following: boolean,
  ): Promise<boolean> {
    let all = true;
    for (const subscription of subscriptions) {
      if (!(await this.deps.store.takeUpdateBudget(this.clock(), this.deps.settings.updatesPerMinute)))
        return false;
      const rendered = renderInstanceMessage(instance, {
        now: this.clock(),
        workspace: subscription.workspace,
        consoleUrl: this.deps.consoleUrl,
        subscribed: following,
      });
      try {
        await this.deps.web.idempotent.chat.update({
          channel: subscription.channel,
          ts: subscription.ts,
          text: rendered.text,
          blocks: rendered.blocks,
        });
      } catch (error) {
        const code = slackErrorCode(error);
        if (code && MESSAGE_GONE.has(code)) {
          await this.deps.store.remove(subscription.channel, subscription.ts);
        } else {
          all = false;
          this.deps.logger.warn({ channel: subscription.channel, slackError: code }, 'chat.update failed');
        }
      }
    }
    return all;
  }
}
