/** The whole bot on loopback: DataArts simulator, Slack stand-in, the bot itself, and a driver playing Slack. */
import { type RunningBot, startBot } from '../../src/app';
import { createLogger } from '../../src/logger';
import {
  DEMO_AK,
  DEMO_PROJECT_ID,
  DEMO_SK,
  type RunningSimulator,
  startSimulator,
} from '../../src/simulator';
import { type RunningStandin, SlackDriver, startSlackStandin } from '../../src/slack-standin';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-test-bot-token';

export interface BotProcess {
  bot: RunningBot;
  driver: SlackDriver;
  botUrl: string;
}

export interface Harness extends BotProcess {
  sim: RunningSimulator;
  slack: RunningStandin;
  close(): Promise<void>;
}

/** A bot started as `npm start` starts it, against an existing simulator and Slack stand-in. */
export async function startBotAgainst(
  sim: RunningSimulator,
  slack: RunningStandin,
  env: Record<string, string> = {},
): Promise<BotProcess> {
  const bot = await startBot(
    {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      DLF_ENDPOINT: sim.url,
      DLF_PROJECT_ID: DEMO_PROJECT_ID,
      DLF_AK: DEMO_AK,
      DLF_SK: DEMO_SK,
      DLF_TIMEOUT_MS: '1500',
      DLF_MAX_ATTEMPTS: '2',
      // Tests make far more message updates a minute than a real workspace should.
      SLACK_UPDATES_PER_MINUTE: '100000',
      ...env,
    },
    // TEST_LOG_LEVEL=debug shows the bots' logs while a test runs.
    { logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), host: '127.0.0.1' },
  );
  const botUrl = `http://127.0.0.1:${bot.port}`;
  const driver = new SlackDriver({
    standin: slack.standin,
    botUrl: `${botUrl}/slack/events`,
    signingSecret: SIGNING_SECRET,
  });
  return { bot, driver, botUrl };
}

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const sim = await startSimulator({ host: '127.0.0.1', port: 0 });
  const slack = await startSlackStandin({ botToken: BOT_TOKEN });
  const process = await startBotAgainst(sim, slack, env);
  return {
    ...process,
    sim,
    slack,
    close: async () => {
      await process.bot.stop();
      await Promise.all([sim.close(), slack.close()]);
    },
  };
}
