/**
 * Where subscriptions, the last seen state of each followed instance and the notification markers live.
 * Redis in production (survives restarts, shared by every bot process); memory for a single local process.
 * Markers make each thread reply happen once: `inflight` while a post may be under way, `done` after.
 */
import type { RedisConnection } from '../redis/connection';
import { RedisProbe } from '../support/redis-probe';
import { type FollowedEntry, instanceKey, messageKey, type Subscription, workspaceOfKey } from './model';
import type { Marker, MarkerStore } from './notifier';

export type { Marker } from './notifier';

export interface InstanceState {
  /** Status text last seen, and a signature of what the message shows, to update only on change. */
  status?: string;
  signature?: string;
  errors?: number;
  /** When the first subscription was made: the maximum age counts from here. */
  since?: number;
  /** The ended instance (JSON) while replies or message updates are still due ('' once it runs again). */
  final?: string;
  /** When `final` was read from DataArts: it is read again after the backoff ceiling, to notice a rerun. */
  finalAt?: number;
  /** What the poller last put on each message (message key → mark), when it updated it. */
  shown?: Record<string, string>;
}

export interface Shown {
  status: string;
  signature: string;
}

/** What the poller leaves for the sweep: the row signature it handled, and when it last read the nodes. */
export interface Handled {
  handled: string;
  refreshedAt?: number;
}

export interface SubscriptionStore extends MarkerStore {
  readonly durable: boolean;
  /** False while the store (Redis) cannot be reached: following is then refused up front. */
  reachable(): boolean;
  /** True while the store (Redis) is out of memory: nothing new can be followed or watched. */
  full(): boolean;
  /** A write was refused for want of memory (full() says so until the store has room again). */
  sawFull(): void;
  /**
   * `shown`: the status and signature of what the subscribed message shows now, kept only if the instance has
   * none yet, so that the first poll does not update messages that already show it.
   */
  add(subscription: Subscription, shown?: Shown, planTime?: number): Promise<boolean>;
  remove(channel: string, ts: string): Promise<Subscription | undefined>;
  byMessage(channel: string, ts: string): Promise<Subscription | undefined>;
  byInstance(key: string): Promise<Subscription[]>;
  /** What one poll needs, at once: the instance's subscriptions, its state and its entry (one round trip). */
  forPoll(
    key: string,
  ): Promise<{ subscriptions: Subscription[]; state: InstanceState; entry?: FollowedEntry }>;
  /** Every followed instance of a workspace ('' for the default one) with what the sweep needs of it. */
  followedIn(workspace: string): Promise<Map<string, FollowedEntry>>;
  /** What the poller handled of an instance (the sweep compares it with the list). */
  setHandled(key: string, handled: Handled): Promise<void>;
  /** The list rows the sweep saw differ from what was handled (row signatures by instance key). */
  setSeen(workspace: string, seen: [string, string][]): Promise<void>;
  /** Every workspace something is followed or watched in. */
  workspaces(): Promise<string[]>;
  addWorkspace(workspace: string): Promise<void>;
  /** A notification asked for a sweep of this workspace now (one flag, shared by every process). */
  askSweep(workspace: string): Promise<void>;
  /** Whether a sweep was asked for since the last time this was called (and clears the ask). */
  takeSweepAsk(workspace: string): Promise<boolean>;
  byChannel(channel: string): Promise<Subscription[]>;
  byUser(user: string): Promise<Subscription[]>;
  /** Every followed instance (for the watchdog and for start-up). */
  instances(): Promise<string[]>;
  state(key: string): Promise<InstanceState>;
  setState(key: string, state: InstanceState): Promise<void>;
  /**
   * Forgets these subscriptions of an instance (every one when not given), then the instance itself unless a
   * subscription is left, one added meanwhile: true if the instance was forgotten.
   */
  forget(key: string, subscriptions?: Subscription[]): Promise<boolean>;
  marker(key: string): Promise<Marker | undefined>;
  /** How many markers are in flight (claimed, not yet done or released), and since when the oldest is. */
  markersInFlight(now: number): Promise<{ count: number; oldestAt?: number }>;
  /**
   * Takes one chat.update from a budget shared by every process (Slack's Tier 3 is per app and workspace):
   * false when this minute's budget is spent.
   */
  takeUpdateBudget(now: number, perMinute: number): Promise<boolean>;
  /** `force`: drop the connection without waiting (the stop deadline has passed, or Redis is down). */
  close(force?: boolean): Promise<void>;
}

