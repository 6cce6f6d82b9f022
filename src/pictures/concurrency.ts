/**
 * How many nodes ran at each moment, by status: the timeline's band, which counts every node when only some
 * have rows. Time is cut into columns; a node counts in every column its run touches (difference arrays, so
 * 5,000 nodes cost one pass).
 */
import type { StatusKey } from './palette';

export interface Span {
  status: StatusKey;
  start?: number;
  end?: number;
}

export interface Concurrency {
  /** Per column, the count of each status in `stacked` order. */
  columns: number[][];
  peak: number;
  /** The middle of the first column with the peak. */
  peakAt: number;
}

export function concurrency(
  spans: readonly Span[],
  range: { from: number; to: number },
  columns: number,
  stacked: readonly StatusKey[],
): Concurrency {
  const span = Math.max(1, range.to - range.from);
  const deltas = stacked.map(() => new Int32Array(columns + 1));
  const column = (t: number) =>
    Math.min(columns - 1, Math.max(0, Math.floor(((t - range.from) / span) * columns)));
  for (const item of spans) {
    if (item.start === undefined || item.end === undefined) continue;
    const index = stacked.indexOf(item.status);
    if (index < 0) continue;
    deltas[index]![column(item.start)]! += 1;
    deltas[index]![column(item.end) + 1]! -= 1;
  }
  const levels = stacked.map(() => 0);
  const result: number[][] = [];
  let peak = 0;
  let peakAt = range.from;
  for (let c = 0; c < columns; c++) {
    let total = 0;
    for (let i = 0; i < levels.length; i++) {
      levels[i]! += deltas[i]![c]!;
      total += levels[i]!;
    }
    result.push([...levels]);
    if (total > peak) {
      peak = total;
      peakAt = range.from + ((c + 0.5) / columns) * span;
    }
  }
  return { columns: result, peak, peakAt };
}
