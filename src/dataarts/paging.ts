/**
 * The instance list (`GET …/jobs/instances/detail`) read whole, whatever its `offset` means. The docs call it a
 * "start page", Huawei's own callers page the sibling lists by record offset, and the sort order is undocumented
 * (README, "DataArts API notes"). A sweep that guessed wrong would read rows 0–999, 1–1000, 2–1001… and never see
 * the rest of a busy workspace, so the reading is taken from the answers themselves:
 * - one page answers most windows (total ≤ 1,000): no paging at all;
 * - the first time a window needs a second page, two calls of three rows (`offset` 0, then 1) settle it: a record
 *   offset starts the second call with the first call's 2nd row, a page number with rows the first did not have;
 * - every read checks itself: a page that mostly repeats rows already read, or pages that stop short of `total`,
 *   mean the reading may be wrong, so it is probed again (at most once a read) and the missing pages read;
 * - when the answers cannot tell (too few rows, rows shifting), both offset sequences are read and merged, which
 *   is right under either reading.
 * Rows are de-duplicated by job and instance id; their order is never relied on. Every window sent is closed
 * (`minPlanTime` and `maxPlanTime`) and at most 7 days wide, the documented limit.
 */
import type { Logger } from '../logger';
import type { CallOptions, InstancePage, InstanceSummary, ListInstancesQuery } from './model';

export type ListPaging = 'record' | 'page';

/** The list's largest page. */
export const LIST_PAGE = 1_000;
/** The widest window the list accepts (Huawei's doc of 2026-02). */
export const MAX_WINDOW_MS = 7 * 86_400_000;
/**
 * Windows "ending now" end this far ahead of DataArts' clock: an instance planned a moment later (or a clock
 * estimate a little behind) is still in.
 */
export const LIST_AHEAD_MS = 3_600_000;
/** Rows of the probe's two calls. */
const PROBE_ROWS = 3;
/** A read's pages at most (100,000 rows), whatever `total` says. */
const MAX_PAGES = 100;

/** A list query without its paging: the window is always given. */
export type WindowQuery = Omit<ListInstancesQuery, 'limit' | 'offset'>;

export interface ListRead {
  rows: InstanceSummary[];
  /** The largest `total` the answers gave. */
  total: number;
  /** List calls made. */
  calls: number;
  /** Fewer distinct rows than `total` (rows shifting while read, or a page the reading could not reach). */
  shortfall: number;
  /** Rows the answers held that could not be read (parse.ts leaves them out), counted once per page read. */
  unreadable: number;
}

/** The window of `spanMs` ending at `end`, narrowed to the 7 days the list accepts (its start moves up). */
export function windowEnding(end: number, spanMs: number): { minPlanTime: number; maxPlanTime: number } {
  const maxPlanTime = Math.floor(end);
  return { minPlanTime: Math.max(0, maxPlanTime - Math.min(spanMs, MAX_WINDOW_MS)), maxPlanTime };
}

export function rowKey(row: Pick<InstanceSummary, 'jobName' | 'instanceId'>): string {
  return `${row.jobName}\n${row.instanceId}`;
}

/**
 * What two answers of the same window at the same limit say of `offset`: the second (offset 1) starting with
 * the first's 2nd row is a record offset; rows the first (offset 0) did not have, or none at all where the first
 * saw more than a page, is a page number. Undefined when they cannot tell (too few rows, or rows that moved).
 */
export function pagingFrom(first: InstancePage, second: InstancePage, limit: number): ListPaging | undefined {
  const a = first.instances.map(rowKey);
  const b = second.instances.map(rowKey);
  if (a.length < 2) return undefined;
  if (b.length > 0 && b[0] === a[1] && (b.length < 2 || a.length < 3 || b[1] === a[2])) return 'record';
  if (b.length > 0 && b.every((key) => !a.includes(key))) return 'page';
  if (b.length === 0 && a.length === limit && Math.max(first.total, second.total) <= 2 * limit) return 'page';
  return undefined;
}

/** The order rows came in, by planTime (for the doctor: the bot never relies on it). */
export function orderOf(
  rows: readonly InstanceSummary[],
): 'newest first' | 'oldest first' | 'unordered' | 'unknown' {
  const times = rows.map((row) => row.planTime).filter((time): time is number => time !== undefined);
  if (times.length < 3 || times.every((time) => time === times[0])) return 'unknown';
  if (times.every((time, i) => i === 0 || time <= times[i - 1]!)) return 'newest first';
  if (times.every((time, i) => i === 0 || time >= times[i - 1]!)) return 'oldest first';
  return 'unordered';
}

