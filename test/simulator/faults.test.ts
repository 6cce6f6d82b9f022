import { DEMO_WORKSPACE, SCENARIOS } from '../../src/simulator';
import { type Harness, startHarness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const REFERENCE = 'jobs/job_batch/instances/34765';
const errorName = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'answered',
    (error: Error) => `${error.name}: ${error.message} ${String((error as { cause?: unknown }).cause ?? '')}`,
  );

test('latency delays the answer, which is otherwise normal', async () => {
  h.sim.simulator.setFault('*', { latencyMs: 300 });
  const started = performance.now();
  const reply = await h.api('GET', REFERENCE);
  expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  expect(reply.status).toBe(200);
  expect(reply.json.instanceId).toBe(34765);
});

test.each([500, 503] as const)('status %i: a gateway-style server error', async (status) => {
  h.sim.simulator.setFault('job_batch', { status });
  const reply = await h.api('GET', REFERENCE);
  expect(reply).toMatchObject({
    status,
    json: {
      error_code: 'APIG.0500',
      error_msg: expect.any(String),
      request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
    },
  });
  expect(h.sim.simulator.calls.at(-1)).toMatchObject({ jobName: 'job_batch', instanceId: '34765', status });
});

test('throttle: 429 APIG.0308 with Retry-After', async () => {
  h.sim.simulator.setFault('*', { throttle: { retryAfterSeconds: 7 } });
  const reply = await h.api('GET', 'jobs/instances/detail?jobName=job_batch');
  expect(reply).toMatchObject({
    status: 429,
    json: {
      error_code: 'APIG.0308',
      error_msg: expect.stringMatching(/^The throttling threshold has been reached/),
    },
  });
  expect(reply.headers.get('retry-after')).toBe('7');
});

test('hang: no answer; the client gives up on its own timeout; the call is logged with status 0', async () => {
  h.sim.simulator.setFault('job_batch', { hang: true });
  const outcome = await errorName(h.api('GET', REFERENCE, { signal: AbortSignal.timeout(200) }));
  expect(outcome).toMatch(/^(TimeoutError|AbortError)/);
  expect(h.sim.simulator.callsFor('job_batch', '34765')).toEqual([
    expect.objectContaining({ method: 'GET', status: 0 }),
  ]);
  // Other jobs are not affected.
  expect((await h.api('GET', `jobs/${SCENARIOS.liveSuccess}`)).status).toBe(200);
});

test('drop: the connection ends without an answer', async () => {
  h.sim.simulator.setFault('job_batch', { drop: true });
  const outcome = await errorName(h.api('GET', REFERENCE));
  expect(outcome).toMatch(/fetch failed|socket|terminated/i);
  expect(h.sim.simulator.calls.at(-1)).toMatchObject({ jobName: 'job_batch', status: 0 });
});

test('times limits a fault to the next N matching requests; a job fault comes before the global one', async () => {
  const sim = h.sim.simulator;
  sim.setFault('job_batch', { status: 503, times: 2 });
  sim.setFault('*', { throttle: { retryAfterSeconds: 1 }, times: 1 });
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await h.api('GET', REFERENCE)).status);
  expect(statuses).toEqual([503, 503, 429, 200]);
  expect((await h.api('GET', `jobs/${SCENARIOS.liveSuccess}`)).status).toBe(200);
  expect(sim.callsFor('job_batch').map((call) => call.status)).toEqual([503, 503, 429, 200]);
});

test('a new fault for the same target replaces the old one; clearFaults removes all', async () => {
  const sim = h.sim.simulator;
  sim.setFault('*', { status: 500 });
  sim.setFault('*', { status: 503 });
  expect((await h.api('GET', REFERENCE)).status).toBe(503);
  sim.clearFaults();
  expect((await h.api('GET', REFERENCE)).status).toBe(200);
});

test('faults come before authentication, like a gateway under load', async () => {
  h.sim.simulator.setFault('*', { status: 503, times: 1 });
  expect((await h.api('GET', REFERENCE, { auth: 'none' })).status).toBe(503);
  expect((await h.api('GET', REFERENCE, { auth: 'none' })).status).toBe(401);
});

test('the call log records method, path, workspace, job, instance, list paging, status and the simulator time; resetCalls empties it', async () => {
  const sim = h.sim.simulator;
  await h.api('GET', REFERENCE);
  h.clock.now += 5_000;
  await h.api('POST', 'jobs/job_batch/instances/34765/stop');
  await h.api('GET', 'jobs/instances/detail?jobName=job_batch');
  await h.api('GET', 'nowhere');
  expect(sim.calls).toEqual([
    {
      method: 'GET',
      path: expect.stringMatching(/\/jobs\/job_batch\/instances\/34765$/),
      workspace: DEMO_WORKSPACE,
      jobName: 'job_batch',
      instanceId: '34765',
      status: 200,
      at: h.clock.now - 5_000,
    },
    {
      method: 'POST',
      path: expect.stringMatching(/\/stop$/),
      workspace: DEMO_WORKSPACE,
      jobName: 'job_batch',
      instanceId: '34765',
      status: 400,
      at: h.clock.now,
    },
    {
      method: 'GET',
      path: expect.stringMatching(/\/jobs\/instances\/detail$/),
      workspace: DEMO_WORKSPACE,
      jobName: 'job_batch',
      limit: 10,
      offset: 0,
      status: 200,
      at: h.clock.now,
    },
    {
      method: 'GET',
      path: expect.stringMatching(/\/nowhere$/),
      workspace: DEMO_WORKSPACE,
      status: 404,
      at: h.clock.now,
    },
  ]);
  expect(sim.callsFor('job_batch', '34765')).toHaveLength(2);
  sim.resetCalls();
  expect(sim.calls).toEqual([]);
});

describe('close()', () => {
  test('returns promptly with a hanging request open, and the client sees the connection end', async () => {
    h.sim.simulator.setFault('*', { hang: true });
    const pending = errorName(h.api('GET', REFERENCE));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await h.close();
    expect(performance.now() - started).toBeLessThan(500);
    expect(await pending).toMatch(/fetch failed|terminated|socket/i);
    h = await startHarness();
  });

  test('returns promptly during a long latency', async () => {
    h.sim.simulator.setFault('*', { latencyMs: 60_000 });
    const pending = errorName(h.api('GET', REFERENCE));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await h.close();
    expect(performance.now() - started).toBeLessThan(500);
    expect(await pending).not.toBe('answered');
    h = await startHarness();
  });
});
