/**
 * The Bolt app: every Slack request at /slack/events (HTTP mode, through the front door in http.ts) or over
 * Socket Mode when an app token is set, the bot's listeners, and errors logged without ever reaching a person as
 * a trace. Bolt is given an `authorize` that answers from the bot's own auth.test (identity.ts), so a Slack that
 * cannot be reached at start delays readiness instead of crashing the process.
 */
import { App, type AppOptions, HTTPReceiver } from '@slack/bolt';
import { FairShare } from '../access/limits';
import { AccessPolicy } from '../access/policy';
import type { Kit } from '../kit';
import { createLogExcerpts } from '../logs/config';
import { throttledWarn } from '../support/throttled-log';
import { refuseOutsiders } from './access';
import { dropRepeatedDeliveries } from './deliveries';
import { EVENTS_PATH } from './http';
import { SlackIdentity } from './identity';
import { registerListeners } from './listeners';
import type { Looker } from './look-ups/calls';
import { localLooker } from './look-ups/local';
import { PictureLinks } from './pictures-route';
import { Digests } from './services/digest';
import type { SlackServices } from './services/services';
import { UserGroups } from './services/user-groups';

export interface SlackAppOptions {
  /** Where look-ups run when given (the look-up thread); on this thread otherwise. */
  lookUpThread?: Looker;
}

export interface SlackApp {
  app: App;
  services: SlackServices;
  identity: SlackIdentity;
  /** HTTP mode: what the front door hands /slack/events to. */
  receiver?: HTTPReceiver;
}

/** A request from Slack that waits longer than this for auth.test fails (Slack retries it). */
const AUTHORIZE_WAIT_MS = 2_000;
/** Far above any Slack payload (a view submission with every input is a few kB). */
const BODY_LIMIT_BYTES = 1_048_576;

/** The app from the main thread's kit (kit.ts): its clients, stores and following. */
export function createSlackApp(kit: Kit, options: SlackAppOptions = {}): SlackApp {
  const { config, logger, web, records, publisher, clock, history, following } = kit;
  const bolt = kit.boltLogger;
  const identity = new SlackIdentity(web.idempotent, logger.child({ component: 'identity' }));
  const common: AppOptions = {
    authorize: async () => {
      const me = await identity.wait(AUTHORIZE_WAIT_MS);
      return {
        botToken: config.slack.botToken,
        botId: me.botId,
        botUserId: me.botUserId,
        teamId: me.teamId,
        enterpriseId: me.enterpriseId,
      };
    },
    logger: bolt,
    clientOptions: {
      slackApiUrl: config.slack.apiUrl,
      retryConfig: { retries: 2 },
      timeout: config.slack.timeoutMs,
    },
    extendedErrorHandler: true,
    // Bolt's conversation store middleware runs on every request; nothing here reads it.
    convoStore: false,
  };
  let receiver: HTTPReceiver | undefined;
  let app: App;
  if (config.slack.appToken) {
    // No custom routes here: the front door serves /healthz on PORT in both modes.
    app = new App({
      ...common,
      appToken: config.slack.appToken,
      socketMode: true,
      // The Socket Mode client's own Web API client (apps.connections.open, with the app token). Left unset,
      // Bolt hands it `clientOptions` above, whose 2 retries replace the client's own policy (100, for
      // reconnects): Slack unreachable for ~3 s at a reconnect would end the connection for good.
      installerOptions: {
        clientOptions: { slackApiUrl: config.slack.apiUrl, timeout: config.slack.timeoutMs },
      },
    });
  } else {
    receiver = new HTTPReceiver({
      signingSecret: config.slack.signingSecret ?? '',
      endpoints: [EVENTS_PATH],
      logger: bolt,
      bodyLimit: BODY_LIMIT_BYTES,
    });
    app = new App({ ...common, receiver });
  }

  const access = new AccessPolicy(config.access, () => identity.current);
  const limitsUnavailable = throttledWarn(
    logger,
    'the fair-share limits could not be read from Redis: requests go ahead unlimited until it answers',
  );
  const limits = new FairShare(
    config.limits,
    kit.rateWindows,
    clock,
    (reason) => kit.metrics.refusal(reason),
    (error) => limitsUnavailable({ err: (error as Error).message }),
  );
  const look = options.lookUpThread ?? localLooker(kit.lookUpDeps);
  const { deliveries } = kit;
  const services: SlackServices = {
    dataarts: kit.dataarts,
    web,
    publisher,
    records,
    clock,
    consoleUrl: config.consoleUrl,
    operable: config.operators !== undefined,
    logButtons: config.logs !== undefined,
    logger,
    following,
    access,
    timeZone: config.timeZone,
    history,
    ...(config.publicUrl
      ? { pictures: new PictureLinks(config.slack.botToken, config.publicUrl, config.timeZone) }
      : {}),
    digests: new Digests({
      compose: (request) => look.ask('digest', request),
      web,
      watchesIn: (channel) => following.watchesIn(channel),
      store: kit.digestStore,
      scheduler: kit.digestScheduler,
      timeZone: config.timeZone,
      clock,
      logger: logger.child({ component: 'digest' }),
      limits,
      metrics: kit.metrics,
    }),
    look,
    unfurl: { hosts: config.unfurlHosts, once: deliveries },
    operations: {
      ...(config.operators ? { rules: config.operators } : {}),
      marks: kit.operationMarks,
      groups: new UserGroups(web, logger.child({ component: 'user-groups' }), clock),
    },
    limits,
    ...(config.logs ? { logs: createLogExcerpts(config.logs, config.dataarts) } : {}),
  };
  // First: requests from outside the teams and organisation served go no further (nothing read or written).
  app.use(refuseOutsiders(access, logger));
  // Then: a Slack retry of a request already handled must not post or follow a second time.
  app.use(dropRepeatedDeliveries(deliveries, logger));
  registerListeners(app, services);
  // Listeners answer people themselves; anything that still escapes is logged, never shown as a trace.
  app.error((async ({ error, body }: { error: Error; body?: unknown }) => {
    const payload = body as { type?: string; command?: string } | undefined;
    logger.error(
      { err: error, type: payload?.type ?? payload?.command },
      'unhandled error in a Slack listener',
    );
  }) as Parameters<App['error']>[0]);
  return { app, services, identity, receiver };
}
