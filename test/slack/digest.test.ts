/**
 * The channel digest end to end: `/dlf-instance digest now` counting a watched job's last day from the
 * simulator's instance list, with its chart in the thread; `digest daily` and `digest off` setting and removing a
 * BullMQ job scheduler in Redis; and the daily run across restarts: due while no process runs, it is posted by
 * the first one back, once, and not again by the next.
 */

import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { DEFAULT_LIMITS, FairShare, MemoryRateWindows } from '../../src/access/limits';
import { cronOf } from '../../src/digest/schedule';
import { BullDigestScheduler } from '../../src/digest/scheduler';
import { RedisDigestStore } from '../../src/digest/store';
import { JobHistory } from '../../src/following/usual';
import { createLogger } from '../../src/logger';
import { postDigest } from '../../src/slack/look-ups/digest';
import { Digests } from '../../src/slack/services/digest';
import { createSlackWeb } from '../../src/slack/web';
import type { StoredMessage } from '../../src/slack-standin';
import { type Backends, sleep, startBackends } from '../helpers/backends';
import { BOT_TOKEN, type BotProcess, startBotAgainst } from '../helpers/bot';
import { clientFor } from '../helpers/dataarts';
import { endedRun } from '../helpers/runs';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

let backends: Backends;
const bots: BotProcess[] = [];
beforeAll(async () => {
  backends = await startBackends();
  for (const id of ['C0DIGEST', 'C0DAILY', 'C0RESTART'])
    backends.slackServer.standin.addChannel({
      id,
      name: id.toLowerCase(),
      kind: 'public',
      botIsMember: true,
    });
});
afterAll(async () => {
  for (const process of bots.splice(0)) await process.bot.stop();
  await backends.close();
});

async function bot(env: Record<string, string> = {}): Promise<BotProcess> {
  const started = await startBotAgainst(backends.sim, backends.slackServer, {
    DLF_TIMEZONE: 'Europe/Berlin',
    ...env,
  });
  bots.push(started);
  return started;
}

const fromBot = (channel: string) =>
  backends.slackServer.standin.messages(channel).filter((m) => m.user === 'U0BOT');

async function command(
  process: BotProcess,
  channel: string,
  text: string,
  count: number,
): Promise<StoredMessage> {
  await process.driver.command('/dlf-instance', text, { channel });
  return backends.slackServer.standin.waitFor(() => fromBot(channel)[count - 1], {
    what: `a post after "${text}"`,
  });
}

test('digest now, in a channel watching a job with 2 successes and 1 failure in the last day: a message that counts them, and its chart', async () => {
  const { sim, slackServer } = backends;
  const slack = slackServer.standin;
  const process = await bot();
  sim.simulator.setInstance({
    ...endedRun('digest_orders', '9101', { status: 'success', endedAgo: 20 * HOUR, minutes: 5 }),
  });
  sim.simulator.setInstance({
    ...endedRun('digest_orders', '9102', { status: 'fail', endedAgo: 6 * HOUR, minutes: 5 }),
  });
  sim.simulator.setInstance({
    ...endedRun('digest_orders', '9103', { status: 'success', endedAgo: 2 * HOUR, minutes: 30 }),
  });
  // Older than a day: not counted.
  sim.simulator.setInstance({
    ...endedRun('digest_orders', '9100', { status: 'fail', endedAgo: 30 * HOUR, minutes: 5 }),
  });
  await command(process, 'C0DIGEST', 'watch digest_orders', 1);
  const digest = await command(process, 'C0DIGEST', 'digest now', 2);
  expect(digest.text).toBe('Digest: 1 watched job: 2 succeeded, 1 failed, 0 running in the last 24 hours.');
  const body = JSON.stringify(digest.blocks);
  expect(body).toContain('*digest_orders*');
  expect(body).toContain(':white_check_mark: 2 succeeded · :x: 1 failed');
  expect(body).toContain('slowest: #9103 took 30 minutes');
  const chart = await slack.waitFor(() => slack.thread('C0DIGEST', digest.ts).find((m) => m.files?.length), {
    what: 'the chart in the digest’s thread',
  });
  expect(chart.files![0]).toMatchObject({ mimetype: 'image/png' });
  expect(chart.files![0]!.altText).toMatch(/2 succeeded · 1 failed/);
  expect(chart.text).toContain('times in Europe/Berlin');
});

test('digest now where nothing is watched: one sentence to the person, nothing posted', async () => {
  const slack = backends.slackServer.standin;
  const process = bots[0] ?? (await bot());
  slack.addChannel({ id: 'C0EMPTY', name: 'empty', kind: 'public', botIsMember: true });
  await process.driver.command('/dlf-instance', 'digest now', { channel: 'C0EMPTY' });
  await slack.waitFor(() => slack.ephemerals().find((e) => /nothing to digest/.test(e.text ?? '')));
  expect(fromBot('C0EMPTY')).toEqual([]);
});

