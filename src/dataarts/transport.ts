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
import { UnavailableError } from './errors';

export interface HttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

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
      const text = await response.text();
      return { status: response.status, header: (name) => response.headers.get(name) ?? undefined, text };
    } catch (error) {
      if (timeout.aborted) throw new UnavailableError('timeout', { cause: error });
      if (request.signal?.aborted) throw request.signal.reason ?? error;
      throw new UnavailableError('network', { cause: networkCause(error) });
    }
  };
}

/** Keep only the error's code and message: a node-fetch error carries the request, which we never want logged. */
function networkCause(error: unknown): { code?: string; message: string } {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return { code: typeof code === 'string' ? code : undefined, message: String(message ?? error) };
}
