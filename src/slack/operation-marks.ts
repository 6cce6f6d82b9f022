/**
 * What makes each write to DataArts happen once, whoever presses and however often: a mark per (action, instance,
 * run) claimed atomically before the write (SET NX with a TTL), so a double click, a Slack retry or two bot
 * processes make one call; and the requests a command asked to confirm, kept server-side and taken once, so a
 * confirmation button carries only a random token. In Redis (shared by every process), or in this process's memory.
 */
import type { RedisConnection } from '../redis/connection';

export interface OperationMarks {
  /** Claims `key` for `ttlSeconds`: true, or the holder that claimed it first. */
  claim(key: string, holder: string, ttlSeconds: number): Promise<true | string>;
  /** The write surely did not happen: the next press may try again. */
  release(key: string): Promise<void>;
  /** The write's outcome is unknown: the claim is kept only this much longer. */
  shorten(key: string, ttlSeconds: number): Promise<void>;
  /** Keeps a request to confirm under a token. */
  putPending(token: string, request: string, ttlSeconds: number): Promise<void>;
  /** The request, once: a second take of the same token gets nothing. */
  takePending(token: string): Promise<string | undefined>;
}

export class RedisOperationMarks implements OperationMarks {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix = '{dlfbot}',
  ) {}

  private mark(key: string): string {
    return `${this.prefix}:op:${key}`;
  }

  private pending(token: string): string {
    return `${this.prefix}:op-pending:${token}`;
  }

  async claim(key: string, holder: string, ttlSeconds: number): Promise<true | string> {
    const set = await this.redis.set(this.mark(key), holder, 'EX', ttlSeconds, 'NX');
    if (set === 'OK') return true;
    return (await this.redis.get(this.mark(key))) ?? '';
  }

  async release(key: string): Promise<void> {
    await this.redis.del(this.mark(key));
  }

  async shorten(key: string, ttlSeconds: number): Promise<void> {
    await this.redis.expire(this.mark(key), ttlSeconds);
  }

  async putPending(token: string, request: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.pending(token), request, 'EX', ttlSeconds);
  }

  async takePending(token: string): Promise<string | undefined> {
    return (await this.redis.getdel(this.pending(token))) ?? undefined;
  }
}

/** One process: the local default without REDIS_URL. */
export class MemoryOperationMarks implements OperationMarks {
  private readonly marks = new Map<string, { holder: string; until: number }>();
  private readonly pendings = new Map<string, { request: string; until: number }>();

  constructor(private readonly clock: () => number = Date.now) {}

  private sweep(): void {
    const now = this.clock();
    for (const [key, mark] of this.marks) if (mark.until <= now) this.marks.delete(key);
    for (const [key, pending] of this.pendings) if (pending.until <= now) this.pendings.delete(key);
  }

  async claim(key: string, holder: string, ttlSeconds: number): Promise<true | string> {
    this.sweep();
    const held = this.marks.get(key);
    if (held) return held.holder;
    this.marks.set(key, { holder, until: this.clock() + ttlSeconds * 1000 });
    return true;
  }

  async release(key: string): Promise<void> {
    this.marks.delete(key);
  }

  async shorten(key: string, ttlSeconds: number): Promise<void> {
    const held = this.marks.get(key);
    if (held) held.until = Math.min(held.until, this.clock() + ttlSeconds * 1000);
  }

  async putPending(token: string, request: string, ttlSeconds: number): Promise<void> {
    this.sweep();
    this.pendings.set(token, { request, until: this.clock() + ttlSeconds * 1000 });
  }

  async takePending(token: string): Promise<string | undefined> {
    this.sweep();
    const pending = this.pendings.get(token);
    this.pendings.delete(token);
    return pending?.request;
  }
}
