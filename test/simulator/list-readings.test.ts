/**
 * The readings of the lists the real DataArts might have (the API notes on paging): `offset` counting records
 * or pages, rows newest first, oldest first or in a stable mixed order, and the window's defaults and limit
 * of Huawei's doc of 2026-02 (no minPlanTime: today 00:00; no maxPlanTime: now; at most 7 days). Over HTTP.
 */
import {
  DEMO_TOKEN,
  type ListOffset,
  type ListOrder,
  type SimulatorOptions,
  startSimulator,
} from '../../src/simulator';
import { type Harness, startHarness, T0 } from './harness';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** The window every seeded run of `fill` lies in. */
const WINDOW = `minPlanTime=${T0 - DAY}&maxPlanTime=${T0}`;

type Row = { instanceId: number; planTime: number; jobName: string; status: string };

let h: Harness;
let running: Harness | undefined;
/** A simulator with no scenarios, replacing the one running, if any. */
async function open(options: SimulatorOptions): Promise<void> {
  await running?.close();
  running = undefined;
  h = await startHarness({ seed: false, ...options });
  running = h;
}
const start = (listOffset: ListOffset, listOrder: ListOrder, options: SimulatorOptions = {}) =>
  open({ listOffset, listOrder, ...options });
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function list(query: string): Promise<{ total: number; instances: Row[] }> {
  const reply = await h.api('GET', `jobs/instances/detail?${query}`);
  expect(reply.status).toBe(200);
  return reply.json;
}

const ids = (rows: Row[]) => rows.map((row) => String(row.instanceId));
const planTimes = (rows: Row[]) => rows.map((row) => row.planTime);
const ascending = (values: number[]) => values.every((value, i) => i === 0 || values[i - 1]! <= value);
const descending = (values: number[]) => values.every((value, i) => i === 0 || values[i - 1]! >= value);

/**
 * `count` ended runs of job `paged`, one a minute back from T0 - 1 min (every third failed), plus two
 * more sharing the planTime of the first.
 */
function fill(count: number): string[] {
  const sim = h.sim.simulator;
  const run = (planTime: number, i: number) =>
    sim.startRun('paged', {
      planTime,
      nodes: [{ name: 'n', type: 'Dummy', durationMs: 1_000, outcome: i % 3 === 1 ? 'fail' : 'success' }],
    });
  const made = Array.from({ length: count }, (_, i) => run(T0 - (i + 1) * MINUTE, i));
  made.push(run(T0 - MINUTE, count), run(T0 - MINUTE, count + 1));
  return made;
}

describe('paging', () => {
  test('record (the default reading): offset=1 starts with the second row of offset=0', async () => {
    await start('record', 'newest');
    fill(8);
    const first = await list(`${WINDOW}&limit=2&offset=0`);
    const second = await list(`${WINDOW}&limit=2&offset=1`);
    expect(first.total).toBe(10);
    expect(second.total).toBe(10);
    expect(second.instances[0]).toEqual(first.instances[1]);
    expect(second.instances[1]).not.toEqual(first.instances[1]);
    // Reading on by the rows received reads every row once.
    const all = await list(`${WINDOW}&limit=100`);
    const swept: Row[] = [];
    while (swept.length < all.total) {
      const page = (await list(`${WINDOW}&limit=3&offset=${swept.length}`)).instances;
      expect(page.length).toBeGreaterThan(0);
      swept.push(...page);
    }
    expect(ids(swept)).toEqual(ids(all.instances));
    expect((await list(`${WINDOW}&limit=3&offset=10`)).instances).toEqual([]);
  });

  test('page: offset=1 starts with the third row of offset=0 at limit 2', async () => {
    await start('page', 'newest');
    fill(8);
    const all = await list(`${WINDOW}&limit=100`);
    const second = await list(`${WINDOW}&limit=2&offset=1`);
    expect(second.total).toBe(10);
    expect(ids(second.instances)).toEqual(ids(all.instances).slice(2, 4));
    expect(ids((await list(`${WINDOW}&limit=3&offset=3`)).instances)).toEqual(ids(all.instances).slice(9));
    expect((await list(`${WINDOW}&limit=2&offset=5`)).instances).toEqual([]);
  });

  test('the job list pages by the same reading', async () => {
    const names = ['j0', 'j1', 'j2', 'j3', 'j4'];
    const jobs = async () => {
      for (const name of names) h.sim.simulator.addJob(name);
      const page = await h.api('GET', 'jobs?limit=2&offset=1');
      expect(page.status).toBe(200);
      return page.json.jobs.map((job: { name: string }) => job.name);
    };
    await start('record', 'mixed');
    expect(await jobs()).toEqual(['j1', 'j2']);
    await start('page', 'mixed');
    expect(await jobs()).toEqual(['j2', 'j3']);
  });
});

