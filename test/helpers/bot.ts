/** The whole bot on loopback: DataArts simulator, Slack stand-in, the bot itself, and a driver playing Slack. */
import { type RunningBot, startBot } from '../../src/app';
import { silentLogger } from '../../src/logger';
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

export interface Harness {
  sim: RunningSimulator;
  slack: RunningStandin;
  bot: RunningBot;
  driver: SlackDriver;
  botUrl: string;
  close(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const sim = await startSimulator({ host: '127.0.0.1', port: 0 });
  const slack = await startSlackStandin({ botToken: BOT_TOKEN });
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
      ...env,
    },
    { logger: silentLogger, host: '127.0.0.1' },
  );
  const botUrl = `http://127.0.0.1:${bot.port}`;
  const driver = new SlackDriver({
    standin: slack.standin,
    botUrl: `${botUrl}/slack/events`,
    signingSecret: SIGNING_SECRET,
  });
  return {
    sim,
    slack,
    bot,
    driver,
    botUrl,
    close: async () => {
      await bot.stop();
      await Promise.all([sim.close(), slack.close()]);
    },
  };
}
