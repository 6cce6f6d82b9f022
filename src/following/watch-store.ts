/**
 * Where watches live, with what announcing them needs: the sweep's ledger of instance rows per workspace, each
 * channel's outbox of ends to announce (drained one message at a time, storms grouped), the alert each instance
 * got in each channel (a rerun is told in its thread) and each job's last alert there (a recovery is told in
 * the failure's thread). Redis in production, shared by every process; memory for one local process.
 */
import { createHash } from 'node:crypto';
import type { RedisConnection } from '../redis/connection';
import type { AlertLine, Watch, WatchSummary } from './model';

/** One end to announce in one channel, as it was when the sweep saw it. */
export interface OutboxItem {
  /** Unique per (channel, instance end, purpose): enqueued once, ever (for 30 days). */
  key: string;
  /** `recovery`: a success, told in the thread of the job's last alert if that was a failure. `announce`: an
   * alert, or a reply in the thread of this instance's earlier alert when it ended again. */
  purpose: 'recovery' | 'announce';
  workspace: string;
  line: AlertLine;
  /** The watches of this channel that matched the job, and their modes. */
  watches: WatchSummary[];
}

/** A batch taken from the outbox: posted as one message (alerts) or one thread reply. */
export interface Batch {
  id: string;
  kind: 'alerts' | 'again' | 'recovered';
  items: OutboxItem[];
  /** For a reply: the thread it goes in, and for a recovery the failed instance it answers. */
  threadTs?: string;
  failedInstanceId?: string;
}

/** What an alert of this instance in this channel was: its message, and the end it announced. */
export interface AlertRecord {
  ts: string;
  status: string;
  endTime?: number;
}

/** The last alert of a job in a channel: a success after a failure is a recovery, told in that thread. */
export interface LastAlert {
  ts: string;
  status: string;
  instanceId: string;
}

export interface WatchStore {
  /** Adds a watch, or changes an existing one's mode: what happened. */
  /**
   * Adds or changes a watch. With `maxInChannel`, a new one is added only while its channel holds fewer, checked
   * and written at once (two commands at the limit cannot both pass): 'full' otherwise.
   */
  put(watch: Watch, maxInChannel?: number): Promise<'added' | 'changed' | 'same' | 'full'>;
  remove(id: string): Promise<Watch | undefined>;
  inChannel(channel: string): Promise<Watch[]>;
  inWorkspace(workspace: string): Promise<Watch[]>;
  /** Every channel with at least one watch. */
  channels(): Promise<string[]>;
  /** Keeps a live card (a running instance unfurled from a link) until the sweep sees its instance end. */
  putLiveCard(card: LiveCard): Promise<'kept' | 'full'>;
  liveCards(workspace: string): Promise<LiveCard[]>;
  removeLiveCard(workspace: string, id: string): Promise<void>;
  /** Rows the sweep has seen in a workspace: `job\nid` → `status|start|end|plan`. */
  ledger(workspace: string): Promise<Map<string, string>>;
  writeLedger(workspace: string, set: [string, string][], remove: string[]): Promise<void>;
  /** Adds an item to the channel's outbox, unless it was ever enqueued: true if it was added. */
  enqueue(channel: string, item: OutboxItem, order: number): Promise<boolean>;
  /** The outbox's first items, in order, not taken. */
  head(channel: string, count: number): Promise<OutboxItem[]>;
  /** Drops items from the outbox (nothing to announce after all). */
  drop(channel: string, keys: string[]): Promise<void>;
  /** The channel's batch in progress, if a drain left one. */
  batch(channel: string): Promise<Batch | undefined>;
  /** Moves these items from the outbox into the channel's batch: false if a batch is already there. */
  takeBatch(channel: string, batch: Batch): Promise<boolean>;
  /** The batch was posted (or given up): it goes, and what it posted is recorded. */
  finishBatch(
    channel: string,
    batchId: string,
    alerts: [string, AlertRecord][],
    last: [string, LastAlert][],
  ): Promise<void>;
  pending(channel: string): Promise<number>;
  alertOf(channel: string, instanceKey: string): Promise<AlertRecord | undefined>;
  lastAlert(channel: string, jobKey: string): Promise<LastAlert | undefined>;
  /** When the bot last posted at the top of this channel (Slack's ~1 post/s per channel). */
  lastPostAt(channel: string): Promise<number | undefined>;
  setLastPostAt(channel: string, at: number): Promise<void>;
}

/** (workspace, job): the key of a job's last alert. */
export function jobKey(workspace: string, job: string): string {
  return JSON.stringify([workspace, job]);
}

/** A batch's id: the same items make the same id (a resumed batch keeps its marker). */
export function batchId(channel: string, keys: string[]): string {
  return createHash('sha1')
    .update(JSON.stringify([channel, ...keys]))
    .digest('hex')
    .slice(0, 24);
}

