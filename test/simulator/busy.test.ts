import { BUSY_WORKSPACE, DEMO_WORKSPACE } from '../../src/simulator';
import { type Harness, startHarness, T0 } from './harness';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const busy = { headers: { workspace: BUSY_WORKSPACE } };
// Newest first, offset counting records (list-readings.test.ts covers the other readings).
const READINGS = { listOffset: 'record', listOrder: 'newest' } as const;

type Row = { instanceId: number; jobName: string; planTime: number; status: string; startTime?: number };
type Node = { nodeName: string; status: string; logPath?: string };

let h: Harness;

async function list(query: string) {
  const reply = await h.api('GET', `jobs/instances/detail?${query}`, busy);
  expect(reply.status).toBe(200);
  return reply.json as { total: number; instances: Row[] };
}

/** Every page of a window up to now, as a sweep reads it: limit 1000, offset += the rows received. */
async function sweep(minPlanTime: number): Promise<{ total: number; rows: Row[] }> {
  const first = await list(`limit=1000&offset=0&minPlanTime=${minPlanTime}`);
  const rows = [...first.instances];
  while (rows.length < first.total) {
    const next = await list(`limit=1000&offset=${rows.length}&minPlanTime=${minPlanTime}`);
    expect(next.total).toBe(first.total);
    expect(next.instances.length).toBeGreaterThan(0);
    rows.push(...next.instances);
  }
  return { total: first.total, rows };
}

async function stats() {
  return (await h.raw('GET', `/__sim/workspaces/${BUSY_WORKSPACE}/stats`)).json;
}

describe('the busy workspace at full size', () => {
  beforeAll(async () => {
    h = await startHarness({ ...READINGS, busy: {} });
  });
  afterAll(async () => {
    await h.close();
  });

  test('hundreds of jobs; a day of history is thousands of rows, paged newest first with stable ids', async () => {
    const shape = await stats();
    expect(shape.jobs).toBe(300);
    expect(shape.instances).toBeGreaterThan(15_000);
    expect(shape.byStatus.fail / shape.instances).toBeGreaterThan(0.01);
    expect(shape.byStatus.fail / shape.instances).toBeLessThan(0.06);
    expect(shape.byStatus.running).toBeGreaterThan(0);
    expect(shape.byStatus.waiting).toBeGreaterThan(0);

    const day = await sweep(T0 - DAY);
    expect(day.total).toBeGreaterThan(8_000);
    expect(day.rows).toHaveLength(day.total);
    expect(new Set(day.rows.map((row) => row.instanceId)).size).toBe(day.total);
    for (let i = 1; i < day.rows.length; i++) {
      const [a, b] = [day.rows[i - 1]!, day.rows[i]!];
      expect(a.planTime > b.planTime || (a.planTime === b.planTime && a.instanceId > b.instanceId)).toBe(
        true,
      );
    }
    expect(day.rows.at(-1)!.planTime).toBeGreaterThanOrEqual(T0 - DAY);
    // Hourly jobs share the hour's planTime: the ties are ordered by id.
    expect(day.rows.filter((row) => row.planTime === T0).length).toBeGreaterThan(50);
    expect(new Set(day.rows.map((row) => row.jobName)).size).toBe(300);

    // Stable: the same window again, then later on, shows the same ids for the same instances.
    expect((await sweep(T0 - DAY)).rows.map((row) => row.instanceId)).toEqual(
      day.rows.map((row) => row.instanceId),
    );
    h.clock.now = T0 + 10 * MINUTE;
    const later = await sweep(T0 - DAY);
    expect(later.total).toBeGreaterThan(day.total);
    const before = new Map(day.rows.map((row) => [row.instanceId, row]));
    for (const row of later.rows.filter((candidate) => before.has(candidate.instanceId))) {
      expect([row.jobName, row.planTime]).toEqual([
        before.get(row.instanceId)!.jobName,
        before.get(row.instanceId)!.planTime,
      ]);
    }
    h.clock.now = T0;
  });

  test('durations from seconds to hours; failures name a node and its log path', async () => {
    const { rows } = await sweep(T0 - DAY);
    const durations = rows
      .filter((row) => row.status === 'success' && row.startTime !== undefined)
      .map((row) => (row as Row & { endTime: number }).endTime - row.startTime!);
    expect(Math.min(...durations)).toBeLessThan(MINUTE);
    expect(Math.max(...durations)).toBeGreaterThan(2 * HOUR);
    const failed = rows.find((row) => row.status === 'fail')!;
    const detail = (await h.api('GET', `jobs/${failed.jobName}/instances/${failed.instanceId}`, busy)).json;
    const failedNodes = detail.nodes.filter((node: Node) => node.status === 'fail');
    expect(failedNodes).toHaveLength(1);
    expect(failedNodes[0].logPath).toMatch(new RegExp(`^obs://.+/${failed.jobName}/.+/error/.+\\.job$`));
  });

  test('the busy workspace is its own: the default one does not list its jobs', async () => {
    const defaults = await h.api('GET', 'jobs/instances/detail?limit=1000', {
      headers: { workspace: DEMO_WORKSPACE },
    });
    expect(defaults.json.total).toBeLessThan(100);
    const job = (await list('limit=1')).instances[0]!.jobName;
    expect((await h.api('GET', `jobs/${job}`)).json.error_code).toBe('DLF.0100');
    expect((await h.api('GET', `jobs/${job}`, busy)).json).toMatchObject({
      name: job,
      schedule: { type: 'CRON', cron: { expression: expect.stringMatching(/ \?$/) } },
    });
  });
});

