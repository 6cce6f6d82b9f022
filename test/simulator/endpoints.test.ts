import {
  BIG_1000_INSTANCE_ID,
  BIG_5000_INSTANCE_ID,
  BIG_INSTANCE_ID,
  DEMO_WORKSPACE,
  SCENARIOS,
  UNICODE_INSTANCE_ID,
} from '../../src/simulator';
import { type Harness, minified, startHarness, T0 } from './harness';

let h: Harness;
// Newest first, offset counting records: the readings themselves are list-readings.test.ts's subject.
const READINGS = { listOffset: 'record', listOrder: 'newest' } as const;
beforeEach(async () => {
  h = await startHarness(READINGS);
});
afterEach(async () => {
  await h.close();
});

type Row = { instanceId: number; planTime: number; status: string; instanceType: number; jobName: string };
const ids = (rows: Row[]) => rows.map((row) => row.instanceId);
const DAY = 86_400_000;
/** A window around the docs' examples of 2019-03-04 (outside the default one, today 00:00 to now). */
const DOCS_WINDOW = 'minPlanTime=1551600000000&maxPlanTime=1551700000000';

/** docs §2, `viewing_job_instance_details.rst`, verbatim. */
const DETAIL_EXAMPLE = `{"jobName":"job_batch","instanceId":34765,"status":"fail","planTime":1551425326540,
 "startTime":1551425327000,"endTime":1551425387000,"executeTime":1,"forceSuccess":false,
 "ignoreSuccess":false,"total":2,"nodes":[
  {"endTime":1551671590000,"inputRowCount":0,"instanceId":34765,"nodeName":"Dummy_8556",
   "planTime":1551671580000,"retryTimes":0,"startTime":1551671584000,"status":"success","type":"Dummy"},
  {"endTime":1551671598000,"inputRowCount":0,"instanceId":34765,
   "logPath":"obs://dlf-test-log/job_batch/2019-03-04 11_53_00.000/error/error.job","nodeName":"error",
   "planTime":1551671580000,"retryTimes":0,"startTime":1551671594000,"status":"success","type":"DWS SQL"}]}`;

/** docs §3, `viewing_a_job_instance_list.rst`, verbatim. */
const LIST_EXAMPLE = `{"total":2,"instances":[
 {"endTime":1551671598000,"executeTime":0.3,"forceSuccess":false,"ignoreSuccess":false,"instanceId":34765,
  "instanceType":2,"jobId":608627,"jobName":"job_batch","jobInstanceName":"job_batch","planTime":1551671580000,
  "startTime":1551671580000,"status":"success","submitTime":1550910278706,"version":1},
 {"endTime":1551671538000,"executeTime":0.3,"forceSuccess":false,"ignoreSuccess":false,"instanceId":34764,
  "instanceType":5,"jobId":608627,"jobName":"job_batch","jobInstanceName":"job_batch","planTime":1551671520000,
  "startTime":1551671521000,"status":"success","submitTime":1550910278706,"version":1}]}`;

describe("the docs' examples", () => {
  test('instance detail 34765 is the example, byte for byte', async () => {
    const reply = await h.api('GET', 'jobs/job_batch/instances/34765');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(reply.text).toBe(minified(DETAIL_EXAMPLE));
  });

  test('the instance list of job_batch is the example, byte for byte (newest planTime first)', async () => {
    const reply = await h.api('GET', `jobs/instances/detail?jobName=job_batch&${DOCS_WINDOW}`);
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(minified(LIST_EXAMPLE));
  });

  test('34764, shown only in the list example, has a detail consistent with its row', async () => {
    const { json } = await h.api('GET', 'jobs/job_batch/instances/34764');
    expect(json).toMatchObject({
      status: 'success',
      planTime: 1551671520000,
      startTime: 1551671521000,
      endTime: 1551671538000,
      total: 2,
    });
    expect(json.nodes.map((node: { status: string }) => node.status)).toEqual(['success', 'success']);
  });
});

