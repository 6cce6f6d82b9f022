/**
 * A real local Redis Cluster for a test: three masters and a replica each (`redis-server --cluster-enabled yes`,
 * `redis-cli --cluster create`), on free loopback ports in a temp folder, stopped and removed after. Optionally
 * with TLS everywhere (clients, the cluster bus, replication) and an ACL user.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis, { Cluster } from 'ioredis';
import {
  aclArgs,
  type ClientAuth,
  clientOptions,
  connectTo,
  freePorts,
  makeCertificates,
  type ServerProcess,
  startServer,
  type TestCertificates,
  tlsArgs,
  until,
} from './redis-servers';

export interface TestCluster {
  /** REDIS_CLUSTER_NODES for the bot: every master and replica. */
  nodes: string;
  /** The settings the bot needs besides REDIS_CLUSTER_NODES (credentials, TLS). */
  env: Record<string, string>;
  /** A cluster client for the test's own checks. */
  client(): Cluster;
  /** A connection to one node (closed at stop). */
  node(port: number): Redis;
  /** The ports of the masters now, by what each node says of itself. */
  masters(): Promise<number[]>;
  /** The master that holds this key's slot. */
  masterOf(key: string): Promise<number>;
  /** SIGKILL a node; its replica takes over after the node timeout. */
  kill(port: number): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  tls?: boolean;
  /** An ACL user `bot` with this password (and `default` off). */
  password?: string;
  /** How long a master may be silent before its replica takes over (default 1 s). */
  nodeTimeoutMs?: number;
}

const USER = 'bot';

export async function startCluster(options: ClusterOptions = {}): Promise<TestCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dlf-cluster-'));
  const tls: TestCertificates | undefined = options.tls ? makeCertificates(dir) : undefined;
  const auth: ClientAuth = {
    ...(tls ? { tls } : {}),
    ...(options.password ? { username: USER, password: options.password } : {}),
  };
  const ports = await freePorts(12);
  const nodePorts = ports.slice(0, 6);
  const servers = new Map<number, ServerProcess>();
  await Promise.all(
    nodePorts.map(async (port, index) => {
      const args = [
        ...(tls
          ? [...tlsArgs(port, tls), '--tls-cluster', 'yes', '--tls-replication', 'yes']
          : ['--port', String(port)]),
        '--cluster-enabled',
        'yes',
        '--cluster-port',
        String(ports[6 + index]),
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--cluster-node-timeout',
        String(options.nodeTimeoutMs ?? 1_000),
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'noeviction',
        ...(options.password ? aclArgs(USER, options.password) : []),
      ];
      servers.set(port, await startServer(port, args, auth));
    }),
  );
  const cliAuth = [
    ...(tls ? ['--tls', '--cacert', tls.ca] : []),
    ...(options.password ? ['--user', USER, '--pass', options.password, '--no-auth-warning'] : []),
  ];
  execFileSync(
    'redis-cli',
    [
      ...cliAuth,
      '--cluster',
      'create',
      ...nodePorts.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ],
    { stdio: 'pipe', timeout: 30_000 },
  );
  const node = (port: number) =>
    new Redis({
      port,
      host: '127.0.0.1',
      maxRetriesPerRequest: 1,
      lazyConnect: true,
      ...clientOptions(auth),
    });
  const ask = async <T>(port: number, run: (redis: Redis) => Promise<T>): Promise<T | undefined> => {
    const redis = node(port);
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      return await run(redis);
    } catch {
      return undefined;
    } finally {
      redis.disconnect();
    }
  };
  const role = (port: number) =>
    ask(port, async (redis) => /role:(\w+)/.exec(await redis.info('replication'))?.[1]);
  // Every node sees the cluster whole, and every replica is in sync (so a failover has something to take over).
  await until(
    async () => {
      for (const port of nodePorts) {
        const info = await ask(port, (redis) => redis.cluster('INFO') as Promise<string>);
        if (!info?.includes('cluster_state:ok')) return false;
        const replication = await ask(port, (redis) => redis.info('replication'));
        if (replication?.includes('role:slave') && !replication.includes('master_link_status:up'))
          return false;
      }
      return true;
    },
    { what: 'the cluster to be whole', timeoutMs: 30_000, everyMs: 200 },
  );
  const clients: Cluster[] = [];
  const opened: Redis[] = [];
  const live = () => nodePorts.filter((port) => servers.get(port)!.alive());
  const masters = async () => {
    const found: number[] = [];
    for (const port of live()) if ((await role(port)) === 'master') found.push(port);
    return found;
  };
  return {
    nodes: nodePorts.map((port) => `127.0.0.1:${port}`).join(','),
    env: {
      ...(tls ? { REDIS_TLS: 'true', REDIS_TLS_CA_FILE: tls.ca } : {}),
      ...(options.password ? { REDIS_USERNAME: USER, REDIS_PASSWORD: options.password } : {}),
    },
    client: () => {
      const cluster = new Cluster(
        live().map((port) => ({ host: '127.0.0.1', port })),
        { redisOptions: clientOptions(auth), slotsRefreshInterval: 1_000 },
      );
      cluster.on('error', () => undefined);
      clients.push(cluster);
      return cluster;
    },
    node: (port) => {
      const redis = connectTo(port, auth);
      opened.push(redis);
      return redis;
    },
    masters,
    masterOf: async (key) => {
      const slot = (await ask(live()[0]!, (redis) => redis.cluster('KEYSLOT', key) as Promise<number>))!;
      for (const port of await masters()) {
        const slots = (await ask(port, (redis) => redis.cluster('SLOTS'))) as unknown as [
          number,
          number,
          [string, number],
        ][];
        const owner = slots.find(([from, to]) => from <= slot && slot <= to);
        if (owner && owner[2][1] === port) return port;
      }
      throw new Error(`no master holds slot ${slot}`);
    },
    kill: async (port) => {
      await servers.get(port)?.kill();
    },
    stop: async () => {
      for (const connection of [...clients, ...opened]) connection.disconnect();
      await Promise.all([...servers.values()].map((server) => server.kill()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
