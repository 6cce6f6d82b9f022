/**
 * The Bolt app: HTTP mode with every Slack request at /slack/events (or Socket Mode when an app token is
 * set), GET /healthz, the bot's listeners, and errors logged without ever reaching a person as a trace.
 */
import type { ServerResponse } from 'node:http';
import { App, type AppOptions } from '@slack/bolt';
import type { BotConfig } from '../config';
import type { DataArtsApi } from '../dataarts/api';
import type { Logger } from '../logger';
import type { Subscriptions } from '../subscriptions/service';
import { boltLogger } from './bolt-logger';
import { type DeliveryLog, dropRepeatedDeliveries, MemoryDeliveryLog } from './deliveries';
import { registerListeners } from './listeners';
import { MemoryPermalinkStore, type PermalinkStore } from './permalinks';
import { Publisher } from './services/publisher';
import type { SlackServices } from './services/services';
import { showInstance } from './services/show-instance';
import type { ShowThread } from './thread/show-thread';
import { createSlackWeb, type SlackWeb } from './web';

export interface SlackAppDeps {
  config: BotConfig;
  dataarts: DataArtsApi;
  logger: Logger;
  subscriptions: (web: SlackWeb) => Subscriptions;
  permalinks?: PermalinkStore;
  clock?: () => number;
  /** Where look-ups run when given; on this thread otherwise. */
  lookUpThread?: ShowThread;
  /** Deliveries seen, so a Slack retry of a handled one is dropped (default: this process's memory). */
  deliveries?: DeliveryLog;
}

export function createSlackApp(deps: SlackAppDeps): { app: App; services: SlackServices } {
  const { config, logger } = deps;
  const bolt = boltLogger(logger);
  const healthz = {
    path: '/healthz',
    method: ['GET'],
    handler: (_req: unknown, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    },
  };
  const common: AppOptions = {
    token: config.slack.botToken,
    logger: bolt,
    clientOptions: {
      slackApiUrl: config.slack.apiUrl,
      retryConfig: { retries: 2 },
      timeout: config.slack.timeoutMs,
    },
    customRoutes: [healthz],
    extendedErrorHandler: true,
    // Bolt's conversation store middleware runs on every request; nothing here reads it.
    convoStore: false,
  };
  const app = config.slack.appToken
    ? new App({
        ...common,
        appToken: config.slack.appToken,
        socketMode: true,
        // The Socket Mode client's own Web API client (apps.connections.open, with the app token). Left unset,
        // Bolt hands it `clientOptions` above, whose 2 retries replace the client's own policy (100, for
        // reconnects): Slack unreachable for ~3 s at a reconnect would end the connection for good.
        installerOptions: {
          port: config.port,
          clientOptions: { slackApiUrl: config.slack.apiUrl, timeout: config.slack.timeoutMs },
        },
      })
    : new App({ ...common, signingSecret: config.slack.signingSecret ?? '' });

  const web = createSlackWeb({
    token: config.slack.botToken,
    apiUrl: config.slack.apiUrl,
    timeoutMs: config.slack.timeoutMs,
    logger: bolt,
  });
  const publisher = new Publisher(web, deps.permalinks ?? new MemoryPermalinkStore(), logger);
  const thread = deps.lookUpThread;
  const services: SlackServices = {
    dataarts: deps.dataarts,
    web,
    publisher,
    clock: deps.clock ?? Date.now,
    consoleUrl: config.consoleUrl,
    logger,
    subscriptions: deps.subscriptions(web),
    show: thread
      ? async (ref, target) => {
          const result = await thread.show(ref, target);
          if (result.kind === 'posted' && result.permalink)
            await publisher.remember(result.channel, result.ts, result.permalink);
          return result;
        }
      : (ref, target) => showInstance(services, ref, target),
  };
  // First: a Slack retry of a request already handled must not post or follow a second time.
  app.use(dropRepeatedDeliveries(deps.deliveries ?? new MemoryDeliveryLog(), logger));
  registerListeners(app, services);
  // Listeners answer people themselves; anything that still escapes is logged, never shown as a trace.
  app.error((async ({ error, body }: { error: Error; body?: unknown }) => {
    const payload = body as { type?: string; command?: string } | undefined;
    logger.error(
      { err: error, type: payload?.type ?? payload?.command },
      'unhandled error in a Slack listener',
    );
  }) as Parameters<App['error']>[0]);
  return { app, services };
}
