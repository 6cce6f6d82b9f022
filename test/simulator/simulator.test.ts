import { signRequest } from '../../src/dataarts/auth/signer';
import {
  DEMO_AK,
  DEMO_IAM_USER,
  DEMO_PROJECT_ID,
  DEMO_SK,
  type RunningSimulator,
  SCENARIOS,
  startSimulator,
} from '../../src/simulator';

let sim: RunningSimulator;
let now: number;

beforeEach(async () => {
  now = Date.UTC(2026, 10, 25, 8, 0, 0);
  sim = await startSimulator({ clock: () => now });
});
afterEach(async () => {
  await sim.close();
});

/** A signed request to the simulator, answered as raw status, headers and text. */
async function api(
  method: string,
  path: string,
  options: { body?: string; headers?: Record<string, string> } = {},
) {
  const url = new URL(`/v1/${DEMO_PROJECT_ID}/${path}`, sim.url);
  const headers = signRequest(
    { method, url, headers: { 'content-type': 'application/json', ...options.headers }, body: options.body },
    { accessKey: DEMO_AK, secretKey: DEMO_SK },
    new Date(now),
  );
  const response = await fetch(url, { method, headers, body: options.body });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: text ? JSON.parse(text) : undefined,
  };
}

describe('DataArts endpoints', () => {
  test('the reference example, with ids as JSON numbers and the node log path', async () => {
    const { status, text, json } = await api('GET', 'jobs/job_batch/instances/34765');
    expect(status).toBe(200);
    expect(text).toContain('"instanceId":34765');
    expect(json).toMatchObject({
      jobName: 'job_batch',
      status: 'fail',
      planTime: 1551425326540,
      startTime: 1551425327000,
      endTime: 1551425387000,
      executeTime: 1,
      total: 2,
    });
    expect(json.nodes[1]).toMatchObject({
      nodeName: 'error',
      type: 'DWS SQL',
      logPath: 'obs://dlf-test-log/job_batch/2019-03-04 11_53_00.000/error/error.job',
    });
  });

  test('ids beyond 2^53 are written with every digit', async () => {
    const { text } = await api('GET', `jobs/${SCENARIOS.bigId}/instances/9007199254740993`);
    expect(text).toContain('"instanceId":9007199254740993');
  });

  test('not found is HTTP 400 with DLF codes; unknown routes are 404 APIG.0101', async () => {
    expect(await api('GET', 'jobs/job_batch/instances/1')).toMatchObject({
      status: 400,
      json: { error_code: 'DLF.0137', error_msg: 'Job instance does not exist.' },
    });
    expect(await api('GET', 'jobs/ghost/instances/1')).toMatchObject({
      status: 400,
      json: { error_code: 'DLF.0100' },
    });
    expect(await api('GET', 'jobs/job_batch/instances/1/nodes')).toMatchObject({
      status: 404,
      json: { error_code: 'APIG.0101' },
    });
  });

  test('instance list: precise vs fuzzy, newest first, paging, limit validation', async () => {
    const precise = await api('GET', 'jobs/instances/detail?jobName=job_batch&preciseQuery=true');
    expect(precise.json.total).toBe(2);
    expect(precise.json.instances.map((row: { instanceId: number }) => row.instanceId)).toEqual([
      34764, 34765,
    ]);
    expect(precise.json.instances[0]).toMatchObject({
      jobInstanceName: 'job_batch',
      instanceType: 5,
      version: 1,
    });
    expect((await api('GET', 'jobs/instances/detail?jobName=demo_daily')).json.total).toBe(2);
    const page = await api(
      'GET',
      `jobs/instances/detail?jobName=${SCENARIOS.history}&preciseQuery=true&limit=10&offset=2`,
    );
    expect(page.json.total).toBe(25);
    expect(page.json.instances).toHaveLength(5);
    expect(await api('GET', 'jobs/instances/detail?limit=1001')).toMatchObject({
      status: 400,
      json: { error_code: 'DLF.3051' },
    });
  });

  test('job list and job details', async () => {
    const list = await api('GET', 'jobs?jobName=demo_daily&limit=5');
    expect(list.json.jobs.map((job: { name: string }) => job.name).sort()).toEqual([
      SCENARIOS.liveFail,
      SCENARIOS.liveSuccess,
    ]);
    const job = await api('GET', `jobs/${SCENARIOS.liveFail}`);
    expect(job.json).toMatchObject({ name: SCENARIOS.liveFail, processType: 'BATCH' });
    expect(job.json.nodes.map((node: { name: string }) => node.name)).toEqual([
      'extract_payments',
      'validate_payments',
      'publish_payments',
    ]);
  });

  test('a live run advances with the clock to success; stop and restart keep their preconditions', async () => {
    const run = await api('POST', `jobs/${SCENARIOS.liveSuccess}/run-immediate`, {
      body: '{"jobParams":[]}',
    });
    const id = run.json.instanceId as number;
    const path = `jobs/${SCENARIOS.liveSuccess}/instances/${id}`;
    const statuses = async () => {
      const { json } = await api('GET', path);
      return [json.status, ...json.nodes.map((node: { status: string }) => node.status)];
    };
    expect(await statuses()).toEqual(['running', 'running', 'waiting', 'waiting', 'waiting']);
    now += 7_000;
    expect(await statuses()).toEqual(['running', 'success', 'running', 'waiting', 'waiting']);
    expect(await api('POST', `${path}/restart`)).toMatchObject({
      status: 400,
      json: { error_code: 'DLF.3051' },
    });
    now += 60_000;
    expect(await statuses()).toEqual(['success', 'success', 'success', 'success', 'success']);
    expect(await api('POST', `${path}/stop`)).toMatchObject({ status: 400 });
    expect(await api('POST', `${path}/restart`)).toMatchObject({ status: 204, text: '' });
    expect((await statuses())[0]).toBe('running');
    expect(await api('POST', `${path}/stop`)).toMatchObject({ status: 204 });
    expect((await statuses()).slice(0, 2)).toEqual(['manual-stop', 'manual-stop']);
  });

  test('paused and running-exception scenarios, and 1,000 / 5,000 nodes', async () => {
    const paused = await api('GET', `jobs/instances/detail?jobName=${SCENARIOS.paused}&preciseQuery=true`);
    expect(paused.json.instances[0].status).toBe('pause');
    const exception = await api(
      'GET',
      `jobs/instances/detail?jobName=${SCENARIOS.exception}&preciseQuery=true`,
    );
    expect(exception.json.instances[0].status).toBe('running-exception');
    const big = await api('GET', `jobs/${SCENARIOS.big5000}/instances/55000`);
    expect(big.json.nodes).toHaveLength(5000);
    expect(
      big.json.nodes.filter((node: { status: string }) => node.status === 'fail').length,
    ).toBeGreaterThan(10);
  });
});

