/**
 * Following, as the Slack listeners see it: follow a posted message and stop, watch jobs in a channel and stop,
 * list what a channel or a person follows and watches. And the work behind it, wired to the engine: the sweep of
 * each workspace (the one place ends are detected), a look at a followed instance, the announcement of a watched
 * end, the drain of a channel's alerts. Slack is reached only through the outlet it is given.
 */
import type { DataArtsApi } from '../dataarts/api';
import { DataArtsError } from '../dataarts/errors';
import { isTerminal, type JobInstance } from '../dataarts/model';
import { parseInstanceStatus } from '../dataarts/parse';
import type { Logger } from '../logger';
import type { LogExcerpts } from '../logs/excerpts';
import { type FollowingStats, type Metrics, unobserved } from '../metrics/metrics';
import { isOutOfMemory } from '../redis/errors';
import { Announcer } from './announcer';
import { Drainer, PASSING } from './drainer';
import type { FollowEngine, Handlers } from './engine';
import { LogFollowUps, logRequestOf } from './log-follow-up';
import {
  endReplyKey,
  type InstanceFacts,
  type InstanceKeyParts,
  instanceKey,
  patternMatches,
  rowSignature,
  type Subscription,
  type Watch,
} from './model';
import { Notifier } from './notifier';
import type { Outlet } from './outlet';
import { Poller, type PollOutcome } from './poller';
import type { PollSettings } from './schedule';
import type { InstanceState, SubscriptionStore } from './store';
import { Sweeper } from './sweep';
import { JobHistory } from './usual';
import type { LiveCard, WatchStore } from './watch-store';

export interface FollowingSettings extends PollSettings {
  broadcastFailures: boolean;
  /** An unconfirmed post older than this is looked for where it would be before posting again. */
  reconcileAfterMs: number;
  /** How often each workspace is swept (DLF_WATCH_INTERVAL_SECONDS). */
  sweepIntervalMs: number;
  /** How far back the sweep's list reaches (DLF_WATCH_WINDOW_HOURS). */
  windowMs: number;
  /** Pages of 1,000 rows a sweep reads at most per list (DLF_WATCH_MAX_PAGES). */
  maxListPages: number;
  /** Ends older than this are not announced, e.g. after a restart (DLF_WATCH_CATCHUP_MINUTES). */
  catchupMs: number;
}

export interface FollowingDeps {
  store: SubscriptionStore;
  watches: WatchStore;
  engine: FollowEngine;
  dataarts: DataArtsApi;
  outlet: Outlet;
  settings: FollowingSettings;
  logger: Logger;
  metrics?: Metrics;
  clock?: () => number;
  /** Failed nodes' logs: each failure reply and alert gets its log's excerpt in its thread (none without). */
  logs?: LogExcerpts;
  /** Notifications may wake the sweeps (DLF_NOTIFY_ENABLED): each sweep checks for an ask at start and end. */
  wakeable?: boolean;
}

/** A workspace is woken at most this often by one process, however many notifications arrive. */
export const WAKE_GAP_MS = 1_000;

export type FollowOutcome = 'followed' | 'already' | 'ended';

export interface FollowOptions {
  /** A rerun: the end it replaces (its endTime, else its status), which this message must not be told again. */
  supersedes?: number | string;
}
/** 'full': the channel already holds the most watches it may (the limit given to watch()). */
export type WatchOutcome = 'added' | 'changed' | 'same' | 'full';

/** Something following cannot do right now because its store is unreachable, or full. */
export class FollowingUnavailableError extends Error {
  constructor(
    readonly what: 'following' | 'watching',
    readonly reason: 'unreachable' | 'full' = 'unreachable',
  ) {
    super(`${what} is unavailable right now: the store is ${reason}`);
    this.name = 'FollowingUnavailableError';
  }
}

export class Following {
  readonly notifier: Notifier;
  private readonly wokenAt = new Map<string, number>();
  /** Wakes asked for within WAKE_GAP_MS of the last: brought forward once it is over. */
  private readonly wakeLater = new Map<string, NodeJS.Timeout>();
  private readonly clock: () => number;
  private readonly metrics: Metrics;

  constructor(private readonly deps: FollowingDeps) {
    this.clock = deps.clock ?? Date.now;
    this.metrics = deps.metrics ?? unobserved;
    this.notifier = new Notifier(
      deps.store,
      deps.outlet,
      deps.logger.child({ component: 'notifier' }),
      this.clock,
      deps.settings.reconcileAfterMs,
      this.metrics,
      deps.logs
        ? async (delivery, ts) => {
            const request = logRequestOf(delivery, ts);
            if (request) await deps.engine.add('log', { request });
          }
        : undefined,
    );
  }

  get engineName(): string {
    return this.deps.engine.name;
  }

  get durable(): boolean {
    return this.deps.store.durable;
  }

