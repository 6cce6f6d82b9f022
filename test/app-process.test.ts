import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startSimulator } from '../src/simulator';
import { startSlackStandin } from '../src/slack-standin';
import { BOT_TOKEN } from './helpers/bot';
import { spawnBot } from './helpers/bot-process';
import { startRedis } from './helpers/redis';

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