describe('errors', () => {
  test('a missing instance and a missing job are HTTP 400 with DLF codes', async () => {
    expect(await h.api('GET', 'jobs/job_batch/instances/1')).toMatchObject({
      status: 400,
      json: { error_code: 'DLF.0137', error_msg: 'Job instance does not exist.' },
    });
    for (const path of ['jobs/ghost/instances/1', 'jobs/ghost', 'jobs/ghost/instances/1/stop']) {
      const method = path.endsWith('stop') ? 'POST' : 'GET';
      expect(await h.api(method, path)).toMatchObject({
        status: 400,
        json: { error_code: 'DLF.0100', error_msg: 'The job does not exist.' },
      });
    }
    expect((await h.api('GET', 'jobs/job_batch/instances/1')).text).toBe(
      '{"error_code":"DLF.0137","error_msg":"Job instance does not exist."}',
    );
  });

  test('a non-numeric instance id is a parameter error', async () => {
    expect(await h.api('GET', 'jobs/job_batch/instances/abc')).toMatchObject({
      status: 400,
      json: { error_code: 'DLF.3051', error_msg: 'The request parameter is invalid.' },
    });
  });

  test('unknown routes and methods are the gateway 404 APIG.0101', async () => {
    for (const [method, path] of [
      ['GET', 'jobs/job_batch/instances/34765/nodes'],
      ['DELETE', 'jobs/job_batch/instances/34765'],
      ['GET', 'jobs/job_batch/instances/34765/stop'],
      ['POST', 'jobs/job_batch/run-now'],
    ] as const) {
      const reply = await h.api(method, path);
      expect(reply).toMatchObject({ status: 404, json: { error_code: 'APIG.0101' } });
      expect(reply.json.request_id).toMatch(/^[0-9a-f]{32}$/);
    }
    expect((await h.raw('GET', '/v2/anything')).status).toBe(404);
  });

  test('an unknown workspace is 400 DLF.6888; the default one may be named or left out', async () => {
    expect(
      await h.api('GET', 'jobs/job_batch/instances/34765', { headers: { workspace: 'someone-elses' } }),
    ).toMatchObject({
      status: 400,
      json: { error_code: 'DLF.6888', error_msg: 'Invalid account permissions.' },
    });
    expect(
      (await h.api('GET', 'jobs/job_batch/instances/34765', { headers: { workspace: DEMO_WORKSPACE } }))
        .status,
    ).toBe(200);
  });

  test('jobs live in one workspace', async () => {
    await h.close();
    h = await startHarness({ ...READINGS, workspaces: ['ws-main', 'ws-other'] });
    h.sim.simulator.addJob('only_other', { workspace: 'ws-other' });
    h.sim.simulator.startRun('only_other');
    expect((await h.api('GET', 'jobs/job_batch/instances/34765')).status).toBe(200);
    const other = { headers: { workspace: 'ws-other' } };
    expect((await h.api('GET', 'jobs/job_batch/instances/34765', other)).json.error_code).toBe('DLF.0100');
    const list = await h.api('GET', 'jobs/instances/detail?limit=100', other);
    expect(list.json.instances.map((row: Row) => row.jobName)).toEqual(['only_other']);
  });
});

