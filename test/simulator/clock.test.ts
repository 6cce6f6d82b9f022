import { SCENARIOS } from '../../src/simulator';
import { type Harness, startHarness, T0, tokenRequest } from './harness';

const MINUTE = 60_000;
let h: Harness;
afterEach(async () => {
  await h.close();
});

const dateOf = (reply: { headers: Headers }) => Date.parse(reply.headers.get('date') ?? '');

test('without skew, the Date header of every API answer is the simulator clock', async () => {
  h = await startHarness();
  h.clock.now = T0 + 1_234;
  for (const path of ['jobs/job_batch/instances/34765', 'jobs/ghost', 'nowhere']) {
    expect(dateOf(await h.api('GET', path))).toBe(T0 + 1_000);
  }
  h.sim.simulator.setFault('*', { status: 503, times: 1 });
  expect(dateOf(await h.api('GET', 'jobs'))).toBe(T0 + 1_000);
});

test('a clock running ahead: times reported, time filters and the Date header are all in DataArts time', async () => {
  h = await startHarness({ skewMs: 10 * MINUTE });
  const ahead = T0 + 10 * MINUTE;
  const reply = await h.api(
    'GET',
    `jobs/instances/detail?jobName=${SCENARIOS.liveSuccess}&preciseQuery=true`,
  );
  expect(dateOf(reply)).toBe(ahead);
  expect(reply.json.instances[0]).toMatchObject({ planTime: ahead, startTime: ahead, status: 'running' });
  // Its own clock filters: an instance planned "now" there is after anything the real clock says.
  const window = await h.api('GET', `jobs/instances/detail?minPlanTime=${T0 + 5 * MINUTE}&limit=100`);
  expect(window.json.instances.map((row: { jobName: string }) => row.jobName).sort()).toEqual([
    SCENARIOS.liveFail,
    SCENARIOS.liveSuccess,
    SCENARIOS.exception,
    SCENARIOS.paused,
  ]);
  const id = h.sim.simulator.startRun('skewed', { nodes: [{ name: 'n', type: 'Dummy', durationMs: 1_000 }] });
  h.clock.now = T0 + 2_000;
  const ended = (await h.api('GET', `jobs/skewed/instances/${id}`)).json;
  expect(ended).toMatchObject({
    status: 'success',
    planTime: ahead,
    startTime: ahead,
    endTime: ahead + 1_000,
  });
  expect(h.sim.simulator.calls.at(-1)!.at).toBe(ahead + 2_000);
});

test('a clock running behind, set over HTTP; IAM answers carry it too', async () => {
  h = await startHarness();
  expect((await h.raw('POST', '/__sim/clock', { body: { skewMs: -3 * MINUTE } })).status).toBe(204);
  expect((await h.raw('GET', '/__sim/clock')).json).toEqual({ now: T0 - 3 * MINUTE, skewMs: -3 * MINUTE });
  expect(dateOf(await h.api('GET', 'jobs'))).toBe(T0 - 3 * MINUTE);
  const issued = await h.raw('POST', '/v3/auth/tokens', {
    body: tokenRequest(),
  });
  expect(issued.status).toBe(201);
  expect(dateOf(issued)).toBe(T0 - 3 * MINUTE);
  expect(Date.parse(issued.json.token.issued_at)).toBe(T0 - 3 * MINUTE);
  for (const bad of [{ skewMs: '5' }, { skewMs: 1.5 }, {}]) {
    expect((await h.raw('POST', '/__sim/clock', { body: bad })).status).toBe(400);
  }
});

test('a skew beyond the gateway tolerance fails every signature, as "signature expired"', async () => {
  h = await startHarness({ skewMs: 16 * MINUTE });
  expect(await h.api('GET', 'jobs')).toMatchObject({
    status: 401,
    json: { error_code: 'APIG.0301', error_msg: expect.stringContaining('signature expired') },
  });
  h.sim.simulator.setSkew(14 * MINUTE);
  expect((await h.api('GET', 'jobs')).status).toBe(200);
});
