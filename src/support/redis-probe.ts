/**
 * Whether Redis answers, and has room, as a health check sees it. A connection's own status stays `ready` through
 * a network partition (the socket is open, nothing comes back), so the probe sends PING every few seconds with its
 * own timeout: Redis is reachable while a PING came back recently. It reads `INFO memory` with it: Redis is full
 * while `used_memory` has reached `maxmemory` (every write that grows the data is then refused), or since a
 * command was refused for it (`sawOutOfMemory`) until the next reading says otherwise.
 */
import type { RedisConnection } from '../redis/connection';
import { memoryOf } from '../redis/errors';

export class RedisProbe {
  private lastAnswer: number;
  private timer?: NodeJS.Timeout;
  private isFull = false;

  constructor(
    private readonly redis: Pick<RedisConnection, 'ping' | 'status'> & {
      info?: (section: string) => Promise<string>;
    },
    private readonly options: {
      everyMs?: number;
      timeoutMs?: number;
      staleMs?: number;
      clock?: () => number;
    } = {},
  ) {
    this.lastAnswer = this.clock();
  }

  private clock(): number {
    return (this.options.clock ?? Date.now)();
  }

  start(): this {
    const every = this.options.everyMs ?? 2_000;
    const tick = () => {
      void this.ping().finally(() => {
        if (!this.timer) return;
        this.timer = setTimeout(tick, every);
        this.timer.unref();
      });
    };
    this.timer = setTimeout(tick, 0);
    this.timer.unref();
    return this;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Redis has no room for what the bot writes (as of the last reading, or a refusal since). */
  full(): boolean {
    return this.isFull;
  }

  /** A command was refused for want of memory: full until a reading says otherwise. */
  sawOutOfMemory(): void {
    this.isFull = true;
  }

  /** Connected, and a PING answered within the last `staleMs` (default 5 s). */
  reachable(): boolean {
    return this.redis.status === 'ready' && this.clock() - this.lastAnswer < (this.options.staleMs ?? 5_000);
  }

  private async ping(): Promise<void> {
    if (this.redis.status !== 'ready') return;
    let timer: NodeJS.Timeout | undefined;
    const answered = await Promise.race([
      this.redis.ping().then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), this.options.timeoutMs ?? 1_500);
      }),
    ]);
    clearTimeout(timer);
    if (!answered) return;
    this.lastAnswer = this.clock();
    if (!this.redis.info) return;
    try {
      const { used, max } = memoryOf(await this.redis.info('memory'));
      this.isFull = max !== undefined && max > 0 && used !== undefined && used >= max;
    } catch {
      // A reading that failed says nothing either way.
    }
  }
}
