/** kitFor: each thread's parts from the settings, built on first use, memory without Redis, given parts kept. */
import { configFromEnv } from '../src/config';
import type { DataArtsApi } from '../src/dataarts/api';
import { TimerDigestScheduler } from '../src/digest/scheduler';
import { MemoryDigestStore } from '../src/digest/store';
import { kitFor } from '../src/kit';
import { createLogger } from '../src/logger';
import { MemoryDeliveryLog } from '../src/slack/deliveries';
import { MemoryMessageRecords } from '../src/slack/message-records';
import { MemoryOperationMarks } from '../src/slack/operation-marks';

const ENV = {
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: 'secret',
  DLF_ENDPOINT: 'http://127.0.0.1:9',
  DLF_PROJECT_ID: 'b384b9e9ab9b4ee8994c8633aabc9505',
  DLF_TOKEN: 'token',
};
const config = configFromEnv(ENV);
const logger = createLogger({ level: 'silent' });

test('without Redis every store is in memory, and a part read twice is the same one', () => {
  const kit = kitFor(config, { thread: 'main', logger });
  expect(kit.redis).toBeUndefined();
  expect(kit.records).toBeInstanceOf(MemoryMessageRecords);
  expect(kit.deliveries).toBeInstanceOf(MemoryDeliveryLog);
  expect(kit.operationMarks).toBeInstanceOf(MemoryOperationMarks);
  expect(kit.digestStore).toBeInstanceOf(MemoryDigestStore);
  expect(kit.digestScheduler).toBeInstanceOf(TimerDigestScheduler);
  expect(kit.following.durable).toBe(false);
  expect(kit.web).toBe(kit.web);
  expect(kit.lookUpDeps.history).toBe(kit.history);
  expect(kit.outlet).toBe(kit.outlet);
});

test('given parts are used as they are, by the parts built from them too', () => {
  const dataarts = {} as DataArtsApi;
  const kit = kitFor(config, { thread: 'main', logger, dataarts });
  expect(kit.logger).toBe(logger);
  expect(kit.dataarts).toBe(dataarts);
  expect(kit.lookUpDeps.dataarts).toBe(dataarts);
  expect(kit.lookUpDeps.logger).toBe(logger);
});

test("the look-up thread keeps only its own messages' records, in memory, with Redis set", () => {
  const withRedis = { ...config, redis: configFromEnv({ ...ENV, REDIS_URL: 'redis://127.0.0.1:9' }).redis };
  const kit = kitFor(withRedis, { thread: 'look-up', logger });
  expect(withRedis.redis).toBeDefined();
  expect(kit.lookUpDeps.publisher).toBeDefined();
  expect(kit.records).toBeInstanceOf(MemoryMessageRecords);
});