  /** Runs the work (sweeps, looks, announcements, drains) in this process, beside any others. */
  async start(): Promise<void> {
    const { deps } = this;
    const { settings } = deps;
    const poller = new Poller({
      dataarts: deps.dataarts,
      store: deps.store,
      outlet: deps.outlet,
      notifier: this.notifier,
      settings,
      logger: deps.logger.child({ component: 'poller' }),
      clock: this.clock,
      broadcastFailures: settings.broadcastFailures,
      history: new JobHistory({ dataarts: deps.dataarts, clock: this.clock, logger: deps.logger }),
    });
    const drain = (channel: string) => deps.engine.add('drain', { channel });
    const announcer = new Announcer({
      watches: deps.watches,
      drain,
      settings: { catchupMs: settings.catchupMs },
      dataartsNow: () => deps.dataarts.now(),
      dataartsEarliestNow: () => deps.dataarts.earliestNow(),
      clock: this.clock,
    });
    const sweeper = new Sweeper({
      dataarts: deps.dataarts,
      store: deps.store,
      watches: deps.watches,
      // In the sweep itself: no queued job per end. A look that must try again later (Slack's limits, DataArts
      // down) or that crashed is handed to the engine, as a look asked for anywhere else.
      poll: async (key, jobRows) => {
        let outcome: PollOutcome;
        const started = performance.now();
        try {
          outcome = await poller.poll(key, { jobRows });
          this.metrics.work('poll', outcome.done ? 'done' : 'again', (performance.now() - started) / 1000);
        } catch (error) {
          this.metrics.work('poll', 'error', (performance.now() - started) / 1000);
          deps.logger.error({ err: error, work: 'poll' }, 'work crashed; retrying');
          outcome = { done: false, delayMs: 5_000 };
        }
        if (!outcome.done) await deps.engine.add('poll', { key }, { delayMs: outcome.delayMs });
      },
      // In the sweep itself, before the ledger moves on: a sweep that dies here sees the row again next time, and
      // each channel's outbox takes an end once. One queue hop less between an end and its alert.
      announce: async (end) => {
        await announcer.announce(end, { deferDrain: true });
      },
      drain,
      refreshCard: async (card) => {
        let instance: JobInstance;
        try {
          instance = await deps.dataarts.getInstance(card.job, card.instanceId, {
            workspace: card.workspace || undefined,
          });
        } catch (error) {
          // Gone from DataArts, or unreadable: the card stays as it was. Passing trouble: next sweep.
          return error instanceof DataArtsError && PASSING.has(error.kind) ? 'again' : 'done';
        }
        return (await deps.outlet.unfurl(card, instance)) === 'failed' ? 'again' : 'done';
      },
      settings: {
        windowMs: settings.windowMs,
        refreshMs: settings.intervalMs,
        maxAgeMs: settings.maxAgeMs,
        catchupMs: settings.catchupMs,
        maxPages: settings.maxListPages,
        refreshesPerSweep: Math.max(
          1,
          Math.floor((settings.updatesPerMinute * settings.sweepIntervalMs) / 60_000),
        ),
      },
      logger: deps.logger.child({ component: 'sweep' }),
      metrics: deps.metrics,
      clock: this.clock,
    });
    const drainer = new Drainer({
      dataarts: deps.dataarts,
      watches: deps.watches,
      notifier: this.notifier,
      outlet: deps.outlet,
      logger: deps.logger.child({ component: 'alerts' }),
      clock: this.clock,
    });
    const logs = deps.logs ? new LogFollowUps({ excerpts: deps.logs, notifier: this.notifier }) : undefined;
    await deps.engine.start(
      this.measured({
        sweep: (workspace) => this.sweep(sweeper, workspace),
        poll: (key) => poller.poll(key),
        // Sweeps announce inline now; this serves announce work queued by an earlier version.
        announce: (end) => announcer.announce(end),
        drain: (channel) => drainer.drain(channel),
        log: async (request) => (logs ? logs.post(request) : { done: true }),
      }),
      () => deps.store.workspaces(),
    );
    this.deps.metrics?.observeFollowing(() => this.stats());
  }

  /** The handlers, each run counted by kind and outcome and timed. */
  private measured(handlers: Handlers): Handlers {
    const measure =
      <A>(kind: keyof Handlers, run: (arg: A) => Promise<PollOutcome>) =>
      async (arg: A): Promise<PollOutcome> => {
        const started = performance.now();
        const seconds = () => (performance.now() - started) / 1000;
        try {
          const outcome = await run(arg);
          this.metrics.work(kind, outcome.done ? 'done' : 'again', seconds());
          return outcome;
        } catch (error) {
          this.metrics.work(kind, 'error', seconds());
          throw error;
        }
      };
    return {
      sweep: measure('sweep', handlers.sweep),
      poll: measure('poll', handlers.poll),
      announce: measure('announce', handlers.announce),
      drain: measure('drain', handlers.drain),
      log: measure('log', handlers.log),
    };
  }

