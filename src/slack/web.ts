/**
 * The bot's Slack Web API clients, with retries chosen per kind of call. Slack has no idempotency key, so a
 * post whose answer was lost must not be sent again blindly: posts never retry inside the SDK. Updates, views
 * and look-ups are idempotent and retry a little. No call waits 30 minutes (the SDK default).
 */
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import { type WebAPICallResult, WebClient, WebClientEvent, type WebClientOptions } from '@slack/web-api';
import type { Logger } from '../logger';
import { type Metrics, slackOutcomeLabel, unobserved } from '../metrics/metrics';
import { slackFetch } from './fetch';

export interface SlackWeb {
  /** chat.postMessage / chat.postEphemeral: never retried by the SDK; 429s are returned, not waited out. */
  readonly post: WebClient;
  /** chat.update, chat.getPermalink, views.*: retried twice on network errors and 5xx. */
  readonly idempotent: WebClient;
  /**
   * chat.update of followed messages (refreshes): retried like `idempotent`, but a 429 comes back at once. Waiting
   * out Slack's Retry-After inside following's work held the end replies behind it (the SDK also pauses every
   * call of a client that waits); a refresh is simply drawn again later.
   */
  readonly refresh: WebClient;
}

const IDEMPOTENT_RETRIES = { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2_000, randomize: true };

export function createSlackWeb(options: {
  token: string;
  apiUrl?: string;
  timeoutMs?: number;
  logger?: BoltLogger;
  metrics?: Metrics;
}): SlackWeb {
  const metrics = options.metrics ?? unobserved;
  const common: WebClientOptions = {
    slackApiUrl: options.apiUrl,
    // undici's request on one keep-alive pool, for both clients.
    fetch: slackFetch(),
    logger: options.logger,
    logLevel: LogLevel.WARN,
    timeout: options.timeoutMs ?? 10_000,
  };
  return {
    // A 429 comes back as an error (with retryAfter) instead of pausing this client: the caller decides.
    post: new MeasuredWebClient(options.token, metrics, {
      ...common,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    }),
    idempotent: new MeasuredWebClient(options.token, metrics, {
      ...common,
      retryConfig: IDEMPOTENT_RETRIES,
    }),
    refresh: new MeasuredWebClient(options.token, metrics, {
      ...common,
      retryConfig: IDEMPOTENT_RETRIES,
      rejectRateLimitedCalls: true,
    }),
  };
}

/** The bot's clients from its Slack settings: every thread (Bolt's, the engine's, the look-ups') builds them so. */
export function slackWebFor(
  slack: { botToken: string; apiUrl?: string; timeoutMs?: number },
  logger: BoltLogger,
  metrics?: Metrics,
): SlackWeb {
  return createSlackWeb({
    token: slack.botToken,
    apiUrl: slack.apiUrl,
    timeoutMs: slack.timeoutMs,
    logger,
    metrics,
  });
}

/**
 * A WebClient that counts each call by method and outcome, and every 429 answer (also those it waits out and
 * retries itself). Every method (`chat.postMessage`…) goes through `apiCall`.
 */
class MeasuredWebClient extends WebClient {
  private readonly metrics: Metrics;

  constructor(token: string, metrics: Metrics, options: WebClientOptions) {
    super(token, options);
    this.metrics = metrics;
    this.on(WebClientEvent.RATE_LIMITED, (_retrySec: number, request: { url?: string }) =>
      metrics.slackRateLimited(request?.url?.split('/').at(-1) ?? ''),
    );
  }

  override async apiCall(method: string, options?: Record<string, unknown>): Promise<WebAPICallResult> {
    const started = performance.now();
    const measure = (outcome: string) =>
      this.metrics.slackCall(method, outcome, (performance.now() - started) / 1000);
    try {
      const result = await super.apiCall(method, options);
      measure('ok');
      return result;
    } catch (error) {
      measure(slackCallOutcome(error));
      throw error;
    }
  }
}

/** `ratelimited`, Slack's error code, or what kind of failure the SDK saw (`request_error`, `http_error`). */
function slackCallOutcome(error: unknown): string {
  const code = slackErrorCode(error);
  if (code) return slackOutcomeLabel(code);
  const sdkCode = (error as { code?: unknown } | undefined)?.code;
  return typeof sdkCode === 'string' && sdkCode.startsWith('slack_webapi_')
    ? slackOutcomeLabel(sdkCode.slice('slack_webapi_'.length))
    : 'error';
}

