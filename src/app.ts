/**
 * Composition root and `npm start`: settings → logger → DataArts client → Bolt app → listening.
 * Stops gracefully on SIGTERM/SIGINT. With missing settings it says which, and exits.
 */
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { type BotConfig, configFromEnv } from './config';
import { ConfigError, type Env } from './config-error';
import type { DataArtsApi } from './dataarts/api';
import { createDataArtsClient } from './dataarts/config';
import { createLogger, type Logger } from './logger';
import { createSlackApp } from './slack/app';
import { RedisDeliveryLog } from './slack/deliveries';
import { ShowThread } from './slack/thread/show-thread';
import type { SlackWeb } from './slack/web';
import { BullPollEngine, TimerPollEngine } from './subscriptions/engine';
import { Subscriptions } from './subscriptions/service';
import { MemorySubscriptionStore, RedisSubscriptionStore } from './subscriptions/store';

export interface RunningBot {
  /** The HTTP port (HTTP mode), e.g. when started on port 0. */
  port?: number;
  config: BotConfig;
  stop(): Promise<void>;
}

export interface BotOverrides {
  logger?: Logger;
  dataarts?: DataArtsApi;
  /** Listen address in HTTP mode (default: all interfaces). */
  host?: string;
}

export async function startBot(env: Env, overrides: BotOverrides = {}): Promise<RunningBot> {
  const config = configFromEnv(env);
  const logger = overrides.logger ?? createLogger({ level: config.logLevel });
  const dataarts =
    overrides.dataarts ??
    createDataArtsClient(config.dataarts, { logger: logger.child({ component: 'dataarts' }) });
  // The thread builds its own DataArts client from the settings, so an injected one keeps look-ups here.
  const lookUpThread =
    config.lookUpThread && !overrides.dataarts && ShowThread.available()
      ? new ShowThread(config, logger)
      : undefined;
  lookUpThread?.start();
  // Subscriptions and Slack's delivery ids share one connection (the poll engine has its own); the
  // subscription store closes it on stop.
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { maxRetriesPerRequest: 3 }).on('error', (error) =>
        logger.warn({ err: error.message }, 'redis error'),
      )
    : undefined;
  const { app, services } = createSlackApp({
    config,
    dataarts,
    logger,
    subscriptions: (web) => createSubscriptions(config, { dataarts, web, logger, redis }),
    lookUpThread,
    // Slack retries are recognised across processes through Redis (see slack/deliveries.ts).
    deliveries: redis && new RedisDeliveryLog(redis),
  });
  const { subscriptions } = services;
  await subscriptions.start();
  if (subscriptions.durable) {
    logger.info({ engine: subscriptions.engineName }, 'subscriptions are kept in Redis');
  } else {
    logger.warn(
      'REDIS_URL is not set: subscriptions are kept in memory (one process only; a restart forgets them)',
    );
  }
  let port: number | undefined;
  if (config.slack.appToken) {
    await app.start();
    logger.info(
      { lookUps: lookUpThread ? 'worker thread' : 'main thread', healthz: config.port },
      'connected to Slack in Socket Mode',
    );
  } else {
    const server = (await app.start(
      overrides.host ? { port: config.port, host: overrides.host } : config.port,
    )) as {
      address(): AddressInfo | string | null;
    };
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : config.port;
    logger.info(
      { lookUps: lookUpThread ? 'worker thread' : 'main thread', port },
      'listening for Slack at /slack/events',
    );
  }
  return {
    port,
    config,
    stop: async () => {
      await app.stop();
      await subscriptions.stop();
      await lookUpThread?.stop();
    },
  };
}

function createSubscriptions(
  config: BotConfig,
  deps: { dataarts: DataArtsApi; web: SlackWeb; logger: Logger; redis?: Redis },
): Subscriptions {
  const logger = deps.logger.child({ component: 'subscriptions' });
  const { redisUrl } = config;
  const store = deps.redis ? new RedisSubscriptionStore(deps.redis) : new MemorySubscriptionStore();
  const engine = redisUrl
    ? new BullPollEngine({ redisUrl, logger, lockMs: config.subscriptions.lockMs })
    : new TimerPollEngine(logger);
  return new Subscriptions({
    store,
    engine,
    dataarts: deps.dataarts,
    web: deps.web,
    settings: config.subscriptions,
    logger,
    consoleUrl: config.consoleUrl,
  });
}

async function main(): Promise<void> {
  // Listening before the bot starts: a SIGTERM that comes while it starts (even right after it logged that it
  // listens) must stop it gracefully, not kill it with the default action.
  let stopping: string | undefined;
  let bot: RunningBot | undefined;
  const stopNow = (running: RunningBot) =>
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = signal;
    process.stderr.write(`${signal}: finishing in-flight requests and stopping\n`);
    if (bot) void stopNow(bot);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  try {
    bot = await startBot(process.env, { host: process.env.HOST });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(
        `${error.message}\n\nThe bot needs a Slack app and DataArts settings: see README.md, "Configuration".\n` +
          'To try it without any account, run `npm run playground`: a page at http://localhost:3000 stands in\n' +
          'for a Slack channel, with this bot and a DataArts simulator behind it.\n',
      );
      process.exit(1);
    }
    throw error;
  }
  if (stopping) await stopNow(bot);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`The bot could not start: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