describe('with Redis', () => {
  let redisBot: BotProcess;
  let queue: Queue;
  beforeAll(async () => {
    redisBot = await bot({ REDIS_URL: backends.redis.url });
    queue = new Queue('dlf-digest', { connection: { url: backends.redis.url }, prefix: '{dlfbot}' });
  });
  afterAll(async () => {
    await queue.close();
  });

  test('digest daily sets a job scheduler at that time in DLF_TIMEZONE, noted in the channel; digest off removes it', async () => {
    const note = await command(redisBot, 'C0DAILY', 'digest daily 9:30', 1);
    expect(note.text).toBe(
      ':newspaper: <@U0ALICE> set a daily digest here at 09:30 (Europe/Berlin): the last 24 hours of the jobs watched in this channel, with a chart.',
    );
    const scheduler = await queue.getJobScheduler('digest-C0DAILY');
    expect(scheduler).toMatchObject({ pattern: '0 30 9 * * *', tz: 'Europe/Berlin' });
    const wall = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      hour: '2-digit',
      minute: '2-digit',
    }).format(scheduler!.next!);
    expect(wall).toBe('09:30');
    // Moving it keeps one scheduler.
    await command(redisBot, 'C0DAILY', 'digest daily 18:00', 2);
    expect((await queue.getJobSchedulers()).filter((s) => s.key === 'digest-C0DAILY')).toHaveLength(1);
    expect(await queue.getJobScheduler('digest-C0DAILY')).toMatchObject({ pattern: '0 0 18 * * *' });
    const off = await command(redisBot, 'C0DAILY', 'digest off', 3);
    expect(off.text).toBe(':newspaper: <@U0ALICE> turned off this channel’s daily digest (it was at 18:00).');
    expect(await queue.getJobScheduler('digest-C0DAILY')).toBeUndefined();
  });

  test('a digest due while no process ran is posted by the first one back, once; a further restart does not repeat it', async () => {
    const { sim, slackServer, redis } = backends;
    const slack = slackServer.standin;
    sim.simulator.setInstance({
      ...endedRun('restart_job', '9201', { status: 'success', endedAgo: HOUR, minutes: 5 }),
    });
    const connection = new Redis(redis.url);
    // A prefix of their own: the bot started above shares this Redis, and has no watches here.
    const prefix = '{restart-test}';
    const store = new RedisDigestStore(connection, prefix);
    await store.put({ channel: 'C0RESTART', time: '09:00', user: 'U0ALICE', setAt: Date.now() });
    // A process's digests, as the bot builds them, with a schedule that falls a few seconds from now.
    const fireAt = Math.ceil((Date.now() + 4_000) / 1000) * 1000;
    const at = new Date(fireAt);
    const cron = () => `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`;
    const process = () => {
      const dataarts = clientFor(sim);
      const scheduler = new BullDigestScheduler({
        redis: { mode: 'url', url: redis.url, tls: false },
        timeZone: 'UTC',
        logger,
        cron,
        prefix,
      });
      const history = new JobHistory({ dataarts });
      const web = createSlackWeb({ token: BOT_TOKEN, apiUrl: slackServer.apiUrl });
      const digests = new Digests({
        compose: (request) =>
          postDigest({ dataarts, web, history, timeZone: 'UTC', clock: Date.now, logger }, request),
        web,
        watchesIn: async (channel) => [
          { id: 'w', channel, pattern: 'restart_job', mode: 'fail', user: 'U0ALICE', createdAt: 0 },
        ],
        store,
        scheduler,
        timeZone: 'UTC',
        clock: Date.now,
        logger,
        limits: new FairShare(DEFAULT_LIMITS, new MemoryRateWindows()),
      });
      return Object.assign(digests, { scheduler });
    };
    const digests = () => fromBot('C0RESTART').filter((m) => m.text?.startsWith('Digest:'));

    // Set while a process runs, which stops before it is due.
    const first = process();
    await first.start();
    await (first as unknown as { deps: { scheduler: BullDigestScheduler } }).deps.scheduler.schedule(
      'C0RESTART',
      {
        hour: 9,
        minute: 0,
      },
    );
    await first.stop();
    await sleep(fireAt + 1_500 - Date.now());
    expect(digests()).toEqual([]);

    // The first process back posts it.
    const second = process();
    await second.start();
    const posted = await slack.waitFor(() => digests()[0], {
      what: 'the digest after the restart',
      timeoutMs: 10_000,
    });
    expect(posted.text).toContain('1 succeeded');
    await sleep(1_000);
    await second.stop();

    // Another restart, and the same run delivered again (a stalled job taken over): no second digest.
    const third = process();
    await third.start();
    await third.scheduled('C0RESTART', fireAt);
    await sleep(1_500);
    expect(digests()).toHaveLength(1);
    // The next one waits for tomorrow.
    const ownQueue = new Queue('dlf-digest', { connection: { url: redis.url }, prefix });
    const next = (await ownQueue.getJobScheduler('digest-C0RESTART'))!.next!;
    await ownQueue.close();
    expect(next - fireAt).toBe(24 * HOUR);
    await third.stop();
    await connection.quit();
    expect(cronOf({ hour: 9, minute: 0 })).toBe('0 0 9 * * *');
  }, 30_000);
});
