import { ThrottledError, UnavailableError } from '../../src/dataarts/errors';
import { DEFAULT_RETRY_POLICY, isRetryable, parseRetryAfter, retryDelayMs } from '../../src/dataarts/retry';

const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 };

describe('retry policy', () => {
  test('GETs retry on network errors, timeouts, 5xx and throttling; POSTs only when surely not executed', () => {
    const timeout = new UnavailableError('timeout');
    const serverError = new UnavailableError('server-error', { httpStatus: 500 });
    const refused = new UnavailableError('network', { cause: { code: 'ECONNREFUSED' } });
    const reset = new UnavailableError('network', { cause: { code: 'ECONNRESET' } });
    const throttled = new ThrottledError(1000);
    for (const error of [timeout, serverError, refused, reset, throttled])
      expect(isRetryable(error, 'GET')).toBe(true);
    expect(isRetryable(throttled, 'POST')).toBe(true);
    expect(isRetryable(refused, 'POST')).toBe(true);
    expect(isRetryable(timeout, 'POST')).toBe(false);
    expect(isRetryable(serverError, 'POST')).toBe(false);
    expect(isRetryable(reset, 'POST')).toBe(false);
    expect(isRetryable(new Error('x'), 'GET')).toBe(false);
  });

  test('full jitter below an exponential cap, then give up', () => {
    const error = new UnavailableError('timeout');
    expect(retryDelayMs(error, 1, policy, () => 0.999)).toBe(99);
    expect(retryDelayMs(error, 2, policy, () => 0.999)).toBe(199);
    expect(retryDelayMs(error, 3, policy, () => 0.5)).toBe(200);
    expect(retryDelayMs(error, 1, policy, () => 0)).toBe(0);
    expect(retryDelayMs(error, 4, policy, () => 0.5)).toBeUndefined();
    expect(retryDelayMs(error, 9, { ...policy, maxAttempts: 20 }, () => 0.999)).toBe(999);
  });

  test('Retry-After is honoured as a floor, and a very long one is not waited for', () => {
    expect(retryDelayMs(new ThrottledError(2000), 1, policy, () => 0.5)).toBe(2050);
    expect(retryDelayMs(new ThrottledError(60_000), 1, policy, () => 0.5)).toBeUndefined();
  });

  test('Retry-After in seconds or as a date', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter('1.5', 0)).toBe(1500);
    expect(
      parseRetryAfter('Wed, 21 Oct 2026 07:28:05 GMT', Date.parse('Wed, 21 Oct 2026 07:28:00 GMT')),
    ).toBe(5000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
  });
});
