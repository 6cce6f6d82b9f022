/**
 * One look at one followed instance, when the sweep saw its list row change (or its nodes are due a refresh, or
 * its subscriptions are due to retire): a single DataArts call however many messages follow it; the messages
 * updated in place only when what they show changed; at the end, one thread reply per subscribed message;
 * "needs attention" once per status; retirement after the maximum age. Returns done, or when to look again
 * because something is still pending (a reply Slack refused for now, updates over budget, a DataArts error).
 * What it handled is recorded for the sweep, which compares it with the next list rows.
 */
import type { DataArtsApi } from '../dataarts/api';
import { DataArtsError, InstanceNotFoundError, ThrottledError } from '../dataarts/errors';
import {
  type InstanceSummary,
  isTerminal,
  type JobInstance,
  needsAttention,
  statusText,
} from '../dataarts/model';
import type { Logger } from '../logger';
import { endReplyKey, messageKey, partsOf, rowSignature, type Subscription, signatureOf } from './model';
import type { Delivery, Notifier } from './notifier';
import type { Content, Outlet } from './outlet';
import { nextPollDelay, type PollSettings } from './schedule';
import type { Handled, InstanceState, SubscriptionStore } from './store';
import { type JobHistory, slownessOf } from './usual';

export type PollOutcome = { done: true } | { done: false; delayMs: number };

export interface PollerDeps {
  dataarts: DataArtsApi;
  store: SubscriptionStore;
  outlet: Outlet;
  notifier: Notifier;
  settings: PollSettings;
  logger: Logger;
  clock?: () => number;
  broadcastFailures?: boolean;
  /** Each job's recent runs, for "slower than usual" in end replies (none without it). */
  history?: JobHistory;
}

/** Thread replies of one poll posted in parallel (each has its own marker, so their order does not matter). */
const REPLIES_AT_ONCE = 10;