const RECORD_TTL_SECONDS = 30 * 86_400;
const ITEM_TTL_SECONDS = 3 * 86_400;

/**
 * A card a console link unfurled into while its instance ran: where it is (a posted message's channel and ts,
 * or the composer's unfurl id), which link, which instance. The sweep that sees the instance end refreshes it
 * once and forgets it.
 */
export interface LiveCard {
  id: string;
  /** '' for the default workspace. */
  workspace: string;
  job: string;
  instanceId: string;
  url: string;
  channel?: string;
  ts?: string;
  unfurlId?: string;
  source?: string;
  /** When it was unfurled (ms): a card whose instance never ends is forgotten after LIVE_CARD_DAYS. */
  at: number;
}

/** Live cards a workspace keeps at most (a paste beyond them still unfurls; it just stays as it was). */
export const LIVE_CARDS_MAX = 500;
const LIVE_CARD_SECONDS = 7 * 86_400;

export class RedisWatchStore implements WatchStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix = '{dlfbot}',
  ) {
    // Items go from the outbox into the batch only if no batch is there: one batch per channel at a time.
    redis.defineCommand('dlfTakeBatch', {
      numberOfKeys: 2,
      lua: `if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[2])
for i = 3, #ARGV do redis.call('ZREM', KEYS[1], ARGV[i]) end
return 1`,
    });
    // A watch added only while its channel has room (KEYS: watches, channel's set, workspace's set, channels;
    // ARGV: id, JSON, the channel, the most a channel may hold, or 0 for no limit).
    redis.defineCommand('dlfPutWatch', {
      numberOfKeys: 4,
      lua: `local fresh = redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0
if fresh and tonumber(ARGV[4]) > 0 and redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[4]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[3])
return 1`,
    });
    // Enqueued once ever: the guard and the outbox entry together.
    redis.defineCommand('dlfEnqueue', {
      numberOfKeys: 3,
      lua: `if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) == false then return 0 end
redis.call('SET', KEYS[3], ARGV[3], 'EX', ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[5])
return 1`,
    });
  }

  private k(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  async put(watch: Watch, maxInChannel = 0): Promise<'added' | 'changed' | 'same' | 'full'> {
    const existing = await this.redis.hget(this.k('watch'), watch.id);
    const previous = existing ? (JSON.parse(existing) as Watch) : undefined;
    if (previous && previous.mode === watch.mode) return 'same';
    // A changed mode keeps the original creation time: ends before the first watch are still never posted.
    const stored = previous ? { ...watch, createdAt: previous.createdAt } : watch;
    const written = await (
      this.redis as RedisConnection & { dlfPutWatch(...args: (string | number)[]): Promise<number> }
    ).dlfPutWatch(
      this.k('watch'),
      this.k('watches-chan', watch.channel),
      this.k('watches-ws', watch.workspace ?? ''),
      this.k('watched-channels'),
      watch.id,
      JSON.stringify(stored),
      watch.channel,
      maxInChannel,
    );
    if (written === 0) return 'full';
    return previous ? 'changed' : 'added';
  }

  async remove(id: string): Promise<Watch | undefined> {
    const raw = await this.redis.hget(this.k('watch'), id);
    if (!raw) return undefined;
    const watch = JSON.parse(raw) as Watch;
    await this.redis
      .multi()
      .hdel(this.k('watch'), id)
      .srem(this.k('watches-chan', watch.channel), id)
      .srem(this.k('watches-ws', watch.workspace ?? ''), id)
      .exec();
    if ((await this.redis.scard(this.k('watches-chan', watch.channel))) === 0)
      await this.redis.srem(this.k('watched-channels'), watch.channel);
    return watch;
  }

  channels(): Promise<string[]> {
    return this.redis.smembers(this.k('watched-channels'));
  }

  private async load(set: string): Promise<Watch[]> {
    const ids = await this.redis.smembers(set);
    if (ids.length === 0) return [];
    const raws = await this.redis.hmget(this.k('watch'), ...ids);
    return raws.filter((raw): raw is string => raw !== null).map((raw) => JSON.parse(raw) as Watch);
  }

  inChannel(channel: string): Promise<Watch[]> {
    return this.load(this.k('watches-chan', channel));
  }

  inWorkspace(workspace: string): Promise<Watch[]> {
    return this.load(this.k('watches-ws', workspace));
  }

  async putLiveCard(card: LiveCard): Promise<'kept' | 'full'> {
    const key = this.k('live', card.workspace);
    if ((await this.redis.hlen(key)) >= LIVE_CARDS_MAX) return 'full';
    await this.redis.multi().hset(key, card.id, JSON.stringify(card)).expire(key, LIVE_CARD_SECONDS).exec();
    return 'kept';
  }

  async liveCards(workspace: string): Promise<LiveCard[]> {
    return Object.values(await this.redis.hgetall(this.k('live', workspace))).map(
      (raw) => JSON.parse(raw) as LiveCard,
    );
  }

  async removeLiveCard(workspace: string, id: string): Promise<void> {
    await this.redis.hdel(this.k('live', workspace), id);
  }

  async ledger(workspace: string): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.redis.hgetall(this.k('ledger', workspace))));
  }

  async writeLedger(workspace: string, set: [string, string][], remove: string[]): Promise<void> {
    const key = this.k('ledger', workspace);
    const multi = this.redis.multi();
    if (set.length > 0) multi.hset(key, ...set.flat());
    if (remove.length > 0) multi.hdel(key, ...remove);
    if (set.length > 0 || remove.length > 0) await multi.exec();
  }

  async enqueue(channel: string, item: OutboxItem, order: number): Promise<boolean> {
    const added = await (
      this.redis as unknown as { dlfEnqueue(...args: (string | number)[]): Promise<number> }
    ).dlfEnqueue(
      this.k('queued', item.key),
      this.k('outbox', channel),
      this.k('item', item.key),
      RECORD_TTL_SECONDS,
      order,
      JSON.stringify(item),
      ITEM_TTL_SECONDS,
      item.key,
    );
    return added === 1;
  }

  async head(channel: string, count: number): Promise<OutboxItem[]> {
    const keys = await this.redis.zrange(this.k('outbox', channel), '0', String(count - 1));
    if (keys.length === 0) return [];
    const raws = await this.redis.mget(...keys.map((key) => this.k('item', key)));
    const items: OutboxItem[] = [];
    const lost: string[] = [];
    raws.forEach((raw, index) => {
      if (raw) items.push(JSON.parse(raw) as OutboxItem);
      else lost.push(keys[index]!);
    });
    // An item whose payload expired (days in the outbox) cannot be announced any more.
    if (lost.length > 0) await this.redis.zrem(this.k('outbox', channel), ...lost);
    return items;
  }

  async drop(channel: string, keys: string[]): Promise<void> {
    if (keys.length > 0) await this.redis.zrem(this.k('outbox', channel), ...keys);
  }

  async batch(channel: string): Promise<Batch | undefined> {
    const raw = await this.redis.get(this.k('batch', channel));
    return raw ? (JSON.parse(raw) as Batch) : undefined;
  }

  async takeBatch(channel: string, batch: Batch): Promise<boolean> {
    const taken = await (
      this.redis as unknown as { dlfTakeBatch(...args: (string | number)[]): Promise<number> }
    ).dlfTakeBatch(
      this.k('outbox', channel),
      this.k('batch', channel),
      JSON.stringify(batch),
      ITEM_TTL_SECONDS,
      ...batch.items.map((item) => item.key),
    );
    return taken === 1;
  }

  async finishBatch(
    channel: string,
    batchId: string,
    alerts: [string, AlertRecord][],
    last: [string, LastAlert][],
  ): Promise<void> {
    const current = await this.batch(channel);
    const multi = this.redis.multi();
    for (const [instanceKey, record] of alerts)
      multi.set(this.k('alert', channel, instanceKey), JSON.stringify(record), 'EX', RECORD_TTL_SECONDS);
    for (const [key, record] of last)
      multi.set(this.k('last-alert', channel, key), JSON.stringify(record), 'EX', RECORD_TTL_SECONDS);
    if (current?.id === batchId) multi.del(this.k('batch', channel));
    await multi.exec();
  }

  pending(channel: string): Promise<number> {
    return this.redis.zcard(this.k('outbox', channel));
  }

  async alertOf(channel: string, instanceKey: string): Promise<AlertRecord | undefined> {
    const raw = await this.redis.get(this.k('alert', channel, instanceKey));
    return raw ? (JSON.parse(raw) as AlertRecord) : undefined;
  }

  async lastAlert(channel: string, key: string): Promise<LastAlert | undefined> {
    const raw = await this.redis.get(this.k('last-alert', channel, key));
    return raw ? (JSON.parse(raw) as LastAlert) : undefined;
  }

  async lastPostAt(channel: string): Promise<number | undefined> {
    const raw = await this.redis.get(this.k('posted-at', channel));
    return raw ? Number(raw) : undefined;
  }

  async setLastPostAt(channel: string, at: number): Promise<void> {
    await this.redis.set(this.k('posted-at', channel), String(at), 'EX', 60);
  }
}

