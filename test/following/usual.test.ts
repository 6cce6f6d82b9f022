/** "Slower than usual": the median of a job's last 10 ended runs, and a run at least twice as long. */
import type { InstanceSummary } from '../../src/dataarts/model';
import {
  JobHistory,
  SLOW_FACTOR,
  slowerThanUsual,
  USUAL_RUNS,
  usualDuration,
} from '../../src/following/usual';
import { clientFor, withSimulator } from '../helpers/dataarts';

const MINUTE = 60_000;

function row(id: number, minutes: number, endTime: number, status = 'success'): InstanceSummary {
  return {
    jobName: 'job',
    instanceId: String(id),
    status: status as InstanceSummary['status'],
    startTime: endTime - minutes * MINUTE,
    endTime,
    forceSuccess: false,
    ignoreSuccess: false,
  };
}

test('the usual duration is the median of the last 10 ended runs, newest end first', () => {
  // 12 runs: the two oldest took 100 minutes and fall outside the last 10.
  const rows = [
    ...Array.from({ length: 10 }, (_, i) => row(100 + i, i < 5 ? 10 : 20, 1_000_000_000 + i * MINUTE)),
    row(1, 100, 500_000_000),
    row(2, 100, 400_000_000),
  ];
  expect(usualDuration(rows)).toEqual({ medianMs: 15 * MINUTE, runs: USUAL_RUNS });
  expect(usualDuration(rows.slice(0, 3))).toEqual({ medianMs: 10 * MINUTE, runs: 3 });
});

test('runs still going, without times, and the run being judged are left out; fewer than 3 is no usual', () => {
  const running = { ...row(5, 1, 1_000), endTime: undefined, status: 'running' as const };
  const rows = [row(1, 10, 1_000_000), row(2, 10, 2_000_000), running, row(3, 50, 3_000_000)];
  expect(usualDuration(rows, { exclude: '3' })).toBeUndefined();
  expect(usualDuration([...rows, row(4, 12, 4_000_000)], { exclude: '3' })).toEqual({
    medianMs: 10 * MINUTE,
    runs: 3,
  });
  // Failed and stopped runs ended too.
  expect(usualDuration([row(1, 4, 1e6, 'fail'), row(2, 6, 2e6, 'manual-stop'), row(3, 8, 3e6)])).toEqual({
    medianMs: 6 * MINUTE,
    runs: 3,
  });
});

test('slower than usual from twice the median on, and never without a usual or a duration', () => {
  const usual = { medianMs: 10 * MINUTE, runs: 10 };
  expect(SLOW_FACTOR).toBe(2);
  expect(slowerThanUsual(19.9 * MINUTE, usual)).toBeUndefined();
  expect(slowerThanUsual(20 * MINUTE, usual)).toEqual({ ...usual, durationMs: 20 * MINUTE, factor: 2 });
  expect(slowerThanUsual(55 * MINUTE, usual)?.factor).toBe(5.5);
  expect(slowerThanUsual(undefined, usual)).toBeUndefined();
  expect(slowerThanUsual(20 * MINUTE, undefined)).toBeUndefined();
  expect(slowerThanUsual(20 * MINUTE, { medianMs: 0, runs: 3 })).toBeUndefined();
});

test("the sweep's rows give the usual duration when they hold 10 ended runs: the job's list is then not read", async () => {
  const sim = await withSimulator({ seed: false });
  try {
    sim.simulator.addJob('job');
    const lists = () =>
      sim.simulator.calls.filter((call) => call.path.endsWith('/jobs/instances/detail')).length;
    const history = new JobHistory({ dataarts: clientFor(sim) });
    const now = Date.now();
    const known = Array.from({ length: USUAL_RUNS }, (_, i) => row(i + 1, 10 + i, now - i * MINUTE));
    expect(await history.usual('job', undefined, '99', known)).toEqual({ medianMs: 14.5 * MINUTE, runs: 10 });
    expect(lists()).toBe(0);
    // One run fewer and the rows may not be the job's last 10: its own list is read (the simulator's is empty).
    expect(await history.usual('job', undefined, '1', known)).toBeUndefined();
    expect(lists()).toBe(1);
  } finally {
    await sim.close();
  }
});
