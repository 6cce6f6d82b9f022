import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { DEMO_PROJECT_ID, DEMO_TOKEN, startSimulator } from '../src/simulator';
import { SocketModeDriver, startSlackStandin } from '../src/slack-standin';
import { BOT_TOKEN, SIGNING_SECRET, SOCKET_MODE_STANDIN } from './helpers/bot';
import { spawnBot } from './helpers/bot-process';
import { freePort } from './helpers/ports';
import { startRedis } from './helpers/redis';
import { startRedisProxy } from './helpers/redis-proxy';
import { spawnNode } from './helpers/spawn';

const APP = path.join(__dirname, '..', 'dist', 'app.js');

test('npm start without settings names each missing one and exits 1, without a stack trace', () => {
  const result = spawnSync(process.execPath, [APP], { env: { PATH: process.env.PATH }, encoding: 'utf8' });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('SLACK_BOT_TOKEN is not set');
  expect(result.stderr).toContain('SLACK_SIGNING_SECRET is not set');
  expect(result.stderr).toContain('DLF_ENDPOINT is not set');
  expect(result.stderr).toContain('npm run playground');
  expect(result.stderr).not.toMatch(/\n\s+at /);
});

test('SIGTERM stops the bot gracefully (exit 0), with Redis and the poll engine running', async () => {
  const redis = await startRedis();
  const sim = await startSimulator();
  const slack = await startSlackStandin({ botToken: BOT_TOKEN });
  try {
    const bot = await spawnBot(sim, slack, { REDIS_URL: redis.url });
    // With Redis, following's work runs in its own thread (from dist/).
    expect(bot.startup).toContain('"work":"engine thread"');
    const exited = new Promise<number | null>((resolve) => bot.child.once('exit', (code) => resolve(code)));
    bot.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  } finally {
    await Promise.all([sim.close(), slack.close()]);
    await redis.stop();
  }
});

test('a SIGTERM while the bot is still starting stops it gracefully too (exit 0), not by the default action', async () => {
  const redis = await startRedis();
  // Redis held back: the bot stays in the middle of starting until the proxy lets it through.
  const proxy = await startRedisProxy({ port: redis.port });
  proxy.pause();
  const sim = await startSimulator();
  const slack = await startSlackStandin({ botToken: BOT_TOKEN });
  const child = spawn(process.execPath, [APP], {
    env: {
      PATH: process.env.PATH,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      DLF_ENDPOINT: sim.url,
      DLF_PROJECT_ID: DEMO_PROJECT_ID,
      DLF_TOKEN: DEMO_TOKEN,
      REDIS_URL: proxy.url,
    },
    stdio: 'ignore',
  });
  try {
    const exited = new Promise<[number | null, string | null]>((resolve) =>
      child.once('exit', (code, signal) => resolve([code, signal])),
    );
    await slack.standin.waitFor(() => proxy.waiting > 0, {
      timeoutMs: 15_000,
      what: 'the bot connecting to Redis',
    });
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    proxy.resume();
    expect(await exited).toEqual([0, null]);
  } finally {
    child.kill('SIGKILL');
    await proxy.close();
    await Promise.all([sim.close(), slack.close()]);
    await redis.stop();
  }
});

test('npm start in Socket Mode: no signing secret, look-ups in their thread, served over the socket; SIGTERM exits 0', async () => {
  const sim = await startSimulator();
  const slack = await startSlackStandin({ botToken: BOT_TOKEN, socketMode: SOCKET_MODE_STANDIN });
  const port = await freePort();
  const { child, ready } = await spawnNode(
    APP,
    {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: slack.standin.socketMode.appToken,
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
      DLF_ENDPOINT: sim.url,
      DLF_PROJECT_ID: DEMO_PROJECT_ID,
      DLF_TOKEN: DEMO_TOKEN,
      LOG_LEVEL: 'info',
    },
    /"lookUps":"([\w ]+)".*"msg":"connected to Slack in Socket Mode"/,
  );
  try {
    expect(ready[1]).toBe('worker thread');
    const before = slack.standin.messages('C0GENERAL').length;
    const answer = await new SocketModeDriver({ standin: slack.standin }).command(
      '/dlf-instance',
      'job_batch 34765',
    );
    expect(answer.status).toBe(200);
    const message = await slack.standin.waitFor(() => slack.standin.messages('C0GENERAL')[before]);
    expect(message.text).toContain('job_batch #34765');
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await slack.standin.waitFor(() => slack.standin.socketMode.openConnections().length === 0);
  } finally {
    child.kill('SIGKILL');
    await Promise.all([sim.close(), slack.close()]);
  }
});
