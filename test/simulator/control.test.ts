import { DEMO_PROJECT_ID, DEMO_WORKSPACE } from '../../src/simulator';
import { type Harness, startHarness, T0, tokenRequest } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const control = (method: string, path: string, body?: unknown) => h.raw(method, `/__sim${path}`, { body });

test('jobs and runs: a job with a template, a run of it advancing, finished over HTTP', async () => {
  expect(
    await control('POST', '/jobs', {
      name: 'ctl_job',
      nodes: [
        { name: 'one', type: 'Dummy', durationMs: 1_000 },
        { name: 'two', type: 'DWS SQL', durationMs: 1_000, inputRowCount: 10 },
      ],
    }),
  ).toMatchObject({ status: 201, json: { name: 'ctl_job' } });
  const run = await control('POST', '/runs', { jobName: 'ctl_job', instanceType: 0 });
  expect(run.status).toBe(201);
  const id: string = run.json.instanceId;
  expect(id).toMatch(/^\d+$/);
  expect((await h.api('GET', `jobs/ctl_job/instances/${id}`)).json).toMatchObject({
    status: 'running',
    total: 2,
  });
  h.clock.now = T0 + 1_500;
  expect((await control('GET', `/instances/ctl_job/${id}`)).json).toMatchObject({
    instanceId: id,
    status: 'running',
    nodes: [{ status: 'success' }, { status: 'running', inputRowCount: 5 }],
  });
  expect((await control('POST', `/instances/ctl_job/${id}/finish`, { status: 'fail' })).status).toBe(204);
  const ended = (await h.api('GET', `jobs/ctl_job/instances/${id}`)).json;
  expect(ended).toMatchObject({ status: 'fail', endTime: T0 + 1_500 });
  expect(ended.nodes[1].logPath).toMatch(/^obs:\/\/.+\/error\/two\.job$/);
  const list = await h.api('GET', 'jobs/instances/detail?jobName=ctl_job&preciseQuery=true');
  expect(list.json.instances[0]).toMatchObject({ instanceType: 0, status: 'fail' });
});

test('a run with its own nodes on a new job; status pause and running-exception', async () => {
  const run = await control('POST', '/runs', {
    jobName: 'ctl_adhoc',
    nodes: [{ name: 'only', type: 'Shell', durationMs: 60_000, outcome: 'fail' }],
    planTime: T0 - 1_000,
  });
  const id = run.json.instanceId;
  expect((await control('POST', `/instances/ctl_adhoc/${id}/status`, { status: 'pause' })).status).toBe(204);
  expect((await h.api('GET', `jobs/ctl_adhoc/instances/${id}`)).json).toMatchObject({
    status: 'pause',
    startTime: T0 - 1_000,
    nodes: [{ nodeName: 'only', status: 'pause' }],
  });
  expect(
    (await control('POST', `/instances/ctl_adhoc/${id}/status`, { status: 'running-exception' })).status,
  ).toBe(204);
  expect((await h.api('GET', `jobs/ctl_adhoc/instances/${id}`)).json.status).toBe('running-exception');
});

test('PUT /instances places an instance, ids above 2^53 kept exact; Unicode names in the path', async () => {
  const raw = `{"jobName":"作业_ctl","instanceId":18014398509481985,"status":"running","planTime":1,"total":0,"nodes":[]}`;
  expect((await control('PUT', '/instances', raw)).status).toBe(204);
  const reply = await h.api('GET', `jobs/${encodeURIComponent('作业_ctl')}/instances/18014398509481985`);
  expect(reply.text).toContain('"instanceId":18014398509481985');
  const path = `/instances/${encodeURIComponent('作业_ctl')}/18014398509481985`;
  expect((await control('GET', path)).json).toMatchObject({
    instanceId: '18014398509481985',
    status: 'running',
  });
  expect((await control('POST', `${path}/finish`, { status: 'manual-stop' })).status).toBe(204);
  expect((await control('GET', path)).json.status).toBe('manual-stop');
});

