/**
 * Instances in (planTime, id) order, so a list window costs a binary search plus the rows in it. A sorted
 * array rather than a tree: paging reads rows by rank (the offset, or offset × limit), which an array gives
 * at once, and the simulator's inserts are nearly always the newest (an append). `version` counts the
 * changes, so anything derived from a window's ranks (the list's mixed order) knows when to recompute.
 */

export interface Indexed {
  readonly planTime: number;
  /** Decimal digits, possibly above 2^53. */
  readonly instanceId: string;
}

/** Exact order of decimal ids of any length (leading zeros ignored), without BigInt. */
export function compareIds(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

export function compareEntries(a: Indexed, b: Indexed): number {
  return a.planTime - b.planTime || compareIds(a.instanceId, b.instanceId);
}

export class PlanIndex<T extends Indexed> {
  /** Oldest first. */
  private readonly entries: T[] = [];
  private changes = 0;

  get size(): number {
    return this.entries.length;
  }

  /** Goes up with every insert and removal: equal versions mean the same entries at the same ranks. */
  get version(): number {
    return this.changes;
  }

  /** The entry of rank `i` counted from the oldest. */
  at(i: number): T {
    return this.entries[i]!;
  }

  /** The newest entry, if any. */
  newest(): T | undefined {
    return this.entries.at(-1);
  }

  insert(entry: T): void {
    this.changes++;
    const { entries } = this;
    const last = entries.at(-1);
    if (!last || compareEntries(last, entry) <= 0) {
      entries.push(entry);
      return;
    }
    entries.splice(this.firstNotBefore(entry), 0, entry);
  }

  /** True if the entry (this very object) was there. */
  remove(entry: T): boolean {
    const { entries } = this;
    for (let i = this.firstNotBefore(entry); i < entries.length; i++) {
      if (entries[i] === entry) {
        entries.splice(i, 1);
        this.changes++;
        return true;
      }
      if (compareEntries(entries[i]!, entry) > 0) return false;
    }
    return false;
  }

  /** Removes every entry `drop` says yes to, in one pass (for dropping many at once). */
  removeWhere(drop: (entry: T) => boolean): void {
    let kept = 0;
    for (const entry of this.entries) if (!drop(entry)) this.entries[kept++] = entry;
    if (kept < this.entries.length) this.changes++;
    this.entries.length = kept;
  }

  /** Ranks [from, to) of the entries with min ≤ planTime ≤ max (inclusive bounds). */
  window(min: number, max: number): { from: number; to: number } {
    const from = this.firstWith((entry) => entry.planTime >= min);
    const to = this.firstWith((entry) => entry.planTime > max);
    return { from, to: Math.max(from, to) };
  }

  private firstNotBefore(probe: Indexed): number {
    return this.firstWith((entry) => compareEntries(entry, probe) >= 0);
  }

  /** The first rank whose entry satisfies `test`, which must be false then true along the order. */
  private firstWith(test: (entry: T) => boolean): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (test(this.entries[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
