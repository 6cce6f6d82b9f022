/**
 * Every Redis connection the bot makes is built here, from one `RedisSettings`: a single server (`REDIS_URL`), a
 * Redis Cluster (`REDIS_CLUSTER_NODES`) or a master found through Sentinel (`REDIS_SENTINELS`), each with optional
 * username, password and TLS. The settings are plain data, so they cross into the engine thread as they are.
 * Passwords live only in the settings and the connection options, never in what `describeRedis` returns.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import Redis, { Cluster, type RedisOptions } from 'ioredis';
import { booleanSetting, type Env, setting } from '../config-error';

/** A connection to any of the three: the stores, the probe and BullMQ take either. */
export type RedisConnection = Redis | Cluster;

export interface RedisAddress {
  host: string;
  port: number;
}

export type RedisSettings =
  | ({ mode: 'url'; url: string } & RedisAuth)
  | ({ mode: 'cluster'; nodes: RedisAddress[] } & RedisAuth)
  | ({ mode: 'sentinel'; sentinels: RedisAddress[]; name: string; sentinelPassword?: string } & RedisAuth);

export interface RedisAuth {
  username?: string;
  password?: string;
  /** TLS to every node (with `rediss://` too). */
  tls: boolean;
  /** PEM file of the CA that signed the servers' certificates, when it is not a public one. */
  caFile?: string;
}

/** `host:port` items separated by commas or white space ([::1]:6379 for IPv6). */
function addresses(raw: string, name: string, problems: string[]): RedisAddress[] {
  const parsed: RedisAddress[] = [];
  for (const item of raw.split(/[\s,]+/).filter(Boolean)) {
    const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(item);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65_535) {
      problems.push(`${name} must list host:port items separated by commas (got "${item.slice(0, 80)}").`);
      continue;
    }
    parsed.push({ host: match[1]!.replace(/^\[|\]$/g, ''), port });
  }
  return parsed;
}

/** The Redis settings, if any form is given; problems are recorded naming the variable, never a value of a secret. */
export function readRedisSettings(env: Env, problems: string[]): RedisSettings | undefined {
  const url = setting(env, 'REDIS_URL');
  const clusterNodes = setting(env, 'REDIS_CLUSTER_NODES');
  const sentinels = setting(env, 'REDIS_SENTINELS');
  const name = setting(env, 'REDIS_SENTINEL_NAME');
  const given = [
    url && 'REDIS_URL',
    clusterNodes && 'REDIS_CLUSTER_NODES',
    sentinels && 'REDIS_SENTINELS',
  ].filter(Boolean);
  const auth: RedisAuth = {
    username: setting(env, 'REDIS_USERNAME'),
    password: setting(env, 'REDIS_PASSWORD'),
    tls: booleanSetting(env, 'REDIS_TLS', problems),
    caFile: setting(env, 'REDIS_TLS_CA_FILE'),
  };
  if (auth.caFile && !existsSync(auth.caFile))
    problems.push(`REDIS_TLS_CA_FILE names a file that does not exist (${auth.caFile.slice(0, 200)}).`);
  if (name && !sentinels) problems.push('REDIS_SENTINEL_NAME is set but REDIS_SENTINELS is not.');
  if (given.length > 1) {
    problems.push(
      `Set only one of REDIS_URL, REDIS_CLUSTER_NODES and REDIS_SENTINELS (got ${given.join(', ')}).`,
    );
    return undefined;
  }
  if (given.length === 0) {
    const orphans = [
      'REDIS_USERNAME',
      'REDIS_PASSWORD',
      'REDIS_TLS',
      'REDIS_TLS_CA_FILE',
      'REDIS_SENTINEL_PASSWORD',
    ].filter((orphan) => setting(env, orphan));
    if (orphans.length > 0)
      problems.push(
        `${orphans.join(', ')} ${orphans.length > 1 ? 'are' : 'is'} set without REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS.`,
      );
    return undefined;
  }
  if (url) {
    if (!/^rediss?:\/\//.test(url)) {
      problems.push('REDIS_URL must start with redis:// or rediss://.');
      return undefined;
    }
    return { mode: 'url', url, ...auth, tls: auth.tls || url.startsWith('rediss://') };
  }
  if (clusterNodes) {
    const nodes = addresses(clusterNodes, 'REDIS_CLUSTER_NODES', problems);
    return nodes.length > 0 ? { mode: 'cluster', nodes, ...auth } : undefined;
  }
  const list = addresses(sentinels!, 'REDIS_SENTINELS', problems);
  if (!name)
    problems.push('REDIS_SENTINELS needs REDIS_SENTINEL_NAME: the name of the master the sentinels watch.');
  if (list.length === 0 || !name) return undefined;
  const sentinelPassword = setting(env, 'REDIS_SENTINEL_PASSWORD');
  return {
    mode: 'sentinel',
    sentinels: list,
    name,
    ...auth,
    ...(sentinelPassword ? { sentinelPassword } : {}),
  };
}