/** One process, in memory: the local default without REDIS_URL. */
export class MemoryWatchStore implements WatchStore {
  private readonly watches = new Map<string, Watch>();
  private readonly ledgers = new Map<string, Map<string, string>>();
  private readonly outboxes = new Map<string, { item: OutboxItem; order: number }[]>();
  private readonly queued = new Set<string>();
  private readonly batches = new Map<string, Batch>();
  private readonly alerts = new Map<string, AlertRecord>();
  private readonly lasts = new Map<string, LastAlert>();
  private readonly postedAt = new Map<string, number>();

  async put(watch: Watch, maxInChannel = 0): Promise<'added' | 'changed' | 'same' | 'full'> {
    const previous = this.watches.get(watch.id);
    if (previous && previous.mode === watch.mode) return 'same';
    if (!previous && maxInChannel > 0 && (await this.inChannel(watch.channel)).length >= maxInChannel)
      return 'full';
    this.watches.set(watch.id, previous ? { ...watch, createdAt: previous.createdAt } : watch);
    return previous ? 'changed' : 'added';
  }

  async remove(id: string): Promise<Watch | undefined> {
    const watch = this.watches.get(id);
    this.watches.delete(id);
    return watch;
  }

  async inChannel(channel: string): Promise<Watch[]> {
    return [...this.watches.values()].filter((watch) => watch.channel === channel);
  }

