/**
 * When to poll an instance next. Normal polls are jittered below the interval, never above it, so
 * DLF_POLL_INTERVAL_SECONDS stays the longest anyone waits to learn of an end. Errors back off (full jitter,
 * capped); throttling waits at least as long as DataArts asked.
 */

export interface PollSettings {
  intervalMs: number;
  /** A subscription older than this is retired with a note in its thread. */
  maxAgeMs: number;
  /** Backoff ceiling after repeated DataArts errors. */
  maxBackoffMs: number;
  /** chat.update budget shared by all processes (Slack's Tier 3 is 50+ a minute per app and workspace). */
  updatesPerMinute: number;
}

export function nextPollDelay(
  settings: PollSettings,
  situation: { errors?: number; retryAfterMs?: number },
  random: () => number = Math.random,
): number {
  const errors = situation.errors ?? 0;
  if (errors === 0 && situation.retryAfterMs === undefined) {
    // ±20% jitter would exceed the promise; 80–100% of the interval keeps polls apart without breaking it.
    return Math.round(settings.intervalMs * (0.8 + 0.2 * random()));
  }
  const cap = Math.min(settings.maxBackoffMs, settings.intervalMs * 2 ** Math.min(errors, 10));
  const backoff = Math.round(cap / 2 + (random() * cap) / 2);
  return Math.max(backoff, situation.retryAfterMs ?? 0);
}
