/**
 * The whole bot on loopback: DataArts simulator, Slack stand-in, the bot itself (over HTTP or in Socket Mode),
 * and a driver playing Slack.
 */
import { type RunningBot, startBot } from '../../src/app';
import { createLogger, type Logger } from '../../src/logger';
import {
  DEMO_AK,
  DEMO_PROJECT_ID,
  DEMO_SK,
  type RunningSimulator,
  startSimulator,
} from '../../src/simulator';
import {
  type Driver,
  type RunningStandin,
  SlackDriver,
  SocketModeDriver,
  type StandinOptions,
  startSlackStandin,
} from '../../src/slack-standin';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-test-bot-token';

export interface BotProcess<D extends Driver = SlackDriver> {
  bot: RunningBot;
  driver: D;
  /** Where the bot serves HTTP (/healthz, and /slack/events in HTTP mode). */
  botUrl: string;
}

export interface Harness<D extends Driver = SlackDriver> extends BotProcess<D> {
  sim: RunningSimulator;
  slack: RunningStandin;
  close(): Promise<void>;
}

function botEnv(sim: RunningSimulator, slack: RunningStandin): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    DLF_ENDPOINT: sim.url,
    DLF_PROJECT_ID: DEMO_PROJECT_ID,
    DLF_AK: DEMO_AK,
    DLF_SK: DEMO_SK,
    DLF_TIMEOUT_MS: '1500',
    DLF_MAX_ATTEMPTS: '2',
    // Tests make far more message updates a minute than a real workspace should.
    SLACK_UPDATES_PER_MINUTE: '100000',
    // Tests look up and act far faster than one person; the fair-share tests set their own limits.
    DLF_LIMIT_LOOKUPS_PER_USER_PER_MINUTE: '100000',
    DLF_LIMIT_LOOKUPS_PER_CHANNEL_PER_MINUTE: '100000',
    DLF_LIMIT_WRITES_PER_USER_PER_MINUTE: '100000',
  };
}

// TEST_LOG_LEVEL=debug shows the bots' logs while a test runs.
const testLogger = () => createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** A bot started as `npm start` starts it, against an existing simulator and Slack stand-in. */
export async function startBotAgainst(
  sim: RunningSimulator,
  slack: RunningStandin,
  env: Record<string, string> = {},
): Promise<BotProcess> {
  const bot = await startBot(
    { ...botEnv(sim, slack), SLACK_SIGNING_SECRET: SIGNING_SECRET, PORT: '0', ...env },
    { logger: testLogger(), host: '127.0.0.1' },
  );
  const botUrl = `http://127.0.0.1:${bot.port}`;
  // As a load balancer would: no request before the bot says it is ready.
  await untilReady(botUrl);
  const driver = new SlackDriver({
    standin: slack.standin,
    botUrl: `${botUrl}/slack/events`,
    signingSecret: SIGNING_SECRET,
  });
  return { bot, driver, botUrl };
}

/**
 * A bot in Socket Mode (SLACK_APP_TOKEN set, no signing secret) connected to the stand-in; it resolves once the
 * bot says it is ready (GET /healthz: Slack answered and the socket is connected).
 */
export async function startSocketModeBotAgainst(
  sim: RunningSimulator,
  slack: RunningStandin,
  env: Record<string, string> = {},
  logger: Logger = testLogger(),
): Promise<BotProcess<SocketModeDriver>> {
  const bot = await startBot(
    { ...botEnv(sim, slack), SLACK_APP_TOKEN: slack.standin.socketMode.appToken, PORT: '0', ...env },
    { logger, host: '127.0.0.1' },
  );
  const botUrl = `http://127.0.0.1:${bot.port}`;
  await untilReady(botUrl);
  return { bot, driver: new SocketModeDriver({ standin: slack.standin }), botUrl };
}

/**
 * Until the bot has stored what a message it posted shows (just after Slack answered the post): its buttons act
 * on that record, so a test presses them after this.
 */
export async function recorded(bot: RunningBot, message: { channel: string; ts: string }): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await bot.records.get(message.channel, message.ts))?.instanceId) {
    if (Date.now() > deadline) throw new Error(`the bot did not record ${message.channel}/${message.ts}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Until GET /healthz says the bot is ready (15 s at most). */
export async function untilReady(botUrl: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (
    !(await fetch(`${botUrl}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    ))
  ) {
    if (Date.now() > deadline) throw new Error(`${botUrl} did not become ready`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A simulator and a Slack stand-in of their own, and a bot against them. */
async function harness<D extends Driver>(
  standin: StandinOptions,
  startProcess: (sim: RunningSimulator, slack: RunningStandin) => Promise<BotProcess<D>>,
): Promise<Harness<D>> {
  const sim = await startSimulator({ host: '127.0.0.1', port: 0 });
  const slack = await startSlackStandin({ botToken: BOT_TOKEN, ...standin });
  const process = await startProcess(sim, slack);
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

export function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  return harness({}, (sim, slack) => startBotAgainst(sim, slack, env));
}

/**
 * The stand-in's Socket Mode waits longer for acks than Slack's 3 s (these machines are shared and slow), and
 * holds envelopes long enough for the client's reconnect (it waits 5 s before it asks for a new link).
 */
export const SOCKET_MODE_STANDIN: StandinOptions['socketMode'] = {
  ackTimeoutMs: 15_000,
  connectTimeoutMs: 30_000,
  pingIntervalMs: 1_000,
};

export function startSocketModeHarness(
  env: Record<string, string> = {},
  logger?: Logger,
): Promise<Harness<SocketModeDriver>> {
  return harness({ socketMode: SOCKET_MODE_STANDIN }, (sim, slack) =>
    startSocketModeBotAgainst(sim, slack, env, logger),
  );
}
