/** The pure rules of watches and the sweep: patterns, what a changed row hands over, when a followed instance gets a look. */

import type { InstanceSummary } from '../../src/dataarts/model';
import { parseInstanceStatus } from '../../src/dataarts/parse';
import { interested } from '../../src/following/announcer';
import { announcedStatuses, isJobPattern, patternMatches, type Watch } from '../../src/following/model';
import { endOfRow, followedWork, unusableRow } from '../../src/following/sweep';

const row = (status: string, extra: Partial<InstanceSummary> = {}): InstanceSummary => ({
  jobName: 'orders_daily',
  instanceId: '7',
  status: parseInstanceStatus(status),
  planTime: 1_000,
  startTime: 2_000,
  forceSuccess: false,
  ignoreSuccess: false,
  ...extra,
});

test.each<[string, string, boolean]>([
  ['orders_*', 'orders_daily', true],
  ['orders_*', 'orders_', true],
  ['orders_*', 'order_daily', false],
  ['*', 'anything.at-all', true],
  ['*_daily', 'orders_daily', true],
  ['*_daily', 'orders_daily_x', false],
  ['a*b*c', 'aXbYc', true],
  ['a*b*c', 'aXcYb', false],
  ['a**', 'abc', true],
  ['job_w', 'job_w', true],
  ['job_w', 'job_w2', false],
])('%s matches %s: %s', (pattern, job, matches) => {
  expect(patternMatches(pattern, job)).toBe(matches);
});

test('patterns: letters, digits, _ . - and *, not only dots, at most 128', () => {
  expect(isJobPattern('orders_*')).toBe(true);
  expect(isJobPattern('*')).toBe(true);
  expect(isJobPattern('..')).toBe(false);
  expect(isJobPattern('a/b*')).toBe(false);
  expect(isJobPattern('x'.repeat(129))).toBe(false);
});

test('fail mode announces failures and runs that need attention; end mode adds success and manual stops', () => {
  expect([...announcedStatuses('fail')].sort()).toEqual(['fail', 'pause', 'running-exception']);
  expect([...announcedStatuses('end')].sort()).toEqual([
    'fail',
    'manual-stop',
    'pause',
    'running-exception',
    'success',
  ]);
});

test('a changed row hands over ends and pauses, not running rows; a pause is timed when it was seen', () => {
  expect(endOfRow('', row('running'), undefined, 9_000)).toBeUndefined();
  expect(endOfRow('', row('fail', { endTime: 5_000 }), 'running|2000||1000', 9_000)).toMatchObject({
    status: 'fail',
    at: 5_000,
  });
  expect(endOfRow('', row('pause'), 'running|2000||1000', 9_000)).toMatchObject({ at: 9_000 });
  // Never seen before (the first sweep): the pause may be old, so it counts from the start.
  expect(endOfRow('', row('pause'), undefined, 9_000)).toMatchObject({ at: 2_000 });
});

test('a watch hears of ends after it was made (in DataArts’ clock), within the catch-up window, of jobs it matches', () => {
  const watch: Watch = {
    id: 'w',
    channel: 'C',
    pattern: 'orders_*',
    mode: 'fail',
    user: 'U',
    createdAt: 10_000,
  };
  const end = { workspace: '', job: 'orders_daily', instanceId: '7', status: 'fail', at: 10_500 };
  expect(interested(watch, end, 0, 0)).toBe(true);
  // DataArts' clock one second ahead: that end happened before the watch.
  expect(interested(watch, end, 1_000, 0)).toBe(false);
  expect(interested(watch, { ...end, at: 9_000 }, 0, 0)).toBe(false);
  expect(interested(watch, end, 0, 11_000)).toBe(false);
  expect(interested(watch, { ...end, job: 'billing' }, 0, 0)).toBe(false);
  expect(interested({ ...watch, workspace: 'w2' }, end, 0, 0)).toBe(false);
});

test('a followed instance gets a look when its row changed, is missing, is due to retire or its nodes are due a refresh', () => {
  const settings = { refreshMs: 30_000, maxAgeMs: 3_600_000 };
  const entry = { since: 0, handled: 'running|2000|', refreshedAt: 100_000 };
  expect(followedWork(entry, row('running'), 110_000, settings)).toBeUndefined();
  expect(followedWork(entry, row('fail', { endTime: 5_000 }), 110_000, settings)).toBe('changed');
  expect(followedWork(entry, undefined, 110_000, settings)).toBe('missing');
  expect(followedWork(entry, row('running'), 131_000, settings)).toBe('refresh');
  expect(followedWork(entry, row('running'), 4_000_000, settings)).toBe('retire');
});

test('a row no request could carry is unusable: no job name, a path-like name, a non-numeric or huge id', () => {
  expect(unusableRow({ jobName: 'orders_daily', instanceId: '7' })).toBeUndefined();
  expect(unusableRow({ jobName: '', instanceId: '7' })).toBe('job-name');
  expect(unusableRow({ jobName: '..', instanceId: '7' })).toBe('job-name');
  expect(unusableRow({ jobName: 'a/b', instanceId: '7' })).toBe('job-name');
  expect(unusableRow({ jobName: 'bad name', instanceId: '7' })).toBe('job-name');
  expect(unusableRow({ jobName: 'ok', instanceId: '-1' })).toBe('instance-id');
  expect(unusableRow({ jobName: 'ok', instanceId: '9'.repeat(5_000) })).toBe('instance-id');
});
