/**
 * Each channel's digest setting (its daily time, who set it) and the once-a-day markers the notifier delivers a
 * scheduled digest by (following/notifier.ts): one per channel and day, keyed as the digest's metadata is
 * (`digestKey`), claimed atomically, then done or released. In Redis (shared by every process) or in this
 * process's memory. A marker reads `inflight <ms>` or `done <ts>`, as it always has, so markers written before
 * the notifier delivered digests still count.
 */
import type { Marker, MarkerStore } from '../following/notifier';
import type { RedisConnection } from '../redis/connection';

export interface DigestSetting {
  channel: string;
  /** HH:MM in DLF_TIMEZONE. */
  time: string;
  user: string;
  setAt: number;
}

/** The key of a channel's scheduled digest of a day: its marker's, and in the message metadata. */
export function digestKey(channel: string, day: string): string {
  return `${KEY_PREFIX}${channel}:${day}`;
}

const KEY_PREFIX = 'digest:';

export interface DigestStore extends MarkerStore {
  readonly durable: boolean;
  get(channel: string): Promise<DigestSetting | undefined>;
  put(setting: DigestSetting): Promise<void>;
  /** The setting removed, if there was one. */
  remove(channel: string): Promise<DigestSetting | undefined>;
  all(): Promise<DigestSetting[]>;
}

/** Markers outlive any delay a restart can cause. */
const MARKER_TTL_SECONDS = 3 * 86_400;

function parseMarker(raw: string): Marker {
  const [state, value] = raw.split(' ');
  return state === 'done' ? { state: 'done', ts: value ?? '' } : { state: 'inflight', at: Number(value) };
}

/** Claims (1) if absent, or `inflight` since before ARGV[2]; 0 otherwise. */
const CLAIM_SCRIPT = `local v = redis.call('GET', KEYS[1])
if (not v) or (string.sub(v, 1, 9) == 'inflight ' and tonumber(string.sub(v, 10)) < tonumber(ARGV[2])) then
  redis.call('SET', KEYS[1], 'inflight ' .. ARGV[1], 'EX', ARGV[3])
  return 1
end
return 0`;

/** Claims (1) if absent; otherwise the marker as it is. */
const CLAIM_IF_ABSENT_SCRIPT = `local v = redis.call('GET', KEYS[1])
if v then return v end
redis.call('SET', KEYS[1], 'inflight ' .. ARGV[1], 'EX', ARGV[2])
return 1`;

interface MarkerCommands {
  dlfDigestClaim(key: string, now: number, staleBefore: number, ttl: number): Promise<number>;
  dlfDigestClaimIfAbsent(key: string, now: number, ttl: number): Promise<number | string>;
}

export class RedisDigestStore implements DigestStore {
  readonly durable = true;

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix = '{dlfbot}',
  ) {
    redis.defineCommand('dlfDigestClaim', { numberOfKeys: 1, lua: CLAIM_SCRIPT });
    redis.defineCommand('dlfDigestClaimIfAbsent', { numberOfKeys: 1, lua: CLAIM_IF_ABSENT_SCRIPT });
  }

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

  /** `{dlfbot}:digest:sent:<channel>:<day>`, where markers have always been. */
  private marker(key: string): string {
    return this.k('sent', key.slice(KEY_PREFIX.length));
  }

  private get scripts(): MarkerCommands {
    return this.redis as unknown as MarkerCommands;
  }

  async claim(key: string, now: number, staleBefore: number): Promise<boolean> {
    return (await this.scripts.dlfDigestClaim(this.marker(key), now, staleBefore, MARKER_TTL_SECONDS)) === 1;
  }

  async claimIfAbsent(key: string, now: number): Promise<true | Marker> {
    const result = await this.scripts.dlfDigestClaimIfAbsent(this.marker(key), now, MARKER_TTL_SECONDS);
    return result === 1 ? true : parseMarker(String(result));
  }

  async markDone(key: string, ts: string): Promise<void> {
    await this.redis.set(this.marker(key), `done ${ts}`, 'EX', MARKER_TTL_SECONDS);
  }

  async release(key: string): Promise<void> {
    await this.redis.del(this.marker(key));
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

  async claim(key: string, now: number, staleBefore: number): Promise<boolean> {
    const existing = this.markers.get(key);
    if (existing) {
      const marker = parseMarker(existing);
      if (!(marker.state === 'inflight' && marker.at < staleBefore)) return false;
    }
    this.set(key, `inflight ${now}`);
    return true;
  }

  async claimIfAbsent(key: string, now: number): Promise<true | Marker> {
    const existing = this.markers.get(key);
    if (existing) return parseMarker(existing);
    this.set(key, `inflight ${now}`);
    return true;
  }

  async markDone(key: string, ts: string): Promise<void> {
    this.set(key, `done ${ts}`);
  }

  async release(key: string): Promise<void> {
    this.markers.delete(key);
  }

  private set(key: string, marker: string): void {
    this.markers.set(key, marker);
    if (this.markers.size > 10_000) this.markers.delete(this.markers.keys().next().value!);
  }
}