/** What a log line may say about where Redis is: no password, no username. */
export function describeRedis(settings: RedisSettings): string {
  const tls = settings.tls ? ' over TLS' : '';
  const list = (items: RedisAddress[]) => items.map((item) => `${item.host}:${item.port}`).join(',');
  switch (settings.mode) {
    case 'url': {
      try {
        const url = new URL(settings.url);
        return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}${tls}`;
      } catch {
        return `an unreadable REDIS_URL${tls}`;
      }
    }
    case 'cluster':
      return `cluster ${list(settings.nodes)}${tls}`;
    case 'sentinel':
      return `master "${settings.name}" via sentinels ${list(settings.sentinels)}${tls}`;
  }
}

/** How a connection behaves when Redis does not answer: fail a command after some retries, or wait (BullMQ's worker). */
export interface ConnectionRole {
  maxRetriesPerRequest: number | null;
  enableOfflineQueue?: boolean;
}

function tlsOptions(settings: RedisSettings): ConnectionOptions | undefined {
  if (!settings.tls) return undefined;
  return settings.caFile ? { ca: readFileSync(settings.caFile) } : {};
}

/** A new connection to the Redis the settings name. */
export function connectRedis(settings: RedisSettings, role: ConnectionRole): RedisConnection {
  const tls = tlsOptions(settings);
  const common: RedisOptions = {
    ...(settings.username ? { username: settings.username } : {}),
    ...(settings.password ? { password: settings.password } : {}),
    ...(tls ? { tls } : {}),
    maxRetriesPerRequest: role.maxRetriesPerRequest,
  };
  const offlineQueue =
    role.enableOfflineQueue !== undefined ? { enableOfflineQueue: role.enableOfflineQueue } : {};
  switch (settings.mode) {
    case 'url':
      // Credentials in the URL win over REDIS_USERNAME / REDIS_PASSWORD (ioredis fills only what is missing).
      return new Redis(settings.url, { ...common, ...offlineQueue });
    case 'cluster':
      return new Cluster(settings.nodes, {
        redisOptions: common,
        ...offlineQueue,
        // A master's death is noticed and its replica found within seconds, not at the next command's timeout.
        slotsRefreshInterval: 2_000,
        // MOVED/ASK/CLUSTERDOWN during a failover are retried for ~10 s before a command fails.
        retryDelayOnClusterDown: 200,
        retryDelayOnFailover: 200,
        maxRedirections: 50,
      });
    case 'sentinel':
      return new Redis({
        ...common,
        ...offlineQueue,
        sentinels: settings.sentinels,
        name: settings.name,
        ...(settings.sentinelPassword ? { sentinelPassword: settings.sentinelPassword } : {}),
        ...(tls ? { enableTLSForSentinelMode: true, sentinelTLS: tls } : {}),
      });
  }
}
