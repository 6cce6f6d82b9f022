import { SCENARIOS } from '../../src/simulator';
import { type Harness, startHarness, T0 } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

type Node = { nodeName: string; status: string; startTime?: number; endTime?: number; logPath?: string };

async function detail(job: string, id: string | number) {
  const reply = await h.api('GET', `jobs/${encodeURIComponent(job)}/instances/${id}`);
  expect(reply.status).toBe(200);
  return reply.json;
}

/** [instance status, ...node statuses] */
async function statuses(job: string, id: string | number): Promise<string[]> {
  const json = await detail(job, id);
  return [json.status, ...json.nodes.map((node: Node) => node.status)];
}

async function seededRun(job: string): Promise<number> {
  const { json } = await h.api('GET', `jobs/instances/detail?jobName=${job}&preciseQuery=true`);
  expect(json.total).toBe(1);
  return json.instances[0].instanceId;
}

describe('live runs advance with the clock', () => {
  test('the seeded success run: node by node to success, then frozen', async () => {
    const id = await seededRun(SCENARIOS.liveSuccess);
    expect(await statuses(SCENARIOS.liveSuccess, id)).toEqual([
      'running',
      'running',
      'waiting',
      'waiting',
      'waiting',
    ]);
    const start = await detail(SCENARIOS.liveSuccess, id);
    expect(start).toMatchObject({ startTime: T0, planTime: T0, total: 4 });
    expect(start.endTime).toBeUndefined();
    expect(start.executeTime).toBeUndefined();

    h.clock.now = T0 + 3_000;
    const halfway = await detail(SCENARIOS.liveSuccess, id);
    expect(halfway.nodes[0]).toMatchObject({ status: 'running', startTime: T0, inputRowCount: 60_000 });
    expect(halfway.nodes[0].endTime).toBeUndefined();

    h.clock.now = T0 + 7_000;
    expect(await statuses(SCENARIOS.liveSuccess, id)).toEqual([
      'running',
      'success',
      'running',
      'waiting',
      'waiting',
    ]);
    h.clock.now = T0 + 21_999;
    expect(await statuses(SCENARIOS.liveSuccess, id)).toEqual([
      'running',
      'success',
      'success',
      'success',
      'running',
    ]);
    h.clock.now = T0 + 22_000;
    const done = await detail(SCENARIOS.liveSuccess, id);
    expect([done.status, ...done.nodes.map((node: Node) => node.status)]).toEqual([
      'success',
      'success',
      'success',
      'success',
      'success',
    ]);
    expect(done).toMatchObject({ startTime: T0, endTime: T0 + 22_000, executeTime: 22_000 });
    expect(done.nodes.map((node: Node) => [node.startTime, node.endTime])).toEqual([
      [T0, T0 + 6_000],
      [T0 + 6_000, T0 + 14_000],
      [T0 + 14_000, T0 + 20_000],
      [T0 + 20_000, T0 + 22_000],
    ]);
    expect(done.nodes[0]).toMatchObject({ inputRowCount: 120_000, speed: 20_000 });
    h.clock.now = T0 + 3_600_000;
    expect(await detail(SCENARIOS.liveSuccess, id)).toEqual(done);
  });

  test('the seeded failing run: the failed node has a log path, later nodes are skipped', async () => {
    const id = await seededRun(SCENARIOS.liveFail);
    h.clock.now = T0 + 6_000;
    expect(await statuses(SCENARIOS.liveFail, id)).toEqual(['running', 'success', 'running', 'waiting']);
    h.clock.now = T0 + 12_000;
    const failed = await detail(SCENARIOS.liveFail, id);
    expect([failed.status, ...failed.nodes.map((node: Node) => node.status)]).toEqual([
      'fail',
      'success',
      'fail',
      'skip',
    ]);
    expect(failed).toMatchObject({ endTime: T0 + 12_000 });
    expect(failed.nodes[1]).toMatchObject({
      nodeName: 'validate_payments',
      endTime: T0 + 12_000,
      retryTimes: 2,
      logPath: 'obs://dlf-test-log/demo_daily_fail/2026-11-25 08_00_00.000/error/validate_payments.job',
    });
    expect(failed.nodes[0].logPath).toBeUndefined();
    expect(failed.nodes[2].startTime).toBeUndefined();
  });

  test('a run planned later waits until its planTime', async () => {
    const sim = h.sim.simulator;
    const id = sim.startRun('later', {
      planTime: T0 + 60_000,
      instanceType: 0,
      nodes: [
        { name: 'a', type: 'Dummy', durationMs: 1_000 },
        { name: 'b', type: 'Shell', durationMs: 1_000, outcome: 'fail' },
      ],
    });
    const waiting = await detail('later', id);
    expect([waiting.status, ...waiting.nodes.map((node: Node) => node.status)]).toEqual([
      'waiting',
      'waiting',
      'waiting',
    ]);
    expect(waiting.startTime).toBeUndefined();
    h.clock.now = T0 + 60_500;
    expect(await statuses('later', id)).toEqual(['running', 'running', 'waiting']);
    h.clock.now = T0 + 62_000;
    expect(await statuses('later', id)).toEqual(['fail', 'success', 'fail']);
  });

  test('finish and setInstanceStatus: a pause freezes the run, a later end keeps the frozen nodes', async () => {
    const sim = h.sim.simulator;
    const id = await seededRun(SCENARIOS.liveSuccess);
    h.clock.now = T0 + 7_000;
    sim.setInstanceStatus(SCENARIOS.liveSuccess, String(id), 'pause');
    expect(await statuses(SCENARIOS.liveSuccess, id)).toEqual([
      'pause',
      'success',
      'pause',
      'waiting',
      'waiting',
    ]);
    h.clock.now = T0 + 60_000;
    expect(await statuses(SCENARIOS.liveSuccess, id)).toEqual([
      'pause',
      'success',
      'pause',
      'waiting',
      'waiting',
    ]);
    sim.finish(SCENARIOS.liveSuccess, String(id), 'fail');
    const ended = await detail(SCENARIOS.liveSuccess, id);
    expect([ended.status, ...ended.nodes.map((node: Node) => node.status)]).toEqual([
      'fail',
      'success',
      'fail',
      'skip',
      'skip',
    ]);
    expect(ended).toMatchObject({ endTime: T0 + 60_000, executeTime: 60_000 });
    expect(ended.nodes[1].logPath).toMatch(/\/error\/transform_orders\.job$/);
    // An ended instance keeps its end.
    sim.finish(SCENARIOS.liveSuccess, String(id), 'success');
    expect((await detail(SCENARIOS.liveSuccess, id)).status).toBe('fail');
    expect(() => sim.finish('ghost', '1', 'fail')).toThrow('There is no instance 1 of job ghost.');
  });

  test('finish success closes every open node', async () => {
    const sim = h.sim.simulator;
    const id = await seededRun(SCENARIOS.liveSuccess);
    h.clock.now = T0 + 1_000;
    sim.finish(SCENARIOS.liveSuccess, String(id), 'success');
    const ended = await detail(SCENARIOS.liveSuccess, id);
    expect(ended.status).toBe('success');
    expect(ended.nodes.every((node: Node) => node.status === 'success' && node.endTime === T0 + 1_000)).toBe(
      true,
    );
  });

  test('setInstance places an instance exactly as given', async () => {
    const sim = h.sim.simulator;
    const raw = {
      jobName: 'placed',
      instanceId: '77',
      status: 'running',
      planTime: 5_000,
      startTime: 6_000,
      forceSuccess: true,
      ignoreSuccess: false,
      total: 1,
      nodes: [{ nodeName: 'n', status: 'running', type: 'Dummy', instanceId: '77', planTime: 5_000 }],
    };
    sim.setInstance(raw);
    expect(await detail('placed', 77)).toEqual({
      ...raw,
      instanceId: 77,
      nodes: [{ ...raw.nodes[0], instanceId: 77 }],
    });
    expect(sim.instance('placed', '77')).toMatchObject({ status: 'running', forceSuccess: true });
    sim.finish('placed', '77', 'manual-stop');
    expect(await statuses('placed', 77)).toEqual(['manual-stop', 'manual-stop']);
  });
});

