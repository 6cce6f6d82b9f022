import Redis from 'ioredis';
import { silentLogger } from '../../src/logger';
import {
  deliveryId,
  dropRepeatedDeliveries,
  MemoryDeliveryLog,
  RedisDeliveryLog,
} from '../../src/slack/deliveries';
import { SlackDriver } from '../../src/slack-standin';
import { sleep } from '../helpers/backends';
import { type Harness, SIGNING_SECRET, startHarness } from '../helpers/bot';
import { startRedis } from '../helpers/redis';

/** Remembers the last request, to send it again as Slack re-delivers one. */
class ReplayingDriver extends SlackDriver {
  last?: { body: string; contentType: string };
  override send(body: string, contentType: string, extraHeaders: Record<string, string> = {}) {
    this.last = { body, contentType };
    return super.send(body, contentType, extraHeaders);
  }
  replay(num: number) {
    const { body, contentType } = this.last!;
    return super.send(body, contentType, {
      'x-slack-retry-num': String(num),
      'x-slack-retry-reason': 'http_timeout',
    });
  }
}

const json = (value: unknown) => JSON.stringify(value);

test('deliveryId: an event by its event_id, a command or an interaction by its trigger_id', () => {
  expect(deliveryId({ event_id: 'Ev1', event: {} })).toBe('event:Ev1');
  expect(deliveryId({ command: '/dlf-instance', trigger_id: '1.2.abc' })).toBe('trigger:1.2.abc');
  expect(deliveryId({ type: 'view_closed' })).toBeUndefined();
});

test('MemoryDeliveryLog: true the first time, false for ten minutes after', async () => {
  let now = 1_000;
  const log = new MemoryDeliveryLog(() => now);
  expect(await log.note('a')).toBe(true);
  expect(await log.note('a')).toBe(false);
  expect(await log.note('b')).toBe(true);
  now += 600_001;
  expect(await log.note('a')).toBe(true);
});

test('a first delivery over Socket Mode (retry_attempt 0) is handled at once, not held until the log answers', async () => {
  const noted: string[] = [];
  // A log that never answers (Redis hanging): a first delivery must not wait for it.
  const log = {
    note: (id: string) => {
      noted.push(id);
      return new Promise<boolean>(() => undefined);
    },
  };
  const next = jest.fn(async () => undefined);
  const middleware = dropRepeatedDeliveries(log, silentLogger);
  const args = { body: { event_id: 'Ev1', event: {} }, context: { retryNum: 0 }, next };
  void middleware(args as unknown as Parameters<typeof middleware>[0]);
  await new Promise((resolve) => setImmediate(resolve));
  expect(next).toHaveBeenCalledTimes(1);
  expect(noted).toEqual(['event:Ev1']);
});

test('RedisDeliveryLog: shared by every process', async () => {
  const redis = await startRedis();
  const one = new Redis(redis.url);
  const two = new Redis(redis.url);
  try {
    expect(await new RedisDeliveryLog(one).note('trigger:1')).toBe(true);
    expect(await new RedisDeliveryLog(two).note('trigger:1')).toBe(false);
    expect(await two.ttl('{dlfbot}:delivery:trigger:1')).toBeGreaterThan(590);
  } finally {
    one.disconnect();
    two.disconnect();
    await redis.stop();
  }
});

describe('through the bot', () => {
  let h: Harness;
  let driver: ReplayingDriver;
  beforeAll(async () => {
    h = await startHarness();
    driver = new ReplayingDriver({
      standin: h.slack.standin,
      botUrl: `${h.botUrl}/slack/events`,
      signingSecret: SIGNING_SECRET,
    });
  });
  afterAll(async () => {
    // The bot's last answers (ephemerals through response URLs) land before the stand-in goes.
    await sleep(500);
    await h.close();
  });

  const postsOf = (text: string) =>
    h.slack.standin.messages('C0GENERAL').filter((m) => !m.threadTs && json(m.blocks).includes(text));

  test('a subscribe command re-delivered by Slack posts and follows once', async () => {
    const id = h.sim.simulator.startRun('retried_subscribe', {
      nodes: [{ name: 'load', type: 'DWS SQL', durationMs: 3_600_000 }],
    });
    expect((await driver.command('/dlf-instance', `subscribe retried_subscribe ${id}`)).status).toBe(200);
    const message = await h.slack.standin.waitFor(() => postsOf(`retried_subscribe #${id}`)[0]);
    const retried = await driver.replay(1);
    expect(retried.status).toBe(200);
    expect((await driver.replay(2)).status).toBe(200);
    await h.slack.standin.waitFor(() => json(message.blocks).includes('instance_unsubscribe'));
    await sleep(500);
    expect(postsOf(`retried_subscribe #${id}`)).toHaveLength(1);
  });

  test('a retry whose first delivery never arrived is handled', async () => {
    const first = new ReplayingDriver({
      standin: h.slack.standin,
      botUrl: 'http://127.0.0.1:9/never-arrives',
      signingSecret: SIGNING_SECRET,
    });
    await first.command('/dlf-instance', 'job_batch 34765').catch(() => undefined);
    const before = postsOf('job_batch #34765').length;
    // The same request, now reaching the bot, as Slack's first retry.
    driver.last = first.last;
    expect((await driver.replay(1)).status).toBe(200);
    await h.slack.standin.waitFor(() => postsOf('job_batch #34765').length === before + 1);
  });
});
