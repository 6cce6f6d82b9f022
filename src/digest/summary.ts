/**
 * What a digest says about one job over the last 24 hours, from the instance list: runs succeeded, failed,
 * stopped and still running, the current failure streak (consecutive failures up to the newest ended run, looking
 * further back than the day when the job's recent runs are at hand), and the slowest run against the job's usual
 * duration. Pure.
 */
import { type InstanceSummary, isTerminal, statusText } from '../dataarts/model';
import { type Usual, usualDuration } from '../following/usual';
import type { Outcome } from '../pictures';
import { dayOf } from './schedule';

export const DIGEST_WINDOW_MS = 24 * 3_600_000;

export interface JobDigest {
  job: string;
  workspace?: string;
  succeeded: number;
  failed: number;
  /** Stopped by hand. */
  stopped: number;
  /** Running, paused or running with an exception now (not the ones still waiting to start). */
  running: number;
  /** Consecutive failures up to the newest ended run (0 when it did not fail). */
  streak: number;
  /** True when the streak reaches the oldest run known (it may be longer). */
  streakAtLeast: boolean;
  /** The slowest run that ended in the window, and the job's usual duration without it. */
  slowest?: { instanceId: string; durationMs: number; usual?: Usual };
}

function dedupe(rows: readonly InstanceSummary[]): InstanceSummary[] {
  const byId = new Map<string, InstanceSummary>();
  for (const row of rows) byId.set(row.instanceId, row);
  return [...byId.values()];
}

const endedIn = (row: InstanceSummary, now: number) =>
  isTerminal(row.status) &&
  row.endTime !== undefined &&
  row.endTime > now - DIGEST_WINDOW_MS &&
  row.endTime <= now;

/**
 * `rows`: the job's rows from the window's list and, when at hand, from its recent history (one row per
 * instance; the window's wins). `now`: DataArts' clock.
 */
export function digestOf(
  job: string,
  rows: readonly InstanceSummary[],
  now: number,
  workspace?: string,
): JobDigest {
  const all = dedupe(rows.filter((row) => row.jobName === job || row.jobName === ''));
  const digest: JobDigest = {
    job,
    ...(workspace ? { workspace } : {}),
    succeeded: 0,
    failed: 0,
    stopped: 0,
    running: 0,
    streak: 0,
    streakAtLeast: false,
  };
  let slowest: { instanceId: string; durationMs: number } | undefined;
  for (const row of all) {
    const status = statusText(row.status);
    if (endedIn(row, now)) {
      if (status === 'success') digest.succeeded++;
      else if (status === 'fail') digest.failed++;
      else digest.stopped++;
      if (row.startTime !== undefined) {
        const durationMs = row.endTime! - row.startTime;
        if (!slowest || durationMs > slowest.durationMs) slowest = { instanceId: row.instanceId, durationMs };
      }
    } else if (
      !isTerminal(row.status) &&
      status !== 'waiting' &&
      (row.planTime ?? row.startTime ?? 0) > now - 2 * DIGEST_WINDOW_MS
    ) {
      digest.running++;
    }
  }
  const ended = all
    .filter((row) => isTerminal(row.status) && row.endTime !== undefined)
    .sort((a, b) => b.endTime! - a.endTime!);
  while (digest.streak < ended.length && statusText(ended[digest.streak]!.status) === 'fail') digest.streak++;
  digest.streakAtLeast = digest.streak > 0 && digest.streak === ended.length;
  if (slowest) {
    const usual = usualDuration(all, { exclude: slowest.instanceId });
    digest.slowest = { ...slowest, ...(usual ? { usual } : {}) };
  }
  return digest;
}

/** Each run that ended in the window, for the outcomes-per-hour chart. */
export function outcomesOf(rows: readonly InstanceSummary[], now: number): Outcome[] {
  return dedupe(rows)
    .filter((row) => endedIn(row, now))
    .map((row) => {
      const status = statusText(row.status);
      return {
        job: row.jobName,
        endedAt: row.endTime!,
        outcome: status === 'success' ? 'success' : status === 'fail' ? 'fail' : 'other',
      };
    });
}

/**
 * Success rate per day over the last `days` days in `timeZone` (today last): succeeded over ended runs, null for
 * a day without ended runs; and the totals over those days.
 */
export function dailyRates(
  rows: readonly InstanceSummary[],
  now: number,
  timeZone: string,
  days = 7,
): { days: { day: number; rate: number | null }[]; succeeded: number; ended: number } {
  const slots = Array.from({ length: days }, (_, i) => {
    const day = now - (days - 1 - i) * 86_400_000;
    return { day, date: dayOf(day, timeZone), succeeded: 0, ended: 0 };
  });
  const byDate = new Map(slots.map((slot) => [slot.date, slot]));
  for (const row of dedupe(rows)) {
    if (!isTerminal(row.status) || row.endTime === undefined || row.endTime > now) continue;
    const slot = byDate.get(dayOf(row.endTime, timeZone));
    if (!slot) continue;
    slot.ended++;
    if (statusText(row.status) === 'success') slot.succeeded++;
  }
  return {
    days: slots.map((slot) => ({ day: slot.day, rate: slot.ended > 0 ? slot.succeeded / slot.ended : null })),
    succeeded: slots.reduce((sum, slot) => sum + slot.succeeded, 0),
    ended: slots.reduce((sum, slot) => sum + slot.ended, 0),
  };
}
