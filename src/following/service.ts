/**
 * Following instances, as the Slack listeners see it: follow a posted message, stop following it, list what a
 * channel or a person follows. An instance that has already ended is answered at once instead.
 */
import type { DataArtsApi } from '../dataarts/api';
import { isTerminal } from '../dataarts/model';
import { parseInstanceStatus } from '../dataarts/parse';
import type { Logger } from '../logger';
import { BotUnavailableError } from '../slack/blocks/errors';
import type { SlackWeb } from '../slack/web';
import type { PollEngine } from './engine';
import { type InstanceFacts, instanceKey, type Subscription } from './model';
import { Notifier } from './notifier';
import { Poller } from './poller';
import type { PollSettings } from './schedule';
import type { InstanceState, SubscriptionStore } from './store';

export interface SubscriptionSettings extends PollSettings {
  broadcastFailures: boolean;
  /** An unconfirmed reply older than this is looked for in its thread before posting again. */
  reconcileAfterMs: number;
}

export interface SubscriptionsDeps {
  store: SubscriptionStore;
  engine: PollEngine;
  dataarts: DataArtsApi;
  web: SlackWeb;
  settings: SubscriptionSettings;
  logger: Logger;
  clock?: () => number;
  consoleUrl?: string;
}

export type FollowOutcome = 'followed' | 'already' | 'ended';

export class Subscriptions {
  readonly notifier: Notifier;
  private readonly poller: Poller;
  private readonly clock: () => number;

  constructor(private readonly deps: SubscriptionsDeps) {
    this.clock = deps.clock ?? Date.now;
    this.notifier = new Notifier(
      deps.store,
      deps.web,
      deps.logger.child({ component: 'notifier' }),
      this.clock,
      deps.settings.reconcileAfterMs,
    );
    this.poller = new Poller({
      dataarts: deps.dataarts,
      store: deps.store,
      web: deps.web,
      notifier: this.notifier,
      settings: deps.settings,
      logger: deps.logger.child({ component: 'poller' }),
      clock: this.clock,
      consoleUrl: deps.consoleUrl,
      broadcastFailures: deps.settings.broadcastFailures,
    });
  }

  get engineName(): string {
    return this.deps.engine.name;
  }

  get durable(): boolean {
    return this.deps.store.durable;
  }

  async start(): Promise<void> {
    await this.deps.engine.start(
      (key) => this.poller.poll(key),
      () => this.deps.store.instances(),
    );
  }

  async stop(force = false): Promise<void> {
    await this.deps.engine.stop(force);
    await this.deps.store.close(force);
  }

  /** What keeps following from working right now (for /healthz); empty when it works. */
  problems(): string[] {
    const reachable = this.deps.store.reachable() && this.deps.engine.reachable();
    return reachable ? [] : ['Redis cannot be reached (following and subscriptions are unavailable)'];
  }

  /** Whether a follow can be stored now: checked before anything is posted for it. */
  available(): boolean {
    return this.deps.store.reachable() && this.deps.engine.reachable();
  }

  /**
   * Follows a posted message that shows `facts`. An instance that has already ended gets its final reply in the
   * thread at once: the engine polls it now (the reply needs the nodes, which the caller does not send).
   */
  async follow(subscription: Subscription, facts: InstanceFacts): Promise<FollowOutcome> {
    if (!this.available()) throw new BotUnavailableError('following');
    try {
      return await this.followNow(subscription, facts);
    } catch (error) {
      // The store went away meanwhile: said plainly, not as "something went wrong".
      if (!this.available()) throw new BotUnavailableError('following');
      throw error;
    }
  }

  private async followNow(subscription: Subscription, facts: InstanceFacts): Promise<FollowOutcome> {
    const key = instanceKey(subscription);
    const ended = isTerminal(parseInstanceStatus(facts.status));
    // The caller shows the message rendered from these facts: no poll need update it to show them again.
    const added = await this.deps.store.add(subscription, {
      status: facts.status,
      signature: facts.signature,
    });
    if (ended) {
      await this.deps.engine.schedule(key, 0);
      await this.deps.engine.pollSoon(key);
      return 'ended';
    }
    // The first poll comes within one interval, at a random point so bulk subscriptions spread out.
    await this.deps.engine.schedule(
      key,
      Math.round(this.deps.settings.intervalMs * (0.3 + 0.7 * Math.random())),
    );
    return added ? 'followed' : 'already';
  }

  unfollow(channel: string, ts: string): Promise<Subscription | undefined> {
    return this.deps.store.remove(channel, ts);
  }

  byMessage(channel: string, ts: string): Promise<Subscription | undefined> {
    return this.deps.store.byMessage(channel, ts);
  }

  async withState(
    list: Promise<Subscription[]>,
  ): Promise<{ subscription: Subscription; state: InstanceState }[]> {
    const subscriptions = (await list).sort((a, b) => b.createdAt - a.createdAt);
    return Promise.all(
      subscriptions.map(async (subscription) => ({
        subscription,
        state: await this.deps.store.state(instanceKey(subscription)),
      })),
    );
  }

  inChannel(channel: string) {
    return this.withState(this.deps.store.byChannel(channel));
  }

  ofUser(user: string) {
    return this.withState(this.deps.store.byUser(user));
  }
}
