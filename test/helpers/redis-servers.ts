/**
 * What the cluster, sentinel and TLS helpers share: a redis-server on a free loopback port that can be killed as a
 * crash would, a self-signed CA and server certificate for TLS, and waiting until a condition holds.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Redis, { type RedisOptions } from 'ioredis';
import { freePort } from './ports';

/** A CA and a certificate for 127.0.0.1 signed by it, in `dir`. */
export interface TestCertificates {
  ca: string;
  cert: string;
  key: string;
}

export function makeCertificates(dir: string): TestCertificates {
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=dlf-test-ca',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
  );
  writeFileSync(file('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    file('san.ext'),
    '-out',
    file('server.pem'),
  );
  return { ca: file('ca.pem'), cert: file('server.pem'), key: file('server.key') };
}

/**
 * Whether TLS can be tested here: `openssl` makes the certificates, and redis-server was built with TLS (one
 * without it calls `tls-port` a bad directive).
 */
export function redisHasTls(): boolean {
  if (spawnSync('openssl', ['version']).status !== 0) return false;
  const result = spawnSync(
    'redis-server',
    ['--port', '0', '--tls-port', '1', '--tls-cert-file', '/nonexistent', '--tls-key-file', '/nonexistent'],
    { encoding: 'utf8', timeout: 5_000 },
  );
  return /Failed to configure TLS/.test(`${result.stdout}${result.stderr}`);
}

/** The options every test client of these servers needs: TLS with the test CA, a password. */
export interface ClientAuth {
  tls?: TestCertificates;
  username?: string;
  password?: string;
}

export function clientOptions(auth: ClientAuth): RedisOptions {
  return {
    ...(auth.username ? { username: auth.username } : {}),
    ...(auth.password ? { password: auth.password } : {}),
    ...(auth.tls ? { tls: { ca: readFileSync(auth.tls.ca) } } : {}),
  };
}

/** The redis-server arguments for an ACL user with every right (`default` off) that replicas also log in as. */
export function aclArgs(user: string, password: string): string[] {
  return [
    '--user',
    'default',
    'off',
    '--user',
    user,
    'on',
    `>${password}`,
    '~*',
    '&*',
    '+@all',
    '--masteruser',
    user,
    '--masterauth',
    password,
  ];
}

/** A test's own connection to one server (errors swallowed: a test asks, and checks what it gets). */
export function connectTo(port: number, auth: ClientAuth = {}, lazy = false): Redis {
  const redis = new Redis({
    port,
    host: '127.0.0.1',
    maxRetriesPerRequest: 1,
    lazyConnect: lazy,
    ...clientOptions(auth),
  });
  redis.on('error', () => undefined);
  return redis;
}

/** Waits until the server on `port` answers PING (refused while it is still starting). */
export async function untilAnswers(port: number, auth: ClientAuth = {}, timeoutMs = 10_000): Promise<void> {
  await until(
    async () => {
      const probe = new Redis({
        port,
        host: '127.0.0.1',
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        ...clientOptions(auth),
      });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        probe.disconnect();
      }
    },
    { what: `redis-server on port ${port}`, timeoutMs, everyMs: 50 },
  );
}

/** The redis-server arguments for TLS only (no plain port) with the test certificates. */
export function tlsArgs(port: number, tls: TestCertificates): string[] {
  return [
    '--port',
    '0',
    '--tls-port',
    String(port),
    '--tls-cert-file',
    tls.cert,
    '--tls-key-file',
    tls.key,
    '--tls-ca-cert-file',
    tls.ca,
    '--tls-auth-clients',
    'no',
  ];
}

export interface ServerProcess {
  port: number;
  /** SIGKILL, as a crash. */
  kill(): Promise<void>;
  alive(): boolean;
}

/**
 * Starts redis-server with these arguments (a config file first, if any, then --bind 127.0.0.1) and waits until
 * it answers PING.
 */
export async function startServer(
  port: number,
  args: string[],
  auth: ClientAuth = {},
): Promise<ServerProcess> {
  const file = args[0]?.startsWith('--') ? [] : args.slice(0, 1);
  const child: ChildProcess = spawn(
    'redis-server',
    [...file, '--bind', '127.0.0.1', ...args.slice(file.length)],
    { stdio: 'ignore' },
  );
  await untilAnswers(port, auth);
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    port,
    alive,
    kill: () =>
      new Promise<void>((resolve) => {
        if (!alive()) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

export async function until(
  check: () => Promise<boolean> | boolean,
  options: { what: string; timeoutMs?: number; everyMs?: number },
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what}`);
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 100));
  }
}

/** Free loopback ports, all different. */
export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}
