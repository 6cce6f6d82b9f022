/**
 * What the bot knows of each message it posted: the instance it shows (so a button acts on what the bot stored
 * for that message, never on a value a request carries) and its permalink (fetched once with chat.getPermalink;
 * it never changes). In Redis (shared by every process, kept 90 days), or in this process's memory.
 */
import type { RedisConnection } from '../redis/connection';

export interface MessageRecord {
  job?: string;
  instanceId?: string;
  workspace?: string;
  permalink?: string;
}

export interface MessageRecords {
  get(channel: string, ts: string): Promise<MessageRecord | undefined>;
  /** Adds these fields to the message's record. */
  put(channel: string, ts: string, fields: MessageRecord): Promise<void>;
}

const TTL_SECONDS = 90 * 86_400;
const FIELDS = ['job', 'instanceId', 'workspace', 'permalink'] as const;

export class RedisMessageRecords implements MessageRecords {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix = '{dlfbot}',
  ) {}

  private key(channel: string, ts: string): string {
    return `${this.prefix}:msg:${channel}/${ts}`;
  }

  async get(channel: string, ts: string): Promise<MessageRecord | undefined> {
    const raw = await this.redis.hgetall(this.key(channel, ts));
    if (Object.keys(raw).length === 0) return undefined;
    const record: MessageRecord = {};
    for (const field of FIELDS) if (raw[field]) record[field] = raw[field];
    return record;
  }

  async put(channel: string, ts: string, fields: MessageRecord): Promise<void> {
    const entries = Object.entries(fields).filter(([, value]) => value !== undefined) as [string, string][];
    if (entries.length === 0) return;
    const key = this.key(channel, ts);
    await this.redis
      .multi()
      .hset(key, ...entries.flat())
      .expire(key, TTL_SECONDS)
      .exec();
  }
}

/** One process, bounded: the oldest records go first past `limit`. */
export class MemoryMessageRecords implements MessageRecords {
  private readonly records = new Map<string, MessageRecord>();

  constructor(private readonly limit = 50_000) {}

  async get(channel: string, ts: string): Promise<MessageRecord | undefined> {
    const record = this.records.get(`${channel}/${ts}`);
    return record && { ...record };
  }

  async put(channel: string, ts: string, fields: MessageRecord): Promise<void> {
    const key = `${channel}/${ts}`;
    const merged = { ...this.records.get(key), ...fields };
    this.records.delete(key);
    this.records.set(key, merged);
    if (this.records.size > this.limit) this.records.delete(this.records.keys().next().value!);
  }
}
