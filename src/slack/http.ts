/**
 * The bot's HTTP front door, one server in both modes: `GET /livez` (the process answers), `GET /healthz`
 * (ready: Slack and the store reachable, or 503 saying what is not), extra routes (metrics), and in HTTP mode
 * `POST /slack/events`, handed to Bolt's receiver only when its timestamp is within five minutes of now, either
 * way (Bolt itself refuses only stale ones, so a request dated an hour ahead would otherwise pass).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const EVENTS_PATH = '/slack/events';
/** Slack's own window for replayed requests, applied in both directions. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

export interface Readiness {
  /** What is not ready, in words (empty: ready). */
  problems(): Promise<string[]> | string[];
}

export type RequestListener = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface FrontDoorOptions {
  port: number;
  host?: string;
  readiness: Readiness;
  /** HTTP mode: Bolt's receiver. */
  slack?: RequestListener;
  /** More GET routes (e.g. /metrics). */
  routes?: Record<string, RequestListener>;
  /** POST routes besides Slack's (e.g. /dataarts/notify). */
  posts?: Record<string, RequestListener>;
  /** GET routes by path prefix (e.g. /pictures/). */
  prefixes?: Record<string, RequestListener>;
  clock?: () => number;
}

export interface FrontDoor {
  port: number;
  close(): Promise<void>;
}

function plain(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

/** Whether a request's `x-slack-request-timestamp` is a number within the window around now. */
export function freshTimestamp(header: string | string[] | undefined, nowMs: number): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value || !/^\d{1,12}$/.test(value)) return false;
  return Math.abs(nowMs / 1000 - Number(value)) <= MAX_CLOCK_SKEW_SECONDS;
}

export async function openFrontDoor(options: FrontDoorOptions): Promise<FrontDoor> {
  const clock = options.clock ?? Date.now;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    if (path === EVENTS_PATH && method === 'POST' && options.slack) {
      if (!freshTimestamp(req.headers['x-slack-request-timestamp'], clock())) {
        // Drain what was sent, then refuse, as Bolt refuses a bad signature.
        req.resume();
        return plain(res, 401, '');
      }
      return options.slack(req, res);
    }
    const post = method === 'POST' ? options.posts?.[path] : undefined;
    if (post) return post(req, res);
    if (method !== 'GET' && method !== 'HEAD') return plain(res, 404, 'not found');
    if (path === '/livez') return plain(res, 200, 'ok');
    if (path === '/healthz') {
      void Promise.resolve(options.readiness.problems()).then(
        (problems) =>
          problems.length === 0
            ? plain(res, 200, 'ok')
            : plain(res, 503, `not ready: ${problems.join('; ')}`),
        () => plain(res, 503, 'not ready: the readiness check failed'),
      );
      return;
    }
    const route =
      options.routes?.[path] ??
      Object.entries(options.prefixes ?? {}).find(([prefix]) => path.startsWith(prefix))?.[1];
    if (route) return route(req, res);
    plain(res, 404, 'not found');
  });
  // A slow client cannot hold a connection open forever.
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    port: address.port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // In-flight requests get a moment; then everything goes.
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      }),
  };
}
