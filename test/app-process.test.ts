import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { DEMO_PROJECT_ID, DEMO_TOKEN, startSimulator } from '../src/simulator';
import { startSlackStandin } from '../src/slack-standin';
import { BOT_TOKEN, SIGNING_SECRET } from './helpers/bot';
import { spawnBot } from './helpers/bot-process';
import { startRedis } from './helpers/redis';
import { startRedisProxy } from './helpers/redis-proxy';

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