describe('gateway authentication', () => {
  test('unsigned, wrong SK and wrong project', async () => {
    const unsigned = await fetch(new URL(`/v1/${DEMO_PROJECT_ID}/jobs/job_batch/instances/34765`, sim.url));
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({
      error_code: 'APIG.0301',
      error_msg: 'Incorrect IAM authentication information: x-auth-token not found',
      request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    const url = new URL(`/v1/${DEMO_PROJECT_ID}/jobs/job_batch/instances/34765`, sim.url);
    const wrong = signRequest(
      { method: 'GET', url, headers: {} },
      { accessKey: DEMO_AK, secretKey: 'x' },
      new Date(now),
    );
    expect((await fetch(url, { headers: wrong })).status).toBe(401);
    const other = await api('GET', 'jobs/job_batch/instances/34765');
    expect(other.status).toBe(200);
    const project = new URL('/v1/0123456789abcdef/jobs', sim.url);
    const signed = signRequest(
      { method: 'GET', url: project, headers: {} },
      { accessKey: DEMO_AK, secretKey: DEMO_SK },
      new Date(now),
    );
    expect((await fetch(project, { headers: signed })).status).toBe(403);
  });

  test('IAM token: 201 with X-Subject-Token, accepted, expiring', async () => {
    const body = {
      auth: {
        identity: {
          methods: ['password'],
          password: {
            user: {
              name: DEMO_IAM_USER.name,
              password: DEMO_IAM_USER.password,
              domain: { name: DEMO_IAM_USER.domain },
            },
          },
        },
        scope: { project: { id: DEMO_PROJECT_ID } },
      },
    };
    const issued = await fetch(new URL('/v3/auth/tokens', sim.url), {
      method: 'POST',
      body: JSON.stringify(body),
    });
    expect(issued.status).toBe(201);
    const token = issued.headers.get('x-subject-token')!;
    expect(((await issued.json()) as { token: { expires_at: string } }).token.expires_at).toMatch(
      /^2026-11-26T08:00:00\.000000Z$/,
    );
    const url = new URL(`/v1/${DEMO_PROJECT_ID}/jobs/job_batch/instances/34765`, sim.url);
    expect((await fetch(url, { headers: { 'X-Auth-Token': token } })).status).toBe(200);
    now += 86_400_000;
    const expired = await fetch(url, { headers: { 'X-Auth-Token': token } });
    expect(await expired.json()).toMatchObject({
      error_msg: 'Incorrect IAM authentication information: token expires',
    });

    body.auth.identity.password.user.password = 'nope';
    const refused = await fetch(new URL('/v3/auth/tokens', sim.url), {
      method: 'POST',
      body: JSON.stringify(body),
    });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(
      'The username or password is wrong.',
    );
  });
});

describe('control and faults', () => {
  test('faults over the HTTP control API, counted per job, limited by times', async () => {
    const control = (method: string, path: string, body?: unknown) =>
      fetch(new URL(`/__sim${path}`, sim.url), {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect((await control('POST', '/faults', { target: 'job_batch', status: 503, times: 1 })).status).toBe(
      204,
    );
    expect((await api('GET', 'jobs/job_batch/instances/34765')).status).toBe(503);
    expect((await api('GET', 'jobs/job_batch/instances/34765')).status).toBe(200);
    await control('POST', '/faults', { target: '*', throttle: { retryAfterSeconds: 7 } });
    const throttled = await api('GET', 'jobs/job_batch/instances/34765');
    expect(throttled).toMatchObject({ status: 429, json: { error_code: 'APIG.0308' } });
    expect(throttled.headers.get('retry-after')).toBe('7');
    await control('DELETE', '/faults');
    const created = (await (
      await control('POST', '/runs', {
        jobName: 'adhoc',
        nodes: [{ name: 'a', type: 'Dummy', durationMs: 1000 }],
      })
    ).json()) as { instanceId: string };
    expect(
      (await control('POST', `/instances/adhoc/${created.instanceId}/status`, { status: 'fail' })).status,
    ).toBe(204);
    expect((await api('GET', `jobs/adhoc/instances/${created.instanceId}`)).json.status).toBe('fail');
    const calls = (await (await control('GET', '/calls')).json()) as {
      calls: { jobName?: string; status: number }[];
    };
    expect(
      calls.calls
        .filter((call: { jobName?: string }) => call.jobName === 'job_batch')
        .map((call: { status: number }) => call.status),
    ).toEqual([503, 200, 429]);
  });

  test('close() returns promptly with a hanging request open', async () => {
    sim.simulator.setFault('*', { hang: true });
    const pending = api('GET', 'jobs/job_batch/instances/34765').catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await sim.close();
    expect(Date.now() - started).toBeLessThan(500);
    // The client sees the connection end (undici's TypeError comes from another realm than Jest's Error).
    expect(String(await pending)).toMatch(/fetch failed|terminated|socket/i);
    sim = await startSimulator();
  });
});