  /** What the metrics read on scrape: markers in flight, and the work queue. */
  async stats(): Promise<FollowingStats> {
    const now = this.clock();
    const [markers, queue] = await Promise.all([
      this.deps.store.markersInFlight(now),
      this.deps.engine.stats?.(now),
    ]);
    return {
      storeFull: this.deps.store.full(),
      markersInFlight: markers.count,
      oldestMarkerInFlightMs: markers.oldestAt === undefined ? 0 : Math.max(0, now - markers.oldestAt),
      ...(queue ? { queue } : {}),
    };
  }

  /**
   * A notification said a job ended (notify/): every workspace with something followed or watched is swept now
   * instead of at its next interval. The ask is a flag every process sees: a sweep already running when it comes
   * runs again once it ends, so an end it read the list too early for is not left to the next interval; and
   * however many notifications come, a workspace is swept at most once a second (WAKE_GAP_MS): one asked for
   * sooner is brought forward when the second is over. Returns how many sweeps were brought forward now.
   */
  async wake(): Promise<number> {
    const now = this.clock();
    let woken = 0;
    for (const workspace of await this.deps.store.workspaces()) {
      await this.deps.store.askSweep(workspace);
      const since = now - (this.wokenAt.get(workspace) ?? Number.NEGATIVE_INFINITY);
      if (since >= WAKE_GAP_MS) {
        this.wokenAt.set(workspace, now);
        await this.deps.engine.add('sweep', { workspace }, { now: true });
        woken += 1;
      } else if (!this.wakeLater.has(workspace)) {
        const timer = setTimeout(() => {
          this.wakeLater.delete(workspace);
          this.wokenAt.set(workspace, this.clock());
          this.deps.engine.add('sweep', { workspace }, { now: true }).catch(() => undefined);
        }, WAKE_GAP_MS - since);
        timer.unref();
        this.wakeLater.set(workspace, timer);
      }
    }
    return woken;
  }

  /** One sweep, then the next one an interval after this one started (a sweep that is idle ends its cycle). */
  private async sweep(sweeper: Sweeper, workspace: string): Promise<PollOutcome> {
    const started = this.clock();
    // What was asked before this sweep reads the list, this sweep answers; an ask while it runs, the next.
    // (A store that cannot answer fails the sweep itself just after, which says so.)
    if (this.deps.wakeable) await this.deps.store.takeSweepAsk(workspace).catch(() => false);
    try {
      const report = await sweeper.sweep(workspace);
      this.metrics.sweep(report.idle ? 'idle' : 'swept');
      if (report.idle) return { done: true };
      this.deps.logger.debug({ workspace, ...report }, 'swept');
    } catch (error) {
      this.metrics.sweep('failed');
      this.deps.logger.warn(
        { workspace, err: (error as Error).message },
        'sweep failed; trying again next interval',
      );
    }
    if (this.deps.wakeable && (await this.deps.store.takeSweepAsk(workspace).catch(() => false)))
      return { done: false, delayMs: Math.max(0, WAKE_GAP_MS - (this.clock() - started)) };
    return {
      done: false,
      delayMs: Math.max(0, this.deps.settings.sweepIntervalMs - (this.clock() - started)),
    };
  }

  async stop(force = false): Promise<void> {
    for (const timer of this.wakeLater.values()) clearTimeout(timer);
    await this.deps.engine.stop(force);
    await this.deps.store.close(force);
    this.deps.logs?.close();
  }

  /** What keeps following from working right now (for /healthz); empty when it works. */
  problems(): string[] {
    switch (this.unavailability()) {
      case 'unreachable':
        return ['Redis cannot be reached (following and watches are unavailable)'];
      case 'full':
        return [
          'Redis is full (used_memory has reached maxmemory): nothing new can be followed or watched; free memory or raise maxmemory',
        ];
      default:
        return [];
    }
  }

  /** Whether a follow or a watch can be stored now: checked before anything is posted for it. */
  available(): boolean {
    return this.unavailability() === undefined;
  }

  /** The error to tell someone whose follow or watch cannot be stored now (after `available()` said false). */
  unavailableError(what: 'following' | 'watching'): FollowingUnavailableError {
    return new FollowingUnavailableError(what, this.unavailability() ?? 'unreachable');
  }

  private unavailability(): 'unreachable' | 'full' | undefined {
    if (!(this.deps.store.reachable() && this.deps.engine.reachable())) return 'unreachable';
    return this.deps.store.full() ? 'full' : undefined;
  }

