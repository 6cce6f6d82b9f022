/** WorkerHost: a thread's messages handed on, its metrics asked, another started when it dies, and its stop. */
import path from 'node:path';
import type { Logger } from '../../src/logger';
import { WorkerHost } from '../../src/support/worker-host';

const SCRIPT = path.join(__dirname, 'fixtures/echo-worker.js');
type In = { kind: 'echo'; value: number } | { kind: 'exit' } | { kind: 'goodbye'; hang?: boolean };
type Out = { kind: 'echo'; value: number } | { kind: 'bye' };

function host(options: { restartAfterMs?: number } = {}) {
  const received: Out[] = [];
  let ended = 0;
  const errors: string[] = [];
  // The host logs only errors.
  const logger = { error: (_fields: unknown, message: string) => errors.push(message) } as unknown as Logger;
  const worker = new WorkerHost<In, Out>({
    script: SCRIPT,
    name: 'test thread',
    workerData: {},
    logger,
    received: (message) => received.push(message),
    ended: () => {
      ended += 1;
    },
    ...options,
  });
  return { worker, received, errors, ended: () => ended };
}

const until = async (condition: () => boolean) => {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

test('available only when the script is there', () => {
  expect(WorkerHost.available(SCRIPT)).toBe(true);
  expect(WorkerHost.available(path.join(__dirname, 'fixtures/none.js'))).toBe(false);
});

test('messages are handed on, metrics answers are not, and a snapshot needs a running thread', async () => {
  const { worker, received } = host();
  expect(await worker.snapshot()).toBeUndefined();
  worker.post({ kind: 'echo', value: 1 });
  await until(() => received.length === 1);
  expect(await worker.snapshot()).toEqual([]);
  expect(received).toEqual([{ kind: 'echo', value: 1 }]);
  await worker.stop();
});

test('a thread that dies is ended, logged, and started again at the next use', async () => {
  const { worker, received, errors, ended } = host();
  const first = worker.thread();
  worker.post({ kind: 'exit' });
  await until(() => ended() === 1);
  expect(errors).toEqual(['the test thread stopped; starting another']);
  expect(worker.thread()).not.toBe(first);
  worker.post({ kind: 'echo', value: 2 });
  await until(() => received.length === 1);
  await worker.stop();
  expect(errors).toHaveLength(1);
});

test('with restartAfterMs, a thread that dies is started again by itself', async () => {
  const { worker, received, ended } = host({ restartAfterMs: 10 });
  const first = worker.thread();
  first.postMessage({ kind: 'exit' });
  await until(() => ended() === 1);
  // Nothing asked for a thread: a snapshot answers only once the host has started one itself.
  const deadline = Date.now() + 5_000;
  while ((await worker.snapshot()) === undefined) {
    if (Date.now() > deadline) throw new Error('no thread started again');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const second = worker.thread();
  expect(second).not.toBe(first);
  second.postMessage({ kind: 'echo', value: 3 });
  await until(() => received.length === 1);
  await worker.stop();
});

test('a goodbye is posted and the thread left to end itself; one that hangs is ended after withinMs', async () => {
  const polite = host();
  polite.worker.thread();
  await polite.worker.stop({ message: { kind: 'goodbye' }, withinMs: 5_000 });
  expect(polite.received).toEqual([{ kind: 'bye' }]);
  const stuck = host();
  stuck.worker.thread();
  const started = Date.now();
  await stuck.worker.stop({ message: { kind: 'goodbye', hang: true }, withinMs: 100 });
  expect(Date.now() - started).toBeLessThan(2_000);
  expect(stuck.ended()).toBe(1);
  expect(stuck.errors).toEqual([]);
});
