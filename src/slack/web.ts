/**
 * The bot's Slack Web API clients, with retries chosen per kind of call. Slack has no idempotency key, so a
 * post whose answer was lost must not be sent again blindly: posts never retry inside the SDK. Updates, views
 * and look-ups are idempotent and retry a little. No call waits 30 minutes (the SDK default).
 */
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';

export interface SlackWeb {
  /** chat.postMessage / chat.postEphemeral: never retried by the SDK; 429s are returned, not waited out. */
  readonly post: WebClient;
  /** chat.update, chat.getPermalink, views.*: retried twice on network errors and 5xx. */
  readonly idempotent: WebClient;
}

export function createSlackWeb(options: {
  token: string;
  apiUrl?: string;
  timeoutMs?: number;
  logger?: BoltLogger;
}): SlackWeb {
  const common: WebClientOptions = {
    slackApiUrl: options.apiUrl,
    logger: options.logger,
    logLevel: LogLevel.WARN,
    timeout: options.timeoutMs ?? 10_000,
  };
  return {
    // A 429 comes back as an error (with retryAfter) instead of pausing this client: the caller decides.
    post: new WebClient(options.token, {
      ...common,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    }),
    idempotent: new WebClient(options.token, {
      ...common,
      retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2_000, randomize: true },
    }),
  };
}

/** The Slack error code of a failed Web API call (`not_in_channel`, `ratelimited`, …), if it has one. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  if (typeof data?.error === 'string') return data.error;
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'slack_webapi_rate_limited_error' ? 'ratelimited' : undefined;
}
