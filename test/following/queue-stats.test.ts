/**
 * What the BullMQ engine reports to the metrics on a real Redis: its jobs by state, and the lag of work that is
 * due and has not started (nothing takes the work here: no engine is started).
 */
import { BullFollowEngine } from '../../src/following/engine';
import { silentLogger } from '../../src/logger';
import { sleep } from '../helpers/backends';
import { startRedis, type TestRedis } from '../helpers/redis';

let redis: TestRedis;
let engine: BullFollowEngine;
beforeAll(async () => {
  redis = await startRedis();
  engine = new BullFollowEngine({
    redis: { mode: 'url', url: redis.url, tls: false },
    logger: silentLogger,
    prefix: '{queue-stats}',
  });
});
afterAll(async () => {
  await engine.stop();
  await redis.stop();
});

test('jobs by state, and the lag of the most overdue: a delayed job past its time, or waiting work never run', async () => {
  expect(await engine.stats(Date.now())).toEqual({ waiting: 0, delayed: 0, active: 0, failed: 0, lagMs: 0 });

  await engine.add('drain', { channel: 'C1' }, { delayMs: 60_000 });
  const future = await engine.stats(Date.now());
  expect(future).toMatchObject({ waiting: 0, delayed: 1, lagMs: 0 });
  // Seen from a minute and a half later, that job is 30 s overdue.
  expect((await engine.stats(Date.now() + 90_000)).lagMs).toBeGreaterThanOrEqual(29_000);

  const added = Date.now();
  await engine.add('sweep', { workspace: '' });
  await sleep(200);
  const waiting = await engine.stats(Date.now());
  expect(waiting).toMatchObject({ waiting: 1, delayed: 1 });
  expect(waiting.lagMs).toBeGreaterThanOrEqual(150);
  expect(waiting.lagMs).toBeLessThanOrEqual(Date.now() - added + 50);
});
