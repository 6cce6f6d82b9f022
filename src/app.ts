/**
 * Composition root and `npm start`: settings → the main thread's kit (kit.ts: logger, clients, stores) → Bolt app,
 * look-up and engine threads → listening.
 * Stops gracefully on SIGTERM/SIGINT within STOP_DEADLINE_MS whatever is down (a second signal stops at once).
 * With missing settings it says which, and exits.
 */

import { type BotConfig, configFromEnv } from './config';
import { ConfigError, type Env } from './config-error';
import type { DataArtsApi } from './dataarts/api';
import { EngineThread } from './engine-thread/host';
import { kitFor } from './kit';
import type { Logger } from './logger';
import { metricsListener } from './metrics/endpoint';
import { isLoopbackHost } from './notify/config';
import { NOTIFY_PATH, notifyListener, openConfirmationLink } from './notify/route';
import { SigningCerts } from './notify/smn';
import { describeRedis } from './redis/connection';
import { createSlackApp } from './slack/app';
import { openFrontDoor } from './slack/http';
import type { MessageRecords } from './slack/message-records';
import { PICTURES_PATH } from './slack/pictures-route';
import { LookUpThread } from './slack/thread/look-up-thread';
import { stopOnSignal } from './support/stop-on-signal';

/** However stuck Redis or Slack are, a stop takes no longer than this. */
export const STOP_DEADLINE_MS = 10_000;

export interface RunningBot {
  /** The HTTP port (HTTP mode), e.g. when started on port 0. */
  port?: number;
  config: BotConfig;
  /** What the bot stored for each message it posted (what its buttons act on); tests wait on it. */
  records: MessageRecords;
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
  const kit = kitFor(config, { thread: 'main', logger: overrides.logger, dataarts: overrides.dataarts });
  const { logger, metrics, deliveries, following } = kit;
  for (const warning of config.warnings) logger.warn(warning);
  if (config.logsOff) logger.info(config.logsOff);
  // The thread builds its own DataArts client from the settings, so an injected one keeps look-ups here.
  const lookUpThread =
    config.lookUpThread && !overrides.dataarts && LookUpThread.available()
      ? new LookUpThread(config, logger)
      : undefined;
  lookUpThread?.start();
  // With Redis, subscriptions, Slack's delivery ids, message records, operation marks, fair-share windows and
  // digests share one connection (the poll engine has its own), so every process sees the same; the subscription
  // store closes it on stop.
  const { app, services, identity, receiver } = createSlackApp(kit, { lookUpThread });
  // Slack is asked who the bot is in the background: unreachable, the bot starts anyway and says it is not
  // ready until Slack answers.
  void identity.start();
  // The work (sweeps, looks, announcements, alerts) runs in the engine thread when it can, beside Bolt's thread.
  const engineThread =
    kit.redis && config.engineThread && !overrides.dataarts && EngineThread.available()
      ? new EngineThread(config, logger)
      : undefined;
  if (engineThread) engineThread.start();
  else await following.start();
  await services.digests.start();
  if (following.durable) {
    logger.info(
      { engine: following.engineName, redis: config.redis && describeRedis(config.redis) },
      'subscriptions and watches are kept in Redis',
    );
  } else {
    logger.warn(
      'Redis is not set (REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS): subscriptions and watches are kept in memory (one process only; a restart forgets them)',
    );
  }
  let socketConnected = !config.slack.appToken;
  const notify = config.notify;
  const posts = notify
    ? {
        [NOTIFY_PATH]: notifyListener({
          settings: notify,
          certs: new SigningCerts({
            hosts: notify.certHosts,
            allowHttpLoopback: notify.certHosts.some(isLoopbackHost),
          }),
          // Two days: longer than SMN keeps retrying a message.
          seen: (messageId) => deliveries.note(`smn:${messageId}`, 2 * 86_400),
          wake: () => following.wake(),
          confirm: openConfirmationLink,
          logger: logger.child({ component: 'notify' }),
          count: (outcome) => metrics.notification(outcome),
        }),
      }
    : undefined;
  const front = await openFrontDoor({
    port: config.port,
    host: overrides.host,
    slack: receiver?.requestListener,
    ...(posts ? { posts } : {}),
    ...(services.pictures ? { prefixes: { [PICTURES_PATH]: services.pictures.handle } } : {}),
    routes: {
      '/metrics': metricsListener([
        () => metrics.snapshot(),
        async () => engineThread?.snapshot(),
        async () => lookUpThread?.snapshot(),
      ]),
    },
    readiness: {
      problems: () => [
        ...(identity.waitingFor ? [identity.waitingFor] : []),
        ...(socketConnected ? [] : ['Socket Mode is not connected to Slack yet']),
        ...following.problems(),
        ...(engineThread?.problems() ?? []),
      ],
    },
  });
  let stopped = false;
  if (config.slack.appToken) {
    // Socket Mode connects in the background too, again and again until Slack lets it.
    const connect = async (attempt: number): Promise<void> => {
      if (stopped) return;
      try {
        await app.start();
        socketConnected = true;
        logger.info(
          { lookUps: lookUpThread ? 'worker thread' : 'main thread', healthz: front.port },
          'connected to Slack in Socket Mode',
        );
      } catch (error) {
        const delay = Math.min(30_000, 1_000 * 2 ** Math.min(attempt, 5));
        logger.warn({ err: (error as Error).message, retryInMs: delay }, 'Socket Mode could not connect');
        setTimeout(() => void connect(attempt + 1), delay).unref();
      }
    };
    void connect(0);
  } else {
    logger.info(
      {
        lookUps: lookUpThread ? 'worker thread' : 'main thread',
        work: engineThread ? 'engine thread' : 'main thread',
        port: front.port,
      },
      'listening for Slack at /slack/events',
    );
  }
  return {
    port: front.port,
    config,
    records: services.records,
    stop: async () => {
      stopped = true;
      identity.stop();
      const orderly = (async () => {
        await front.close();
        if (config.slack.appToken && socketConnected) await app.stop();
        // With Redis unreachable there is nothing to wait for: its connections are simply dropped.
        const unreachable = !following.available();
        await engineThread?.stop(unreachable);
        await services.digests.stop(unreachable);
        await following.stop(unreachable);
        await lookUpThread?.stop();
      })();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), STOP_DEADLINE_MS - 1_000);
      });
      const outcome = await Promise.race([orderly.then(() => 'done' as const), late]);
      clearTimeout(timer);
      if (outcome === 'late') {
        logger.warn('stopping took too long (Redis or Slack unreachable?); dropping connections');
        await Promise.all([
          engineThread?.stop(true, 500),
          services.digests.stop(true),
          following.stop(true),
          lookUpThread?.stop(),
        ]);
      }
    },
  };
}

async function main(): Promise<void> {
  // Listening before the bot starts: a SIGTERM that comes while it starts (even right after it logged that it
  // listens) must stop it gracefully, not kill it with the default action.
  const signals = stopOnSignal({
    saying: 'finishing in-flight requests and stopping',
    deadlineMs: STOP_DEADLINE_MS,
  });
  let bot: RunningBot;
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
  signals.running(bot.stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`The bot could not start: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
