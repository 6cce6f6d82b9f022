/**
 * Where subscriptions, the last seen state of each followed instance and the notification markers live.
 * Redis in production (survives restarts, shared by every bot process); memory for a single local process.
 * Markers make each thread reply happen once: `inflight` while a post may be under way, `done` after.
 */
import type Redis from 'ioredis';
import { instanceKey, messageKey, type Subscription } from './model';

export interface InstanceState {
  /** Status text last seen, and a signature of what the message shows, to update only on change. */
  status?: string;
  signature?: string;
  errors?: number;
  /** When the first subscription was made: the maximum age counts from here. */
  since?: number;
}

export type Marker = { state: 'inflight'; at: number } | { state: 'done'; ts: string };

export interface SubscriptionStore {
  readonly durable: boolean;
  add(subscription: Subscription): Promise<boolean>;
  remove(channel: string, ts: string): Promise<Subscription | undefined>;
  byMessage(channel: string, ts: string): Promise<Subscription | undefined>;
  byInstance(key: string): Promise<Subscription[]>;
  byChannel(channel: string): Promise<Subscription[]>;
  byUser(user: string): Promise<Subscription[]>;
  /** Every followed instance (for the watchdog and for start-up). */
  instances(): Promise<string[]>;
  state(key: string): Promise<InstanceState>;
  setState(key: string, state: InstanceState): Promise<void>;
  /** Forgets an instance and every subscription to it. */
  forget(key: string): Promise<void>;
  marker(key: string): Promise<Marker | undefined>;
  /** Claims a marker for posting: true if it was absent, or `inflight` since before `staleBefore`. */
  claim(key: string, now: number, staleBefore: number): Promise<boolean>;
  markDone(key: string, ts: string): Promise<void>;
  release(key: string): Promise<void>;
  /**
   * Takes one chat.update from a budget shared by every process (Slack's Tier 3 is per app and workspace):
   * false when this minute's budget is spent.
   */
  takeUpdateBudget(now: number, perMinute: number): Promise<boolean>;
  close(): Promise<void>;
}

const MARKER_TTL_SECONDS = 30 * 86_400;

function encode(subscription: Subscription): string {
  return JSON.stringify(subscription);
}

export class RedisSubscriptionStore implements SubscriptionStore {
  readonly durable = true;
  constructor(
    private readonly redis: Redis,
    private readonly prefix = '{dlfbot}',
  ) {
    redis.defineCommand('dlfClaim', {
      numberOfKeys: 1,
      lua: `local v = redis.call('GET', KEYS[1])
if (not v) or (string.sub(v, 1, 9) == 'inflight:' and tonumber(string.sub(v, 10)) < tonumber(ARGV[2])) then
  redis.call('SET', KEYS[1], 'inflight:' .. ARGV[1], 'EX', ARGV[3])
  return 1
end
return 0`,
    });
  }