export interface InstanceListDeps {
  list(query: ListInstancesQuery, options?: CallOptions): Promise<InstancePage>;
  logger: Logger;
  /** Told each time the reading is learned or changes. */
  onPaging?(paging: ListPaging): void;
}

export class InstanceList {
  private known?: ListPaging;

  constructor(private readonly deps: InstanceListDeps) {}

  /** The reading found so far (undefined until a window needed a second page or `probe` was called). */
  get paging(): ListPaging | undefined {
    return this.known;
  }

  /** Two calls of three rows; learns and returns the reading, or undefined when the answers cannot tell. */
  async probe(query: WindowQuery, options?: CallOptions): Promise<ListPaging | undefined> {
    return (await this.probeCounted(query, options)).paging;
  }

  /** Every row of the window (up to `maxPages` pages under each reading tried). */
  async read(query: WindowQuery, options?: CallOptions, maxPages = MAX_PAGES): Promise<ListRead> {
    checkWindow(query);
    const rows = new Map<string, InstanceSummary>();
    let total = 0;
    let calls = 0;
    let unreadable = 0;
    /** A page's rows, and how many it sent (unreadable ones too: they take their place in the paging). */
    const page = async (offset: number): Promise<{ found: InstanceSummary[]; sent: number }> => {
      calls += 1;
      const answer = await this.deps.list({ ...query, limit: LIST_PAGE, offset }, options);
      total = Math.max(total, answer.total);
      unreadable += answer.unreadable ?? 0;
      return { found: answer.instances, sent: answer.instances.length + (answer.unreadable ?? 0) };
    };
    /** Every row of the window is in hand, unreadable ones counted. */
    const complete = () => rows.size + unreadable >= total;
    const add = (found: InstanceSummary[]) => {
      const before = rows.size;
      for (const row of found) rows.set(rowKey(row), row);
      return rows.size - before;
    };
    /** Pages 1… under one reading; false when they contradicted it (mostly repeats, or short of `total`). */
    const pages = async (reading: ListPaging): Promise<boolean> => {
      for (let k = 1; k < maxPages && k * LIST_PAGE < total && !complete(); k++) {
        const { found, sent } = await page(reading === 'record' ? k * LIST_PAGE : k);
        const added = add(found);
        if (found.length > 0 && added * 2 < found.length) return false;
        if (sent < LIST_PAGE) break;
      }
      return complete() || maxPages * LIST_PAGE <= total;
    };

    const first = await page(0);
    add(first.found);
    if (first.sent < LIST_PAGE || complete() || maxPages <= 1) return done();

    let reading = this.known;
    let probed = false;
    if (!reading) {
      const probe = await this.probeCounted(query, options);
      calls += probe.calls;
      reading = probe.paging;
      probed = true;
    }
    if (!reading) {
      // The answers could not tell: both sequences of offsets together are right under either reading.
      await pages('record');
      await pages('page');
      return done();
    }
    if (await pages(reading)) {
      if (!probed) this.learn(reading);
      return done();
    }
    if (!probed) {
      const probe = await this.probeCounted(query, options);
      calls += probe.calls;
      if (probe.paging && probe.paging !== reading) await pages(probe.paging);
    }
    return done();

    function done(): ListRead {
      return {
        rows: [...rows.values()],
        total,
        calls,
        shortfall: Math.max(0, total - rows.size - unreadable),
        unreadable,
      };
    }
  }

  private async probeCounted(
    query: WindowQuery,
    options?: CallOptions,
  ): Promise<{ paging?: ListPaging; calls: number }> {
    checkWindow(query);
    const first = await this.deps.list({ ...query, limit: PROBE_ROWS, offset: 0 }, options);
    if (first.instances.length < 2) return { calls: 1 };
    const second = await this.deps.list({ ...query, limit: PROBE_ROWS, offset: 1 }, options);
    const paging = pagingFrom(first, second, PROBE_ROWS);
    if (paging) this.learn(paging);
    return { paging, calls: 2 };
  }

  private learn(paging: ListPaging): void {
    if (this.known === paging) return;
    const before = this.known;
    this.known = paging;
    const text = paging === 'record' ? 'a record offset' : 'a page number';
    if (before) this.deps.logger.warn({ paging, before }, `the instance list's offset now reads as ${text}`);
    else this.deps.logger.info({ paging }, `the instance list's offset is ${text}`);
    this.deps.onPaging?.(paging);
  }
}

function checkWindow(query: WindowQuery): void {
  const span = query.maxPlanTime - query.minPlanTime;
  // A programming error, not DataArts': every caller builds its window with windowEnding or narrows it itself.
  if (!(span >= 0 && span <= MAX_WINDOW_MS)) throw new RangeError(`a list window of ${span} ms`);
}
