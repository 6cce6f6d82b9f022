/** Wording shared by every surface (terminal, Slack): durations in words, counts, speeds. */
import { formatDuration, intervalToDuration } from 'date-fns';

/** The longest duration a Date can count out (to its last moment from 1970); past it, and NaN, is "unknown". */
const LONGEST_MS = 8.64e15;

/** "1 month 4 days 2 hours", counted on the calendar from 1970 (so 35 days is 1 month 4 days, not 4 days). */
export function humanDuration(ms: number | undefined): string {
  if (ms === undefined) return '-';
  if (!(ms >= 0 && ms <= LONGEST_MS)) return 'unknown';
  if (ms < 1000) return ms === 0 ? '0 seconds' : 'under a second';
  const text = formatDuration(intervalToDuration({ start: 0, end: ms }), {
    format: ['years', 'months', 'days', 'hours', 'minutes', 'seconds'],
  });
  return text || '0 seconds';
}

/** The one line every surface adds when DataArts sent a time that makes no sense (see dataarts/parse.ts). */
export const ODD_TIMES_SENTENCE = 'DataArts sent a time that makes no sense; it is shown as unknown.';

export function count(value: number): string {
  return value.toLocaleString('en-US');
}

export function rowsPerSecond(speed: number): string {
  return `${speed.toLocaleString('en-US', { maximumFractionDigits: 1 })} rows/s`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}