const MARKER_TTL_SECONDS = 30 * 86_400;

function encode(subscription: Subscription): string {
  return JSON.stringify(subscription);
}

export class RedisSubscriptionStore implements SubscriptionStore {
  readonly durable = true;
  private readonly probe: RedisProbe;
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix = '{dlfbot}',
  ) {
    this.probe = new RedisProbe(redis).start();
    // A claimed marker is also listed in the in-flight set (KEYS[2], scored by its claim time) until it is done
    // or released, so the metrics can count markers in flight without scanning every marker.
    redis.defineCommand('dlfClaim', {
      numberOfKeys: 2,
      lua: `local v = redis.call('GET', KEYS[1])
if (not v) or (string.sub(v, 1, 9) == 'inflight:' and tonumber(string.sub(v, 10)) < tonumber(ARGV[2])) then
  redis.call('SET', KEYS[1], 'inflight:' .. ARGV[1], 'EX', ARGV[3])
  redis.call('ZADD', KEYS[2], ARGV[1], ARGV[4])
  return 1
end
return 0`,
    });
    redis.defineCommand('dlfClaimIfAbsent', {
      numberOfKeys: 2,
      lua: `local v = redis.call('GET', KEYS[1])
if v then return v end
redis.call('SET', KEYS[1], 'inflight:' .. ARGV[1], 'EX', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[3])
return 1`,
    });
    // The instance goes only if no subscription is left (a member without its record does not count).
    // The instance goes (its state, its sweep records) only if no subscription is left (a member without its
    // record does not count).
    redis.defineCommand('dlfForgetIfEmpty', {
      numberOfKeys: 7,
      lua: `local left = 0
for _, message in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('HEXISTS', KEYS[4], message) == 1 then left = left + 1 else redis.call('SREM', KEYS[1], message) end
end
if left > 0 then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[5], ARGV[1])
redis.call('HDEL', KEYS[6], ARGV[1])
redis.call('HDEL', KEYS[7], ARGV[1])
return 1`,
    });
    // SMEMBERS, HMGET (in slices: Lua's unpack has a limit), HGETALL and the sweep records in one round trip.
    redis.defineCommand('dlfLoad', {
      numberOfKeys: 6,
      lua: `local messages = redis.call('SMEMBERS', KEYS[1])
local subs = {}
for i = 1, #messages, 1000 do
  local raws = redis.call('HMGET', KEYS[2], unpack(messages, i, math.min(i + 999, #messages)))
  for _, raw in ipairs(raws) do
    if raw then subs[#subs + 1] = raw end
  end
end
return {subs, redis.call('HGETALL', KEYS[3]), redis.call('HGET', KEYS[4], ARGV[1]) or '',
  redis.call('HGET', KEYS[5], ARGV[1]) or '', redis.call('HGET', KEYS[6], ARGV[1]) or ''}`,
    });
  }

  private k(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  async add(s: Subscription, shown?: Shown, planTime?: number): Promise<boolean> {
    const key = instanceKey(s);
    const workspace = s.workspace ?? '';
    const message = messageKey(s.channel, s.ts);
    const multi = this.redis
      .multi()
      .hsetnx(this.k('sub'), message, encode(s))
      .sadd(this.k('subs', key), message)
      .sadd(this.k('chan', s.channel), message)
      .sadd(this.k('user', s.user), message)
      .sadd(this.k('instances'), key)
      .sadd(this.k('workspaces'), workspace)
      .hsetnx(this.k('followed', workspace), key, JSON.stringify({ since: s.createdAt, planTime }))
      .hsetnx(this.k('state', key), 'since', String(s.createdAt));
    if (shown) {
      multi
        .hsetnx(this.k('state', key), 'status', shown.status)
        .hsetnx(this.k('state', key), 'signature', shown.signature);
    }
    const [[, added]] = (await multi.exec()) as [[Error | null, number]];
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

  async forPoll(
    key: string,
  ): Promise<{ subscriptions: Subscription[]; state: InstanceState; entry?: FollowedEntry }> {
    const workspace = workspaceOfKey(key);
    const [raws, fields, followed, handled, seen] = await (
      this.redis as unknown as {
        dlfLoad(...keysAndArgs: string[]): Promise<[string[], string[], string, string, string]>;
      }
    ).dlfLoad(
      this.k('subs', key),
      this.k('sub'),
      this.k('state', key),
      this.k('followed', workspace),
      this.k('handled', workspace),
      this.k('seen', workspace),
      key,
    );
    const raw: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) raw[fields[i]!] = fields[i + 1]!;
    return {
      subscriptions: raws.map((s) => JSON.parse(s) as Subscription),
      state: parseState(raw),
      entry: entryOf(followed, handled, seen),
    };
  }

  async followedIn(workspace: string): Promise<Map<string, FollowedEntry>> {
    const [[, followed], [, handled], [, seen]] = (await this.redis
      .multi()
      .hgetall(this.k('followed', workspace))
      .hgetall(this.k('handled', workspace))
      .hgetall(this.k('seen', workspace))
      .exec()) as [
      [null, Record<string, string>],
      [null, Record<string, string>],
      [null, Record<string, string>],
    ];
    const entries = new Map<string, FollowedEntry>();
    for (const [key, raw] of Object.entries(followed)) {
      const entry = entryOf(raw, handled[key] ?? '', seen[key] ?? '');
      if (entry) entries.set(key, entry);
    }
    return entries;
  }

  async setHandled(key: string, handled: Handled): Promise<void> {
    await this.redis.hset(
      this.k('handled', workspaceOfKey(key)),
      key,
      `${handled.handled}\n${handled.refreshedAt ?? ''}`,
    );
  }

  async setSeen(workspace: string, seen: [string, string][]): Promise<void> {
    if (seen.length > 0) await this.redis.hset(this.k('seen', workspace), ...seen.flat());
  }

  workspaces(): Promise<string[]> {
    return this.redis.smembers(this.k('workspaces'));
  }

  async addWorkspace(workspace: string): Promise<void> {
    await this.redis.sadd(this.k('workspaces'), workspace);
  }

  async askSweep(workspace: string): Promise<void> {
    // Expires by itself: an ask no sweep took (the workspace has nothing left to sweep) does not linger.
    await this.redis.set(this.k(`sweep-ask:${workspace}`), '1', 'EX', 600);
  }

  async takeSweepAsk(workspace: string): Promise<boolean> {
    return (await this.redis.del(this.k(`sweep-ask:${workspace}`))) > 0;
  }

  instances(): Promise<string[]> {
    return this.redis.smembers(this.k('instances'));
  }

  async state(key: string): Promise<InstanceState> {
    return parseState(await this.redis.hgetall(this.k('state', key)));
  }

  async setState(key: string, state: InstanceState): Promise<void> {
    const { shown, ...plain } = state;
    const fields = Object.entries(plain)
      .filter(([, value]) => value !== undefined)
      .flatMap(([name, value]) => [name, String(value)]);
    for (const [message, mark] of Object.entries(shown ?? {})) fields.push(`shown:${message}`, mark);
    if (fields.length > 0) await this.redis.hset(this.k('state', key), ...fields);
  }

  async forget(key: string, only?: Subscription[]): Promise<boolean> {
    const subscriptions = only ?? (await this.byInstance(key));
    const multi = this.redis.multi();
    for (const s of subscriptions) {
      const message = messageKey(s.channel, s.ts);
      multi
        .hdel(this.k('sub'), message)
        .srem(this.k('subs', key), message)
        .srem(this.k('chan', s.channel), message)
        .srem(this.k('user', s.user), message);
    }
    const workspace = workspaceOfKey(key);
    (multi as unknown as { dlfForgetIfEmpty(...keysAndArgs: string[]): void }).dlfForgetIfEmpty(
      this.k('subs', key),
      this.k('state', key),
      this.k('instances'),
      this.k('sub'),
      this.k('followed', workspace),
      this.k('handled', workspace),
      this.k('seen', workspace),
      key,
    );
    const results = (await multi.exec()) ?? [];
    return results.at(-1)?.[1] === 1;
  }

  async marker(key: string): Promise<Marker | undefined> {
    return parseMarker(await this.redis.get(this.k('notified', key)));
  }

  async claim(key: string, now: number, staleBefore: number): Promise<boolean> {
    const claimed = await (
      this.redis as unknown as {
        dlfClaim(
          key: string,
          inflight: string,
          now: number,
          staleBefore: number,
          ttl: number,
          member: string,
        ): Promise<number>;
      }
    ).dlfClaim(this.k('notified', key), this.k('inflight'), now, staleBefore, MARKER_TTL_SECONDS, key);
    return claimed === 1;
  }

  async claimIfAbsent(key: string, now: number): Promise<true | Marker | undefined> {
    const result = await (
      this.redis as unknown as {
        dlfClaimIfAbsent(
          key: string,
          inflight: string,
          now: number,
          ttl: number,
          member: string,
        ): Promise<number | string>;
      }
    ).dlfClaimIfAbsent(this.k('notified', key), this.k('inflight'), now, MARKER_TTL_SECONDS, key);
    return result === 1 ? true : parseMarker(String(result));
  }

  async markDone(key: string, ts: string): Promise<void> {
    await this.redis
      .multi()
      .set(this.k('notified', key), `done:${ts}`, 'EX', MARKER_TTL_SECONDS)
      .zrem(this.k('inflight'), key)
      .exec();
  }

  async release(key: string): Promise<void> {
    await this.redis.multi().del(this.k('notified', key)).zrem(this.k('inflight'), key).exec();
  }

  async markersInFlight(now: number): Promise<{ count: number; oldestAt?: number }> {
    const set = this.k('inflight');
    // A marker that expired while in flight (its poster died, and nobody came back for 30 days) leaves the set.
    const [, [, count], [, oldest]] = (await this.redis
      .multi()
      .zremrangebyscore(set, '-inf', String(now - MARKER_TTL_SECONDS * 1000))
      .zcard(set)
      .zrange(set, '0', '0', 'WITHSCORES')
      .exec()) as [unknown, [Error | null, number], [Error | null, string[]]];
    return { count, ...(oldest.length === 2 ? { oldestAt: Number(oldest[1]) } : {}) };
  }

  async takeUpdateBudget(now: number, perMinute: number): Promise<boolean> {
    const window = this.k('update-budget', String(Math.floor(now / 60_000)));
    const [[, used]] = (await this.redis.multi().incr(window).expire(window, 120).exec()) as [
      [Error | null, number],
    ];
    return used <= perMinute;
  }

  reachable(): boolean {
    return this.probe.reachable();
  }

  full(): boolean {
    return this.probe.full();
  }

  sawFull(): void {
    this.probe.sawOutOfMemory();
  }

  async close(force = false): Promise<void> {
    this.probe.stop();
    if (force || this.redis.status !== 'ready') this.redis.disconnect();
    else await this.redis.quit().catch(() => undefined);
  }
}

