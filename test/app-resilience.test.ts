/**
 * The bot as a process when what it depends on is not there: Slack unreachable at start, Redis unreachable while
 * it runs and when it is told to stop. It must keep serving what it can, say on /healthz what it cannot, tell
 * people plainly, keep its log readable, and stop within the deadline.
 */

import path from 'node:path';
import { DEMO_AK, DEMO_PROJECT_ID, DEMO_SK, startSimulator } from '../src/simulator';
import { SlackDriver, startSlackStandin } from '../src/slack-standin';
import { BOT_TOKEN, SIGNING_SECRET } from './helpers/bot';
import { spawnBot } from './helpers/bot-process';
import { freePort } from './helpers/ports';
import { startRedis } from './helpers/redis';
import { startRedisProxy } from './helpers/redis-proxy';
import { spawnNode } from './helpers/spawn';

const APP = path.join(__dirname, '..', 'dist', 'app.js');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function health(port: number): Promise<{ status: number; text: string }> {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: response.status, text: await response.text() };
}

async function until<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

test('Slack unreachable at start: the bot stays up and not ready, then serves once Slack answers', async () => {
  const sim = await startSimulator();
  const slackPort = await freePort();
  const { child, ready } = await spawnNode(
    APP,
    {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: `http://127.0.0.1:${slackPort}/api/`,
      PORT: '0',
      HOST: '127.0.0.1',
      DLF_ENDPOINT: sim.url,
      DLF_PROJECT_ID: DEMO_PROJECT_ID,
      DLF_AK: DEMO_AK,
      DLF_SK: DEMO_SK,
      LOG_LEVEL: 'info',
    },
    /"port":(\d+),"msg":"listening for Slack/,
  );
  const port = Number(ready[1]);
  let slack: Awaited<ReturnType<typeof startSlackStandin>> | undefined;
  try {
    const before = await health(port);
    expect(before.status).toBe(503);
    expect(before.text).toMatch(/Slack/);
    await until(
      async () => ((await health(port)).text.includes('Slack could not be reached') ? true : undefined),
      '/healthz to say Slack could not be reached',
    );
    // Before, the process died about 4 s after start on an unhandled rejection.
    await sleep(6_000);
    expect(child.exitCode).toBeNull();
    slack = await startSlackStandin({ botToken: BOT_TOKEN, port: slackPort });
    await until(async () => ((await health(port)).status === 200 ? true : undefined), 'the bot ready');
    const driver = new SlackDriver({
      standin: slack.standin,
      botUrl: `http://127.0.0.1:${port}/slack/events`,
      signingSecret: SIGNING_SECRET,
    });
    await driver.command('/dlf-instance', 'job_batch 34765');
    await slack.standin.waitFor(() => slack!.standin.messages('C0GENERAL')[0], {
      what: 'the posted instance',
    });
  } finally {
    child.kill('SIGKILL');
    await sim.close();
    await slack?.close();
  }
}, 60_000);

test('Redis unreachable: /healthz says so, subscribe tells the person and posts nothing, the log stays readable, and SIGTERM stops within 10 s', async () => {
  const redis = await startRedis();
  const proxy = await startRedisProxy({ port: redis.port });
  const sim = await startSimulator();
  const slack = await startSlackStandin({ botToken: BOT_TOKEN });
  const bot = await spawnBot(sim, slack, { REDIS_URL: proxy.url, SLACK_API_TIMEOUT_SECONDS: '1' });
  try {
    await until(async () => ((await health(bot.port)).status === 200 ? true : undefined), 'the bot ready');
    const driver = new SlackDriver({
      standin: slack.standin,
      botUrl: `http://127.0.0.1:${bot.port}/slack/events`,
      signingSecret: SIGNING_SECRET,
    });
    // Redis goes away: connections are reset and new ones refused.
    await redis.kill();
    proxy.reset();
    const down = await until(async () => {
      const answer = await health(bot.port);
      return answer.status === 503 ? answer : undefined;
    }, '/healthz to say Redis is down');
    expect(down.text).toMatch(/Redis cannot be reached/);

    const logLinesBefore = bot.output().split('\n').length;
    await driver.command('/dlf-instance', 'subscribe job_batch 34765');
    const note = await slack.standin.waitFor(() =>
      slack.standin.ephemerals().find((e) => /unavailable right now/.test(e.text ?? '')),
    );
    expect(note.text).toMatch(/Following instances is unavailable right now/);
    expect(slack.standin.messages('C0GENERAL')).toEqual([]);
    // Ten seconds of an unreachable Redis: a handful of lines, not a dozen a second.
    await sleep(10_000);
    const redisLines = bot
      .output()
      .split('\n')
      .slice(logLinesBefore)
      .filter((line) => /redis/i.test(line));
    expect(redisLines.length).toBeLessThan(15);

    const exited = new Promise<number | null>((resolve) => bot.child.once('exit', (code) => resolve(code)));
    const started = Date.now();
    bot.child.kill('SIGTERM');
    const code = await exited;
    expect(Date.now() - started).toBeLessThan(10_500);
    expect(code).not.toBeNull();
  } finally {
    await bot.kill();
    await proxy.close();
    await Promise.all([sim.close(), slack.close()]);
    await redis.stop();
  }
}, 90_000);