describe('instance list', () => {
  const list = async (query: string) => (await h.api('GET', `jobs/instances/detail?${query}`)).json;

  test('fuzzy by default, exact with preciseQuery=true', async () => {
    const fuzzy = await list('jobName=demo_daily');
    expect(fuzzy.total).toBe(2);
    expect(fuzzy.instances.map((row: Row) => row.jobName).sort()).toEqual([
      SCENARIOS.liveFail,
      SCENARIOS.liveSuccess,
    ]);
    expect((await list('jobName=demo_daily&preciseQuery=true')).total).toBe(0);
    expect((await list(`jobName=${SCENARIOS.liveFail}&preciseQuery=true`)).total).toBe(1);
    expect((await list(`jobName=job_batch&preciseQuery=false&${DOCS_WINDOW}`)).total).toBe(2);
  });

  test('the rows carry the list fields', async () => {
    const { instances } = await list(`jobName=${SCENARIOS.liveSuccess}&preciseQuery=true`);
    expect(instances[0]).toEqual({
      forceSuccess: false,
      ignoreSuccess: false,
      instanceId: expect.any(Number),
      instanceType: 2,
      jobId: expect.any(Number),
      jobName: SCENARIOS.liveSuccess,
      jobInstanceName: SCENARIOS.liveSuccess,
      planTime: T0,
      startTime: T0,
      status: 'running',
      submitTime: expect.any(Number),
      version: 1,
    });
  });

  /** The history job's 25 runs (24 days back), read in four windows of at most 7 days, newest first. */
  const wholeHistory = async (filter = '') => {
    const rows: Row[] = [];
    for (let end = T0; end > T0 - 28 * DAY; end -= 7 * DAY + 1) {
      const window = `minPlanTime=${end - 7 * DAY}&maxPlanTime=${end}`;
      const page = await list(`jobName=${SCENARIOS.history}&preciseQuery=true&${window}&limit=100${filter}`);
      expect(page.instances).toHaveLength(page.total);
      rows.push(...page.instances);
    }
    return rows;
  };

  test('history: newest first, offset counting records, planTime bounds, status and type filters', async () => {
    const all = await wholeHistory();
    expect(all).toHaveLength(25);
    const planTimes = all.map((row: Row) => row.planTime);
    expect(planTimes).toEqual([...planTimes].sort((a, b) => b - a));
    expect(all[0]).toMatchObject({ status: 'running', planTime: T0 - 30 * 60_000 });

    const ofJob = `jobName=${SCENARIOS.history}&preciseQuery=true`;
    const job = `${ofJob}&minPlanTime=${T0 - 7 * DAY}&maxPlanTime=${T0}`;
    const week = await list(`${job}&limit=100`);
    expect(ids(week.instances)).toEqual(ids(all).slice(0, 7));
    const later = await list(`${job}&limit=3&offset=3`);
    expect(later.total).toBe(7);
    expect(ids(later.instances)).toEqual(ids(all).slice(3, 6));
    expect(ids((await list(`${job}&limit=3&offset=6`)).instances)).toEqual(ids(all).slice(6, 7));
    expect((await list(`${job}&limit=3&offset=7`)).instances).toEqual([]);
    expect((await list(job)).instances).toHaveLength(7);
    expect((await list(`${job}&limit=5`)).instances).toHaveLength(5);

    const failed = await wholeHistory('&status=fail');
    expect(failed).toHaveLength(3);
    expect(failed.every((row: Row) => row.status === 'fail')).toBe(true);
    expect(await wholeHistory('&instanceType=2')).toHaveLength(0);
    expect(await wholeHistory('&instanceType=0')).toHaveLength(25);

    const lastWeek = await list(`${ofJob}&minPlanTime=${T0 - 7 * DAY}&maxPlanTime=${T0 - DAY}&limit=100`);
    expect(lastWeek.total).toBe(6);
    expect(
      lastWeek.instances.every((row: Row) => row.planTime >= T0 - 7 * DAY && row.planTime <= T0 - DAY),
    ).toBe(true);
  });

  test('history durations vary and some runs failed', async () => {
    const rows = (await wholeHistory()) as (Row & { startTime: number; endTime?: number })[];
    const durations = rows.flatMap((row) => (row.endTime === undefined ? [] : [row.endTime - row.startTime]));
    expect(durations).toHaveLength(24);
    expect(new Set(durations).size).toBeGreaterThan(20);
    expect(Math.min(...durations)).toBeGreaterThan(10 * 60_000);
  });

  test('ties of planTime by highest id; inclusive bounds; no jobName means every job of the workspace', async () => {
    const sim = h.sim.simulator;
    const planTime = T0 - 3_600_000;
    const made = ['tie_a', 'tie_b', 'tie_a'].map((job) => sim.startRun(job, { planTime }));
    const same = await list(`minPlanTime=${planTime}&maxPlanTime=${planTime}&limit=100`);
    expect(same.instances.map((row: Row) => String(row.instanceId))).toEqual([...made].reverse());
    expect((await list(`minPlanTime=${planTime + 1}&maxPlanTime=${planTime + 1}`)).total).toBe(0);
    expect(
      await list(`jobName=tie_&minPlanTime=${planTime}&maxPlanTime=${planTime}&limit=2&offset=1`),
    ).toEqual({
      total: 3,
      instances: [
        expect.objectContaining({ instanceId: Number(made[1]) }),
        expect.objectContaining({ instanceId: Number(made[0]) }),
      ],
    });
    const week = `minPlanTime=${T0 - 7 * DAY}&maxPlanTime=${T0}`;
    const everything = await list(`limit=1000&${week}`);
    // Every job with a run in the week: all but the docs' example job (2019).
    expect(new Set(everything.instances.map((row: Row) => row.jobName))).toEqual(
      new Set([...Object.values(SCENARIOS), 'tie_a', 'tie_b'].filter((job) => job !== SCENARIOS.reference)),
    );
    expect(await list(`preciseQuery=false&limit=1000&${week}`)).toEqual(everything);
    expect((await list('preciseQuery=true')).total).toBe(0);
  });

  test('the list follows deletes and placements, in its order', async () => {
    const sim = h.sim.simulator;
    const first = sim.startRun('moving', { planTime: T0 - 10_000 });
    const second = sim.startRun('moving', { planTime: T0 - 20_000 });
    const ofJob = async () =>
      (await list('jobName=moving&preciseQuery=true')).instances.map((row: Row) => String(row.instanceId));
    expect(await ofJob()).toEqual([first, second]);
    // Placed again with another planTime, the instance moves to its new place.
    sim.setInstance({
      jobName: 'moving',
      instanceId: first,
      planTime: T0 - 30_000,
      status: 'success',
      nodes: [],
    });
    expect(await ofJob()).toEqual([second, first]);
    sim.deleteInstance('moving', second);
    expect(await ofJob()).toEqual([first]);
    expect((await h.api('GET', 'jobs?jobName=moving')).json.jobs[0].lastInstanceStatus).toBe('success');
  });

  test.each([
    'limit=0',
    'limit=1001',
    'limit=ten',
    'offset=-1',
    'status=done',
    'instanceType=3',
    'minPlanTime=yesterday',
    'preciseQuery=yes',
  ])('%s is 400 DLF.3051', async (query) => {
    expect(await h.api('GET', `jobs/instances/detail?${query}`)).toMatchObject({
      status: 400,
      json: { error_code: 'DLF.3051', error_msg: 'The request parameter is invalid.' },
    });
  });

  test('limit 1 and 1000 are accepted', async () => {
    expect((await list('limit=1')).instances).toHaveLength(1);
    const big = await list('limit=1000');
    expect(big.instances).toHaveLength(big.total);
  });
});