/** The sweep's entry of a followed instance from its three records ('' where a record is missing). */
function entryOf(followed: string, handled: string, seen: string): FollowedEntry | undefined {
  if (!followed) return undefined;
  const { since, planTime } = JSON.parse(followed) as { since: number; planTime?: number };
  const [handledSig = '', refreshed = ''] = handled.split('\n');
  return {
    since,
    ...(planTime !== undefined && planTime !== null ? { planTime } : {}),
    handled: handledSig,
    ...(refreshed ? { refreshedAt: Number(refreshed) } : {}),
    ...(seen ? { seen } : {}),
  };
}

function parseState(raw: Record<string, string>): InstanceState {
  const shown = Object.entries(raw).filter(([name]) => name.startsWith('shown:'));
  return {
    status: raw.status,
    signature: raw.signature,
    errors: raw.errors ? Number(raw.errors) : undefined,
    since: raw.since ? Number(raw.since) : undefined,
    final: raw.final,
    finalAt: raw.finalAt ? Number(raw.finalAt) : undefined,
    ...(shown.length > 0
      ? { shown: Object.fromEntries(shown.map(([name, mark]) => [name.slice(6), mark])) }
      : {}),
  };
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
  /** The sweep's records of each followed instance, and the workspaces anything is followed or watched in. */
  private readonly entries = new Map<string, FollowedEntry>();
  private readonly known = new Set<string>();

  async add(s: Subscription, shown?: Shown, planTime?: number): Promise<boolean> {
    const key = instanceKey(s);
    this.states.set(key, { since: s.createdAt, ...shown, ...this.states.get(key) });
    this.known.add(s.workspace ?? '');
    if (!this.entries.has(key))
      this.entries.set(key, {
        since: s.createdAt,
        handled: '',
        ...(planTime !== undefined ? { planTime } : {}),
      });
    const message = messageKey(s.channel, s.ts);
    if (this.subs.has(message)) return false;
    this.subs.set(message, s);
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

  async forPoll(
    key: string,
  ): Promise<{ subscriptions: Subscription[]; state: InstanceState; entry?: FollowedEntry }> {
    const entry = this.entries.get(key);
    return {
      subscriptions: await this.byInstance(key),
      state: await this.state(key),
      ...(entry ? { entry: { ...entry } } : {}),
    };
  }

  async followedIn(workspace: string): Promise<Map<string, FollowedEntry>> {
    return new Map(
      [...this.entries]
        .filter(([key]) => workspaceOfKey(key) === workspace)
        .map(([key, entry]) => [key, { ...entry }]),
    );
  }

  async setHandled(key: string, handled: Handled): Promise<void> {
    const entry = this.entries.get(key);
    if (entry)
      this.entries.set(key, { ...entry, handled: handled.handled, refreshedAt: handled.refreshedAt });
  }

  async setSeen(_workspace: string, seen: [string, string][]): Promise<void> {
    for (const [key, signature] of seen) {
      const entry = this.entries.get(key);
      if (entry) this.entries.set(key, { ...entry, seen: signature });
    }
  }

  async workspaces(): Promise<string[]> {
    return [...this.known];
  }

  async addWorkspace(workspace: string): Promise<void> {
    this.known.add(workspace);
  }

  private readonly sweepAsks = new Set<string>();

  async askSweep(workspace: string): Promise<void> {
    this.sweepAsks.add(workspace);
  }

  async takeSweepAsk(workspace: string): Promise<boolean> {
    return this.sweepAsks.delete(workspace);
  }

  async instances(): Promise<string[]> {
    return [...new Set([...this.subs.values()].map(instanceKey))];
  }

  async state(key: string): Promise<InstanceState> {
    return { ...this.states.get(key) };
  }

  async setState(key: string, state: InstanceState): Promise<void> {
    const current = this.states.get(key);
    this.states.set(key, {
      ...current,
      ...Object.fromEntries(Object.entries(state).filter(([, v]) => v !== undefined)),
      ...(state.shown ? { shown: { ...current?.shown, ...state.shown } } : {}),
    });
  }

  async forget(key: string, only?: Subscription[]): Promise<boolean> {
    const messages = only && new Set(only.map((s) => messageKey(s.channel, s.ts)));
    for (const [message, s] of this.subs)
      if (instanceKey(s) === key && (!messages || messages.has(message))) this.subs.delete(message);
    if ((await this.byInstance(key)).length > 0) return false;
    this.states.delete(key);
    this.entries.delete(key);
    return true;
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

  async claimIfAbsent(key: string, now: number): Promise<true | Marker | undefined> {
    const current = this.markers.get(key);
    if (current !== undefined) return parseMarker(current);
    this.markers.set(key, `inflight:${now}`);
    return true;
  }

  async markDone(key: string, ts: string): Promise<void> {
    this.markers.set(key, `done:${ts}`);
  }

  async release(key: string): Promise<void> {
    this.markers.delete(key);
  }

  async markersInFlight(): Promise<{ count: number; oldestAt?: number }> {
    let count = 0;
    let oldestAt: number | undefined;
    for (const raw of this.markers.values()) {
      const marker = parseMarker(raw);
      if (marker?.state !== 'inflight') continue;
      count += 1;
      oldestAt = Math.min(oldestAt ?? marker.at, marker.at);
    }
    return { count, ...(oldestAt !== undefined ? { oldestAt } : {}) };
  }

  private budget = { minute: -1, used: 0 };

  async takeUpdateBudget(now: number, perMinute: number): Promise<boolean> {
    const minute = Math.floor(now / 60_000);
    if (minute !== this.budget.minute) this.budget = { minute, used: 0 };
    this.budget.used += 1;
    return this.budget.used <= perMinute;
  }

  reachable(): boolean {
    return true;
  }

  full(): boolean {
    return false;
  }

  sawFull(): void {}

  async close(): Promise<void> {}
}
