/** The Redis line: the bot's Redis answers, is new enough, and will not evict the bot's keys. */
import type { RedisSettings } from '../../redis/connection';
import { type Check, fail, ok } from './check';
import type { BotStore, RedisFacts } from './store';

export const REDIS = 'Redis';

/** The setting that names where Redis is. */
export function redisVariable(settings: RedisSettings): string {
  return { url: 'REDIS_URL', cluster: 'REDIS_CLUSTER_NODES', sentinel: 'REDIS_SENTINELS' }[settings.mode];
}

/** The line, and whether Redis answered at all (then what it holds can still be read). */
export async function checkRedis(
  store: BotStore,
  settings: RedisSettings,
): Promise<{ check: Check; answered: boolean }> {
  let facts: RedisFacts;
  try {
    facts = await store.facts();
  } catch (error) {
    const reason = (error as Error).message;
    const credentials = /WRONGPASS|NOAUTH|NOPERM|invalid password|AUTH/i.test(reason);
    const check = fail(
      REDIS,
      `${store.where} did not answer: ${reason}`,
      credentials
        ? 'Check REDIS_USERNAME and REDIS_PASSWORD (credentials in REDIS_URL win over them): the bot logs in with the same ones.'
        : `Check ${redisVariable(settings)} (and REDIS_TLS if the server expects TLS), and that Redis runs and is reachable from here: the bot keeps subscriptions, watches and its work there.`,
    );
    return { check, answered: false };
  }
  return { check: judge(store.where, facts), answered: true };
}

function judge(where: string, facts: RedisFacts): Check {
  const what = `${where} answers (Redis ${facts.version ?? '?'}, maxmemory-policy ${facts.policy ?? '?'})`;
  if (facts.version && olderThan(facts.version, [6, 2]))
    return fail(REDIS, `${what}: the bot needs Redis 6.2 or newer.`, 'Upgrade Redis to 6.2 or newer.');
  if (facts.policy && facts.policy !== 'noeviction')
    return fail(
      REDIS,
      `${what}: with this policy Redis may evict the bot's queue keys and reply markers under memory pressure.`,
      'Set maxmemory-policy to noeviction (redis.conf, or the managed service\'s parameters); README, "Running several processes".',
    );
  return ok(REDIS, what);
}

function olderThan(version: string, [major, minor]: [number, number]): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number);
  return a < major || (a === major && b < minor);
}
