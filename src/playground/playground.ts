/**
 * The playground as one object: the DataArts simulator, the Slack stand-in, the real bot in-process (its Web
 * API pointed at the stand-in through SLACK_API_URL), and the page server, all on 127.0.0.1. Demo values
 * only; the bot token and signing secret are made up per start and never shown.
 */
import { randomBytes } from 'node:crypto';
import { type RunningBot, startBot } from '../app';
import type { Env } from '../config-error';
import { createLogger, type Logger } from '../logger';
import {
  DEMO_AK,
  DEMO_PROJECT_ID,
  DEMO_SK,
  type RunningSimulator,
  SCENARIOS,
  startSimulator,
} from '../simulator';
import { startSimulatorObs } from '../simulator/node-logs';
import { CALLBACKS } from '../slack/ids';
import {
  type Channel,
  type RunningStandin,
  SlackDriver,
  startSlackStandin,
  type User,
} from '../slack-standin';
import { listenLocal } from '../support/http-server';
import { Presenter } from './present';
import { pageHandler } from './server';

export const DEFAULT_PORT = 3000;
const HOST = '127.0.0.1';

/** The bot settings a playground passes on from its environment; the rest are the embedded parts'. */
const PASSED_SETTINGS = [
  'REDIS_URL',
  'LOG_LEVEL',
  'DLF_POLL_INTERVAL_SECONDS',
  'DLF_WATCH_INTERVAL_SECONDS',
  'DLF_WATCH_CATCHUP_MINUTES',
  'DLF_WATCH_WINDOW_HOURS',
  'DLF_POLL_MAX_BACKOFF_SECONDS',
  'DLF_POLL_LOCK_SECONDS',
  'DLF_SUBSCRIPTION_MAX_AGE_HOURS',
  'DLF_BROADCAST_FAILURES',
  'SLACK_UPDATES_PER_MINUTE',
  'DLF_CONSOLE_URL',
  'DLF_OPERATORS',
  'DLF_TIMEZONE',
];

/** Who may stop, rerun and run from the page: the visitor, through an on-call user group (DLF_OPERATORS overrides). */
const ON_CALL = { id: 'S0DATAONCALL', handle: 'data-oncall', users: ['U0ALICE'] };
const OPERATORS = `*=${ON_CALL.id}`;

const ME = 'U0ALICE';

const USERS: User[] = [
  { id: ME, name: 'alice', realName: 'Alice Example' },
  { id: 'U0BOB', name: 'bob', realName: 'Bob Example' },
];

const CHANNELS: Channel[] = [
  { id: 'C0GENERAL', name: 'general', kind: 'public', botIsMember: true },
  { id: 'C0ALERTS', name: 'dlf-alerts', kind: 'public', botIsMember: true },
  { id: 'G0TEAM', name: 'team-private', kind: 'private', botIsMember: true },
  { id: 'C0OUTSIDE', name: 'no-bot-here', kind: 'public', botIsMember: false },
  { id: 'G0PRIVATE', name: 'private-no-bot', kind: 'private', botIsMember: false },
];

/** Slack's shortcuts as manifest.yml names them. */
const SHORTCUTS = {
  global: { callbackId: CALLBACKS.globalShortcut, name: 'Find DLF instance' },
  message: { callbackId: CALLBACKS.messageShortcut, name: 'Track DLF instance' },
};

/** The simulator's live demo jobs (scenarios.ts): each button starts a new run from now. */
const LIVE_JOBS = [
  { job: SCENARIOS.liveSuccess, note: '4 nodes over 22 s, then success' },
  { job: SCENARIOS.liveFail, note: 'fails at its 2nd node after 12 s' },
];

export interface PlaygroundOptions {
  /** The page's port (default 3000; 0 picks a free one). */
  port?: number;
  /** Bot settings passed on (REDIS_URL, LOG_LEVEL, DLF_POLL_INTERVAL_SECONDS, …); default: none. */
  env?: Env;
  /** The bot's logger (default: pino at LOG_LEVEL, or error: the page shows the rest). */
  logger?: Logger;
}

