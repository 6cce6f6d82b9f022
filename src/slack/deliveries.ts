/**
 * Slack re-delivers a request it thinks went unanswered, with `X-Slack-Retry-Num` (over Socket Mode, an
 * envelope's `retry_attempt`), to whichever process it reaches. Handled twice, a `/dlf-instance subscribe` would post a second message and follow it too (a second
 * thread reply at the end). So every delivery's identity (an event's `event_id`, a command's or interaction's
 * `trigger_id`) is noted for ten minutes, in Redis when there is one so every process shares it, and a retry of
 * a delivery already noted is acknowledged and dropped. A retry of one never noted is handled: its first
 * delivery may never have arrived.
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../logger';
import type { RedisConnection } from '../redis/connection';

/** Slack's retries come within minutes (immediately, ~1 min, ~5 min); ten covers them. */
const REMEMBER_SECONDS = 600;

export interface DeliveryLog {
  /** Notes a delivery (or anything done once a while, keyed by `id`): true the first time within `seconds`. */
  note(id: string, seconds?: number): Promise<boolean>;
}

export class RedisDeliveryLog implements DeliveryLog {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix = '{dlfbot}',
  ) {}

  async note(id: string, seconds = REMEMBER_SECONDS): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}:delivery:${id}`, '1', 'EX', seconds, 'NX')) === 'OK';
  }
}

/** One process: the local default without REDIS_URL. */
export class MemoryDeliveryLog implements DeliveryLog {
  private readonly seen = new Map<string, number>();

  constructor(private readonly clock: () => number = Date.now) {}

  async note(id: string, seconds = REMEMBER_SECONDS): Promise<boolean> {
    const now = this.clock();
    if (this.seen.size > 10_000)
      for (const [key, until] of this.seen) if (until <= now) this.seen.delete(key);
    const until = this.seen.get(id);
    if (until !== undefined && until > now) return false;
    this.seen.set(id, now + seconds * 1000);
    return true;
  }
}

/** What names one delivery: the same in every retry of it, different for every new request. */
export function deliveryId(body: unknown): string | undefined {
  const fields = (body ?? {}) as { event_id?: unknown; trigger_id?: unknown };
  if (typeof fields.event_id === 'string' && fields.event_id) return `event:${fields.event_id}`;
  if (typeof fields.trigger_id === 'string' && fields.trigger_id) return `trigger:${fields.trigger_id}`;
  return undefined;
}

/** Global middleware: drops a retried delivery that was already handled (after acknowledging it). */
export function dropRepeatedDeliveries(log: DeliveryLog, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { body, context, next } = args;
    const id = deliveryId(body);
    if (!id) return next();
    // Over HTTP a first delivery has no retry number; over Socket Mode it has retry_attempt 0.
    if (!context.retryNum) {
      // A first delivery: noted without waiting, so the acknowledgement never waits on Redis.
      log
        .note(id)
        .catch((error: unknown) =>
          logger.warn({ err: (error as Error).message }, 'could not note a Slack delivery'),
        );
      return next();
    }
    // A retry: handled unless its first delivery was (if Redis cannot tell within a second, handled: a lost
    // request is worse than a repeated one).
    let timer: NodeJS.Timeout | undefined;
    const first = await Promise.race([
      log.note(id).catch(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), 1_000);
      }),
    ]);
    clearTimeout(timer);
    if (first) return next();
    logger.info(
      { retryNum: context.retryNum, retryReason: context.retryReason },
      'Slack re-delivered a request already handled; acknowledged and dropped',
    );
    const ack = (args as { ack?: () => Promise<void> }).ack;
    if (ack) await ack();
  };
}
