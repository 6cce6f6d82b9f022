/**
 * The two other ways to reach Redis, each end to end with a subscription and its one thread reply: a master found
 * through Sentinel (REDIS_SENTINELS + REDIS_SENTINEL_NAME), and a single server over TLS (rediss://) with an ACL
 * user, its CA given as REDIS_TLS_CA_FILE. Both with TLS and a password when this redis-server has TLS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { type RunningSimulator, startSimulator } from '../../src/simulator';
import { type RunningStandin, type SlackStandin, startSlackStandin } from '../../src/slack-standin';
import { BOT_TOKEN, type BotProcess, startBotAgainst } from '../helpers/bot';
import { startSentinel } from '../helpers/redis-sentinel';
import {
  clientOptions,
  freePorts,
  makeCertificates,
  redisHasTls,
  startServer,
  tlsArgs,
} from '../helpers/redis-servers';
import { exactlyOneReply, followLongRun } from '../helpers/subscriptions';

const TLS = redisHasTls();

let sim: RunningSimulator;
let slackServer: RunningStandin;
let slack: SlackStandin;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  [sim, slackServer] = await Promise.all([startSimulator(), startSlackStandin({ botToken: BOT_TOKEN })]);
  slack = slackServer.standin;
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await Promise.all([sim.close(), slackServer.close()]);
});

async function bot(env: Record<string, string>): Promise<BotProcess> {
  const started = await startBotAgainst(sim, slackServer, {
    ...env,
    DLF_POLL_INTERVAL_SECONDS: '0.3',
    DLF_WATCH_INTERVAL_SECONDS: '0.3',
    DLF_POLL_LOCK_SECONDS: '2',
  });
  cleanups.push(() => started.bot.stop());
  return started;
}

/** Subscribes to a long run of `job`, ends it, and expects exactly one reply in the message's thread. */
async function subscribeAndReply(front: BotProcess, job: string): Promise<void> {
  const { id, message } = await followLongRun({ sim, slack }, front.driver, job);
  sim.simulator.finish(job, id, 'fail');
  const reply = await exactlyOneReply(slack, message, { timeoutMs: 10_000, quietMs: 1_000 });
  expect(reply.text).toContain('failed');
}

/** The reply's marker and the work queue are in this Redis. */
async function expectState(redis: Redis): Promise<void> {
  const [, markers] = await redis.scan('0', 'MATCH', '{dlfbot}:notified:*', 'COUNT', 10_000);
  expect(markers.length).toBeGreaterThan(0);
  expect(await redis.exists('{dlfbot}:dlf-follow:meta')).toBe(1);
}

test(`Sentinel${TLS ? ' (TLS, ACL user)' : ''}: subscribe gives one reply with the state on the master, and again after a failover`, async () => {
  const sentinel = await startSentinel({ tls: TLS, password: 'sentinel-test-password' });
  cleanups.push(() => sentinel.stop());
  const front = await bot(sentinel.env);
  await subscribeAndReply(front, 'sentinel_job');
  await expectState(sentinel.master());
  // The master dies mid-follow; the sentinel promotes its replica and the bot finds it there.
  const { id, message } = await followLongRun({ sim, slack }, front.driver, 'sentinel_failover');
  await sentinel.failover();
  sim.simulator.finish('sentinel_failover', id, 'success');
  const reply = await exactlyOneReply(slack, message, { timeoutMs: 20_000, quietMs: 1_000 });
  expect(reply.text).toContain('succeeded');
}, 60_000);

(TLS ? test : test.skip)(
  'rediss:// with an ACL user and REDIS_TLS_CA_FILE: one reply, the state on that server',
  async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dlf-tls-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const tls = makeCertificates(dir);
    const [port] = (await freePorts(1)) as [number];
    const auth = { tls, username: 'bot', password: 'tls-test-password' };
    const server = await startServer(
      port,
      [
        ...tlsArgs(port, tls),
        '--save',
        '',
        '--dir',
        dir,
        '--user',
        'default',
        'off',
        '--user',
        'bot',
        'on',
        '>tls-test-password',
        '~*',
        '&*',
        '+@all',
      ],
      auth,
    );
    cleanups.push(() => server.kill());
    const front = await bot({
      REDIS_URL: `rediss://127.0.0.1:${port}`,
      REDIS_USERNAME: 'bot',
      REDIS_PASSWORD: 'tls-test-password',
      REDIS_TLS_CA_FILE: tls.ca,
    });
    await subscribeAndReply(front, 'tls_job');
    const redis = new Redis({ port, host: '127.0.0.1', ...clientOptions(auth) });
    try {
      await expectState(redis);
    } finally {
      redis.disconnect();
    }
  },
  40_000,
);
