import type { InstancePage, InstanceSummary } from '../../src/dataarts/model';
import {
  InstanceList,
  LIST_PAGE,
  MAX_WINDOW_MS,
  orderOf,
  pagingFrom,
  rowKey,
  windowEnding,
} from '../../src/dataarts/paging';
import { silentLogger } from '../../src/logger';
import type { RunningSimulator } from '../../src/simulator';
import { clientFor, withSimulator } from '../helpers/dataarts';

const row = (id: number, planTime = id): InstanceSummary => ({
  jobName: 'j',
  instanceId: String(id),
  status: 'success',
  planTime,
  forceSuccess: false,
  ignoreSuccess: false,
});
const page = (ids: number[], total = 10): InstancePage => ({ total, instances: ids.map((id) => row(id)) });

describe('pagingFrom: two answers of three rows at offsets 0 and 1', () => {
  test('the second starting with the first one’s 2nd row is a record offset', () => {
    expect(pagingFrom(page([5, 4, 3]), page([4, 3, 2]), 3)).toBe('record');
  });
  test('rows the first did not have are a page number', () => {
    expect(pagingFrom(page([5, 4, 3]), page([2, 1, 0]), 3)).toBe('page');
    expect(pagingFrom(page([5, 4, 3], 4), page([2], 4), 3)).toBe('page');
    // Four rows in all: page 1 of three-row pages holds the 4th alone; record offset 1 would show three.
    expect(pagingFrom(page([5, 4, 3], 3), page([], 3), 3)).toBe('page');
  });
  test('too few rows, or rows that moved between the calls, cannot tell', () => {
    expect(pagingFrom(page([5], 1), page([], 1), 3)).toBeUndefined();
    expect(pagingFrom(page([5, 4, 3]), page([5, 4, 3]), 3)).toBeUndefined();
    expect(pagingFrom(page([5, 4, 3]), page([4, 9, 2]), 3)).toBeUndefined();
    expect(pagingFrom(page([5, 4, 3], 50), page([], 50), 3)).toBeUndefined();
  });
});

test('orderOf tells newest first, oldest first and neither', () => {
  expect(orderOf([row(3), row(2), row(2), row(1)])).toBe('newest first');
  expect(orderOf([row(1), row(2), row(3)])).toBe('oldest first');
  expect(orderOf([row(2), row(3), row(1)])).toBe('unordered');
  expect(orderOf([row(1), row(2)])).toBe('unknown');
});

test('windowEnding never spans more than the 7 days the list takes', () => {
  expect(windowEnding(10 * MAX_WINDOW_MS, 3 * MAX_WINDOW_MS)).toEqual({
    minPlanTime: 9 * MAX_WINDOW_MS,
    maxPlanTime: 10 * MAX_WINDOW_MS,
  });
  expect(windowEnding(1_000, 60_000)).toEqual({ minPlanTime: 0, maxPlanTime: 1_000 });
});

describe.each([
  ['record', 'oldest'],
  ['record', 'newest'],
  ['record', 'mixed'],
  ['page', 'oldest'],
  ['page', 'newest'],
  ['page', 'mixed'],
] as const)('readList over the simulator with %s offsets, %s first', (listOffset, listOrder) => {
  let sim: RunningSimulator;
  const now = Date.now();
  const window = windowEnding(now + 60_000, 86_400_000);
  const ROWS = 2_500;
  beforeAll(async () => {
    sim = await withSimulator({ listOffset, listOrder, seed: false });
    sim.simulator.addJob('busy_job');
    for (let i = 0; i < ROWS; i++)
      sim.simulator.setInstance({
        jobName: 'busy_job',
        instanceId: String(50_000 + i),
        status: 'success',
        planTime: now - 3_600_000 + i * 1_000,
        nodes: [],
      });
  });
  afterAll(() => sim.close());

  const pagesAsked = () =>
    sim.simulator.calls
      .filter((call) => call.path.endsWith('/jobs/instances/detail'))
      .map((call) => call.offset);

  test('every row once; the reading learned once, then three calls a read', async () => {
    const client = clientFor(sim);
    const first = await client.readList({ ...window, preciseQuery: false });
    expect(new Set(first.rows.map(rowKey)).size).toBe(ROWS);
    expect(first.rows).toHaveLength(ROWS);
    expect(first.shortfall).toBe(0);
    expect(client.listPaging()).toBe(listOffset);
    // The first page, the two-call probe, the two pages after.
    expect(first.calls).toBe(5);

    sim.simulator.resetCalls();
    const again = await client.readList({ ...window, preciseQuery: false });
    expect(again.rows).toHaveLength(ROWS);
    expect(again.calls).toBe(3);
    expect(pagesAsked()).toEqual(listOffset === 'record' ? [0, LIST_PAGE, 2 * LIST_PAGE] : [0, 1, 2]);
  });

  test('a reading learned wrong (the other one) is found out and every row still read', async () => {
    const client = clientFor(sim);
    // Teach the client the other reading through a stand-in list that lies once.
    const wrong = listOffset === 'record' ? 'page' : 'record';
    await client.readList({ ...window, preciseQuery: false });
    (client as unknown as { list: { known?: string } }).list.known = wrong;
    const read = await client.readList({ ...window, preciseQuery: false });
    expect(read.rows).toHaveLength(ROWS);
    expect(client.listPaging()).toBe(listOffset);
  });
});

test('a total that never runs out costs a bounded number of calls', async () => {
  // DataArts answering every page full, the same rows, with a total of a billion: a stand-in of the API's
  // answers, to reach what no simulator setting plays.
  let calls = 0;
  const list = new InstanceList({
    list: async () => {
      calls += 1;
      return page(
        Array.from({ length: LIST_PAGE }, (_, i) => i),
        1_000_000_000,
      );
    },
    logger: silentLogger,
  });
  const read = await list.read({ ...windowEnding(Date.now(), 86_400_000) }, undefined, 5);
  expect(read.rows).toHaveLength(LIST_PAGE);
  expect(calls).toBeLessThanOrEqual(2 * 5 + 3);
});

test('an unreadable row keeps its place in the paging and counts toward total: no page missed, no probe again', async () => {
  // 1,500 rows by record offset; row 5 cannot be read (parse.ts leaves it out and counts it).
  let calls = 0;
  const list = new InstanceList({
    list: async ({ limit = LIST_PAGE, offset = 0 }) => {
      calls += 1;
      const ids = Array.from({ length: 1_500 }, (_, i) => i).slice(offset, offset + limit);
      return {
        total: 1_500,
        instances: ids.filter((id) => id !== 5).map((id) => row(id)),
        ...(ids.includes(5) ? { unreadable: 1 } : {}),
      };
    },
    logger: silentLogger,
  });
  const read = await list.read({ ...windowEnding(Date.now(), 86_400_000) });
  expect(read.rows).toHaveLength(1_499);
  expect(read.unreadable).toBe(1);
  expect(read.shortfall).toBe(0);
  expect(list.paging).toBe('record');
  // The first page, the two-call probe, the second page: nothing read again for the row it could not read.
  expect(calls).toBe(4);
});
