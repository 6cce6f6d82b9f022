/**
 * A small TCP proxy between the bots and Redis, on loopback, for faults Redis itself cannot play:
 * `pause()` is a network partition (nothing flows either way, connections stay open, bytes wait as TCP would
 * keep retransmitting them), `resume()` heals it, `reset()` destroys every connection (RST on both sides),
 * and `pause()` also holds back new connections until `resume()`.
 */
import net from 'node:net';

export interface RedisProxy {
  url: string;
  port: number;
  /** Connections currently open through the proxy. */
  readonly connections: number;
  /** Connections accepted while paused, held until `resume()`. */
  readonly waiting: number;
  pause(): void;
  resume(): void;
  reset(): void;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
}

export async function startRedisProxy(target: { host?: string; port: number }): Promise<RedisProxy> {
  const pairs = new Set<Pair>();
  const waiting: net.Socket[] = [];
  let paused = false;

  const connect = (client: net.Socket) => {
    const upstream = net.connect({ host: target.host ?? '127.0.0.1', port: target.port });
    const pair: Pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
    if (paused) {
      client.pause();
      upstream.pause();
    }
  };

  const server = net.createServer((client) => {
    client.setNoDelay(true);
    if (paused) {
      client.pause();
      client.on('error', () => client.destroy());
      waiting.push(client);
    } else connect(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;

  const pauseAll = () => {
    for (const { client, upstream } of pairs) {
      // Unpiping stops flowing mode; pause() keeps data in the kernel buffers, as a partition would.
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  };

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get connections() {
      return pairs.size;
    },
    get waiting() {
      return waiting.length;
    },
    pause() {
      paused = true;
      pauseAll();
    },
    resume() {
      paused = false;
      for (const { client, upstream } of pairs) {
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
        upstream.resume();
      }
      for (const client of waiting.splice(0)) if (!client.destroyed) connect(client);
    },
    reset() {
      for (const { client, upstream } of [...pairs]) {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      }
      for (const client of waiting.splice(0)) client.resetAndDestroy();
      pairs.clear();
    },
    close: async () => {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      for (const client of waiting.splice(0)) client.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
