/**
 * Following as the bot builds it from its settings: the stores on the shared Redis connection (or in memory), the
 * engine (BullMQ on Redis, or timers), DataArts and the outlet to Slack it is given. The composition root and the
 * engine thread both build it here, so they cannot drift apart.
 */
import type { BotConfig } from '../config';
import type { DataArtsApi } from '../dataarts/api';
import type { Logger } from '../logger';
import { createLogExcerpts } from '../logs/config';
import type { Metrics } from '../metrics/metrics';
import type { RedisConnection } from '../redis/connection';
import { BullFollowEngine, TimerFollowEngine } from './engine';
import type { Outlet } from './outlet';
import { Following } from './service';
import { MemorySubscriptionStore, RedisSubscriptionStore } from './store';
import { MemoryWatchStore, RedisWatchStore } from './watch-store';

export function createFollowing(
  config: BotConfig,
  deps: { dataarts: DataArtsApi; outlet: Outlet; logger: Logger; redis?: RedisConnection; metrics?: Metrics },
): Following {
  const logger = deps.logger.child({ component: 'following' });
  return new Following({
    store: deps.redis ? new RedisSubscriptionStore(deps.redis) : new MemorySubscriptionStore(),
    watches: deps.redis ? new RedisWatchStore(deps.redis) : new MemoryWatchStore(),
    engine:
      config.redis && deps.redis
        ? new BullFollowEngine({ redis: config.redis, logger, lockMs: config.following.lockMs })
        : new TimerFollowEngine(logger),
    dataarts: deps.dataarts,
    outlet: deps.outlet,
    settings: config.following,
    logger,
    metrics: deps.metrics,
    ...(config.logs ? { logs: createLogExcerpts(config.logs, config.dataarts) } : {}),
    wakeable: config.notify !== undefined,
  });
}