describe('order', () => {
  test('newest: newest planTime first, ties by highest id', async () => {
    await start('record', 'newest');
    const made = fill(10);
    const { instances } = await list(`${WINDOW}&limit=100`);
    expect(descending(planTimes(instances))).toBe(true);
    // The three runs at T0 - 1 min: the two made last (highest ids) first.
    expect(ids(instances).slice(0, 3)).toEqual([made[11], made[10], made[0]]);
  });

  test('oldest: the reverse of newest', async () => {
    await start('record', 'oldest');
    const made = fill(10);
    const { instances } = await list(`${WINDOW}&limit=100`);
    expect(ascending(planTimes(instances))).toBe(true);
    expect(ids(instances).slice(-3)).toEqual([made[0], made[10], made[11]]);
    await start('record', 'newest');
    fill(10);
    expect(ids((await list(`${WINDOW}&limit=100`)).instances)).toEqual(ids(instances).reverse());
  });

  test('mixed (the default reading): neither newest nor oldest first, the same on every call, as time passes and instances are added', async () => {
    await start('record', 'mixed');
    fill(10);
    const before = await list(`${WINDOW}&limit=100`);
    expect(before.total).toBe(12);
    expect(ascending(planTimes(before.instances))).toBe(false);
    expect(descending(planTimes(before.instances))).toBe(false);
    expect(await list(`${WINDOW}&limit=100`)).toEqual(before);
    // Pages read on by the rows received are slices of the same order.
    const pages = [0, 5, 10].map((offset) => list(`${WINDOW}&limit=5&offset=${offset}`));
    expect((await Promise.all(pages)).flatMap((page) => ids(page.instances))).toEqual(ids(before.instances));

    h.clock.now += HOUR;
    const added = h.sim.simulator.startRun('paged', { planTime: T0 - 30 * MINUTE });
    const after = await list(`${WINDOW}&limit=100`);
    expect(after.total).toBe(13);
    expect(ids(after.instances)).toContain(added);
    expect(ids(after.instances).filter((id) => id !== added)).toEqual(ids(before.instances));
    // A filter keeps the order: its rows are the unfiltered rows of its kind, in the same order.
    const failed = await list(`${WINDOW}&limit=100&status=fail`);
    expect(failed.total).toBe(4);
    expect(ids(failed.instances)).toEqual(ids(after.instances.filter((row) => row.status === 'fail')));
    const ofJob = await list(`${WINDOW}&limit=100&jobName=paged&preciseQuery=true`);
    expect(ids(ofJob.instances)).toEqual(ids(after.instances));
  });

  test("a job's last instance is its newest, whatever the order", async () => {
    for (const order of ['mixed', 'oldest', 'newest'] as const) {
      await start('record', order);
      const sim = h.sim.simulator;
      // Hour-long runs, ended from outside: the newest in success, the eleven before it in failure.
      const nodes = [{ name: 'n', type: 'Dummy', durationMs: HOUR }];
      const newest = sim.startRun('last', { planTime: T0 - MINUTE, nodes });
      for (let i = 2; i <= 12; i++) {
        sim.finish('last', sim.startRun('last', { planTime: T0 - i * MINUTE, nodes }), 'manual-stop');
      }
      sim.finish('last', newest, 'success');
      const rows = (await list(`${WINDOW}&limit=100&jobName=last&preciseQuery=true`)).instances;
      expect(rows.map((row) => row.status).sort()).toEqual([...Array(11).fill('manual-stop'), 'success']);
      const [job] = (await h.api('GET', 'jobs?jobName=last')).json.jobs;
      expect(job).toMatchObject({ name: 'last', lastInstanceStatus: 'success', lastInstanceEndTime: T0 });
    }
  });
});

