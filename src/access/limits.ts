/**
 * Fair share: how much one person or one channel may ask of the bot, so nobody spends the DataArts quota and the
 * channels the whole company shares. Rates (look-ups per person and per channel, writes per person) are sliding
 * windows of a minute kept in Redis when it is set (one Lua script checks and counts every window of a request at
 * once, so all processes share them and a refused request counts nowhere), in this process's memory otherwise.
 * Counts (watches per channel, channels watching every job per person, digests per person) are decided here from
 * what the stores hold. Decisions are values with a reason; the sentences are written by the Slack side.
 */
import type { RedisConnection } from '../redis/connection';

export interface LimitSettings {
  /** DLF_LIMIT_LOOKUPS_PER_USER_PER_MINUTE */
  lookUpsPerUserPerMinute: number;
  /** DLF_LIMIT_LOOKUPS_PER_CHANNEL_PER_MINUTE */
  lookUpsPerChannelPerMinute: number;
  /** DLF_LIMIT_WRITES_PER_USER_PER_MINUTE: stop, rerun and run now. */
  writesPerUserPerMinute: number;
  /** DLF_LIMIT_WATCHES_PER_CHANNEL */
  watchesPerChannel: number;
  /** DLF_LIMIT_WATCH_ALL_CHANNELS_PER_USER: channels where one person watches every job (`*`). */
  watchAllChannelsPerUser: number;
  /** DLF_LIMIT_DIGESTS_PER_USER: channels where one person set the daily digest. */
  digestsPerUser: number;
}

export const DEFAULT_LIMITS: LimitSettings = {
  lookUpsPerUserPerMinute: 20,
  lookUpsPerChannelPerMinute: 60,
  writesPerUserPerMinute: 5,
  watchesPerChannel: 50,
  watchAllChannelsPerUser: 10,
  digestsPerUser: 10,
};

/** The setting behind each limit (what an admin raises). */
export const LIMIT_SETTINGS: Record<keyof LimitSettings, string> = {
  lookUpsPerUserPerMinute: 'DLF_LIMIT_LOOKUPS_PER_USER_PER_MINUTE',
  lookUpsPerChannelPerMinute: 'DLF_LIMIT_LOOKUPS_PER_CHANNEL_PER_MINUTE',
  writesPerUserPerMinute: 'DLF_LIMIT_WRITES_PER_USER_PER_MINUTE',
  watchesPerChannel: 'DLF_LIMIT_WATCHES_PER_CHANNEL',
  watchAllChannelsPerUser: 'DLF_LIMIT_WATCH_ALL_CHANNELS_PER_USER',
  digestsPerUser: 'DLF_LIMIT_DIGESTS_PER_USER',
};

/** The fixed words `/metrics` counts refusals by (dlfbot_refusals_total{reason}). */
export const REFUSAL_REASONS = {
  lookUpsPerUserPerMinute: 'lookups_per_person',
  lookUpsPerChannelPerMinute: 'lookups_per_channel',
  writesPerUserPerMinute: 'writes_per_person',
  watchesPerChannel: 'watches_per_channel',
  watchAllChannelsPerUser: 'watch_all_per_person',
  digestsPerUser: 'digests_per_person',
} as const satisfies Record<keyof LimitSettings, string>;

export type LimitName = keyof LimitSettings;

export interface LimitReached {
  limit: LimitName;
  /** The limit's value. */
  allowed: number;
  /** When a place frees up (ms since the epoch); absent for counts, which free up when one is removed. */
  freeAt?: number;
}

export const WINDOW_MS = 60_000;

/** One sliding window to count a request in: `key` names whose (a person, a channel), `limit` how many a minute. */
export interface Window {
  key: string;
  limit: number;
}

/** Sliding windows of a minute: every window counts the request, or (one is full) none does. */
export interface RateWindows {
  /** undefined: counted in each; otherwise the first full window's index and when it has room again. */
  take(windows: Window[], now: number): Promise<{ full: number; freeAt: number } | undefined>;
}

/**
 * KEYS: the windows (sorted sets of request times); ARGV: now, window ms, a unique member, then each key's
 * limit. Returns {} when counted, or {index (1-based), oldest time in that window}.
 */
const TAKE_SCRIPT = `
local now = tonumber(ARGV[1])
local width = tonumber(ARGV[2])
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - width)
  if redis.call('ZCARD', key) >= tonumber(ARGV[3 + i]) then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    return {i, oldest[2] or tostring(now)}
  end
end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[3])
  redis.call('PEXPIRE', key, width)
end
return {}
`;

