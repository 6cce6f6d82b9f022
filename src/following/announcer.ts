/**
 * One instance end of a watched job, as the sweep saw it in the list: which channels' watches want to hear of it
 * (an end after the watch was made, within the catch-up window) and an item added to each such channel's outbox,
 * exactly once per (channel, instance end). No DataArts call here: what each item becomes (an alert, a reply in
 * an earlier alert's thread, a recovery, nothing) is decided, and the instance's details fetched, when the
 * channel's outbox is drained, in order (drainer.ts).
 */
import { type JobInstance, statusText } from '../dataarts/model';
import {
  type AlertLine,
  announcedStatuses,
  instanceKey,
  patternMatches,
  type Watch,
  type WatchSummary,
} from './model';
import type { PollOutcome } from './poller';
import type { WatchStore } from './watch-store';

/** What the sweep hands over: the instance as its list row showed it. */
export interface EndSeen {
  workspace: string;
  job: string;
  instanceId: string;
  status: string;
  planTime?: number;
  startTime?: number;
  endTime?: number;
  /** When the end happened, in DataArts' clock (the end time, or when the sweep saw a pause). */
  at: number;
}

export interface AnnouncerDeps {
  watches: WatchStore;
  /** Drains a channel's outbox soon. */
  drain(channel: string): Promise<void>;
  settings: { catchupMs: number };
  /** DataArts' clock, as estimated from its answers. */
  dataartsNow(): number;
  /** DataArts' clock at its earliest (DataArtsApi.earliestNow): a watch hears of every end that may follow it. */
  dataartsEarliestNow(): number;
  clock?: () => number;
}

/** Whether `watch` wants to hear of this end (before asking what it becomes). */
export function interested(watch: Watch, end: EndSeen, offsetMs: number, oldestMs: number): boolean {
  if ((watch.workspace ?? '') !== end.workspace || !patternMatches(watch.pattern, end.job)) return false;
  // Ends before the watch was made are never announced; ends before the catch-up window neither.
  return end.at > watch.createdAt + offsetMs && end.at >= oldestMs;
}

export class Announcer {
  constructor(private readonly deps: AnnouncerDeps) {}

  /**
   * Puts the end into the outbox of each channel that watches it; drains them unless `deferDrain` (the sweep
   * drains every channel once all of its ends are in: a channel then sees a storm whole, however many channels
   * watch the same jobs, and groups it).
   */
  async announce(end: EndSeen, options: { deferDrain?: boolean } = {}): Promise<PollOutcome> {
    const { watches } = this.deps;
    const now = this.deps.dataartsNow();
    const offset = this.deps.dataartsEarliestNow() - (this.deps.clock ?? Date.now)();
    const all = (await watches.inWorkspace(end.workspace)).filter((watch) =>
      interested(watch, end, offset, now - this.deps.settings.catchupMs),
    );
    if (all.length === 0) return { done: true };
    const key = instanceKey({
      workspace: end.workspace || undefined,
      job: end.job,
      instanceId: end.instanceId,
    });
    const byChannel = new Map<string, Watch[]>();
    for (const watch of all) byChannel.set(watch.channel, [...(byChannel.get(watch.channel) ?? []), watch]);

    // What each channel may show: a recovery (any success: the failure it answers may still be on its way to
    // the channel), an alert (a watched status) or a reply in an earlier alert's thread (a rerun).
    for (const [channel, channelWatches] of byChannel) {
      const summaries = channelWatches.map(
        (watch): WatchSummary => ({ pattern: watch.pattern, mode: watch.mode }),
      );
      const base = { workspace: end.workspace, line: lineOf(end), watches: summaries };
      const at = `${channel}|${key}|${end.status}|${end.endTime ?? end.at}`;
      // Keys sort a recovery before an alert of the same end: the recovery reads the job's last alert first.
      if (end.status === 'success')
        await watches.enqueue(channel, { ...base, key: `${at}|a-recovery`, purpose: 'recovery' }, end.at);
      const announced = channelWatches.some((watch) => announcedStatuses(watch.mode).has(end.status));
      if (announced || (await watches.alertOf(channel, key)))
        await watches.enqueue(channel, { ...base, key: `${at}|b-announce`, purpose: 'announce' }, end.at);
      if (!options.deferDrain) await this.deps.drain(channel);
    }
    return { done: true };
  }
}

/** The line a grouped alert shows for an end: from the details when fetched, else from the list row. */
export function lineOf(end: EndSeen, instance?: JobInstance): AlertLine {
  const failed = (instance?.nodes ?? [])
    .filter((node) => statusText(node.status) === 'fail')
    .slice(0, 3)
    .map((node) => ({ name: node.name, ...(node.logPath ? { logPath: node.logPath } : {}) }));
  return {
    job: end.job,
    instanceId: end.instanceId,
    ...(end.workspace ? { workspace: end.workspace } : {}),
    status: instance ? statusText(instance.status) : end.status,
    ...(end.startTime !== undefined ? { startTime: end.startTime } : {}),
    ...(end.endTime !== undefined ? { endTime: end.endTime } : {}),
    failed,
  };
}
