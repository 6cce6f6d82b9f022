/**
 * One sweep of one DataArts workspace: the instance list over a window, read page by page, is the only way ends
 * are detected. Its rows are compared with what the bot last handled:
 * - a followed instance whose row differs (or whose nodes are due a refresh, or whose subscriptions are due to
 *   retire) gets one look (poller.ts); one older than the window is found with a list of its job alone;
 * - a watched job's instance that ended (or paused, or runs with an exception) since the last sweep is handed to
 *   the announcer.
 * The rows' ledger is written after the work is handed over, so a crash in between only hands it over again (the
 * work is idempotent). The cost is the list pages, whatever the number of instances followed or watched.
 *
 * The list is read whole whatever its paging and order (dataarts/paging.ts), over a closed window of at most 7
 * days; a row seen twice (a page shifting while it is read) counts once.
 */
import type { DataArtsApi } from '../dataarts/api';
import { type InstanceSummary, isTerminal, needsAttention, statusText } from '../dataarts/model';
import { LIST_AHEAD_MS, LIST_PAGE, MAX_WINDOW_MS, type WindowQuery, windowEnding } from '../dataarts/paging';
import { isInstanceId, isJobName } from '../dataarts/refs';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import type { EndSeen } from './announcer';
import { type FollowedEntry, partsOf, patternMatches, rowSignature, type Watch } from './model';
import type { SubscriptionStore } from './store';
import type { LiveCard, WatchStore } from './watch-store';

export interface SweepSettings {
  /** The list's window reaches this far back (DLF_WATCH_WINDOW_HOURS). */
  windowMs: number;
  /** Nodes of a running followed instance are refreshed this often (DLF_POLL_INTERVAL_SECONDS). */
  refreshMs: number;
  /** Followed instances still open after this are retired (DLF_SUBSCRIPTION_MAX_AGE_HOURS). */
  maxAgeMs: number;
  /** Refresh looks per sweep at most (the update budget's share of one sweep interval). */
  refreshesPerSweep: number;
  /** Ends older than this (DataArts' clock) are not announced (DLF_WATCH_CATCHUP_MINUTES). */
  catchupMs: number;
  /** Pages of 1,000 rows read at most per list (DLF_WATCH_MAX_PAGES), whatever `total` says. */
  maxPages: number;
}

export interface SweepDeps {
  dataarts: DataArtsApi;
  store: SubscriptionStore;
  watches: WatchStore;
  /**
   * A look at a followed instance, done in the sweep itself (the poller, with this job's rows of the window for
   * its usual duration); what it cannot finish now is handed to the engine to try again later.
   */
  poll(key: string, jobRows: readonly InstanceSummary[]): Promise<void>;
  announce(end: EndSeen): Promise<void>;
  drain(channel: string): Promise<void>;
  /** A live card whose instance the list shows ended: drawn again; 'done' forgets it, 'again' tries next sweep. */
  refreshCard?(card: LiveCard): Promise<'done' | 'again'>;
  settings: SweepSettings;
  logger: Logger;
  metrics?: Metrics;
  clock?: () => number;
}

export interface SweepReport {
  /** DataArts list calls made. */
  calls: number;
  rows: number;
  polls: number;
  announced: number;
  /** Nothing is followed or watched here any more. */
  idle: boolean;
  /** Milliseconds spent reading the list, then on what it showed (looks, ledger, announcements). */
  listMs?: number;
  restMs?: number;
}

/** A live card whose instance never ends is forgotten after this long. */
const LIVE_CARD_MAX_AGE_MS = 7 * 86_400_000;

/** Looks at followed instances a sweep runs at once (each waits on DataArts and Slack, not on CPU). */
export const LOOKS_AT_ONCE = 16;

/** Runs `work` on every item, at most `atOnce` at a time. */
async function eachAtOnce<T>(
  items: readonly T[],
  atOnce: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, items.length) }, worker));
}

/** Rows set aside are logged once each; the memory of them is bounded. */
const SET_ASIDE_REMEMBERED = 10_000;

/** Why a list row cannot be acted on (a job name or id no call could carry), if it cannot. */
export function unusableRow(
  row: Pick<InstanceSummary, 'jobName' | 'instanceId'>,
): 'job-name' | 'instance-id' | undefined {
  if (!isJobName(row.jobName)) return 'job-name';
  if (!isInstanceId(row.instanceId)) return 'instance-id';
  return undefined;
}

/** A followed instance older than the window is looked for in its job's list from a day before its planTime. */
const PLAN_MARGIN_MS = 86_400_000;

/** A row of the ledger: what the sweep last saw of an instance. */
export function ledgerValue(row: InstanceSummary): string {
  return `${statusText(row.status)}|${row.startTime ?? ''}|${row.endTime ?? ''}|${row.planTime ?? ''}`;
}

export function ledgerField(job: string, instanceId: string): string {
  return `${job}\n${instanceId}`;
}