describe('a test-sized busy workspace', () => {
  afterEach(async () => {
    await h.close();
  });

  test('is cheap and deterministic: the same seed and clock give the same answers, another seed others', async () => {
    h = await startHarness({ ...READINGS, busy: { jobs: 6, seed: 7 } });
    const other = await startHarness({ ...READINGS, busy: { jobs: 6, seed: 7 } });
    const reseeded = await startHarness({ ...READINGS, busy: { jobs: 6, seed: 8 } });
    try {
      const query = `jobs/instances/detail?limit=1000&minPlanTime=${T0 - DAY}`;
      const mine = await h.api('GET', query, busy);
      expect(mine.json.total).toBeGreaterThan(300);
      expect(mine.json.total).toBeLessThan(1_000);
      expect((await other.api('GET', query, busy)).text).toBe(mine.text);
      expect((await reseeded.api('GET', query, busy)).text).not.toBe(mine.text);
      const jobs = (await h.api('GET', 'jobs?limit=100', busy)).json;
      expect(jobs.total).toBe(6);
      expect((await other.api('GET', 'jobs?limit=100', busy)).json).toEqual(jobs);
    } finally {
      await other.close();
      await reseeded.close();
    }
  });

  test('an instance appears as waiting before its planTime, then runs and ends as the clock passes', async () => {
    h = await startHarness({ ...READINGS, busy: { jobs: 6, leadSeconds: 120 } });
    // The second job runs every five minutes: its next instance appears two minutes before its planTime.
    const job = (await h.api('GET', 'jobs?limit=100', busy)).json.jobs[1].name;
    // Up to a day ahead: the default window ends now, before a waiting instance's planTime.
    const ofJob = (min: number) =>
      list(`jobName=${job}&preciseQuery=true&minPlanTime=${min}&maxPlanTime=${min + DAY}`);
    const last = (await ofJob(T0 - HOUR)).instances[0]!.planTime;
    expect(last).toBeLessThanOrEqual(T0 + 2 * MINUTE);
    const planned = last + 5 * MINUTE;
    h.clock.now = planned - 2 * MINUTE - 1;
    expect((await ofJob(last + 1)).total).toBe(0);
    h.clock.now = planned - 2 * MINUTE;
    const ahead = (await ofJob(last + 1)).instances;
    expect(ahead).toMatchObject([{ jobName: job, planTime: planned, status: 'waiting' }]);

    const next = ahead[0]!;
    const path = `jobs/${next.jobName}/instances/${next.instanceId}`;
    const seen = new Set<string>();
    for (let at = h.clock.now; at <= next.planTime + HOUR; at += 5_000) {
      h.clock.now = at;
      const { json } = await h.api('GET', path, busy);
      seen.add(json.status);
      if (json.endTime !== undefined) break;
    }
    expect([...seen]).toEqual(['waiting', 'running', expect.stringMatching(/^(success|fail)$/)]);
  });

  test('stop, restart and detail work on busy instances; a failure reruns to success', async () => {
    h = await startHarness({ ...READINGS, busy: { jobs: 6, failureRate: 0.5 } });
    let running: Row | undefined;
    for (let minutes = 0; !running && minutes < 120; minutes++) {
      h.clock.now += MINUTE;
      running = (await list('status=running&limit=1')).instances[0];
    }
    const path = `jobs/${running!.jobName}/instances/${running!.instanceId}`;
    expect((await h.api('POST', `${path}/stop`, busy)).status).toBe(204);
    expect((await h.api('GET', path, busy)).json.status).toBe('manual-stop');

    const failed = (await list('status=fail&limit=1')).instances[0]!;
    const failedPath = `jobs/${failed.jobName}/instances/${failed.instanceId}`;
    expect((await h.api('POST', `${failedPath}/restart`, busy)).status).toBe(204);
    const rerun = (await h.api('GET', failedPath, busy)).json;
    expect(rerun).toMatchObject({ status: 'running', startTime: h.clock.now, planTime: failed.planTime });
    h.clock.now += 6 * HOUR;
    const done = (await h.api('GET', failedPath, busy)).json;
    expect(done.status).toBe('success');
    expect(done.nodes.every((node: Node) => node.status === 'success')).toBe(true);
  });

  test('instances older than the retention are dropped; the workspace stays bounded', async () => {
    h = await startHarness({ ...READINGS, busy: { jobs: 6, retentionHours: 48 } });
    const oldest = (
      await list(`minPlanTime=${T0 - 7 * DAY}&maxPlanTime=${T0 - 30 * HOUR}&limit=1000`)
    ).instances.at(-1)!;
    const path = `jobs/${oldest.jobName}/instances/${oldest.instanceId}`;
    expect((await h.api('GET', path, busy)).status).toBe(200);
    h.clock.now = T0 + 20 * HOUR;
    expect((await h.api('GET', path, busy)).json.error_code).toBe('DLF.0137');
    h.clock.now = T0 + 10 * DAY;
    const { instances } = await stats();
    const past = `minPlanTime=${h.clock.now - 7 * DAY}&maxPlanTime=${h.clock.now - 48 * HOUR - 1}`;
    expect((await list(past)).total).toBe(0);
    expect(
      (await list(`minPlanTime=${h.clock.now - 48 * HOUR}&maxPlanTime=${h.clock.now}`)).total,
    ).toBeGreaterThan(0);
    expect(instances).toBeGreaterThan(500);
    expect(instances).toBeLessThan(1_500);
  });

  test('a job whose schedule is stopped makes no instances until it is started; run-immediate still works', async () => {
    h = await startHarness({ ...READINGS, busy: { jobs: 6 } });
    const jobs = (await h.api('GET', 'jobs?limit=100', busy)).json.jobs as { name: string }[];
    // The second job runs every five minutes.
    const job = jobs[1]!.name;
    const count = async () =>
      (await h.api('GET', `jobs/instances/detail?jobName=${job}&preciseQuery=true`, busy)).json.total;
    const before = await count();
    expect((await h.api('POST', `jobs/${job}/stop`, busy)).status).toBe(204);
    expect((await h.api('GET', `jobs?jobName=${job}`, busy)).json.jobs[0].status).toBe('STOPPED');
    h.clock.now = T0 + HOUR;
    expect(await count()).toBe(before);
    const run = await h.api('POST', `jobs/${job}/run-immediate`, busy);
    expect(run.status).toBe(200);
    expect(await count()).toBe(before + 1);
    expect((await h.api('POST', `jobs/${job}/start`, busy)).status).toBe(204);
    expect((await h.api('GET', `jobs?jobName=${job}`, busy)).json.jobs[0].status).toBe('SCHEDULING');
    h.clock.now = T0 + 2 * HOUR;
    expect(await count()).toBe(before + 1 + 12);
  });

  test('stats: instance count and counts by status; an unknown workspace is 404', async () => {
    h = await startHarness({ ...READINGS, busy: { jobs: 6 } });
    const shape = await stats();
    expect(shape).toMatchObject({ workspace: BUSY_WORKSPACE, jobs: 6, instances: expect.any(Number) });
    const counted = Object.values(shape.byStatus as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(counted).toBe(shape.instances);
    // Everything kept (36 h of history, the next two minutes) is in one week-long window.
    expect(shape.instances).toBe(
      (await list(`minPlanTime=${T0 - 6 * DAY}&maxPlanTime=${T0 + DAY}&limit=1`)).total,
    );
    expect((await h.raw('GET', '/__sim/workspaces/nowhere/stats')).status).toBe(404);
    expect((await h.raw('GET', `/__sim/workspaces/${DEMO_WORKSPACE}/stats`)).json.instances).toBeGreaterThan(
      10,
    );
  });
});
