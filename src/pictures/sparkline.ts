/**
 * A small picture of a job's daily success rate over the last days (App Home shows it as an image block):
 * a line through the days that had runs, a gap where a day had none, the latest rate written beside it.
 */
import { FAINT, MUTED, STATUS_STYLE } from './palette';
import type { Picture } from './svg';
import { el, line, num, rect, svgDocument, text } from './svg';
import { ZoneClock } from './time-axis';

export interface DayRate {
  /** Any time in the day (epoch ms), for its weekday label. */
  day: number;
  /** Succeeded runs over ended runs, 0..1; null for a day without ended runs. */
  rate: number | null;
}

export interface SparklineOptions {
  timeZone?: string;
  width?: number;
  height?: number;
}

const WEEKDAY = new Map<string, Intl.DateTimeFormat>();

function weekday(day: number, timeZone: string): string {
  let format = WEEKDAY.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short' });
    WEEKDAY.set(timeZone, format);
  }
  return format.format(day);
}

function percent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

export function sparklineSvg(days: DayRate[], options: SparklineOptions = {}): Picture {
  const clock = new ZoneClock(options.timeZone ?? 'UTC');
  const width = Math.max(160, Math.round(options.width ?? 280));
  const height = Math.max(48, Math.round(options.height ?? 72));
  const left = 14;
  const right = width - 58;
  const top = 10;
  const bottom = height - 22;
  const step = days.length > 1 ? (right - left) / (days.length - 1) : 0;
  const x = (i: number) => (days.length > 1 ? left + i * step : (left + right) / 2);
  const y = (rate: number) => bottom - Math.min(1, Math.max(0, rate)) * (bottom - top);
  let body = line(left, y(1), right, y(1), { stroke: FAINT, 'stroke-dasharray': '2 3' });
  body += line(left, y(0), right, y(0), { stroke: FAINT });
  // Runs of consecutive days with a rate become one polyline each; a day without runs breaks the line.
  let points: string[] = [];
  const flush = () => {
    if (points.length > 1)
      body += el('polyline', {
        points: points.join(' '),
        fill: 'none',
        stroke: '#1264a3',
        'stroke-width': 2,
        'stroke-linejoin': 'round',
      });
    points = [];
  };
  days.forEach((entry, i) => {
    if (entry.rate === null) flush();
    else points.push(`${num(x(i))},${num(y(entry.rate))}`);
  });
  flush();
  days.forEach((entry, i) => {
    if (entry.rate === null) body += rect(x(i) - 3, bottom - 1, 6, 2, { fill: '#b0b0b0' });
    else
      body += el('circle', {
        cx: x(i),
        cy: y(entry.rate),
        r: 3,
        fill: entry.rate < 1 ? STATUS_STYLE.fail.fill : STATUS_STYLE.success.fill,
      });
    body += text(x(i), height - 6, weekday(entry.day, clock.timeZone).slice(0, 2), {
      fill: MUTED,
      'font-size': 10,
      'text-anchor': 'middle',
    });
  });
  const latest = [...days].reverse().find((entry) => entry.rate !== null);
  body += text(width - 6, top + 16, latest?.rate != null ? percent(latest.rate) : '–', {
    'font-size': 18,
    'font-weight': 700,
    'text-anchor': 'end',
  });
  body += text(width - 6, top + 32, `${days.length} days`, {
    fill: MUTED,
    'font-size': 10,
    'text-anchor': 'end',
  });
  const alt = `Daily success rate over ${days.length} days (${clock.zoneLabel(days.at(-1)?.day ?? 0)}): ${days
    .map(
      (entry) =>
        `${weekday(entry.day, clock.timeZone)} ${entry.rate === null ? 'no runs' : percent(entry.rate)}`,
    )
    .join(', ')}.`;
  return { svg: svgDocument(width, height, alt, body), width, height, alt };
}