/** What the sweep hands over for a row that changed since the ledger's value, if anything. */
export function endOfRow(
  workspace: string,
  row: InstanceSummary,
  before: string | undefined,
  now: number,
): EndSeen | undefined {
  const status = statusText(row.status);
  const ended = isTerminal(row.status);
  if (!ended && !needsAttention(row.status)) return undefined;
  // A pause has no end time: it happened when the sweep saw it change, or (never seen before) when it started.
  const at = row.endTime ?? (before !== undefined ? now : (row.startTime ?? row.planTime ?? 0));
  return {
    workspace,
    job: row.jobName,
    instanceId: row.instanceId,
    status,
    ...(row.planTime !== undefined ? { planTime: row.planTime } : {}),
    ...(row.startTime !== undefined ? { startTime: row.startTime } : {}),
    ...(row.endTime !== undefined ? { endTime: row.endTime } : {}),
    at,
  };
}

/** Why a followed instance gets a look this sweep, if it does. */
export function followedWork(
  entry: FollowedEntry,
  row: InstanceSummary | undefined,
  now: number,
  settings: Pick<SweepSettings, 'refreshMs' | 'maxAgeMs'>,
): 'changed' | 'missing' | 'refresh' | 'retire' | undefined {
  if (!row) return 'missing';
  if (
    rowSignature({ status: statusText(row.status), startTime: row.startTime, endTime: row.endTime }) !==
    entry.handled
  )
    return 'changed';
  if (now - entry.since > settings.maxAgeMs) return 'retire';
  if (statusText(row.status) === 'running' && now - (entry.refreshedAt ?? 0) >= settings.refreshMs)
    return 'refresh';
  return undefined;
}

export class Sweeper {
  private readonly clock: () => number;
  private readonly setAside = new Set<string>();
  /** The window held more pages than DLF_WATCH_MAX_PAGES (said once until it fits again). */
  private capped = false;
  /** Workspaces whose list held unreadable rows at the last sweep (said once until it has none again). */
  private readonly unreadableIn = new Set<string>();

