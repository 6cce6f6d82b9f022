/**
 * When a channel's daily digest is due: a wall-clock time (HH:MM) in DLF_TIMEZONE, as the cron pattern BullMQ's
 * job scheduler takes, or as the next instant for the timer used without Redis; and the day a digest belongs
 * to (its scheduled time's date in that zone), which keys the once-a-day marker. Pure.
 */
import { ZoneClock } from '../pictures/time-axis';

const DAY = 86_400_000;

export interface DailyTime {
  hour: number;
  minute: number;
}

/** "9:05", "09:05" → 09:05; undefined for anything else. */
export function parseDailyTime(text: string): DailyTime | undefined {
  const match = /^([01]?\d|2[0-3])[:.h]([0-5]\d)$/.exec(text.trim());
  return match ? { hour: Number(match[1]), minute: Number(match[2]) } : undefined;
}

export function formatDailyTime(time: DailyTime): string {
  return `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;
}

/** BullMQ's cron (with seconds): at second 0 of that minute, every day. */
export function cronOf(time: DailyTime): string {
  return `0 ${time.minute} ${time.hour} * * *`;
}

/** The next instant after `now` when the wall clock in `timeZone` reads `time` (a skipped time runs an hour on). */
export function nextDailyAt(now: number, time: DailyTime, timeZone: string): number {
  const clock = new ZoneClock(timeZone);
  const wallNow = now + clock.offset(now);
  const today = Math.floor(wallNow / DAY) * DAY;
  for (let day = -1; day <= 2; day++) {
    const wall = today + day * DAY + (time.hour * 60 + time.minute) * 60_000;
    // The offset at the guess, then at the instant it gives (right across a change of offset).
    const guess = wall - clock.offset(wall);
    const at = wall - clock.offset(guess);
    if (at > now) return at;
  }
  return now + DAY;
}

/** "2026-12-04": the date of `at` in `timeZone`. */
export function dayOf(at: number, timeZone: string): string {
  const clock = new ZoneClock(timeZone);
  return new Date(at + clock.offset(at)).toISOString().slice(0, 10);
}