describe('stop, restart, run-immediate', () => {
  test('run-immediate starts a fresh live run of the job template', async () => {
    const run = await h.api('POST', `jobs/${SCENARIOS.liveFail}/run-immediate`, {
      body: '{"jobParams":[{"name":"bizdate","value":"2026-11-24","paramType":"variable"}]}',
    });
    expect(run.status).toBe(200);
    expect(run.text).toMatch(/^\{"instanceId":\d+\}$/);
    const id = run.json.instanceId;
    const seeded = await seededRun(SCENARIOS.liveSuccess);
    expect(id).toBeGreaterThan(seeded);
    h.clock.now = T0 + 12_000;
    expect(await statuses(SCENARIOS.liveFail, id)).toEqual(['fail', 'success', 'fail', 'skip']);
    const list = await h.api('GET', `jobs/instances/detail?jobName=${SCENARIOS.liveFail}&preciseQuery=true`);
    expect(list.json.total).toBe(2);
    expect((await h.api('POST', `jobs/${SCENARIOS.liveSuccess}/run-immediate`)).status).toBe(200);
  });

  test('run-immediate: unknown job is DLF.0100, malformed parameters DLF.3051', async () => {
    expect(await h.api('POST', 'jobs/ghost/run-immediate')).toMatchObject({
      status: 400,
      json: { error_code: 'DLF.0100', error_msg: 'The job does not exist.' },
    });
    for (const body of [
      'not json',
      '[]',
      '{"jobParams":{}}',
      '{"jobParams":[{"name":"a"}]}',
      `{"jobParams":[{"name":"${'n'.repeat(65)}","value":"v"}]}`,
      '{"jobParams":[{"name":"a","value":"v","paramType":"secret"}]}',
    ]) {
      expect(await h.api('POST', `jobs/${SCENARIOS.liveSuccess}/run-immediate`, { body })).toMatchObject({
        status: 400,
        json: { error_code: 'DLF.3051' },
      });
    }
  });

  test('stop only while running; restart only once ended, same id, from now, same nodes', async () => {
    const id = await seededRun(SCENARIOS.liveSuccess);
    const path = `jobs/${SCENARIOS.liveSuccess}/instances/${id}`;
    expect(await h.api('POST', `${path}/restart`)).toMatchObject({
      status: 400,
      json: { error_code: 'DLF.3051', error_msg: expect.stringContaining('running') },
    });
    h.clock.now = T0 + 7_000;
    const stop = await h.api('POST', `${path}/stop`);
    expect(stop).toMatchObject({ status: 204, text: '' });
    const stopped = await detail(SCENARIOS.liveSuccess, id);
    expect([stopped.status, ...stopped.nodes.map((node: Node) => node.status)]).toEqual([
      'manual-stop',
      'success',
      'manual-stop',
      'skip',
      'skip',
    ]);
    expect(stopped.endTime).toBe(T0 + 7_000);
    expect(await h.api('POST', `${path}/stop`)).toMatchObject({
      status: 400,
      json: { error_code: 'DLF.3051', error_msg: expect.stringContaining('manual-stop') },
    });

    h.clock.now = T0 + 100_000;
    expect(await h.api('POST', `${path}/restart`)).toMatchObject({ status: 204, text: '' });
    const again = await detail(SCENARIOS.liveSuccess, id);
    expect(again).toMatchObject({ instanceId: id, status: 'running', startTime: T0 + 100_000, planTime: T0 });
    expect(again.nodes.map((node: Node) => node.nodeName)).toEqual(
      stopped.nodes.map((node: Node) => node.nodeName),
    );
    h.clock.now = T0 + 122_000;
    expect((await detail(SCENARIOS.liveSuccess, id)).status).toBe('success');
    expect((await h.api('POST', `${path}/restart`)).status).toBe(204);
    expect(await h.api('POST', `jobs/${SCENARIOS.liveSuccess}/instances/1/stop`)).toMatchObject({
      status: 400,
      json: { error_code: 'DLF.0137' },
    });
  });

  test('run-immediate: a job of another workspace is unknown there; a real-time job cannot be run', async () => {
    await h.close();
    h = await startHarness({ workspaces: ['ws-main', 'ws-other'] });
    const sim = h.sim.simulator;
    sim.addJob('elsewhere', { workspace: 'ws-other' });
    expect(await h.api('POST', 'jobs/elsewhere/run-immediate')).toMatchObject({
      status: 400,
      json: { error_code: 'DLF.0100' },
    });
    expect(
      (await h.api('POST', 'jobs/elsewhere/run-immediate', { headers: { workspace: 'ws-other' } })).status,
    ).toBe(200);
    // Nor can its instances be stopped or rerun from the other workspace.
    const id = sim.startRun('elsewhere');
    expect((await h.api('POST', `jobs/elsewhere/instances/${id}/stop`)).json.error_code).toBe('DLF.0100');

    sim.addJob('streaming', { processType: 'REAL_TIME' });
    expect(await h.api('POST', 'jobs/streaming/run-immediate')).toMatchObject({
      status: 400,
      json: { error_code: 'DLF.3051', error_msg: expect.stringContaining('batch') },
    });
    expect((await h.api('GET', 'jobs?jobType=REAL_TIME')).json.jobs).toMatchObject([
      { name: 'streaming', jobType: 'REAL_TIME', status: 'NORMAL' },
    ]);
  });

  test('a stopped schedule: job stop and start are 204, the job list says STOPPED, run-immediate still runs', async () => {
    const job = SCENARIOS.liveSuccess;
    expect(await h.api('POST', `jobs/${job}/stop`)).toMatchObject({ status: 204, text: '' });
    expect((await h.api('GET', `jobs?jobName=${job}`)).json.jobs[0].status).toBe('STOPPED');
    expect((await h.api('POST', `jobs/${job}/run-immediate`)).status).toBe(200);
    expect((await h.api('POST', `jobs/${job}/start`)).status).toBe(204);
    expect((await h.api('GET', `jobs?jobName=${job}`)).json.jobs[0].status).toBe('SCHEDULING');
    expect((await h.api('POST', 'jobs/ghost/stop')).json.error_code).toBe('DLF.0100');
  });

  test('restart is refused while waiting, running, paused or running-exception; stop while running-exception', async () => {
    const sim = h.sim.simulator;
    const running = await seededRun(SCENARIOS.liveSuccess);
    const waiting = sim.startRun(SCENARIOS.liveSuccess, { planTime: T0 + 60_000 });
    const exception = await seededRun(SCENARIOS.exception);
    for (const [job, id, status] of [
      [SCENARIOS.liveSuccess, waiting, 'waiting'],
      [SCENARIOS.liveSuccess, running, 'running'],
      [SCENARIOS.paused, await seededRun(SCENARIOS.paused), 'pause'],
      [SCENARIOS.exception, exception, 'running-exception'],
    ] as const) {
      expect(await h.api('POST', `jobs/${job}/instances/${id}/restart`)).toMatchObject({
        status: 400,
        json: {
          error_code: 'DLF.3051',
          error_msg: `The job instance is ${status}; only a successful, failed or stopped instance can be rerun.`,
        },
      });
    }
    expect(await h.api('POST', `jobs/${SCENARIOS.exception}/instances/${exception}/stop`)).toMatchObject({
      status: 400,
      json: { error_code: 'DLF.3051', error_msg: expect.stringContaining('running-exception') },
    });
  });

  test('stop is refused for paused, waiting and ended instances; restart of the failed docs example works', async () => {
    const paused = await seededRun(SCENARIOS.paused);
    expect((await h.api('POST', `jobs/${SCENARIOS.paused}/instances/${paused}/stop`)).status).toBe(400);
    expect((await h.api('POST', `jobs/${SCENARIOS.paused}/instances/${paused}/restart`)).status).toBe(400);
    const waiting = h.sim.simulator.startRun(SCENARIOS.liveSuccess, { planTime: T0 + 60_000 });
    expect((await h.api('POST', `jobs/${SCENARIOS.liveSuccess}/instances/${waiting}/stop`)).status).toBe(400);

    expect((await h.api('POST', 'jobs/job_batch/instances/34765/stop')).status).toBe(400);
    h.clock.now = T0 + 1_000;
    expect((await h.api('POST', 'jobs/job_batch/instances/34765/restart')).status).toBe(204);
    expect(await statuses('job_batch', 34765)).toEqual(['running', 'running', 'waiting']);
    const row = (
      await h.api(
        'GET',
        'jobs/instances/detail?jobName=job_batch&preciseQuery=true&minPlanTime=1551600000000&maxPlanTime=1551700000000',
      )
    ).json.instances;
    expect(row.find((r: { instanceId: number }) => r.instanceId === 34765)).toMatchObject({
      status: 'running',
      startTime: T0 + 1_000,
    });
  });
});
