/**
 * The Redis the bot uses, read the way the bot reads it: one connection built by src/redis/connection.ts from the
 * same settings, the watch and digest stores on it. Only reads; the connection is closed at the end.
 */
import { RedisDigestStore } from '../../digest/store';
import { RedisWatchStore } from '../../following/watch-store';
import { connectRedis, describeRedis, type RedisSettings } from '../../redis/connection';

/** A channel that holds something the bot will post into. */
export interface ChannelHolding {
  channel: string;
  watches: number;
  digest: boolean;
}

export interface RedisFacts {
  version?: string;
  /** maxmemory-policy */
  policy?: string;
}

export interface BotStore {
  /** Where, without credentials (describeRedis). */
  readonly where: string;
  /** Version and eviction policy; rejects (with the connection's own reason) when Redis does not answer. */
  facts(): Promise<RedisFacts>;
  holdings(): Promise<ChannelHolding[]>;
  close(): void;
}

export function openBotStore(settings: RedisSettings, timeoutMs = 5_000): BotStore {
  // No command waits for a reconnection: a Redis that does not answer fails the command at once.
  const redis = connectRedis(settings, { maxRetriesPerRequest: 0 });
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => {
    lastError = error;
  });
  const timed = async <T>(work: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    try {
      return await Promise.race([work, timeout]);
    } catch (error) {
      // "Reached the max retries per request limit" says less than why the connection failed.
      throw lastError ?? error;
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    where: describeRedis(settings),
    async facts() {
      const info = await timed(redis.info());
      const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
      return { version: field('redis_version'), policy: field('maxmemory_policy') };
    },
    async holdings() {
      const watches = new RedisWatchStore(redis);
      const digests = new RedisDigestStore(redis);
      return timed(
        (async () => {
          const held = new Map<string, ChannelHolding>();
          const entry = (channel: string) => {
            const known = held.get(channel) ?? { channel, watches: 0, digest: false };
            held.set(channel, known);
            return known;
          };
          for (const channel of await watches.channels())
            entry(channel).watches = (await watches.inChannel(channel)).length;
          for (const setting of await digests.all()) entry(setting.channel).digest = true;
          return [...held.values()]
            .filter((holding) => holding.watches > 0 || holding.digest)
            .sort((a, b) => a.channel.localeCompare(b.channel));
        })(),
      );
    },
    close() {
      redis.disconnect();
    },
  };
}