  private k(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  async add(s: Subscription): Promise<boolean> {
    const key = instanceKey(s);
    const message = messageKey(s.channel, s.ts);
    const [[, added]] = (await this.redis
      .multi()
      .hsetnx(this.k('sub'), message, encode(s))
      .sadd(this.k('subs', key), message)
      .sadd(this.k('chan', s.channel), message)
      .sadd(this.k('user', s.user), message)
      .sadd(this.k('instances'), key)
      .hsetnx(this.k('state', key), 'since', String(s.createdAt))
      .exec()) as [[Error | null, number]];
    return added === 1;
  }

  async remove(channel: string, ts: string): Promise<Subscription | undefined> {
    const existing = await this.byMessage(channel, ts);
    if (!existing) return undefined;
    const message = messageKey(channel, ts);
    await this.redis
      .multi()
      .hdel(this.k('sub'), message)
      .srem(this.k('subs', instanceKey(existing)), message)
      .srem(this.k('chan', channel), message)
      .srem(this.k('user', existing.user), message)
      .exec();
    return existing;
  }

  async byMessage(channel: string, ts: string): Promise<Subscription | undefined> {
    const raw = await this.redis.hget(this.k('sub'), messageKey(channel, ts));
    return raw ? (JSON.parse(raw) as Subscription) : undefined;
  }

  private async load(setKey: string): Promise<Subscription[]> {
    const messages = await this.redis.smembers(setKey);
    if (messages.length === 0) return [];
    const raws = await this.redis.hmget(this.k('sub'), ...messages);
    return raws.filter((raw): raw is string => raw !== null).map((raw) => JSON.parse(raw) as Subscription);
  }

  byInstance(key: string): Promise<Subscription[]> {
    return this.load(this.k('subs', key));
  }

  byChannel(channel: string): Promise<Subscription[]> {
    return this.load(this.k('chan', channel));
  }

  byUser(user: string): Promise<Subscription[]> {
    return this.load(this.k('user', user));
  }

  instances(): Promise<string[]> {
    return this.redis.smembers(this.k('instances'));
  }

  async state(key: string): Promise<InstanceState> {
    const raw = await this.redis.hgetall(this.k('state', key));
    return {
      status: raw.status,
      signature: raw.signature,
      errors: raw.errors ? Number(raw.errors) : undefined,
      since: raw.since ? Number(raw.since) : undefined,
    };
  }

  async setState(key: string, state: InstanceState): Promise<void> {
    const fields = Object.entries(state)
      .filter(([, value]) => value !== undefined)
      .flatMap(([name, value]) => [name, String(value)]);
    if (fields.length > 0) await this.redis.hset(this.k('state', key), ...fields);
  }

  async forget(key: string): Promise<void> {
    const subscriptions = await this.byInstance(key);
    const multi = this.redis.multi();
    for (const s of subscriptions) {
      const message = messageKey(s.channel, s.ts);
      multi
        .hdel(this.k('sub'), message)
        .srem(this.k('chan', s.channel), message)
        .srem(this.k('user', s.user), message);
    }
    await multi.del(this.k('subs', key), this.k('state', key)).srem(this.k('instances'), key).exec();
  }

  async marker(key: string): Promise<Marker | undefined> {
    return parseMarker(await this.redis.get(this.k('notified', key)));
  }

  async claim(key: string, now: number, staleBefore: number): Promise<boolean> {
    const claimed = await (
      this.redis as unknown as {
        dlfClaim(key: string, now: number, staleBefore: number, ttl: number): Promise<number>;
      }
    ).dlfClaim(this.k('notified', key), now, staleBefore, MARKER_TTL_SECONDS);
    return claimed === 1;
  }

  async markDone(key: string, ts: string): Promise<void> {
    await this.redis.set(this.k('notified', key), `done:${ts}`, 'EX', MARKER_TTL_SECONDS);
  }

  async release(key: string): Promise<void> {
    await this.redis.del(this.k('notified', key));
  }

  async takeUpdateBudget(now: number, perMinute: number): Promise<boolean> {
    const window = this.k('update-budget', String(Math.floor(now / 60_000)));
    const [[, used]] = (await this.redis.multi().incr(window).expire(window, 120).exec()) as [
      [Error | null, number],
    ];
    return used <= perMinute;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}

function parseMarker(raw: string | null | undefined): Marker | undefined {
  if (!raw) return undefined;
  if (raw.startsWith('done:')) return { state: 'done', ts: raw.slice(5) };
  if (raw.startsWith('inflight:')) return { state: 'inflight', at: Number(raw.slice(9)) };
  return undefined;
}

/** One process, nothing survives a restart: the local default without REDIS_URL. */
export class MemorySubscriptionStore implements SubscriptionStore {
  readonly durable = false;
  private readonly subs = new Map<string, Subscription>();
  private readonly states = new Map<string, InstanceState>();
  private readonly markers = new Map<string, string>();

  async add(s: Subscription): Promise<boolean> {
    const message = messageKey(s.channel, s.ts);
    if (this.subs.has(message)) return false;
    this.subs.set(message, s);
    const key = instanceKey(s);
    this.states.set(key, { since: s.createdAt, ...this.states.get(key) });
    return true;
  }

  async remove(channel: string, ts: string): Promise<Subscription | undefined> {
    const existing = this.subs.get(messageKey(channel, ts));
    this.subs.delete(messageKey(channel, ts));
    return existing;
  }

  async byMessage(channel: string, ts: string): Promise<Subscription | undefined> {
    return this.subs.get(messageKey(channel, ts));
  }

  async byInstance(key: string): Promise<Subscription[]> {
    return [...this.subs.values()].filter((s) => instanceKey(s) === key);
  }

  async byChannel(channel: string): Promise<Subscription[]> {
    return [...this.subs.values()].filter((s) => s.channel === channel);
  }

  async byUser(user: string): Promise<Subscription[]> {
    return [...this.subs.values()].filter((s) => s.user === user);
  }

  async instances(): Promise<string[]> {
    return [...new Set([...this.subs.values()].map(instanceKey))];
  }

  async state(key: string): Promise<InstanceState> {
    return { ...this.states.get(key) };
  }

  async setState(key: string, state: InstanceState): Promise<void> {
    this.states.set(key, {
      ...this.states.get(key),
      ...Object.fromEntries(Object.entries(state).filter(([, v]) => v !== undefined)),
    });
  }

  async forget(key: string): Promise<void> {
    for (const [message, s] of this.subs) if (instanceKey(s) === key) this.subs.delete(message);
    this.states.delete(key);
  }

  async marker(key: string): Promise<Marker | undefined> {
    return parseMarker(this.markers.get(key));
  }

  async claim(key: string, now: number, staleBefore: number): Promise<boolean> {
    const current = parseMarker(this.markers.get(key));
    if (current && !(current.state === 'inflight' && current.at < staleBefore)) return false;
    this.markers.set(key, `inflight:${now}`);
    return true;
  }

  async markDone(key: string, ts: string): Promise<void> {
    this.markers.set(key, `done:${ts}`);
  }

  async release(key: string): Promise<void> {
    this.markers.delete(key);
  }

  private budget = { minute: -1, used: 0 };

  async takeUpdateBudget(now: number, perMinute: number): Promise<boolean> {
    const minute = Math.floor(now / 60_000);
    if (minute !== this.budget.minute) this.budget = { minute, used: 0 };
    this.budget.used += 1;
    return this.budget.used <= perMinute;
  }

  async close(): Promise<void> {}
}
