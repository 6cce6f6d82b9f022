/**
 * Times on a picture, in one IANA time zone: wall-clock labels through Intl.DateTimeFormat, the zone stated
 * as "Europe/Berlin (GMT+1)", and axis ticks on round wall-clock values (every 15 minutes, every hour, …)
 * chosen so about `target` of them fit. The ticks are bounded by `target` (the axis's pixels), never by the span:
 * a span of centuries once asked for millions of them.
 */

/** Throws a RangeError naming the zone when Intl does not know it. */
export function checkTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone }).format(0);
  } catch {
    throw new RangeError(`Unknown time zone "${timeZone}": use an IANA name such as Europe/Berlin or UTC`);
  }
  return timeZone;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The last moment a Date (and so Intl) holds: a tick past it is not drawn. */
export const LAST_DATE_MS = 8.64e15;
const STEPS = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
];

export interface Tick {
  at: number;
  label: string;
}

export class ZoneClock {
  private readonly parts: Intl.DateTimeFormat;
  private readonly offsetName: Intl.DateTimeFormat;

  constructor(readonly timeZone: string) {
    checkTimeZone(timeZone);
    this.parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    this.offsetName = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' });
  }

  private fields(ms: number): Record<string, string> {
    const out: Record<string, string> = {};
    for (const part of this.parts.formatToParts(ms)) out[part.type] = part.value;
    return out;
  }

  /** Milliseconds to add to UTC to get the wall clock at `ms`. */
  offset(ms: number): number {
    const f = this.fields(ms);
    const wall = Date.UTC(
      Number(f.year),
      monthIndex(f.month ?? 'Jan'),
      Number(f.day),
      Number(f.hour),
      Number(f.minute),
      Number(f.second),
    );
    return wall - Math.floor(ms / SECOND) * SECOND;
  }

  /** "GMT+1", "GMT+5:30", or "UTC". */
  offsetLabel(ms: number): string {
    const name = this.offsetName.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? '';
    return name === 'GMT' ? 'UTC' : name;
  }

  /** "Europe/Berlin (GMT+1)"; plain "UTC" for UTC. */
  zoneLabel(ms: number): string {
    const offset = this.offsetLabel(ms);
    return this.timeZone === 'UTC' || this.timeZone === 'Etc/UTC' ? 'UTC' : `${this.timeZone} (${offset})`;
  }

  /** "14:05", or "14:05:30" when seconds matter. */
  time(ms: number, withSeconds = false): string {
    const f = this.fields(ms);
    return withSeconds ? `${f.hour}:${f.minute}:${f.second}` : `${f.hour}:${f.minute}`;
  }

  /** "25 Nov 2024". */
  date(ms: number): string {
    const f = this.fields(ms);
    return `${f.day} ${f.month} ${f.year}`;
  }

  /** "25 Nov 14:05:30". */
  dateTime(ms: number, withSeconds = true): string {
    const f = this.fields(ms);
    return `${f.day} ${f.month} ${this.time(ms, withSeconds)}`;
  }

  sameDay(a: number, b: number): boolean {
    return this.date(a) === this.date(b);
  }

  /** The tick interval for about `target` ticks over [from, to]: past a week, whole days. */
  tickStep(from: number, to: number, target = 8): number {
    const span = Math.max(to - from, SECOND);
    if (!Number.isFinite(span)) return STEPS.at(-1)!;
    return STEPS.find((candidate) => span / candidate <= target) ?? Math.ceil(span / target / DAY) * DAY;
  }

  /** `from` moved back to the tick before it, so an axis over [from, to] starts on a labelled time. */
  niceStart(from: number, to: number, target = 8): number {
    if (!drawable(from)) return from;
    const step = this.tickStep(from, to, target);
    const offset = this.offset(from);
    const start = Math.floor((from + offset) / step) * step - offset;
    return drawable(start) ? start : from;
  }

  /** Round wall-clock ticks over [from, to], at most 2 × `target` + 2; labels carry the date where the day changes. */
  ticks(from: number, to: number, target = 8): Tick[] {
    if (!drawable(from) || !Number.isFinite(to)) return [];
    const step = this.tickStep(from, to, target);
    const withSeconds = step < MINUTE;
    const offset = this.offset(from);
    // Round on the wall clock, so "every hour" means on the hour where the zone is, even at +5:30.
    const first = Math.ceil((from + offset) / step) * step - offset;
    const ticks: Tick[] = [];
    const most = 2 * Math.max(1, target) + 2;
    let previousDay = '';
    for (let at = first; at <= to && ticks.length < most && drawable(at); at += step) {
      const day = this.date(at);
      const label =
        step >= DAY || (previousDay && day !== previousDay)
          ? `${day.replace(/ \d{4}$/, '')} ${this.time(at)}`
          : this.time(at, withSeconds);
      ticks.push({ at, label: step >= DAY ? day.replace(/ \d{4}$/, '') : label });
      previousDay = day;
    }
    return ticks;
  }
}

/** A time Intl can write: finite and within a Date's range. */
export function drawable(ms: number): boolean {
  return Math.abs(ms) <= LAST_DATE_MS;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function monthIndex(name: string): number {
  return Math.max(0, MONTHS.indexOf(name.slice(0, 3)));
}

/** "52m 10s", "1h 04m", "3.2s", "450ms": short enough for a label beside a bar. */
export function shortDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < SECOND) return `${Math.round(ms)}ms`;
  if (ms < 10 * SECOND) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  const seconds = Math.floor(ms / SECOND);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}
