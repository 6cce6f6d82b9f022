/** Wording shared by every surface (terminal, Slack): durations in words, counts, speeds. */
import { formatDuration, intervalToDuration } from 'date-fns';

export function humanDuration(ms: number | undefined): string {
  if (ms === undefined) return '-';
  if (ms < 1000) return ms === 0 ? '0 seconds' : 'under a second';
  const text = formatDuration(intervalToDuration({ start: 0, end: ms }), {
    format: ['days', 'hours', 'minutes', 'seconds'],
  });
  return text || '0 seconds';
}

export function count(value: number): string {
  return value.toLocaleString('en-US');
}

export function rowsPerSecond(speed: number): string {
  return `${speed.toLocaleString('en-US', { maximumFractionDigits: 1 })} rows/s`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}