  /** A write refused for want of memory becomes the plain error, and the store is known to be full. */
  private unavailableAfter(error: unknown, what: 'following' | 'watching'): unknown {
    if (isOutOfMemory(error)) {
      this.deps.store.sawFull();
      return new FollowingUnavailableError(what, 'full');
    }
    // The store went away meanwhile: said plainly, not as "something went wrong".
    return this.available() ? error : this.unavailableError(what);
  }

  /**
   * Follows a posted message that shows `facts`. An instance that has already ended gets its final reply in the
   * thread at once: it is looked at now (the reply needs the nodes, which the caller does not send).
   */
  async follow(
    subscription: Subscription,
    facts: InstanceFacts,
    options: FollowOptions = {},
  ): Promise<FollowOutcome> {
    if (!this.available()) throw this.unavailableError('following');
    try {
      if (options.supersedes !== undefined) {
        // A rerun of the same instance id: the end it replaces is never told in this thread, whatever the next
        // look reads first; the rerun's own end (another endTime) gets its reply.
        const key = endReplyKey(
          instanceKey(subscription),
          options.supersedes,
          subscription.channel,
          subscription.ts,
        );
        await this.deps.store.markDone(key, 'undeliverable:superseded by a rerun');
      }
      return await this.followNow(subscription, facts);
    } catch (error) {
      throw this.unavailableAfter(error, 'following');
    }
  }

  private async followNow(subscription: Subscription, facts: InstanceFacts): Promise<FollowOutcome> {
    const key = instanceKey(subscription);
    const ended = isTerminal(parseInstanceStatus(facts.status));
    // The caller shows the message rendered from these facts: no look need update it to show them again.
    const added = await this.deps.store.add(
      subscription,
      { status: facts.status, signature: facts.signature },
      facts.planTime,
    );
    const workspace = subscription.workspace ?? '';
    try {
      if (ended) {
        await this.deps.engine.add('poll', { key }, { now: true });
      } else {
        // What the message shows now is handled: the sweep looks again when the list shows a change.
        if (added)
          await this.deps.store.setHandled(key, { handled: rowSignature(facts), refreshedAt: this.clock() });
      }
      await this.deps.engine.add('sweep', { workspace });
    } catch (error) {
      // Nothing half: a follow whose work could not be queued is taken back (deletes pass even a full Redis),
      // so the person is told it is not followed and it is not.
      if (added) await this.deps.store.remove(subscription.channel, subscription.ts).catch(() => undefined);
      throw error;
    }
    if (ended) return 'ended';
    return added ? 'followed' : 'already';
  }

  /**
   * Whether this message is a watch alert of this instance whose channel still watches its job: a rerun's end is
   * then told in its thread by the watch (as any rerun of an alerted instance), not by a subscription too.
   */
  async alertTellsRerun(channel: string, ts: string, ref: InstanceKeyParts): Promise<boolean> {
    const alert = await this.deps.watches.alertOf(channel, instanceKey(ref));
    if (alert?.ts !== ts) return false;
    return (await this.deps.watches.inChannel(channel)).some(
      (watch) => (watch.workspace ?? '') === (ref.workspace ?? '') && patternMatches(watch.pattern, ref.job),
    );
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

  /** Watches jobs in a channel (a second watch of the same pattern there changes its mode). */
  async watch(watch: Watch, maxInChannel?: number): Promise<WatchOutcome> {
    if (!this.available()) throw this.unavailableError('watching');
    try {
      const outcome = await this.deps.watches.put(watch, maxInChannel);
      if (outcome === 'full') return outcome;
      const workspace = watch.workspace ?? '';
      await this.deps.store.addWorkspace(workspace);
      await this.deps.engine.add('sweep', { workspace });
      return outcome;
    } catch (error) {
      throw this.unavailableAfter(error, 'watching');
    }
  }

  /**
   * Keeps a card unfurled for a running instance, so the sweep draws it again once the instance ends. Best
   * effort: with the store full or unreachable the card just stays as it was drawn.
   */
  async liveCard(card: LiveCard): Promise<void> {
    if (!this.available()) return;
    try {
      if ((await this.deps.watches.putLiveCard(card)) === 'full') return;
      await this.deps.store.addWorkspace(card.workspace);
      await this.deps.engine.add('sweep', { workspace: card.workspace });
    } catch (error) {
      this.deps.logger.info({ err: (error as Error).message }, 'a live card is not kept');
    }
  }

  async unwatch(id: string): Promise<Watch | undefined> {
    // Removing frees memory: only an unreachable store stops it.
    if (!(this.deps.store.reachable() && this.deps.engine.reachable()))
      throw new FollowingUnavailableError('watching');
    return this.deps.watches.remove(id);
  }

  watchesIn(channel: string): Promise<Watch[]> {
    return this.deps.watches.inChannel(channel);
  }

  watchedChannels(): Promise<string[]> {
    return this.deps.watches.channels();
  }
}
