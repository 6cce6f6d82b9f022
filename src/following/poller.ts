/**
 * One poll of one followed instance: a single DataArts call however many messages follow it; the messages
 * updated in place only when what they show changed; at the end, one thread reply per subscribed message;
 * "needs attention" once per status; retirement after the maximum age. Returns when to poll next, or done.
 */
import type { DataArtsApi } from '../dataarts/api';
import { DataArtsError, InstanceNotFoundError, ThrottledError } from '../dataarts/errors';
import { isTerminal, type JobInstance, needsAttention, statusText } from '../dataarts/model';
import type { Logger } from '../logger';
import { renderInstanceMessage } from '../slack/blocks/instance-message';
import { renderEndReply, renderGoneReply, renderRetiredReply } from '../slack/blocks/notification';
import { type SlackWeb, slackErrorCode } from '../slack/web';
import { messageKey, partsOf, type Subscription, signatureOf } from './model';
import type { Notifier } from './notifier';
import { nextPollDelay, type PollSettings } from './schedule';
import type { InstanceState, SubscriptionStore } from './store';

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

/** Thread replies of one poll posted in parallel (each has its own marker, so their order does not matter). */
const REPLIES_AT_ONCE = 10;

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
    const { subscriptions, state } = await store.forPoll(key);
    if (subscriptions.length === 0) {
      // Unless someone subscribed meanwhile.
      if (await store.forget(key, [])) return { done: true };
      return this.later({ errors: 0 });
    }
    const parts = partsOf(key);
    let instance: JobInstance;
    // Ended, with replies or message updates still due (Slack's limits): the ended instance is kept, and
    // DataArts is asked again only once per backoff ceiling, to notice a rerun of the same instance.
    const kept =
      state.final && this.clock() - (state.finalAt ?? 0) < settings.maxBackoffMs ? state.final : undefined;
    try {
      instance = kept
        ? (JSON.parse(kept) as JobInstance)
        : await this.deps.dataarts.getInstance(parts.job, parts.instanceId, {
            workspace: parts.workspace,
          });
    } catch (error) {
      if (error instanceof InstanceNotFoundError) {
        const { pending, retryAfterMs } = await this.replyToAll(subscriptions, 'gone', (s) =>
          renderGoneReply(parts.job, parts.instanceId, s.user),
        );
        if (pending) return this.later({ errors: 0, retryAfterMs });
        return this.finished(key, subscriptions);
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

    if (ended) {
      // Replies first: the update budget (Slack's Tier 3) must not hold up the news.
      const endKey = `end:${key}:${instance.endTime ?? status}`;
      const { pending, retryAfterMs } = await this.replyToAll(
        subscriptions,
        endKey,
        (s) => renderEndReply(instance, s.user, now),
        status === 'fail' && this.deps.broadcastFailures,
      );
      // Messages not updated now (budget spent, Slack hiccup) are updated on the next poll.
      const allUpdated =
        signature === state.signature ||
        (await this.updateMessages(key, subscriptions, instance, false, signature, state));
      if (pending || !allUpdated) {
        await store.setState(key, {
          status,
          errors: 0,
          ...(allUpdated ? { signature } : {}),
          ...(kept ? {} : { final: JSON.stringify(instance), finalAt: now }),
        });
        return this.later({ errors: 0, retryAfterMs });
      }
      return this.finished(key, subscriptions);
    }
    // Running again after an end that was kept (a rerun): it is followed as any running instance.
    const rerun = state.final ? { final: '' } : {};
    if (signature !== state.signature) {
      const allUpdated = await this.updateMessages(key, subscriptions, instance, true, signature, state);
      await store.setState(key, { status, errors: 0, ...rerun, ...(allUpdated ? { signature } : {}) });
    } else if (state.errors || state.final) {
      await store.setState(key, { errors: 0, ...rerun });
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
        await this.updateMessages(key, subscriptions, instance, false, signature, state);
        return this.finished(key, subscriptions);
      }
    }
    return this.later({ errors: 0 });
  }

  /**
   * Every subscription polled here has had its reply: they go, and polling stops, unless someone subscribed
   * during this poll. That subscription was not replied to (nor its message updated): the next poll does both.
   */
  private async finished(key: string, replied: Subscription[]): Promise<PollOutcome> {
    if (await this.deps.store.forget(key, replied)) return { done: true };
    await this.deps.store.setState(key, { signature: '' });
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
    // A few at a time: one after another, an instance with k subscribers held its poll for k Slack round trips
    // (k × ~200 ms), and when thousands end together the other instances' polls waited behind it.
    for (let i = 0; i < subscriptions.length; i += REPLIES_AT_ONCE) {
      const results = await Promise.all(
        subscriptions.slice(i, i + REPLIES_AT_ONCE).map((subscription) =>
          this.deps.notifier.deliver({
            key: `${prefix}:${messageKey(subscription.channel, subscription.ts)}`,
            channel: subscription.channel,
            threadTs: subscription.ts,
            message: render(subscription),
            broadcast,
          }),
        ),
      );
      for (const result of results) {
        if (result.outcome === 'retry-later') {
          pending = true;
          retryAfterMs = Math.max(retryAfterMs ?? 0, result.retryAfterMs ?? 0) || undefined;
        }
      }
    }
    return { pending, retryAfterMs };
  }

  /**
   * chat.update on each followed message not showing this yet; false if some could not be updated now (tried
   * again next poll). Each update is recorded, so a pass cut short by the budget goes on where it stopped next
   * time instead of starting over (an instance followed by more messages than the budget would never finish).
   */
  private async updateMessages(
    key: string,
    subscriptions: Subscription[],
    instance: JobInstance,
    following: boolean,
    signature: string,
    state: InstanceState,
  ): Promise<boolean> {
    const mark = `${signature}:${following ? 'following' : 'let go'}`;
    const shown: Record<string, string> = {};
    let all = true;
    try {
      for (const subscription of subscriptions) {
        const message = messageKey(subscription.channel, subscription.ts);
        if (state.shown?.[message] === mark) continue;
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
          shown[message] = mark;
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
    } finally {
      if (Object.keys(shown).length > 0) await this.deps.store.setState(key, { shown });
    }
  }
}