export interface RunningPlayground {
  /** The page, e.g. http://127.0.0.1:3000 */
  url: string;
  sim: RunningSimulator;
  slack: RunningStandin;
  bot: RunningBot;
  /** 'memory', or the Redis URL without its password. */
  store: string;
  close(): Promise<void>;
}

/** redis://user:secret@host → redis://user:***@host */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an unreadable REDIS_URL';
  }
}

/** Runs `step`; if it fails, stops what was started before it, then fails. */
async function orUndo<T>(step: () => Promise<T>, undo: (() => Promise<void>)[]): Promise<T> {
  try {
    return await step();
  } catch (error) {
    for (const stop of undo.reverse()) await stop().catch(() => undefined);
    throw error;
  }
}

export async function startPlayground(options: PlaygroundOptions = {}): Promise<RunningPlayground> {
  const env = options.env ?? {};
  const passed = Object.fromEntries(
    PASSED_SETTINGS.flatMap((name) => (env[name] ? [[name, env[name] as string]] : [])),
  );
  const botToken = `xoxb-playground-${randomBytes(12).toString('hex')}`;
  const signingSecret = randomBytes(16).toString('hex');
  const undo: (() => Promise<void>)[] = [];

  const sim = await startSimulator({ host: HOST, port: 0 });
  undo.push(sim.close);
  // Failed nodes' logs: a failing demo run gets its excerpt in the thread.
  const obs = await orUndo(() => startSimulatorObs({ host: HOST, port: 0 }), undo);
  undo.push(obs.close);
  const slack = await orUndo(
    () => startSlackStandin({ botToken, users: USERS, channels: CHANNELS, userGroups: [ON_CALL] }),
    undo,
  );
  undo.push(slack.close);
  slack.standin.addMessage({
    channel: 'C0ALERTS',
    user: 'U0BOB',
    text: ':rotating_light: DataArts alert: job job_batch instance 34765 failed. Can someone have a look?',
  });
  const logger = options.logger ?? createLogger({ level: passed.LOG_LEVEL ?? 'error' });
  const bot = await orUndo(
    () =>
      startBot(
        {
          DLF_POLL_INTERVAL_SECONDS: '3',
          DLF_WATCH_INTERVAL_SECONDS: '2',
          DLF_OPERATORS: OPERATORS,
          ...passed,
          SLACK_BOT_TOKEN: botToken,
          SLACK_SIGNING_SECRET: signingSecret,
          SLACK_API_URL: slack.apiUrl,
          PORT: '0',
          DLF_ENDPOINT: sim.url,
          DLF_PROJECT_ID: DEMO_PROJECT_ID,
          DLF_AK: DEMO_AK,
          DLF_SK: DEMO_SK,
          OBS_ENDPOINT: obs.url,
          OBS_PATH_STYLE: 'true',
        },
        { logger, host: HOST },
      ),
    undo,
  );
  undo.push(bot.stop);
  const driver = new SlackDriver({
    standin: slack.standin,
    botUrl: `http://${HOST}:${bot.port}/slack/events`,
    signingSecret,
    user: ME,
  });
  const handler = pageHandler({
    standin: slack.standin,
    driver,
    presenter: new Presenter(slack.standin, {
      me: ME,
      channels: CHANNELS.map((channel) => channel.id),
      people: USERS.map((user) => user.id),
    }),
    shortcuts: SHORTCUTS,
    startRun: (job) => sim.simulator.startRun(job),
    liveJobs: LIVE_JOBS,
  });
  const page = await orUndo(
    () => listenLocal(handler, { host: HOST, port: options.port ?? DEFAULT_PORT }),
    undo,
  );
  return {
    url: page.url,
    sim,
    slack,
    bot,
    store: passed.REDIS_URL ? withoutPassword(passed.REDIS_URL) : 'memory',
    close: async () => {
      await page.close();
      await bot.stop();
      await Promise.all([sim.close(), slack.close(), obs.close()]);
    },
  };
}