  constructor(private readonly deps: SweepDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  /**
   * A row the bot cannot act on (no job name, a name or id no request could carry) is left out: it would otherwise
   * hold up every alert of the channels watching it. Counted every sweep, logged once.
   */
  private usable(workspace: string, row: InstanceSummary): boolean {
    const reason = unusableRow(row);
    if (!reason) return true;
    this.deps.metrics?.rowSetAside(reason);
    const key = `${workspace}\n${row.jobName}\n${row.instanceId}`;
    if (!this.setAside.has(key)) {
      if (this.setAside.size >= SET_ASIDE_REMEMBERED) this.setAside.clear();
      this.setAside.add(key);
      this.deps.logger.warn(
        { workspace, reason, job: row.jobName.slice(0, 200), instanceId: row.instanceId.slice(0, 40) },
        'an instance-list row the bot cannot act on is set aside',
      );
    }
    return false;
  }

  async sweep(workspace: string): Promise<SweepReport> {
    const { deps } = this;
    const [followed, watches, cards] = await Promise.all([
      deps.store.followedIn(workspace),
      deps.watches.inWorkspace(workspace),
      deps.refreshCard ? deps.watches.liveCards(workspace) : Promise.resolve([]),
    ]);
    const report: SweepReport = { calls: 0, rows: 0, polls: 0, announced: 0, idle: false };
    if (followed.size === 0 && watches.length === 0 && cards.length === 0) return { ...report, idle: true };
    const started = this.clock();
    const now = deps.dataarts.now();
    const options = { workspace: workspace || undefined };
    const rows = new Map<string, InstanceSummary>();
    const keep = (row: InstanceSummary) => {
      if (this.usable(workspace, row)) rows.set(ledgerField(row.jobName, row.instanceId), row);
    };

    // The window: every row of it, however the list pages (paging.ts).
    const window = windowEnding(now + LIST_AHEAD_MS, deps.settings.windowMs + LIST_AHEAD_MS);
    const windowStart = window.minPlanTime;
    const read = async (query: WindowQuery, whole = false) => {
      const answer = await deps.dataarts.readList(query, options, deps.settings.maxPages);
      report.calls += answer.calls;
      if (whole) {
        const capped = answer.total > deps.settings.maxPages * LIST_PAGE;
        if (capped && !this.capped)
          deps.logger.warn(
            { workspace, total: answer.total, maxPages: deps.settings.maxPages },
            'the instance list holds more rows than DLF_WATCH_MAX_PAGES pages: shorten DLF_WATCH_WINDOW_HOURS or raise DLF_WATCH_MAX_PAGES',
          );
        this.capped = capped;
      }
      if (answer.unreadable > 0) {
        deps.metrics?.rowSetAside('unreadable', answer.unreadable);
        if (!this.unreadableIn.has(workspace))
          deps.logger.warn(
            { workspace, unreadable: answer.unreadable },
            'instance-list rows the bot cannot read (not an object, or no instance id) are set aside',
          );
        this.unreadableIn.add(workspace);
      } else if (whole) this.unreadableIn.delete(workspace);
      if (answer.shortfall > 0)
        deps.logger.debug(
          { workspace, total: answer.total, shortfall: answer.shortfall },
          'the list came short',
        );
      return answer.rows;
    };
    (await read({ ...window, preciseQuery: false }, true)).forEach(keep);

    // Followed instances the window did not show: older ones through their job's own list, from a day before
    // the oldest one's planTime, 7 days at most.
    const olderByJob = new Map<string, number>();
    for (const [key, entry] of followed) {
      const { job, instanceId } = partsOf(key);
      if (
        rows.has(ledgerField(job, instanceId)) ||
        entry.planTime === undefined ||
        entry.planTime >= windowStart
      )
        continue;
      olderByJob.set(job, Math.min(olderByJob.get(job) ?? Number.POSITIVE_INFINITY, entry.planTime));
    }
    for (const [job, planTime] of olderByJob) {
      const from = Math.max(0, Math.floor(planTime - PLAN_MARGIN_MS));
      const older = await read({
        jobName: job,
        preciseQuery: true,
        minPlanTime: from,
        maxPlanTime: Math.min(from + MAX_WINDOW_MS, windowStart),
      });
      older.filter((row) => row.jobName === job).forEach(keep);
    }
    report.rows = rows.size;
    const listed = this.clock();
    report.listMs = listed - started;

    // Followed instances: a look for each that changed, is missing (deleted?), is due to retire, or is due a
    // refresh of its nodes (a bounded number per sweep: Slack's update budget allows no more).
    const clockNow = this.clock();
    const seen: [string, string][] = [];
    const looks: string[] = [];
    let refreshes = 0;
    for (const [key, entry] of followed) {
      const { job, instanceId } = partsOf(key);
      const row = rows.get(ledgerField(job, instanceId));
      const why = followedWork(entry, row, clockNow, deps.settings);
      if (!why) continue;
      if (why === 'refresh' && refreshes++ >= deps.settings.refreshesPerSweep) continue;
      if (row && why === 'changed') {
        const signature = rowSignature({
          status: statusText(row.status),
          startTime: row.startTime,
          endTime: row.endTime,
        });
        if (entry.seen !== signature) seen.push([key, signature]);
      }
      if (why === 'missing')
        deps.logger.debug({ job, instanceId }, 'a followed instance is not in the list; looking it up');
      looks.push(key);
    }
    // What the looks compare a kept end with, recorded before they run.
    await deps.store.setSeen(workspace, seen);
    if (looks.length > 0) {
      const byJob = new Map<string, InstanceSummary[]>();
      for (const row of rows.values()) byJob.set(row.jobName, [...(byJob.get(row.jobName) ?? []), row]);
      await eachAtOnce(looks, LOOKS_AT_ONCE, (key) => deps.poll(key, byJob.get(partsOf(key).job) ?? []));
      report.polls += looks.length;
    }

    // Watched jobs: every change of a row since the ledger, for the announcer to sort out.
    const ledger = await deps.watches.ledger(workspace);
    const set: [string, string][] = [];
    const oldest = now - deps.settings.catchupMs;
    // In DataArts' clock at its earliest: an end just after a watch is never taken for one before it.
    const earliestWatch =
      Math.min(...watches.map((watch) => watch.createdAt)) + (deps.dataarts.earliestNow() - clockNow);
    for (const [field, row] of rows) {
      const value = ledgerValue(row);
      const before = ledger.get(field);
      if (before === value) continue;
      set.push([field, value]);
      if (!watches.some((watch: Watch) => patternMatches(watch.pattern, row.jobName))) continue;
      const end = endOfRow(workspace, row, before, now);
      if (!end || end.at < oldest || end.at <= earliestWatch) continue;
      await deps.announce(end);
      report.announced += 1;
    }
    // Rows that left the window are forgotten (their instances ended long ago or are followed, read above).
    const remove = [...ledger.keys()].filter((field) => !rows.has(field));
    await deps.watches.writeLedger(workspace, set, remove);
    // Live cards whose instance ended: drawn again within what is left of this sweep's refresh budget; a card
    // whose instance left the window, or that is older than a week, is forgotten.
    for (const card of cards) {
      const row = rows.get(ledgerField(card.job, card.instanceId));
      if (!row) {
        if (card.at < windowStart || clockNow - card.at > LIVE_CARD_MAX_AGE_MS)
          await deps.watches.removeLiveCard(workspace, card.id);
        continue;
      }
      if (!isTerminal(row.status) || refreshes++ >= deps.settings.refreshesPerSweep) continue;
      if ((await deps.refreshCard!(card)) === 'done') await deps.watches.removeLiveCard(workspace, card.id);
    }
    // A drain that finished just as an item arrived would leave it waiting: every sweep looks.
    for (const channel of new Set(watches.map((watch) => watch.channel))) {
      if ((await deps.watches.pending(channel)) > 0 || (await deps.watches.batch(channel)))
        await deps.drain(channel);
    }
    report.restMs = this.clock() - listed;
    return report;
  }
}
