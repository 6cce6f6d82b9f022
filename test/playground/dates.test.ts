import { formatDateToken } from '../../src/playground/dates';

// 2023-11-14 22:13:20 UTC, a Tuesday.
const TS = 1_700_000_000;
const at = (iso: string) => Date.parse(iso);

test("each of Slack's date tokens, in the reader's time zone", () => {
  const options = { timeZone: 'UTC', now: at('2024-06-01T12:00:00Z') };
  expect(formatDateToken(TS, '{date_num}', options)).toBe('2023-11-14');
  expect(formatDateToken(TS, '{date}', options)).toBe('November 14th, 2023');
  expect(formatDateToken(TS, '{date_short}', options)).toBe('Nov 14, 2023');
  expect(formatDateToken(TS, '{date_long}', options)).toBe('Tuesday, November 14th, 2023');
  expect(formatDateToken(TS, '{time}', options)).toBe('10:13 PM');
  expect(formatDateToken(TS, '{time_secs}', options)).toBe('10:13:20 PM');
  expect(formatDateToken(TS, 'at {time}', { ...options, hour12: false })).toBe('at 22:13');
  expect(formatDateToken(TS, '{date_num} {time_secs}', { timeZone: 'Asia/Tokyo' })).toBe(
    '2023-11-15 7:13:20 AM',
  );
});

test('today, yesterday and tomorrow by the reader’s calendar', () => {
  const zone = { timeZone: 'Europe/Berlin' };
  // 23:13 in Berlin on the 14th.
  expect(
    formatDateToken(TS, '{date_short_pretty} at {time}', { ...zone, now: at('2023-11-14T22:50:00Z') }),
  ).toBe('today at 11:13 PM');
  expect(formatDateToken(TS, 'Updated {date_pretty}', { ...zone, now: at('2023-11-15T08:00:00Z') })).toBe(
    'Updated yesterday',
  );
  expect(formatDateToken(TS, '{date_long_pretty}', { ...zone, now: at('2023-11-13T08:00:00Z') })).toBe(
    'tomorrow',
  );
  expect(formatDateToken(TS, '{date_short_pretty}', { ...zone, now: at('2023-11-20T08:00:00Z') })).toBe(
    'Nov 14, 2023',
  );
});

test('{ago}, ordinals, and unknown tokens left as written', () => {
  const now = TS * 1000;
  expect(formatDateToken(TS - 30, '{ago}', { now })).toBe('a few seconds ago');
  expect(formatDateToken(TS - 180, '{ago}', { now })).toBe('3 minutes ago');
  expect(formatDateToken(TS + 7200, '{ago}', { now })).toBe('in 2 hours');
  const day = (d: number) => Date.UTC(2023, 0, d) / 1000;
  expect(
    [1, 2, 3, 4, 11, 12, 13, 21, 22, 23].map((d) => formatDateToken(day(d), '{date}', { timeZone: 'UTC' })),
  ).toEqual(
    [1, 2, 3, 4, 11, 12, 13, 21, 22, 23].map(
      (d, i) => `January ${d}${['st', 'nd', 'rd', 'th', 'th', 'th', 'th', 'st', 'nd', 'rd'][i]}, 2023`,
    ),
  );
  expect(formatDateToken(TS, '{nope} {date_num}', { timeZone: 'UTC' })).toBe('{nope} 2023-11-14');
});

test('the function is self-contained, so the page can run its source as it is', () => {
  const rebuilt = new Function(`return (${formatDateToken.toString()})`)() as typeof formatDateToken;
  expect(rebuilt(TS, '{date_num} {time}', { timeZone: 'UTC' })).toBe('2023-11-14 10:13 PM');
});
