/**
 * The bot on a real 3-master Redis Cluster given as REDIS_CLUSTER_NODES (with TLS and an ACL user when this
 * redis-server has TLS): a subscription, a SIGKILL restart and two processes each give exactly one thread reply, a
 * watch alerts once, and the bot's state is in the cluster.
 */
import { type RunningSimulator, startSimulator } from '../../src/simulator';
import {
  type RunningStandin,
  type SlackStandin,
  type StoredMessage,
  startSlackStandin,
} from '../../src/slack-standin';
import { sleep } from '../helpers/backends';
import { BOT_TOKEN, type BotProcess, startBotAgainst } from '../helpers/bot';
import { type BotChild, spawnBot } from '../helpers/bot-process';
import { startCluster, type TestCluster } from '../helpers/redis-cluster';
import { redisHasTls } from '../helpers/redis-servers';
import { exactlyOneReply, followLongRun } from '../helpers/subscriptions';

const LOCK_S = 2;

let cluster: TestCluster;
let sim: RunningSimulator;
let slackServer: RunningStandin;
let slack: SlackStandin;
const children: BotChild[] = [];
const bots: BotProcess[] = [];

const env = () => ({
  REDIS_CLUSTER_NODES: cluster.nodes,
  ...cluster.env,
  DLF_POLL_INTERVAL_SECONDS: '0.3',
  DLF_WATCH_INTERVAL_SECONDS: '0.3',
  DLF_POLL_LOCK_SECONDS: String(LOCK_S),
  SLACK_API_TIMEOUT_SECONDS: '1',
  DLF_TIMEOUT_MS: '1500',
  DLF_MAX_ATTEMPTS: '1',
});

beforeAll(async () => {
  [cluster, sim, slackServer] = await Promise.all([
    startCluster({ tls: redisHasTls(), password: 'cluster-test-password' }),
    startSimulator(),
    startSlackStandin({ botToken: BOT_TOKEN }),
  ]);
  slack = slackServer.standin;
  slack.addChannel({ id: 'C0OPS', name: 'data-ops', kind: 'public', botIsMember: true });
}, 60_000);
afterAll(async () => {
  for (const child of children) await child.kill();
  for (const { bot } of bots) await bot.stop();
  await Promise.all([sim.close(), slackServer.close()]);
  await cluster.stop();
});

async function child(): Promise<BotChild> {
  const started = await spawnBot(sim, slackServer, env());
  children.push(started);
  return started;
}

async function inProcess(): Promise<BotProcess> {
  const started = await startBotAgainst(sim, slackServer, env());
  bots.push(started);
  return started;
}

const follow = (front: BotProcess, job: string) => followLongRun({ sim, slack }, front.driver, job);
const oneReply = (message: StoredMessage, timeoutMs: number) =>
  exactlyOneReply(slack, message, { timeoutMs, quietMs: 1_500 });

test('subscribe: one thread reply, and the subscription, its marker and the work queue are in the cluster', async () => {
  const front = await inProcess();
  const { id, message } = await follow(front, 'cluster_subscribe');
  const redis = cluster.client();
  expect(await redis.hlen('{dlfbot}:sub')).toBeGreaterThan(0);
  expect(await redis.smembers('{dlfbot}:instances')).toContainEqual(expect.stringContaining(id));
  // BullMQ's keys share the bot's hash tag, so its scripts stay on one slot.
  expect(await redis.exists('{dlfbot}:dlf-follow:meta')).toBe(1);
  sim.simulator.finish('cluster_subscribe', id, 'success');
  expect((await oneReply(message, 10_000)).text).toContain('succeeded');
  // Everything is on the master that holds the hash tag's slot, the reply's marker too.
  const master = cluster.node(await cluster.masterOf('{dlfbot}'));
  const [, markers] = await master.scan('0', 'MATCH', '{dlfbot}:notified:*', 'COUNT', 10_000);
  expect(markers.length).toBeGreaterThan(0);
});

test('SIGKILL mid-poll: another process takes the poll over; one reply', async () => {
  const front = bots[0] ?? (await inProcess());
  const { id, message } = await follow(front, 'cluster_kill');
  for (const { bot } of bots.splice(0)) await bot.stop();
  sim.simulator.setFault('cluster_kill', { hang: true });
  const since = Date.now();
  const first = await child();
  await slack.waitFor(
    () => sim.simulator.callsFor('cluster_kill', id).some((call) => call.at >= since && call.status === 0),
    { what: 'a poll hanging in the first process', timeoutMs: 10_000 },
  );
  await first.kill();
  sim.simulator.clearFaults();
  sim.simulator.finish('cluster_kill', id, 'fail');
  await child();
  expect((await oneReply(message, LOCK_S * 1000 * 2 + 8_000)).text).toContain('failed');
});

test('two processes on the cluster: one reply for each followed instance, and a watch alerts once', async () => {
  for (const running of children.splice(0)) await running.kill();
  const [one, two] = await Promise.all([child(), child()]);
  const front = await inProcess();
  const followed = await Promise.all(['cluster_two_a', 'cluster_two_b'].map((job) => follow(front, job)));
  sim.simulator.addJob('cluster_watched');
  await front.driver.command('/dlf-instance', 'watch cluster_watched', { channel: 'C0OPS' });
  await slack.waitFor(() => slack.messages('C0OPS').find((m) => m.text?.includes('is now watching')));
  // The in-process bot stops: the two spawned processes do the work between them.
  for (const { bot } of bots.splice(0)) await bot.stop();
  // DataArts' clock is read from whole-second Date headers: an end within about a second of the watch may count
  // as before it (never announced). The failure comes well after.
  await sleep(1_500);
  for (const [index, { id }] of followed.entries())
    sim.simulator.finish(['cluster_two_a', 'cluster_two_b'][index]!, id, 'success');
  const failed = sim.simulator.startRun('cluster_watched', {
    nodes: [{ name: 'load', type: 'DWS SQL', durationMs: 100, outcome: 'fail' }],
  });
  for (const { message } of followed) expect((await oneReply(message, 10_000)).text).toContain('succeeded');
  const alerts = () => slack.messages('C0OPS').filter((m) => m.text?.includes(`#${failed}`));
  await slack.waitFor(() => alerts()[0], { what: 'the watch alert', timeoutMs: 10_000 });
  await sleep(1_000);
  expect(alerts()).toHaveLength(1);
  expect(one.output() + two.output()).not.toContain('cluster-test-password');
});
