/**
 * The doctor's Slack Web API calls: a WebClient like the bot's (SLACK_API_URL, the timeout, undici's fetch) that
 * never retries and also hands back what the SDK does not: the answer's `Date` header (the clock check) and the
 * token's scopes (`x-oauth-scopes`, which the SDK puts in response_metadata.scopes).
 */
import {
  type FetchFunction,
  type Logger,
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
} from '@slack/web-api';
import { slackFetch } from '../../slack/fetch';
import type { SlackTarget } from './settings';

export interface SlackAnswer {
  ok: boolean;
  /** Slack's error code (`invalid_auth`, `missing_scope`, …) when not ok. */
  error?: string;
  body: Record<string, unknown>;
  /** The token's scopes, when the answer said (`x-oauth-scopes`). */
  scopes?: string[];
  /** Slack's clock minus ours (ms), from the answer's `Date`, when it had one. */
  clockOffsetMs?: number;
}

export interface SlackApi {
  /** Slack's answer, ok or not; rejects with SlackUnreachable when there was none. */
  call(method: string, args?: Record<string, unknown>): Promise<SlackAnswer>;
}

/** No answer from Slack's Web API (network, timeout, an HTTP error page). */
export class SlackUnreachable extends Error {}

const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

export function createSlackApi(target: SlackTarget, now: () => number = Date.now): SlackApi {
  const base = slackFetch() as unknown as FetchFunction;
  let lastDate: string | null = null;
  const fetch: FetchFunction = async (url, init) => {
    const response = await base(url, init);
    lastDate = response.headers.get('date');
    return response;
  };
  const client = new WebClient(target.token, {
    slackApiUrl: target.apiUrl,
    fetch,
    logger: silent,
    timeout: target.timeoutMs,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  return {
    async call(method, args = {}) {
      lastDate = null;
      const sentAt = now();
      const settle = (answer: Omit<SlackAnswer, 'clockOffsetMs'>): SlackAnswer => {
        const receivedAt = now();
        const date = lastDate ? Date.parse(lastDate) : Number.NaN;
        // The Date has whole seconds, read somewhere between our sending and our receiving.
        return Number.isNaN(date)
          ? answer
          : { ...answer, clockOffsetMs: Math.round(date + 500 - (sentAt + receivedAt) / 2) };
      };
      try {
        const result = await client.apiCall(method, args);
        const body = result as unknown as Record<string, unknown>;
        return settle({ ok: true, body, scopes: result.response_metadata?.scopes });
      } catch (error) {
        if (error instanceof WebAPIPlatformError) {
          const body = error.data as unknown as Record<string, unknown>;
          return settle({ ok: false, error: String(body.error ?? 'unknown_error'), body });
        }
        if (error instanceof WebAPIRateLimitedError)
          return settle({ ok: false, error: 'ratelimited', body: { retryAfter: error.retryAfter } });
        if (error instanceof WebAPIHTTPError)
          throw new SlackUnreachable(`Slack answered HTTP ${error.statusCode}`);
        if (error instanceof WebAPIRequestError) {
          const original = error.original as Error & { code?: string; cause?: { code?: string } };
          const code = original.cause?.code ?? original.code;
          throw new SlackUnreachable(`${original.message}${code ? ` (${code})` : ''}`);
        }
        throw new SlackUnreachable((error as Error).message);
      }
    },
  };
}