describe('jobs', () => {
  test('job list: fuzzy name, paging, last instance, limit 1–100', async () => {
    const demo = await h.api('GET', 'jobs?jobName=demo_daily&limit=5');
    expect(demo.json.total).toBe(2);
    expect(demo.json.jobs.map((job: { name: string }) => job.name).sort()).toEqual([
      SCENARIOS.liveFail,
      SCENARIOS.liveSuccess,
    ]);
    const [first] = (await h.api('GET', 'jobs?jobName=job_batch')).json.jobs;
    expect(first).toMatchObject({
      name: 'job_batch',
      jobType: 'BATCH',
      status: 'SCHEDULING',
      createUser: expect.any(String),
      createTime: expect.any(Number),
      // Its newest instance by the list's order is 34765, shown as the list example shows it.
      lastInstanceStatus: 'success',
      lastInstanceEndTime: 1551671598000,
    });
    const all = (await h.api('GET', 'jobs?limit=100')).json;
    expect(all.total).toBe(Object.keys(SCENARIOS).length);
    const pages = [0, 4, 8].map((offset) => h.api('GET', `jobs?limit=4&offset=${offset}`));
    const names = (await Promise.all(pages)).flatMap((page) =>
      page.json.jobs.map((job: { name: string }) => job.name),
    );
    expect(names).toEqual(all.jobs.map((job: { name: string }) => job.name));
    expect((await h.api('GET', 'jobs?jobType=REAL_TIME')).json).toEqual({ total: 0, jobs: [] });
    for (const query of ['limit=0', 'limit=101', 'jobType=STREAM', 'offset=x']) {
      expect((await h.api('GET', `jobs?${query}`)).json.error_code).toBe('DLF.3051');
    }
  });

  test('job details: nodes of the template in order, schedule, params, id', async () => {
    const { status, json } = await h.api('GET', `jobs/${SCENARIOS.liveFail}`);
    expect(status).toBe(200);
    expect(json).toMatchObject({
      name: SCENARIOS.liveFail,
      processType: 'BATCH',
      directory: '/',
      id: expect.any(Number),
      schedule: { type: 'CRON' },
      params: [],
      basicConfig: { owner: expect.any(String), instanceTimeout: 60 },
    });
    expect(json.nodes.map((node: { name: string; type: string }) => `${node.name}:${node.type}`)).toEqual([
      'extract_payments:CDMJob',
      'validate_payments:HiveSQL',
      'publish_payments:DWS SQL',
    ]);
    expect(json.nodes[1].preNodeName).toEqual(['extract_payments']);
    expect((await h.api('GET', 'jobs/job_batch')).json.id).toBe(608627);
  });
});

