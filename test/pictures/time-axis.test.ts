import { checkTimeZone, shortDuration, ZoneClock } from '../../src/pictures/time-axis';

test('zones are named with their offset at that moment, summer time included', () => {
  const berlin = new ZoneClock('Europe/Berlin');
  expect(berlin.zoneLabel(Date.UTC(2026, 0, 15))).toBe('Europe/Berlin (GMT+1)');
  expect(berlin.zoneLabel(Date.UTC(2026, 6, 15))).toBe('Europe/Berlin (GMT+2)');
  expect(new ZoneClock('UTC').zoneLabel(0)).toBe('UTC');
  expect(new ZoneClock('Asia/Kathmandu').offsetLabel(0)).toBe('GMT+5:30'); // Nepal moved to +5:45 in 1986
  expect(new ZoneClock('Asia/Kathmandu').offsetLabel(Date.UTC(2026, 0, 1))).toBe('GMT+5:45');
  expect(checkTimeZone('America/New_York')).toBe('America/New_York');
  expect(() => checkTimeZone('Europe/Atlantis')).toThrow(RangeError);
});

test('ticks fall on round wall-clock times, across a change to summer time too', () => {
  const berlin = new ZoneClock('Europe/Berlin');
  // 29 March 2026: clocks go from 02:00 to 03:00 in Berlin (01:00 UTC).
  const ticks = berlin.ticks(Date.UTC(2026, 2, 28, 23, 50), Date.UTC(2026, 2, 29, 3, 10), 8);
  expect(ticks.map((tick) => tick.label)).toEqual([
    '01:00',
    '01:30',
    '03:00',
    '03:30',
    '04:00',
    '04:30',
    '05:00',
  ]);
  const kolkata = new ZoneClock('Asia/Kolkata');
  expect(
    kolkata.ticks(Date.UTC(2026, 0, 1, 0, 0), Date.UTC(2026, 0, 1, 2, 0), 2).map((t) => t.label),
  ).toEqual(['06:00', '07:00']);
});

test('a day change shows the date on the first tick of the new day', () => {
  const utc = new ZoneClock('UTC');
  const labels = utc.ticks(Date.UTC(2026, 0, 1, 20), Date.UTC(2026, 0, 2, 4), 5).map((t) => t.label);
  expect(labels).toEqual(['20:00', '22:00', '2 Jan 00:00', '02:00', '04:00']);
});

test('short durations', () => {
  expect([450, 3_250, 42_000, 125_000, 3_725_000, 200_000_000].map(shortDuration)).toEqual([
    '450ms',
    '3.2s',
    '42s',
    '2m 05s',
    '1h 02m',
    '2d 7h',
  ]);
});
