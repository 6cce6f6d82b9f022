/**
 * Each channel's digest setting (its daily time, who set it) and the once-a-day markers: a digest for a channel
 * and a day is claimed before it is posted (atomically, so two processes never both post), marked done once
 * posted, and released if posting failed. In Redis (shared by every process) or in this process's memory.
 */
import type { RedisConnection } from '../redis/connection';

export interface DigestSetting {
  channel: string;
  /** HH:MM in DLF_TIMEZONE. */
  time: string;
  user: string;
  setAt: number;
}

export type Claim = 'claimed' | { state: 'inflight'; at: number } | { state: 'done'; ts: string };

export interface DigestStore {
  readonly durable: boolean;
  get(channel: string): Promise<DigestSetting | undefined>;
  put(setting: DigestSetting): Promise<void>;
  /** The setting removed, if there was one. */
  remove(channel: string): Promise<DigestSetting | undefined>;
  all(): Promise<DigestSetting[]>;
  /** Claims the digest of `day` for the channel, or says who has it. */
  claim(channel: string, day: string, at: number): Promise<Claim>;
  done(channel: string, day: string, ts: string): Promise<void>;
  release(channel: string, day: string): Promise<void>;
}

/** Markers outlive any delay a restart can cause. */
const MARKER_TTL_SECONDS = 3 * 86_400;

function parseClaim(raw: string): Exclude<Claim, 'claimed'> {
  const [state, value] = raw.split(' ');
  return state === 'done' ? { state: 'done', ts: value ?? '' } : { state: 'inflight', at: Number(value) };
}

export class RedisDigestStore implements DigestStore {
  readonly durable = true;

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix = '{dlfbot}',
  ) {}

  private k(...parts: string[]): string {
    return [this.prefix, 'digest', ...parts].join(':');
  }

  async get(channel: string): Promise<DigestSetting | undefined> {
    const raw = await this.redis.hget(this.k('settings'), channel);
    return raw ? (JSON.parse(raw) as DigestSetting) : undefined;
  }

  async put(setting: DigestSetting): Promise<void> {
    await this.redis.hset(this.k('settings'), setting.channel, JSON.stringify(setting));
  }

  async remove(channel: string): Promise<DigestSetting | undefined> {
    const existing = await this.get(channel);
    if (existing) await this.redis.hdel(this.k('settings'), channel);
    return existing;
  }

  async all(): Promise<DigestSetting[]> {
    return Object.values(await this.redis.hgetall(this.k('settings'))).map(
      (raw) => JSON.parse(raw) as DigestSetting,
    );
  }

  async claim(channel: string, day: string, at: number): Promise<Claim> {
    const key = this.k('sent', channel, day);
    const set = await this.redis.set(key, `inflight ${at}`, 'EX', MARKER_TTL_SECONDS, 'NX');
    if (set === 'OK') return 'claimed';
    return parseClaim((await this.redis.get(key)) ?? `inflight ${at}`);
  }

  async done(channel: string, day: string, ts: string): Promise<void> {
    await this.redis.set(this.k('sent', channel, day), `done ${ts}`, 'EX', MARKER_TTL_SECONDS);
  }

  async release(channel: string, day: string): Promise<void> {
    await this.redis.del(this.k('sent', channel, day));
  }
}

export class MemoryDigestStore implements DigestStore {
  readonly durable = false;
  private readonly settings = new Map<string, DigestSetting>();
  private readonly markers = new Map<string, string>();

  async get(channel: string): Promise<DigestSetting | undefined> {
    return this.settings.get(channel);
  }

  async put(setting: DigestSetting): Promise<void> {
    this.settings.set(setting.channel, setting);
  }

  async remove(channel: string): Promise<DigestSetting | undefined> {
    const existing = this.settings.get(channel);
    this.settings.delete(channel);
    return existing;
  }

  async all(): Promise<DigestSetting[]> {
    return [...this.settings.values()];
  }

  async claim(channel: string, day: string, at: number): Promise<Claim> {
    const key = `${channel}/${day}`;
    const existing = this.markers.get(key);
    if (existing) return parseClaim(existing);
    this.markers.set(key, `inflight ${at}`);
    if (this.markers.size > 10_000) this.markers.delete(this.markers.keys().next().value!);
    return 'claimed';
  }

  async done(channel: string, day: string, ts: string): Promise<void> {
    this.markers.set(`${channel}/${day}`, `done ${ts}`);
  }

  async release(channel: string, day: string): Promise<void> {
    this.markers.delete(`${channel}/${day}`);
  }
}