type ScriptedRedis = RedisConnection & {
  dlfTakeWindows(...args: (string | number)[]): Promise<[number, string] | []>;
};

export class RedisRateWindows implements RateWindows {
  private readonly redis: ScriptedRedis;
  private sequence = 0;

  constructor(
    redis: RedisConnection,
    private readonly prefix = '{dlfbot}',
  ) {
    redis.defineCommand('dlfTakeWindows', { lua: TAKE_SCRIPT });
    this.redis = redis as ScriptedRedis;
  }

  async take(windows: Window[], now: number): Promise<{ full: number; freeAt: number } | undefined> {
    if (windows.length === 0) return undefined;
    const member = `${now}:${process.pid}:${this.sequence++}:${Math.random().toString(36).slice(2, 8)}`;
    const answer = await this.redis.dlfTakeWindows(
      windows.length,
      ...windows.map((window) => `${this.prefix}:limit:${window.key}`),
      now,
      WINDOW_MS,
      member,
      ...windows.map((window) => window.limit),
    );
    if (answer.length === 0) return undefined;
    return { full: Number(answer[0]) - 1, freeAt: Number(answer[1]) + WINDOW_MS };
  }
}

/** One process: the default without Redis. */
export class MemoryRateWindows implements RateWindows {
  private readonly times = new Map<string, number[]>();

  async take(windows: Window[], now: number): Promise<{ full: number; freeAt: number } | undefined> {
    const within = windows.map((window) => {
      const kept = (this.times.get(window.key) ?? []).filter((at) => at > now - WINDOW_MS);
      this.times.set(window.key, kept);
      return kept;
    });
    const full = windows.findIndex((window, i) => within[i]!.length >= window.limit);
    if (full >= 0) return { full, freeAt: within[full]![0]! + WINDOW_MS };
    for (const kept of within) kept.push(now);
    // Windows nobody used for a minute are forgotten.
    if (this.times.size > 10_000)
      for (const [key, kept] of this.times)
        if (kept.every((at) => at <= now - WINDOW_MS)) this.times.delete(key);
    return undefined;
  }
}

/** A job pattern that matches every job: `*`, `**`, … */
export function matchesEveryJob(pattern: string): boolean {
  return /^\*+$/.test(pattern);
}

/**
 * The rate limits: each request counted against its windows, a refusal reported to `refused` (the metric). When
 * the windows cannot be read (Redis down or full) the request goes ahead, told to `unavailable`: a limit is a
 * courtesy to others, and a look-up must not fail because the store did.
 */
export class FairShare {
  constructor(
    readonly settings: LimitSettings,
    private readonly windows: RateWindows,
    private readonly clock: () => number = Date.now,
    private readonly refused: (reason: string) => void = () => undefined,
    private readonly unavailable: (error: unknown) => void = () => undefined,
  ) {}

  /** A look-up (DataArts read, a post) by `user`, in `channel` when there is one. */
  lookUp(user: string, channel?: string): Promise<LimitReached | undefined> {
    const limits: LimitName[] = ['lookUpsPerUserPerMinute'];
    const windows: Window[] = [{ key: `lookups:u:${user}`, limit: this.settings.lookUpsPerUserPerMinute }];
    if (channel) {
      limits.push('lookUpsPerChannelPerMinute');
      windows.push({ key: `lookups:c:${channel}`, limit: this.settings.lookUpsPerChannelPerMinute });
    }
    return this.take(limits, windows);
  }

  /** A write to DataArts (stop, rerun, run now) by `user`. */
  write(user: string): Promise<LimitReached | undefined> {
    return this.take(
      ['writesPerUserPerMinute'],
      [{ key: `writes:u:${user}`, limit: this.settings.writesPerUserPerMinute }],
    );
  }

  /** A count limit: `count` already there (not counting the one asked for). */
  count(limit: 'watchesPerChannel' | 'watchAllChannelsPerUser' | 'digestsPerUser', count: number) {
    if (count < this.settings[limit]) return undefined;
    this.refused(REFUSAL_REASONS[limit]);
    return { limit, allowed: this.settings[limit] } satisfies LimitReached;
  }

  private async take(limits: LimitName[], windows: Window[]): Promise<LimitReached | undefined> {
    let full: { full: number; freeAt: number } | undefined;
    try {
      full = await this.windows.take(windows, this.clock());
    } catch (error) {
      this.unavailable(error);
      return undefined;
    }
    if (!full) return undefined;
    const limit = limits[full.full]!;
    this.refused(REFUSAL_REASONS[limit]);
    return { limit, allowed: this.settings[limit], freeAt: full.freeAt };
  }
}
