/**
 * Drains one channel's outbox of announced ends, in the order they ended, one Slack post at a time and at most
 * about one a second (Slack's per-channel limit). Each item becomes, when its turn comes:
 * - a recovery item: a "recovered" reply in the thread of the job's last alert here, if that was a failure;
 * - an announce item: a reply in the thread of the alert this instance already had here when it ended again (a
 *   rerun), otherwise a new alert. Alerts that piled up (a storm: more than STORM_AFTER waiting) go out together
 *   as one grouped message listing up to MAX_GROUP runs; the rest follow in the next ones;
 * - nothing, when none of that applies.
 * The items of a post are moved into the channel's batch before posting, and the post is keyed by the batch, so a
 * crash or a lost answer never loses an item or posts one twice. Details are fetched when a post is about to go.
 */
import type { DataArtsApi } from '../dataarts/api';
import { DataArtsError, InstanceNotFoundError, ThrottledError } from '../dataarts/errors';
import type { JobInstance } from '../dataarts/model';
import type { Logger } from '../logger';
import { type EndSeen, lineOf } from './announcer';
import { type AlertLine, announcedStatuses, instanceKey, isFailureStatus, type WatchSummary } from './model';
import type { Notifier } from './notifier';
import type { Content, Outlet } from './outlet';
import type { PollOutcome } from './poller';
import {
  type AlertRecord,
  type Batch,
  batchId,
  jobKey,
  type LastAlert,
  type OutboxItem,
  type WatchStore,
} from './watch-store';

/** More waiting alerts than this and they go out as one grouped message. */
export const STORM_AFTER = 3;
/** The most runs one grouped message lists. */
export const MAX_GROUP = 20;
/** Slack allows about one post a second per channel. */
const POST_GAP_MS = 1_100;
/** DataArts errors that pass (busy, down, credentials being fixed): an alert waits for the details through them. */
export const PASSING = new Set<string>(['throttled', 'unavailable', 'auth-failed']);
/** An ended instance's details serve every channel that alerts it within this long (one read, not one per channel). */
const DETAILS_FRESH_MS = 30_000;
const DETAILS_KEPT = 1_000;

export interface DrainerDeps {
  dataarts: DataArtsApi;
  watches: WatchStore;
  notifier: Notifier;
  outlet: Outlet;
  logger: Logger;
  clock?: () => number;
}

type Decision =
  | { kind: 'alert' }
  | { kind: 'again'; threadTs: string }
  | { kind: 'recovered'; threadTs: string; failedInstanceId: string }
  | { kind: 'nothing' };

function keyOf(item: OutboxItem): string {
  return instanceKey({
    workspace: item.workspace || undefined,
    job: item.line.job,
    instanceId: item.line.instanceId,
  });
}

function endOf(item: OutboxItem): EndSeen {
  const { line } = item;
  return {
    workspace: item.workspace,
    job: line.job,
    instanceId: line.instanceId,
    status: line.status,
    ...(line.startTime !== undefined ? { startTime: line.startTime } : {}),
    ...(line.endTime !== undefined ? { endTime: line.endTime } : {}),
    at: line.endTime ?? 0,
  };
}

export class Drainer {
  private readonly clock: () => number;
  private readonly fetched = new Map<string, { at: number; details: Promise<JobInstance | undefined> }>();

