import { DEMO_PROJECT_ID, DEMO_TOKEN, DEMO_WORKSPACE, SCENARIOS } from '../../src/simulator';
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

describe('body faults', () => {
  test('oversizeBytes pads an instance with nodes, streamed chunked, still valid JSON', async () => {
    h.sim.simulator.setFault('job_batch', { oversizeBytes: 3_000_000, times: 1 });
    const reply = await h.api('GET', REFERENCE);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-length')).toBeNull();
    expect(reply.headers.get('transfer-encoding')).toBe('chunked');
    expect(Buffer.byteLength(reply.text)).toBeGreaterThanOrEqual(3_000_000);
    expect(Buffer.byteLength(reply.text)).toBeLessThan(3_000_200);
    expect(reply.json).toMatchObject({ jobName: 'job_batch', instanceId: 34765, status: 'fail', total: 2 });
    expect(reply.json.nodes.slice(0, 2).map((node: { nodeName: string }) => node.nodeName)).toEqual([
      'Dummy_8556',
      'error',
    ]);
    expect(reply.json.nodes.length).toBeGreaterThan(50_000);
    expect(reply.json.nodes.at(-1)).toEqual({ nodeName: 'padding', status: 'skip', type: 'Dummy' });
    // times: 1, so the next answer is the real one.
    expect((await h.api('GET', REFERENCE)).json.nodes).toHaveLength(2);
  });

  test('oversizeBytes pads any other JSON object with a big unknown field', async () => {
    h.sim.simulator.setFault('*', { oversizeBytes: 200_000 });
    const window = 'minPlanTime=1551600000000&maxPlanTime=1551700000000';
    const list = await h.api('GET', `jobs/instances/detail?jobName=job_batch&${window}`);
    expect(Buffer.byteLength(list.text)).toBeGreaterThanOrEqual(200_000);
    expect(list.json.total).toBe(2);
    expect(list.json.padding).toMatch(/^x+$/);
    const error = await h.api('GET', 'jobs/ghost');
    expect(error).toMatchObject({ status: 400, json: { error_code: 'DLF.0100' } });
    expect(error.text.length).toBeGreaterThanOrEqual(200_000);
    // A bodiless answer stays bodiless.
    h.clock.now += 1_000;
    expect(await h.api('POST', 'jobs/job_batch/instances/34765/restart')).toMatchObject({
      status: 204,
      text: '',
    });
  });

  test('truncate sends the first half of the body with a matching Content-Length: invalid JSON', async () => {
    const whole = (await h.api('GET', REFERENCE)).text;
    h.sim.simulator.setFault('job_batch', { truncate: true });
    const reply = await h.api('GET', REFERENCE);
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(whole.slice(0, Math.floor(whole.length / 2)));
    expect(Number(reply.headers.get('content-length'))).toBe(reply.text.length);
    expect(() => JSON.parse(reply.text)).toThrow();
  });

  test('truncate with oversizeBytes cuts the padded body in half', async () => {
    h.sim.simulator.setFault('job_batch', { truncate: true, oversizeBytes: 1_000_000 });
    const reply = await h.api('GET', REFERENCE);
    expect(reply.text.length).toBeGreaterThanOrEqual(500_000);
    expect(reply.text.length).toBeLessThan(510_000);
    expect(reply.text.startsWith('{"jobName":"job_batch","instanceId":34765,')).toBe(true);
    expect(() => JSON.parse(reply.text)).toThrow();
  });

  test('garbage answers 200 with a body that is not JSON, whatever the request', async () => {
    h.sim.simulator.setFault('*', { garbage: true });
    for (const path of [REFERENCE, 'jobs/ghost']) {
      const reply = await h.api('GET', path);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toMatch(/^text\/html/);
      expect(reply.text).toMatch(/^<html>/);
      expect(reply.json).toBeUndefined();
    }
    expect(h.sim.simulator.calls.map((call) => call.status)).toEqual([200, 200]);
  });

  test('a client that goes away mid-stream does not stall the simulator', async () => {
    h.sim.simulator.setFault('job_batch', { oversizeBytes: 200_000_000, times: 1 });
    const controller = new AbortController();
    const response = await fetch(new URL(`/v1/${DEMO_PROJECT_ID}/${REFERENCE}`, h.sim.url), {
      headers: { 'X-Auth-Token': DEMO_TOKEN },
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    expect((await h.api('GET', REFERENCE)).json.nodes).toHaveLength(2);
  });
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
