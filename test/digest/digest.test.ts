/** The digest's pure parts: when a daily time falls in a zone, the day a run belongs to, and a job's summary. */
import type { InstanceSummary } from '../../src/dataarts/model';
import { cronOf, dayOf, nextDailyAt, parseDailyTime } from '../../src/digest/schedule';
import { digestOf, outcomesOf } from '../../src/digest/summary';

const at = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

test('daily times: parsed from HH:MM, as a cron with seconds, and the next instant in a zone, across DST', () => {
  expect(parseDailyTime('9:05')).toEqual({ hour: 9, minute: 5 });
  expect(parseDailyTime('24:00')).toBeUndefined();
  expect(cronOf({ hour: 9, minute: 5 })).toBe('0 5 9 * * *');
  const nine = { hour: 9, minute: 0 };
  expect(nextDailyAt(at('2026-12-04T07:59:00Z'), nine, 'Europe/Berlin')).toBe(at('2026-12-04T08:00:00Z'));
  expect(nextDailyAt(at('2026-12-04T08:00:00Z'), nine, 'Europe/Berlin')).toBe(at('2026-12-05T08:00:00Z'));
  expect(nextDailyAt(at('2026-12-04T23:30:00Z'), nine, 'UTC')).toBe(at('2026-12-05T09:00:00Z'));
  // Summer time starts on 29 March 2026 in Berlin: 09:00 is 07:00 UTC from then on.
  expect(nextDailyAt(at('2026-03-28T12:00:00Z'), nine, 'Europe/Berlin')).toBe(at('2026-03-29T07:00:00Z'));
  expect(nextDailyAt(at('2026-12-04T10:00:00Z'), { hour: 1, minute: 30 }, 'Asia/Kolkata')).toBe(
    at('2026-12-04T20:00:00Z'),
  );
  expect(dayOf(at('2026-12-04T23:30:00Z'), 'Europe/Berlin')).toBe('2026-12-05');
  expect(dayOf(at('2026-12-04T23:30:00Z'), 'UTC')).toBe('2026-12-04');
});

function row(id: string, status: string, endAgo: number, minutes: number, now: number): InstanceSummary {
  const endTime = status === 'running' ? undefined : now - endAgo;
  const startTime = (endTime ?? now) - minutes * MINUTE;
  return {
    jobName: 'job',
    instanceId: id,
    status: status as InstanceSummary['status'],
    planTime: startTime,
    startTime,
    endTime,
    forceSuccess: false,
    ignoreSuccess: false,
  };
}

test('a job’s day: counts, the failure streak (further back than the day when known), the slowest against its usual', () => {
  const now = at('2026-12-04T09:00:00Z');
  const rows = [
    row('1', 'success', 40 * HOUR, 10, now),
    row('2', 'success', 30 * HOUR, 10, now),
    row('3', 'fail', 26 * HOUR, 10, now),
    row('4', 'success', 20 * HOUR, 50, now),
    row('5', 'fail', 10 * HOUR, 10, now),
    row('6', 'fail', 5 * HOUR, 10, now),
    row('7', 'manual-stop', 4 * HOUR, 2, now),
    row('8', 'running', 0, 3, now),
    row('9', 'waiting', 0, 0, now),
  ];
  const digest = digestOf('job', rows, now);
  expect(digest).toMatchObject({ succeeded: 1, failed: 2, stopped: 1, running: 1, streak: 0 });
  expect(digest.slowest).toEqual({
    instanceId: '4',
    durationMs: 50 * MINUTE,
    usual: { medianMs: 10 * MINUTE, runs: 6 },
  });
  const failing = digestOf(
    'job',
    rows.filter((r) => r.instanceId !== '7'),
    now,
  );
  expect(failing).toMatchObject({ streak: 2, streakAtLeast: false });
  expect(digestOf('job', [rows[4]!, rows[5]!], now)).toMatchObject({ streak: 2, streakAtLeast: true });
  expect(outcomesOf(rows, now).map((o) => o.outcome)).toEqual(['success', 'fail', 'fail', 'other']);
});
