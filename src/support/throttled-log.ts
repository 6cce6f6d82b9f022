/**
 * A warning that repeats many times a second when something is down (every Redis reconnect attempt emits an
 * error on every connection) is logged the first time, then at most once per interval with how many were
 * skipped, so an outage leaves a readable log instead of a dozen lines a second.
 */
import type { Logger } from '../logger';

export function throttledWarn(
  logger: Logger,
  message: string,
  options: { intervalMs?: number; clock?: () => number } = {},
): (fields?: Record<string, unknown>) => void {
  const intervalMs = options.intervalMs ?? 30_000;
  const clock = options.clock ?? Date.now;
  let lastAt = Number.NEGATIVE_INFINITY;
  let skipped = 0;
  return (fields = {}) => {
    const now = clock();
    if (now - lastAt < intervalMs) {
      skipped += 1;
      return;
    }
    logger.warn({ ...fields, ...(skipped > 0 ? { repeated: skipped } : {}) }, message);
    lastAt = now;
    skipped = 0;
  };
}