test('faults over HTTP, validated', async () => {
  expect((await control('POST', '/faults', { target: 'job_batch', status: 503, times: 1 })).status).toBe(204);
  expect((await h.api('GET', 'jobs/job_batch/instances/34765')).status).toBe(503);
  expect((await h.api('GET', 'jobs/job_batch/instances/34765')).status).toBe(200);
  expect((await control('POST', '/faults', { throttle: { retryAfterSeconds: 3 } })).status).toBe(204);
  expect((await h.api('GET', 'jobs')).headers.get('retry-after')).toBe('3');
  expect((await control('DELETE', '/faults')).status).toBe(204);
  expect((await h.api('GET', 'jobs')).status).toBe(200);

  expect((await control('POST', '/faults', { target: 'job_batch', garbage: true, times: 1 })).status).toBe(
    204,
  );
  expect((await h.api('GET', 'jobs/job_batch/instances/34765')).text).toMatch(/^<html>/);
  expect((await control('POST', '/faults', { oversizeBytes: 10_000, truncate: true, times: 1 })).status).toBe(
    204,
  );
  expect(Buffer.byteLength((await h.api('GET', 'jobs')).text)).toBe(5_000);

  for (const bad of [
    { status: 418 },
    { oversizeBytes: -1 },
    { oversizeBytes: '1MB' },
    { truncate: 'yes' },
    { garbage: 1 },
    { latencyMs: -1 },
    { hang: 'yes' },
    { throttle: {} },
    { explode: true },
    { target: 7, drop: true },
  ]) {
    const reply = await control('POST', '/faults', bad);
    expect(reply.status).toBe(400);
    expect(reply.json.error).toEqual(expect.any(String));
  }
});

test('calls and token requests over HTTP; control requests are neither logged nor faulted nor authenticated', async () => {
  await control('POST', '/faults', { hang: true });
  await h.raw('POST', '/v3/auth/tokens', {
    body: tokenRequest({ password: 'wrong' }),
  });
  await control('DELETE', '/faults');
  await h.api('GET', 'jobs/job_batch/instances/34765');
  const { json } = await control('GET', '/calls');
  expect(json).toEqual({
    calls: [
      {
        method: 'GET',
        path: `/v1/${DEMO_PROJECT_ID}/jobs/job_batch/instances/34765`,
        workspace: DEMO_WORKSPACE,
        jobName: 'job_batch',
        instanceId: '34765',
        status: 200,
        at: T0,
      },
    ],
    tokenRequests: 1,
  });
  expect((await control('DELETE', '/calls')).status).toBe(204);
  expect((await control('GET', '/calls')).json.calls).toEqual([]);
});

test("the call log over HTTP: the workspace asked, and a list call's paging and window", async () => {
  await h.close();
  h = await startHarness({ workspaces: [DEMO_WORKSPACE, 'ws-other'] });
  await h.api('GET', `jobs/instances/detail?limit=1000&offset=2&minPlanTime=${T0 - 60_000}`, {
    headers: { workspace: 'ws-other' },
  });
  await h.api('GET', 'jobs?limit=50');
  await h.api('GET', 'jobs/instances/detail?limit=ten&maxPlanTime=5');
  expect((await control('GET', '/calls')).json.calls).toEqual([
    expect.objectContaining({
      workspace: 'ws-other',
      limit: 1000,
      offset: 2,
      minPlanTime: T0 - 60_000,
      status: 200,
    }),
    expect.objectContaining({ workspace: DEMO_WORKSPACE, limit: 50, offset: 0 }),
    expect.objectContaining({ workspace: DEMO_WORKSPACE, offset: 0, maxPlanTime: 5, status: 400 }),
  ]);
  const [, , bad] = (await control('GET', '/calls')).json.calls;
  expect(bad.limit).toBeUndefined();
  expect(bad.minPlanTime).toBeUndefined();
});

test('expire-tokens over HTTP', async () => {
  const issued = await h.raw('POST', '/v3/auth/tokens', {
    body: tokenRequest(),
  });
  const token = issued.headers.get('x-subject-token')!;
  expect((await h.api('GET', 'jobs', { auth: { token } })).status).toBe(200);
  expect((await control('POST', '/expire-tokens')).status).toBe(204);
  expect((await h.api('GET', 'jobs', { auth: { token } })).json.error_msg).toBe(
    'Incorrect IAM authentication information: token expires',
  );
});

test('bad control requests: 400 with a sentence, unknown ones 404', async () => {
  expect(await control('POST', '/runs', { jobName: '' })).toMatchObject({
    status: 400,
    json: { error: expect.any(String) },
  });
  expect(
    await control('POST', '/runs', { jobName: 'x', nodes: [{ name: 'n', type: 'Dummy' }] }),
  ).toMatchObject({
    status: 400,
    json: { error: 'nodes[0].durationMs is required.' },
  });
  expect(await control('POST', '/instances/job_batch/34765/finish', { status: 'pause' })).toMatchObject({
    status: 400,
  });
  expect(await control('POST', '/instances/job_batch/1/finish', { status: 'fail' })).toMatchObject({
    status: 400,
    json: { error: 'There is no instance 1 of job job_batch.' },
  });
  expect(await control('PUT', '/instances', 'not json')).toMatchObject({ status: 400 });
  expect((await control('GET', '/instances/job_batch/1')).status).toBe(404);
  expect((await control('POST', '/jobs', { name: 'rt', processType: 'STREAM' })).status).toBe(400);
  expect((await control('GET', '/nothing')).status).toBe(404);
  expect((await control('PATCH', '/faults')).status).toBe(404);
});