  constructor(private readonly deps: DrainerDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  /** Posts the channel's next message; done when its outbox is empty, otherwise when to come back. */
  async drain(channel: string): Promise<PollOutcome> {
    const { watches } = this.deps;
    // Items that turn out to be nothing are dropped on the way; a bounded number per run.
    for (let round = 0; round < 100; round++) {
      const batch = (await watches.batch(channel)) ?? (await this.nextBatch(channel));
      if (batch === 'empty') return { done: true };
      if (batch === undefined) continue;
      const last = await watches.lastPostAt(channel);
      const wait = last === undefined ? 0 : last + POST_GAP_MS - this.clock();
      if (wait > 0) return { done: false, delayMs: wait };
      const outcome = await this.post(channel, batch);
      if (outcome !== 'posted') return outcome;
      return (await watches.pending(channel)) === 0 ? { done: true } : { done: false, delayMs: POST_GAP_MS };
    }
    return { done: false, delayMs: POST_GAP_MS };
  }

  /** The next batch taken from the head of the outbox; 'empty' when there is none, undefined when it dropped one. */
  private async nextBatch(channel: string): Promise<Batch | 'empty' | undefined> {
    const { watches } = this.deps;
    const head = await watches.head(channel, MAX_GROUP + STORM_AFTER + 1);
    if (head.length === 0) return 'empty';
    const first = head[0]!;
    const decision = await this.decide(channel, first);
    let batch: Batch;
    switch (decision.kind) {
      case 'nothing':
        await watches.drop(channel, [first.key]);
        return undefined;
      case 'again':
        batch = {
          id: batchId(channel, [first.key]),
          kind: 'again',
          items: [first],
          threadTs: decision.threadTs,
        };
        break;
      case 'recovered':
        batch = {
          id: batchId(channel, [first.key]),
          kind: 'recovered',
          items: [first],
          threadTs: decision.threadTs,
          failedInstanceId: decision.failedInstanceId,
        };
        break;
      case 'alert': {
        // The new alerts waiting right behind it, up to the first item that must wait its turn (a recovery or a
        // rerun may depend on an alert not posted yet) or a second end of an instance already in the group.
        const alerts: OutboxItem[] = [first];
        for (const item of head.slice(1)) {
          if (item.purpose !== 'announce' || alerts.some((other) => keyOf(other) === keyOf(item))) break;
          if ((await this.decide(channel, item)).kind !== 'alert') break;
          alerts.push(item);
        }
        const items = alerts.length > STORM_AFTER ? alerts.slice(0, MAX_GROUP) : [first];
        batch = {
          id: batchId(
            channel,
            items.map((item) => item.key),
          ),
          kind: 'alerts',
          items,
        };
      }
    }
    return (await watches.takeBatch(channel, batch)) ? batch : undefined;
  }

  private async decide(channel: string, item: OutboxItem): Promise<Decision> {
    const { watches } = this.deps;
    if (item.purpose === 'recovery') {
      const last = await watches.lastAlert(channel, jobKey(item.workspace, item.line.job));
      return last && isFailureStatus(last.status)
        ? { kind: 'recovered', threadTs: last.ts, failedInstanceId: last.instanceId }
        : { kind: 'nothing' };
    }
    const before = await watches.alertOf(channel, keyOf(item));
    if (before) {
      // Announced here already: a new end of the same instance is a rerun's, told in that thread.
      return before.endTime === item.line.endTime && before.status === item.line.status
        ? { kind: 'nothing' }
        : { kind: 'again', threadTs: before.ts };
    }
    return item.watches.some((watch) => announcedStatuses(watch.mode).has(item.line.status))
      ? { kind: 'alert' }
      : { kind: 'nothing' };
  }

  /** Posts a batch exactly once, then records what it posted; 'posted', or when to try again. */
  private async post(channel: string, batch: Batch): Promise<'posted' | PollOutcome> {
    const { watches, notifier } = this.deps;
    let shown: { content: Content; lines: AlertLine[] };
    try {
      shown = await this.contentOf(batch);
    } catch (error) {
      if (!(error instanceof DataArtsError)) throw error;
      this.deps.logger.warn({ channel, kind: error.kind }, 'an alert waits for DataArts');
      return {
        done: false,
        delayMs: Math.max(2_000, error instanceof ThrottledError ? (error.retryAfterMs ?? 0) : 0),
      };
    }
    const result = await notifier.deliver({
      key: `batch:${batch.id}`,
      channel,
      threadTs: batch.threadTs,
      content: shown.content,
    });
    if (result.outcome === 'retry-later')
      return { done: false, delayMs: Math.max(POST_GAP_MS, result.retryAfterMs ?? 2_000) };
    await watches.setLastPostAt(channel, this.clock());
    const alerts: [string, AlertRecord][] = [];
    const last: [string, LastAlert][] = [];
    // Undeliverable (the bot left the channel): nothing to record, the items are given up.
    const ts = result.outcome === 'undeliverable' ? undefined : result.ts;
    if (ts) {
      batch.items.forEach((item, index) => {
        const line = shown.lines[index] ?? item.line;
        const thread = batch.kind === 'alerts' ? ts : (batch.threadTs ?? ts);
        if (batch.kind !== 'recovered')
          alerts.push([
            keyOf(item),
            {
              ts: thread,
              status: line.status,
              ...(line.endTime !== undefined ? { endTime: line.endTime } : {}),
            },
          ]);
        last.push([
          jobKey(item.workspace, item.line.job),
          { ts: thread, status: line.status, instanceId: line.instanceId },
        ]);
      });
    }
    await watches.finishBatch(channel, batch.id, alerts, last);
    // What a lone alert's buttons act on, recorded last: once it is there, so is everything the watch knows of
    // the alert (a Rerun pressed at once finds the alert the watch will tell the rerun's end under).
    const [only] = batch.items;
    if (ts && batch.kind === 'alerts' && batch.items.length === 1 && only)
      await this.deps.outlet.record(channel, ts, {
        job: only.line.job,
        instanceId: only.line.instanceId,
        ...(only.workspace ? { workspace: only.workspace } : {}),
      });
    return 'posted';
  }

  /** What the post shows, with each item's line as it now stands (details fetched; a deleted one from its row). */
  private async contentOf(batch: Batch): Promise<{ content: Content; lines: AlertLine[] }> {
    const fetched = await Promise.all(
      batch.items.map((item) => (batch.kind === 'recovered' ? undefined : this.details(item))),
    );
    const lines = batch.items.map((item, index) => {
      const instance = fetched[index];
      return instance ? lineOf(endOf(item), instance) : item.line;
    });
    const watchList = (): WatchSummary[] => [
      ...new Map(
        batch.items.flatMap((item) => item.watches).map((w) => [`${w.pattern}|${w.mode}`, w]),
      ).values(),
    ];
    const [first] = batch.items;
    const instance = fetched[0];
    if (!first) throw new Error('an empty batch');
    if (batch.kind === 'recovered')
      return {
        content: { kind: 'recovered', line: first.line, failedInstanceId: batch.failedInstanceId ?? '' },
        lines,
      };
    if (batch.kind === 'again' && instance)
      return {
        content: { kind: 'again', instance, ...(first.workspace ? { workspace: first.workspace } : {}) },
        lines,
      };
    if (batch.items.length === 1 && instance && batch.kind === 'alerts')
      return {
        content: {
          kind: 'alert',
          instance,
          workspace: first.workspace || undefined,
          watch: first.watches[0]!,
        },
        lines,
      };
    return { content: { kind: 'alerts', lines, more: 0, watches: watchList() }, lines };
  }

  /** The instance's details, read once for every channel whose alert needs them within DETAILS_FRESH_MS. */
  private details(item: OutboxItem): Promise<JobInstance | undefined> {
    const key = `${keyOf(item)}\n${item.line.endTime ?? item.line.status}`;
    const now = this.clock();
    const kept = this.fetched.get(key);
    if (kept && now - kept.at < DETAILS_FRESH_MS) return kept.details;
    const details = this.read(item);
    this.fetched.delete(key);
    // Oldest first: those past DETAILS_FRESH_MS go, so an instance of 14 MiB is not held after its alerts.
    for (const [old, entry] of this.fetched) {
      if (now - entry.at < DETAILS_FRESH_MS && this.fetched.size < DETAILS_KEPT) break;
      this.fetched.delete(old);
    }
    this.fetched.set(key, { at: now, details });
    // A failed read is not kept: the next alert asks again.
    details.catch(() => this.fetched.delete(key));
    return details;
  }

  private async read(item: OutboxItem): Promise<JobInstance | undefined> {
    const { job, instanceId } = item.line;
    try {
      return await this.deps.dataarts.getInstance(job, instanceId, {
        workspace: item.workspace || undefined,
      });
    } catch (error) {
      if (!(error instanceof DataArtsError) || PASSING.has(error.kind)) throw error;
      // Gone, unreadable, refused, or a reference no call can carry: waiting would not change it, and would hold
      // up every alert behind this one. The alert goes out from its list row.
      if (!(error instanceof InstanceNotFoundError))
        this.deps.logger.warn(
          { job: job.slice(0, 200), instanceId: instanceId.slice(0, 40), kind: error.kind },
          "an alert goes out without the instance's details: DataArts would not give them",
        );
      return undefined;
    }
  }
}