/** The Slack error code of a failed Web API call (`not_in_channel`, `ratelimited`, …), if it has one. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  if (typeof data?.error === 'string') return data.error;
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'slack_webapi_rate_limited_error' ? 'ratelimited' : undefined;
}

/** How long Slack asked to wait after a 429 (`retryAfter`, seconds), in ms; a second when it did not say. */
export function slackRetryAfterMs(error: unknown): number {
  return ((error as { retryAfter?: number }).retryAfter ?? 1) * 1000;
}

/** Slack's error codes that asking again will not change, by what they mean for the bot. */
const CODES_BY_MEANING = {
  /** The bot is not a member of the conversation. */
  notMember: ['not_in_channel'],
  /** The conversation is gone (deleted) or hidden from the bot. */
  channelGone: ['channel_not_found'],
  archived: ['is_archived'],
  /** A workspace policy keeps the bot from posting there. */
  restricted: ['restricted_action'],
  /** The "channel" is another bot's direct messages. */
  botDm: ['cannot_dm_bot'],
  /** No files in that conversation. */
  noFiles: ['not_allowed'],
  threadGone: ['thread_not_found'],
  /** The message to update is gone, or no longer the bot's to change. */
  messageGone: ['message_not_found', 'cant_update_message'],
  /** Slack will never take this message as it is. */
  invalidMessage: ['msg_too_long', 'invalid_blocks'],
  /** The token is revoked or its account deactivated. */
  tokenRevoked: ['account_inactive', 'token_revoked', 'invalid_auth'],
  /** No token, or one that expired. */
  tokenMissing: ['not_authed', 'token_expired'],
  /** The app may not read that conversation's messages. */
  cannotRead: ['missing_scope', 'not_allowed_token_type'],
} as const satisfies Record<string, readonly string[]>;

type Meaning = keyof typeof CODES_BY_MEANING;

/** Where the bot may not post at all (the person is told to invite the bot, or the post is given up). */
const NOT_HERE: readonly Meaning[] = ['notMember', 'channelGone', 'archived', 'restricted'];

/** For each kind of call, the meanings after which it cannot succeed there by trying again. */
const REFUSALS_BY_CALL = {
  /** A message a person asked for (an instance message, a digest, a watch's note): tell them. */
  post: [...NOT_HERE, 'botDm'],
  /** A file into a thread (a Timeline, a log). */
  upload: [...NOT_HERE, 'noFiles'],
  /** Following's posts (replies, alerts, logs; slack/outlet.ts): given up as undeliverable. */
  deliver: [...NOT_HERE, 'threadGone', 'invalidMessage', 'tokenRevoked'],
  /** conversations.history / replies, to find a post again. */
  read: ['cannotRead', 'notMember', 'channelGone', 'threadGone'],
  /** chat.update of a message: stop updating it. */
  update: ['messageGone', 'channelGone', 'archived'],
  /** auth.test: the token is wrong, not the network. */
  authenticate: ['tokenRevoked', 'tokenMissing'],
} as const satisfies Record<string, readonly Meaning[]>;

export type SlackCall = keyof typeof REFUSALS_BY_CALL;

const REFUSED = {} as Record<SlackCall, ReadonlySet<string>>;
for (const call of Object.keys(REFUSALS_BY_CALL) as SlackCall[]) {
  const meanings: readonly Meaning[] = REFUSALS_BY_CALL[call];
  REFUSED[call] = new Set(meanings.flatMap((meaning) => CODES_BY_MEANING[meaning]));
}

/** Slack's error code when `error` means `call` will not succeed there by trying again; undefined otherwise. */
export function refusedFor(call: SlackCall, error: unknown): string | undefined {
  const code = slackErrorCode(error);
  return code !== undefined && refuses(call, code) ? code : undefined;
}

/**
 * An upload that threw, as the person's answer: `refused` (with Slack's code) where it cannot succeed, else
 * `failed` and logged as `what` (a timeline, a log).
 */
export function uploadFailure(
  error: unknown,
  logger: Pick<Logger, 'warn'>,
  what: string,
  channel: string,
): { kind: 'refused'; error: string } | { kind: 'failed'; error: unknown } {
  const refused = refusedFor('upload', error);
  if (refused) return { kind: 'refused', error: refused };
  logger.warn({ slackError: slackErrorCode(error), channel }, `uploading ${what} failed`);
  return { kind: 'failed', error };
}

/** Whether Slack's error `code` means `call` will not succeed there by trying again (refusedFor, by code). */
export function refuses(call: SlackCall, code: string): boolean {
  return REFUSED[call].has(code);
}