export class Poller {
  private readonly clock: () => number;
  constructor(private readonly deps: PollerDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  /** `jobRows`: the job's rows the sweep just read, when it asks (its usual duration may come from them). */
  async poll(key: string, hint: { jobRows?: readonly InstanceSummary[] } = {}): Promise<PollOutcome> {
    const { store, settings } = this.deps;
    const { subscriptions, state, entry } = await store.forPoll(key);
    if (subscriptions.length === 0) {
      // Unless someone subscribed meanwhile.
      if (await store.forget(key, [])) return { done: true };
      return this.later({ errors: 0 });
    }
    const parts = partsOf(key);
    let instance: JobInstance;
    // Ended, with replies or message updates still due (Slack's limits): the ended instance is kept, and
    // DataArts is asked again only when the list shows something else (a rerun of the same instance).
    const kept = state.final ? (JSON.parse(state.final) as JobInstance) : undefined;
    const keptCurrent = kept && (!entry?.seen || rowSignature(rowOf(kept)) === entry.seen) ? kept : undefined;
    try {
      instance =
        keptCurrent ??
        (await this.deps.dataarts.getInstance(parts.job, parts.instanceId, { workspace: parts.workspace }));
    } catch (error) {
      if (error instanceof InstanceNotFoundError) {
        const { pending, retryAfterMs } = await this.replyToAll(subscriptions, 'gone', (s) => ({
          kind: 'gone',
          ...(parts.workspace ? { workspace: parts.workspace } : {}),
          job: parts.job,
          instanceId: parts.instanceId,
          subscriber: s.user,
        }));
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
    const handled: Handled = {
      handled: rowSignature(rowOf(instance)),
      refreshedAt: keptCurrent ? entry?.refreshedAt : now,
    };

    if (ended) {
      // Replies first: the update budget (Slack's Tier 3) must not hold up the news.
      const slowness = await slownessOf(this.deps.history, instance, {
        workspace: parts.workspace,
        known: hint.jobRows,
      });
      const { pending, retryAfterMs } = await this.replyToAll(
        subscriptions,
        (s) => endReplyKey(key, instance.endTime ?? status, s.channel, s.ts),
        (s) => ({
          kind: 'end',
          instance,
          ...(parts.workspace ? { workspace: parts.workspace } : {}),
          subscriber: s.user,
          ...(slowness ? { slowness } : {}),
        }),
        status === 'fail' && this.deps.broadcastFailures,
      );
      // Messages not updated now (budget spent, Slack hiccup) are updated on the next look.
      const updates =
        signature === state.signature
          ? { all: true, shown: {} }
          : await this.updateMessages(subscriptions, instance, false, signature, state);
      if (pending || !updates.all) {
        await store.setState(key, {
          status,
          errors: 0,
          ...(updates.all ? { signature } : {}),
          ...(keptCurrent ? {} : { final: JSON.stringify(instance), finalAt: now }),
          shown: updates.shown,
        });
        return this.later({ errors: 0, retryAfterMs });
      }
      // Every message shows the end and has its reply: what was shown need not be recorded, all of it goes.
      return this.finished(key, subscriptions);
    }
    // Running again after an end that was kept (a rerun): it is followed as any running instance.
    const rerun = state.final ? { final: '' } : {};
    let allUpdated = true;
    if (signature !== state.signature) {
      const updates = await this.updateMessages(subscriptions, instance, true, signature, state);
      allUpdated = updates.all;
      await store.setState(key, {
        status,
        errors: 0,
        ...rerun,
        ...(allUpdated ? { signature } : {}),
        shown: updates.shown,
      });
    } else if (state.errors || state.final) {
      await store.setState(key, { errors: 0, ...rerun });
    }
    let pending = false;
    if (needsAttention(instance.status)) {
      const replies = await this.replyToAll(
        subscriptions,
        `attention:${key}:${status}:${instance.startTime ?? ''}`,
        (s) => ({
          kind: 'end',
          instance,
          ...(parts.workspace ? { workspace: parts.workspace } : {}),
          subscriber: s.user,
        }),
      );
      pending = replies.pending;
    }
    if (state.since !== undefined && now - state.since > settings.maxAgeMs) {
      const retired = await this.replyToAll(subscriptions, `retired:${key}`, (s) => ({
        kind: 'retired',
        ...(parts.workspace ? { workspace: parts.workspace } : {}),
        job: parts.job,
        instanceId: parts.instanceId,
        status,
        subscriber: s.user,
        maxAgeMs: settings.maxAgeMs,
      }));
      if (!retired.pending) {
        // Retired: what the messages show is not recorded, the instance is forgotten.
        await this.updateMessages(subscriptions, instance, false, signature, state);
        return this.finished(key, subscriptions);
      }
      pending = true;
    }
    if (pending || !allUpdated) return this.later({ errors: 0 });
    // Nothing left to do until the list shows a change (or the nodes are due a refresh): the sweep comes back.
    await store.setHandled(key, handled);
    return { done: true };
  }

  /**
   * Every subscription looked at here has had its reply: they go, unless someone subscribed meanwhile. That
   * subscription was not replied to (nor its message updated): the next look does both.
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
    /** The marker key of each reply, or the prefix the message's key is added to. */
    prefix: string | ((subscription: Subscription) => string),
    content: (subscription: Subscription) => Content,
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
            key:
              typeof prefix === 'string'
                ? `${prefix}:${messageKey(subscription.channel, subscription.ts)}`
                : prefix(subscription),
            channel: subscription.channel,
            threadTs: subscription.ts,
            content: content(subscription),
            broadcast,
          } satisfies Delivery),
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
   * chat.update on each followed message not showing this yet. `all` is false if some could not be updated now
   * (tried again next look); `shown` holds the update made on each message, which the caller records with the
   * instance's state, so a pass cut short by the budget goes on where it stopped next time instead of starting
   * over (an instance followed by more messages than the budget would never finish).
   */
  private async updateMessages(
    subscriptions: Subscription[],
    instance: JobInstance,
    following: boolean,
    signature: string,
    state: InstanceState,
  ): Promise<{ all: boolean; shown: Record<string, string> }> {
    const mark = `${signature}:${following ? 'following' : 'let go'}`;
    const shown: Record<string, string> = {};
    let all = true;
    for (const subscription of subscriptions) {
      const message = messageKey(subscription.channel, subscription.ts);
      if (state.shown?.[message] === mark) continue;
      if (!(await this.deps.store.takeUpdateBudget(this.clock(), this.deps.settings.updatesPerMinute)))
        return { all: false, shown };
      const result = await this.deps.outlet.update(subscription.channel, subscription.ts, {
        kind: 'instance',
        instance,
        workspace: subscription.workspace,
        followed: following,
      });
      if (result === 'updated') shown[message] = mark;
      else if (result === 'gone') await this.deps.store.remove(subscription.channel, subscription.ts);
      else all = false;
    }
    return { all, shown };
  }
}

/** The fields of an instance its list row shows. */
function rowOf(instance: JobInstance): { status: string; startTime?: number; endTime?: number } {
  return { status: statusText(instance.status), startTime: instance.startTime, endTime: instance.endTime };
}
