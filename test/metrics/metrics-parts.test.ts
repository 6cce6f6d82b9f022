/**
 * The parts of the metrics on their own: the DataArts client counts each attempt by route template and outcome
 * (a 500 then a success, a 429, an unknown instance), and a worker thread that does not answer a scrape in time is
 * left out of it instead of holding it up, while one that answers is merged (summed) with the others.
 */
import { Worker } from 'node:worker_threads';
import { InstanceNotFoundError } from '../../src/dataarts/errors';
import { Metrics, type MetricsSnapshot, mergedText } from '../../src/metrics/metrics';
import { MetricsAsker } from '../../src/metrics/threads';
import type { RunningSimulator } from '../../src/simulator';
import { clientFor, withSimulator } from '../helpers/dataarts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await withSimulator();
});
afterAll(async () => {
  await sim.close();
});

/** A counter's value for exactly these labels in a snapshot. */
function value(snapshot: MetricsSnapshot, name: string, labels: Record<string, string>): number | undefined {
  const metric = snapshot.find((m) => m.name === name);
  return metric?.values.find((v) =>
    Object.entries(labels).every(([k, want]) => (v.labels as Record<string, unknown>)[k] === want),
  )?.value;
}

const INSTANCE = 'GET /v1/{project}/jobs/{job}/instances/{id}';

test('DataArts: each attempt by route template and outcome, with its latency', async () => {
  const metrics = new Metrics();
  const client = clientFor(sim, { metrics });
  sim.simulator.setFault('job_batch', { status: 500, times: 1 });
  await client.getInstance('job_batch', '34765');
  sim.simulator.clearFaults();
  sim.simulator.setFault('job_batch', { throttle: { retryAfterSeconds: 1 }, times: 1 });
  await client.getInstance('job_batch', '34765');
  sim.simulator.clearFaults();
  await expect(client.getInstance('job_batch', '999999999')).rejects.toBeInstanceOf(InstanceNotFoundError);
  const snapshot = await metrics.snapshot();
  const requests = 'dlfbot_dataarts_requests_total';
  expect(value(snapshot, requests, { endpoint: INSTANCE, outcome: 'unavailable' })).toBe(1);
  expect(value(snapshot, requests, { endpoint: INSTANCE, outcome: 'throttled' })).toBe(1);
  expect(value(snapshot, requests, { endpoint: INSTANCE, outcome: 'ok' })).toBe(2);
  expect(value(snapshot, requests, { endpoint: INSTANCE, outcome: 'instance-not-found' })).toBe(1);
  const histogram = snapshot.find((m) => m.name === 'dlfbot_dataarts_request_duration_seconds');
  expect(histogram?.type).toBe('histogram');
  const count = histogram?.values.find(
    (v) =>
      (v as { metricName?: string }).metricName === 'dlfbot_dataarts_request_duration_seconds_count' &&
      v.labels.endpoint === INSTANCE,
  );
  expect(count?.value).toBe(5);
});

test('threads: one that answers is summed with the others; one that does not is left out within the wait', async () => {
  const asker = new MetricsAsker();
  const elsewhere = new Metrics();
  elsewhere.slackCall('chat.postMessage', 'ok', 0.1);
  const snapshot = await elsewhere.snapshot();
  // A thread that answers every ask with that snapshot, as answerMetricsAsk does; and one that never answers.
  const answering = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     parentPort.on('message', (m) => parentPort.postMessage({ kind: 'metrics', id: m.id, snapshot: workerData }));`,
    { eval: true, workerData: snapshot },
  );
  const silent = new Worker(`require('node:worker_threads').parentPort.on('message', () => {});`, {
    eval: true,
  });
  answering.on('message', (message) => asker.received(message));
  try {
    const here = new Metrics();
    here.slackCall('chat.postMessage', 'ok', 0.2);
    const started = Date.now();
    const [fromAnswering, fromSilent] = await Promise.all([
      asker.ask(answering, 2_000),
      asker.ask(silent, 300),
    ]);
    expect(fromSilent).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2_000);
    const { text } = await mergedText([await here.snapshot(), fromAnswering!]);
    expect(text).toContain('dlfbot_slack_calls_total{method="chat.postMessage",outcome="ok"} 2');
    expect(text).toContain('dlfbot_slack_call_duration_seconds_count{method="chat.postMessage"} 2');
  } finally {
    await Promise.all([answering.terminate(), silent.terminate()]);
  }
});