  async inWorkspace(workspace: string): Promise<Watch[]> {
    return [...this.watches.values()].filter((watch) => (watch.workspace ?? '') === workspace);
  }

  async channels(): Promise<string[]> {
    return [...new Set([...this.watches.values()].map((watch) => watch.channel))];
  }

  private readonly live = new Map<string, Map<string, LiveCard>>();

  async putLiveCard(card: LiveCard): Promise<'kept' | 'full'> {
    const cards = this.live.get(card.workspace) ?? new Map<string, LiveCard>();
    if (cards.size >= LIVE_CARDS_MAX && !cards.has(card.id)) return 'full';
    cards.set(card.id, card);
    this.live.set(card.workspace, cards);
    return 'kept';
  }

  async liveCards(workspace: string): Promise<LiveCard[]> {
    return [...(this.live.get(workspace)?.values() ?? [])];
  }

  async removeLiveCard(workspace: string, id: string): Promise<void> {
    this.live.get(workspace)?.delete(id);
  }

  async ledger(workspace: string): Promise<Map<string, string>> {
    return new Map(this.ledgers.get(workspace));
  }

  async writeLedger(workspace: string, set: [string, string][], remove: string[]): Promise<void> {
    const ledger = this.ledgers.get(workspace) ?? new Map<string, string>();
    for (const [field, value] of set) ledger.set(field, value);
    for (const field of remove) ledger.delete(field);
    this.ledgers.set(workspace, ledger);
  }

  async enqueue(channel: string, item: OutboxItem, order: number): Promise<boolean> {
    if (this.queued.has(item.key)) return false;
    this.queued.add(item.key);
    const outbox = this.outboxes.get(channel) ?? [];
    outbox.push({ item, order });
    outbox.sort((a, b) => a.order - b.order || (a.item.key < b.item.key ? -1 : 1));
    this.outboxes.set(channel, outbox);
    return true;
  }

  async head(channel: string, count: number): Promise<OutboxItem[]> {
    return (this.outboxes.get(channel) ?? []).slice(0, count).map((entry) => entry.item);
  }

  async drop(channel: string, keys: string[]): Promise<void> {
    const gone = new Set(keys);
    this.outboxes.set(
      channel,
      (this.outboxes.get(channel) ?? []).filter((entry) => !gone.has(entry.item.key)),
    );
  }

  async batch(channel: string): Promise<Batch | undefined> {
    return this.batches.get(channel);
  }

  async takeBatch(channel: string, batch: Batch): Promise<boolean> {
    if (this.batches.has(channel)) return false;
    this.batches.set(channel, batch);
    await this.drop(
      channel,
      batch.items.map((item) => item.key),
    );
    return true;
  }

  async finishBatch(
    channel: string,
    id: string,
    alerts: [string, AlertRecord][],
    last: [string, LastAlert][],
  ): Promise<void> {
    for (const [instanceKey, record] of alerts) this.alerts.set(`${channel}\n${instanceKey}`, record);
    for (const [key, record] of last) this.lasts.set(`${channel}\n${key}`, record);
    if (this.batches.get(channel)?.id === id) this.batches.delete(channel);
  }

  async pending(channel: string): Promise<number> {
    return this.outboxes.get(channel)?.length ?? 0;
  }

  async alertOf(channel: string, instanceKey: string): Promise<AlertRecord | undefined> {
    return this.alerts.get(`${channel}\n${instanceKey}`);
  }

  async lastAlert(channel: string, key: string): Promise<LastAlert | undefined> {
    return this.lasts.get(`${channel}\n${key}`);
  }

  async lastPostAt(channel: string): Promise<number | undefined> {
    return this.postedAt.get(channel);
  }

  async setLastPostAt(channel: string, at: number): Promise<void> {
    this.postedAt.set(channel, at);
  }
}
