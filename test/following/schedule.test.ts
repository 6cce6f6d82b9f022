import { nextPollDelay, type PollSettings } from '../../src/following/schedule';
import { mulberry32 } from '../../src/support/random';

const settings: PollSettings = {
  intervalMs: 30_000,
  maxAgeMs: 1,
  maxBackoffMs: 300_000,
  updatesPerMinute: 45,
};
const many = (situation: Parameters<typeof nextPollDelay>[1]) => {
  const random = mulberry32(7);
  return Array.from({ length: 2_000 }, () => nextPollDelay(settings, situation, random));
};

test('a normal poll comes at 80–100% of the interval, never later', () => {
  const delays = many({});
  expect(Math.min(...delays)).toBeGreaterThanOrEqual(24_000);
  expect(Math.max(...delays)).toBeLessThanOrEqual(30_000);
  expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(5_000);
});

test('errors back off exponentially with jitter, up to the ceiling', () => {
  const after = (errors: number) => many({ errors });
  expect(Math.min(...after(1))).toBeGreaterThanOrEqual(30_000);
  expect(Math.max(...after(1))).toBeLessThanOrEqual(60_000);
  expect(Math.min(...after(3))).toBeGreaterThanOrEqual(120_000);
  expect(Math.max(...after(30))).toBeLessThanOrEqual(300_000);
  expect(Math.min(...after(30))).toBeGreaterThanOrEqual(150_000);
});

test('Retry-After is a floor: a throttled poll never comes back sooner than asked', () => {
  expect(Math.min(...many({ retryAfterMs: 60_000 }))).toBeGreaterThanOrEqual(60_000);
  expect(Math.min(...many({ retryAfterMs: 600_000, errors: 2 }))).toBeGreaterThanOrEqual(600_000);
  // A short Retry-After does not shorten the backoff of repeated errors.
  expect(Math.min(...many({ retryAfterMs: 1_000, errors: 2 }))).toBeGreaterThanOrEqual(60_000);
});
