/** When and how long to wait before trying a DataArts request again. Pure, so it is easy to test. */
import { type DataArtsError, ThrottledError, UnavailableError } from './errors';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the caller gets ThrottledError at once. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
};

/**
 * GETs are retried on network errors, timeouts, 5xx and throttling. POSTs change things, so they are retried
 * only where the gateway certainly did not run them: throttled (429), or the connection was refused.
 */
export function isRetryable(error: unknown, method: string): boolean {
  if (error instanceof ThrottledError) return true;
  if (!(error instanceof UnavailableError)) return false;
  if (method === 'GET') return true;
  return (
    error.reason === 'network' && (error.cause as { code?: string } | undefined)?.code === 'ECONNREFUSED'
  );
}

/**
 * Delay before attempt number `attempt + 1` (attempt counts from 1), or undefined to give up.
 * Full jitter (random between 0 and the exponential cap); a Retry-After is honoured as a floor.
 */
export function retryDelayMs(
  error: DataArtsError,
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | undefined {
  if (attempt >= policy.maxAttempts) return undefined;
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jitter = Math.floor(random() * cap);
  if (error instanceof ThrottledError && error.retryAfterMs !== undefined) {
    if (error.retryAfterMs > policy.maxRetryAfterMs) return undefined;
    return error.retryAfterMs + Math.floor(random() * policy.baseDelayMs);
  }
  return jitter;
}

/** `Retry-After` as seconds or an HTTP date, in ms from `now`. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
