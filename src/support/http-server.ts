/**
 * A small HTTP server for the project's stand-ins (simulator, Slack stand-in, playground): async handlers,
 * a 500 for anything they throw, and a close() that returns at once even with hanging or keep-alive
 * connections open, so tests and tools never leak sockets.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type AsyncHandler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

export interface LocalServer {
  server: http.Server;
  url: string;
  close(): Promise<void>;
}

export async function listenLocal(
  handler: AsyncHandler,
  options: { host?: string; port?: number } = {},
): Promise<LocalServer> {
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    handler(req, res).catch((error: unknown) => {
      if (res.headersSent) return;
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`internal error: ${(error as Error).message}`);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const shownHost = address.includes(':') ? `[${address}]` : address;
  return {
    server,
    url: `http://${shownHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
