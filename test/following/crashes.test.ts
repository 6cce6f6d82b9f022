import type { RunningSimulator } from '../../src/simulator';
import type { RunningStandin, SlackStandin, StoredMessage } from '../../src/slack-standin';
import { type Backends, sleep, startBackends } from '../helpers/backends';
import { type BotProcess, startBotAgainst } from '../helpers/bot';
import { type BotChild, spawnBot } from '../helpers/bot-process';
import type { TestRedis } from '../helpers/redis';
import { exactlyOneReply, followLongRun } from '../helpers/subscriptions';

const CHANNEL = 'C0GENERAL';
const LOCK_S = 2;

let redis: TestRedis;
let sim: RunningSimulator;
let slackServer: RunningStandin;
let slack: SlackStandin;
const children: BotChild[] = [];

const env = () => ({
  REDIS_URL: redis.url,
  DLF_POLL_INTERVAL_SECONDS: '0.3',
  DLF_WATCH_INTERVAL_SECONDS: '0.3',
  DLF_POLL_LOCK_SECONDS: String(LOCK_S),
  SLACK_API_TIMEOUT_SECONDS: '1',
  DLF_TIMEOUT_MS: '1500',
  DLF_MAX_ATTEMPTS: '1',
});

let backends: Backends;
beforeAll(async () => {
  backends = await startBackends();
  ({ redis, sim, slackServer } = backends);
  slack = slackServer.standin;
});
afterAll(async () => {
  for (const child of children) await child.kill();
  await backends.close();
});

async function child(): Promise<BotChild> {
  const started = await spawnBot(sim, slackServer, env());
  children.push(started);
  return started;
}

const follow = (front: BotProcess, job: string) => followLongRun({ sim, slack }, front.driver, job);
const oneReply = (message: StoredMessage, timeoutMs: number) =>
  exactlyOneReply(slack, message, { timeoutMs });

test('SIGKILL mid-poll: another process takes the poll over after about one lock period; one reply', async () => {
  const front = await startBotAgainst(sim, slackServer, env());
  const { id, message } = await follow(front, 'kill_mid_poll');
  await front.bot.stop();
  sim.simulator.setFault('kill_mid_poll', { hang: true });
  const since = Date.now();
  const first = await child();
  await slack.waitFor(
    () => sim.simulator.callsFor('kill_mid_poll', id).some((call) => call.at >= since && call.status === 0),
    {
      what: 'a poll hanging in the first process',
      timeoutMs: 10_000,
    },
  );
  await first.kill();
  sim.simulator.clearFaults();
  sim.simulator.finish('kill_mid_poll', id, 'fail');
  await child();
  expect((await oneReply(message, LOCK_S * 1000 * 2 + 8_000)).text).toContain('failed');
});

test('SIGKILL after Slack accepted the reply but before it answered: reconciled, no duplicate', async () => {
  const front = await startBotAgainst(sim, slackServer, env());
  const { id, message } = await follow(front, 'kill_mid_post');
  await front.bot.stop();
  for (const running of children.splice(0)) await running.kill();
  const first = await child();
  slack.fail('chat.postMessage', { channel: CHANNEL, times: 1, acceptThenDelayMs: 10_000 });
  sim.simulator.finish('kill_mid_post', id, 'fail');
  await slack.waitFor(() => slack.thread(CHANNEL, message.ts)[0], {
    timeoutMs: 8_000,
    what: 'the accepted reply',
  });
  await first.kill();
  await child();
  await slack.waitFor(
    () => slack.calls('conversations.replies').some((call) => call.args.ts === message.ts),
    {
      timeoutMs: LOCK_S * 1000 * 2 + 8_000,
      what: 'the thread being read to reconcile',
    },
  );
  await oneReply(message, 1_000);
  slack.clearFaults();
});

test('Redis killed and restarted (AOF): subscriptions survive and the reply comes once', async () => {
  for (const running of children.splice(0)) await running.kill();
  const front = await startBotAgainst(sim, slackServer, env());
  try {
    const { id, message } = await follow(front, 'redis_restart');
    await redis.kill();
    await sleep(1_000);
    await redis.start();
    sim.simulator.finish('redis_restart', id, 'success');
    expect((await oneReply(message, 20_000)).text).toContain('succeeded');
  } finally {
    await front.bot.stop();
  }
});
