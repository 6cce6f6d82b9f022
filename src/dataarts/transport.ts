/**
 * One HTTP exchange with DataArts (or IAM) over node-fetch: keep-alive agents, HTTPS_PROXY / NO_PROXY
 * honoured, a timeout on every request. Network failures and timeouts become UnavailableError; any HTTP
 * answer is returned as is for the caller to interpret.
 */
import http from 'node:http';
import https from 'node:https';
import { HttpsProxyAgent } from 'https-proxy-agent';
import fetch from 'node-fetch';
import { getProxyForUrl } from 'proxy-from-env';
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

type Agent = http.Agent | https.Agent;

/** Keep-alive agents, one per protocol and one per proxy; the proxy comes from HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
export function agentChooser(): (url: URL) => Agent {
  const direct = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true }),
  };
  const viaProxy = new Map<string, Agent>();
  return (url) => {
    const proxy = getProxyForUrl(url.href);
    if (!proxy) return url.protocol === 'http:' ? direct['http:'] : direct['https:'];
    let agent = viaProxy.get(proxy);
    if (!agent) {
      agent = new HttpsProxyAgent(proxy, { keepAlive: true });
      viaProxy.set(proxy, agent);
    }
    return agent;
  };
}

export function createTransport(chooseAgent: (url: URL) => Agent = agentChooser()): Transport {
  return async (request) => {
    const timeout = AbortSignal.timeout(request.timeoutMs);
    const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
    try {
      const response = await fetch(request.url.href, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        agent: (parsed: URL) => chooseAgent(parsed),
        signal,
        redirect: 'manual',
      });
      const text = await readCapped(response, request.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
      return { status: response.status, header: (name) => response.headers.get(name) ?? undefined, text };
    } catch (error) {
      if (error instanceof ResponseTooLargeError) throw error;
      if (timeout.aborted) throw new UnavailableError('timeout', { cause: error });
      if (request.signal?.aborted) throw request.signal.reason ?? error;
      throw new UnavailableError('network', { cause: networkCause(error) });
    }
  };
}

/**
 * The body as text, read as it streams in and abandoned (the connection closed) as soon as it passes `maxBytes`,
 * so an oversized answer never sits in memory whole.
 */
async function readCapped(
  response: { headers: { get(name: string): string | null }; body: NodeJS.ReadableStream | null },
  maxBytes: number,
): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  const body = response.body as (NodeJS.ReadableStream & { destroy(): void }) | null;
  if (Number.isFinite(declared) && declared > maxBytes) {
    body?.destroy();
    throw new ResponseTooLargeError(maxBytes);
  }
  if (!body) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > maxBytes) {
      body.destroy();
      throw new ResponseTooLargeError(maxBytes);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/** Keep only the error's code and message: a node-fetch error carries the request, which we never want logged. */
function networkCause(error: unknown): { code?: string; message: string } {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return { code: typeof code === 'string' ? code : undefined, message: String(message ?? error) };
}