describe('scenarios', () => {
  test('an id above 2^53 is written with every digit, in detail and list', async () => {
    const detail = await h.api('GET', `jobs/${SCENARIOS.bigId}/instances/${BIG_INSTANCE_ID}`);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('"instanceId":9007199254740993,');
    expect(detail.text).not.toContain('"9007199254740993"');
    expect(detail.text).toMatch(/"nodes":\[\{[^}]*"instanceId":9007199254740993/);
    const list = await h.api(
      'GET',
      `jobs/instances/detail?jobName=${SCENARIOS.bigId}&preciseQuery=true&minPlanTime=${T0 - 2 * DAY}`,
    );
    expect(list.text).toContain('"instanceId":9007199254740993,');
    // JSON.parse would round it: the reason ids travel as exact digits.
    expect(String(JSON.parse(detail.text).instanceId)).toBe('9007199254740992');
  });

  test('a Unicode job name, URL-encoded in the path and in the query', async () => {
    const name = encodeURIComponent(SCENARIOS.unicode);
    const detail = await h.api('GET', `jobs/${name}/instances/${UNICODE_INSTANCE_ID}`);
    expect(detail).toMatchObject({ status: 200, json: { jobName: '数据同步_daily', status: 'success' } });
    expect(detail.json.nodes[0].nodeName).toBe('同步_订单');
    const list = await h.api('GET', `jobs/instances/detail?jobName=${name}&preciseQuery=true`);
    expect(ids(list.json.instances)).toEqual([Number(UNICODE_INSTANCE_ID)]);
    expect((await h.api('GET', `jobs/${name}`)).json.name).toBe('数据同步_daily');
    expect(h.sim.simulator.callsFor(SCENARIOS.unicode)).toHaveLength(3);
  });

  test.each([
    [SCENARIOS.big1000, BIG_1000_INSTANCE_ID, 1000],
    [SCENARIOS.big5000, BIG_5000_INSTANCE_ID, 5000],
  ])('%s has %s nodes of mixed statuses and types', async (job, id, count) => {
    const { json } = await h.api('GET', `jobs/${job}/instances/${id}`);
    expect(json.total).toBe(count);
    expect(json.nodes).toHaveLength(count);
    const byStatus = new Map<string, number>();
    for (const node of json.nodes) byStatus.set(node.status, (byStatus.get(node.status) ?? 0) + 1);
    expect([...byStatus.keys()].sort()).toEqual(['fail', 'running', 'skip', 'success', 'waiting']);
    expect(byStatus.get('fail')).toBeGreaterThan(count / 100);
    const types = new Set(json.nodes.map((node: { type: string }) => node.type));
    for (const type of ['Dummy', 'DWS SQL', 'HiveSQL', 'CDMJob', 'DLI Spark']) expect(types).toContain(type);
    const failed = json.nodes.filter((node: { status: string }) => node.status === 'fail');
    expect(
      failed.every((node: { logPath?: string }) => /^obs:\/\/.+\/error\/.+\.job$/.test(node.logPath ?? '')),
    ).toBe(true);
    expect(new Set(json.nodes.map((node: { nodeName: string }) => node.nodeName)).size).toBe(count);
  });

  test('a paused and a running-exception instance', async () => {
    for (const [job, status] of [
      [SCENARIOS.paused, 'pause'],
      [SCENARIOS.exception, 'running-exception'],
    ] as const) {
      const { instances } = (await h.api('GET', `jobs/instances/detail?jobName=${job}&preciseQuery=true`))
        .json;
      expect(instances).toHaveLength(1);
      const detail = (await h.api('GET', `jobs/${job}/instances/${instances[0].instanceId}`)).json;
      expect(detail.status).toBe(status);
      expect(detail.endTime).toBeUndefined();
      // Frozen where it stood: a later read shows the same nodes.
      h.clock.now += 60_000;
      const later = (await h.api('GET', `jobs/${job}/instances/${instances[0].instanceId}`)).json;
      expect(later).toEqual(detail);
    }
  });
});
