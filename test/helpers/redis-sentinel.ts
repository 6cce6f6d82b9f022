/**
 * A real local Sentinel set-up for a test: a master, a replica of it and one sentinel watching them (quorum 1),
 * on free loopback ports in a temp folder, stopped and removed after. Optionally with TLS everywhere and an ACL
 * user on the data nodes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Redis from 'ioredis';
import {
  aclArgs,
  type ClientAuth,
  connectTo,
  freePorts,
  makeCertificates,
  type ServerProcess,
  startServer,
  tlsArgs,
  until,
} from './redis-servers';

export const MASTER_NAME = 'dlfmaster';
const USER = 'bot';

export interface TestSentinel {
  /** REDIS_SENTINELS, REDIS_SENTINEL_NAME and the credentials and TLS settings for the bot. */
  env: Record<string, string>;
  masterPort: number;
  /** A connection to the master (closed at stop). */
  master(): Redis;
  /** SIGKILLs the master; resolves when the sentinel names the replica as master, with how long that took. */
  failover(): Promise<number>;
  stop(): Promise<void>;
}

export async function startSentinel(
  options: { tls?: boolean; password?: string } = {},
): Promise<TestSentinel> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dlf-sentinel-'));
  const tls = options.tls ? makeCertificates(dir) : undefined;
  const auth: ClientAuth = {
    ...(tls ? { tls } : {}),
    ...(options.password ? { username: USER, password: options.password } : {}),
  };
  const [masterPort, replicaPort, sentinelPort] = (await freePorts(3)) as [number, number, number];
  const listen = (port: number) =>
    tls ? [...tlsArgs(port, tls), '--tls-replication', 'yes'] : ['--port', String(port)];
  const users = options.password ? aclArgs(USER, options.password) : [];
  const data = (port: number) => [
    ...['--save', '', '--appendonly', 'no', '--dir', dir, '--dbfilename', `dump-${port}.rdb`],
    // The first sync starts at once, not after the default 5 s wait for more replicas.
    ...['--repl-diskless-sync-delay', '0', '--maxmemory-policy', 'noeviction', ...users],
  ];
  const servers: ServerProcess[] = [];
  const opened: Redis[] = [];
  let sentinel: Redis | undefined;
  const stop = async () => {
    for (const connection of opened) connection.disconnect();
    await Promise.all(servers.map((server) => server.kill()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    servers.push(await startServer(masterPort, [...listen(masterPort), ...data(masterPort)], auth));
    servers.push(
      await startServer(
        replicaPort,
        [...listen(replicaPort), ...data(replicaPort), '--replicaof', '127.0.0.1', String(masterPort)],
        auth,
      ),
    );
    const config = path.join(dir, 'sentinel.conf');
    writeFileSync(
      config,
      [
        `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${masterPort} 1`,
        `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
        `sentinel failover-timeout ${MASTER_NAME} 10000`,
        ...(options.password
          ? [
              `sentinel auth-user ${MASTER_NAME} ${USER}`,
              `sentinel auth-pass ${MASTER_NAME} ${options.password}`,
            ]
          : []),
        '',
      ].join('\n'),
    );
    // The sentinel itself has no password; it speaks TLS when the data nodes do.
    const sentinelAuth: ClientAuth = tls ? { tls } : {};
    servers.push(
      await startServer(
        sentinelPort,
        [config, ...listen(sentinelPort), '--dir', dir, '--sentinel'],
        sentinelAuth,
      ),
    );
    sentinel = connectTo(sentinelPort, sentinelAuth);
    opened.push(sentinel);
    await until(
      async () => {
        const replicas = (await sentinel!
          .call('SENTINEL', 'REPLICAS', MASTER_NAME)
          .catch(() => [])) as string[][];
        return replicas.some((fields) => fields.join(' ').includes(`${replicaPort}`));
      },
      { what: 'the sentinel to know the master and its replica', timeoutMs: 20_000, everyMs: 200 },
    );
    // A failover has something to take over only once the replica is in sync.
    const replica = connectTo(replicaPort, auth);
    opened.push(replica);
    await until(async () => (await replica.info('replication')).includes('master_link_status:up'), {
      what: 'the replica to be in sync',
      timeoutMs: 20_000,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    env: {
      REDIS_SENTINELS: `127.0.0.1:${sentinelPort}`,
      REDIS_SENTINEL_NAME: MASTER_NAME,
      ...(tls ? { REDIS_TLS: 'true', REDIS_TLS_CA_FILE: tls.ca } : {}),
      ...(options.password ? { REDIS_USERNAME: USER, REDIS_PASSWORD: options.password } : {}),
    },
    masterPort,
    master: () => {
      const redis = connectTo(masterPort, auth);
      opened.push(redis);
      return redis;
    },
    failover: async () => {
      const killed = Date.now();
      await servers[0]!.kill();
      await until(
        async () => {
          const address = (await sentinel!
            .call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)
            .catch(() => undefined)) as string[] | undefined;
          return address?.[1] === String(replicaPort);
        },
        { what: 'the sentinel to promote the replica', timeoutMs: 20_000, everyMs: 100 },
      );
      return Date.now() - killed;
    },
    stop,
  };
}
