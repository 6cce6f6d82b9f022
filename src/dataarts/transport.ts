/**
 * One HTTP exchange with DataArts (or IAM) over undici's `request`: keep-alive pools, HTTPS_PROXY / NO_PROXY
 * honoured (a CONNECT tunnel per proxy), one deadline over the whole exchange. Network failures and timeouts
 * become UnavailableError; any HTTP answer is returned as is for the caller to interpret.
 *
 * `request` rather than a fetch: the WHATWG layer (Request, Headers, streams, AbortSignal per call) is most of
 * a fetch's CPU on a small answer, and a look-up pays it on every command (see the README, Performance).
 */
import { getProxyForUrl } from 'proxy-from-env';
import { Agent, type Dispatcher, ProxyAgent, request as send } from 'undici';
import { ResponseTooLargeError, UnavailableError } from './errors';

export interface HttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Answers larger than this are not read past it (ResponseTooLargeError). Default: DEFAULT_MAX_RESPONSE_BYTES. */
  maxBytes?: number;
}

/** 16 MB: a 20,000-node instance is about 4 MB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1_048_576;

export interface HttpResponse {
  status: number;
  header(name: string): string | undefined;
  text: string;
}

export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

const KEEP_ALIVE_MS = 30_000;

/** Keep-alive pools: one direct, one per proxy; the proxy comes from HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
export function dispatcherChooser(): (url: URL) => Dispatcher {
  const direct = new Agent({ keepAliveTimeout: KEEP_ALIVE_MS });
  const viaProxy = new Map<string, Dispatcher>();
  return (url) => {
    const proxy = getProxyForUrl(url.href);
    if (!proxy) return direct;
    let dispatcher = viaProxy.get(proxy);
    if (!dispatcher) {
      dispatcher = new ProxyAgent({ uri: proxy, keepAliveTimeout: KEEP_ALIVE_MS });
      viaProxy.set(proxy, dispatcher);
    }
    return dispatcher;
  };
}

/** Our deadline ran out (told apart from the caller's own abort). */
class DeadlineError extends Error {}

export function createTransport(choose: (url: URL) => Dispatcher = dispatcherChooser()): Transport {
  return async (request) => {
    const maxBytes = request.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    // One timer for the whole exchange (headers and body), cheaper than an AbortSignal.timeout per request.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DeadlineError()), request.timeoutMs);
    const signal = request.signal ? AbortSignal.any([deadline.signal, request.signal]) : deadline.signal;
    try {
      const answer = await send(request.url, {
        method: request.method as Dispatcher.HttpMethod,
        headers: request.headers,
        body: request.body,
        dispatcher: choose(request.url),
        signal,
      });
      const text = await readCapped(answer, maxBytes);
      const headers = answer.headers;
      return {
        status: answer.statusCode,
        header: (name) => {
          const value = headers[name.toLowerCase()];
          return Array.isArray(value) ? value.join(', ') : value;
        },
        text,
      };
    } catch (error) {
      if (error instanceof ResponseTooLargeError) throw error;
      if (deadline.signal.aborted) throw new UnavailableError('timeout', { cause: networkCause(error) });
      if (request.signal?.aborted) throw request.signal.reason ?? error;
      throw new UnavailableError('network', { cause: networkCause(error) });
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * The body as text, read as it streams in and abandoned (the connection closed) as soon as it passes `maxBytes`,
 * so an oversized answer never sits in memory whole.
 */
async function readCapped(answer: Dispatcher.ResponseData, maxBytes: number): Promise<string> {
  const declared = Number(answer.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    answer.body.destroy();
    throw new ResponseTooLargeError(maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of answer.body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) {
      answer.body.destroy();
      throw new ResponseTooLargeError(maxBytes);
    }
    chunks.push(buffer);
  }
  return chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
}

/** Keep only the error's code and message: an HTTP client's error may carry the request, which we never want logged. */
function networkCause(error: unknown): { code?: string; message: string } {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return { code: typeof code === 'string' ? code : undefined, message: String(message ?? error) };
}