describe('window', () => {
  test("no minPlanTime means today 00:00 and no maxPlanTime means now, in DataArts' clock", async () => {
    // DataArts runs 9 h behind: its now is 23:00 of the day before the real clock's.
    await start('record', 'oldest', { skewMs: -9 * HOUR });
    const now = T0 - 9 * HOUR;
    const today = Date.UTC(2026, 10, 24);
    expect(now - today).toBe(23 * HOUR);
    const sim = h.sim.simulator;
    const [before, midnight, current, ahead] = [today - 1, today, now, now + 1].map((planTime) =>
      sim.startRun('edges', { planTime }),
    );
    const token = { auth: { token: DEMO_TOKEN } };
    const defaults = (await h.api('GET', 'jobs/instances/detail?limit=100', token)).json;
    expect(ids(defaults.instances)).toEqual([midnight, current]);
    const fromYesterday = `jobs/instances/detail?limit=100&minPlanTime=${today - HOUR}`;
    expect(ids((await h.api('GET', fromYesterday, token)).json.instances)).toEqual([
      before,
      midnight,
      current,
    ]);
    const untilTomorrow = `jobs/instances/detail?limit=100&maxPlanTime=${now + HOUR}`;
    expect(ids((await h.api('GET', untilTomorrow, token)).json.instances)).toEqual([
      midnight,
      current,
      ahead,
    ]);
    // An hour later it is the next day there: the default window starts again.
    h.clock.now += HOUR;
    expect((await h.api('GET', 'jobs/instances/detail?limit=100', token)).json).toEqual({
      total: 0,
      instances: [],
    });
  });

  test('a window of more than 7 days is 400 DLF.3051; exactly 7 days is fine; min > max is empty', async () => {
    await start('record', 'newest');
    h.sim.simulator.startRun('week', { planTime: T0 - 7 * DAY });
    const refused = [
      `minPlanTime=${T0 - 7 * DAY - 1}`,
      `minPlanTime=0&maxPlanTime=${7 * DAY + 1}`,
      `maxPlanTime=${T0 + 7 * DAY}`,
      'minPlanTime=0',
    ];
    for (const query of refused) {
      expect(await h.api('GET', `jobs/instances/detail?${query}`)).toMatchObject({
        status: 400,
        json: { error_code: 'DLF.3051', error_msg: expect.stringMatching(/at most 7 days/) },
      });
    }
    expect((await list(`minPlanTime=${T0 - 7 * DAY}`)).total).toBe(1);
    expect((await list(`minPlanTime=0&maxPlanTime=${7 * DAY}`)).total).toBe(0);
    expect(await list(`minPlanTime=${T0}&maxPlanTime=${T0 - 1}`)).toEqual({ total: 0, instances: [] });
    // The default minimum (today 00:00) after the maximum asked: empty too.
    expect(await list(`maxPlanTime=${T0 - DAY}`)).toEqual({ total: 0, instances: [] });
  });
});

describe('settings', () => {
  const saved = { offset: process.env.SIM_LIST_OFFSET, order: process.env.SIM_LIST_ORDER };
  const restore = (name: 'SIM_LIST_OFFSET' | 'SIM_LIST_ORDER', value: string | undefined) => {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  afterEach(() => {
    restore('SIM_LIST_OFFSET', saved.offset);
    restore('SIM_LIST_ORDER', saved.order);
  });

  test('defaults: record and mixed, else SIM_LIST_OFFSET / SIM_LIST_ORDER; the options win', async () => {
    delete process.env.SIM_LIST_OFFSET;
    delete process.env.SIM_LIST_ORDER;
    await open({});
    expect(h.sim.simulator.list).toEqual({ offset: 'record', order: 'mixed' });
    process.env.SIM_LIST_OFFSET = 'page';
    process.env.SIM_LIST_ORDER = 'oldest';
    await open({});
    expect(h.sim.simulator.list).toEqual({ offset: 'page', order: 'oldest' });
    fill(8);
    const rows = (await list(`${WINDOW}&limit=2&offset=1`)).instances;
    expect(planTimes(rows)).toEqual([T0 - 6 * MINUTE, T0 - 5 * MINUTE]);
    await open({ listOffset: 'record', listOrder: 'newest' });
    expect(h.sim.simulator.list).toEqual({ offset: 'record', order: 'newest' });
  });

  test('a value that is none of them stops the simulator from starting, naming the variable', async () => {
    process.env.SIM_LIST_OFFSET = 'rows';
    await expect(startSimulator({ seed: false })).rejects.toThrow(
      'SIM_LIST_OFFSET must be record or page (got "rows").',
    );
    delete process.env.SIM_LIST_OFFSET;
    process.env.SIM_LIST_ORDER = 'random';
    await expect(startSimulator({ seed: false })).rejects.toThrow(
      'SIM_LIST_ORDER must be newest, oldest or mixed (got "random").',
    );
  });
});
