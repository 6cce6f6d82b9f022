/**
 * The fetch @slack/web-api calls Slack with: undici's `request` on a keep-alive pool for the bot's own calls (a
 * form-encoded string body), the platform's fetch for anything else (multipart file uploads, which the SDK sends
 * as FormData). The platform's fetch costs two to three times the CPU of `request` per call (WHATWG streams,
 * Headers, Response objects; the figures are in the README, Why these libraries), and every look-up and every
 * thread reply makes a Slack call or two.
 *
 * Only what the SDK reads of a Response is given: status, statusText, url, headers.get/entries, text, json,
 * arrayBuffer.
 */
import { Agent, type Dispatcher, request } from 'undici';

type FetchLike = typeof globalThis.fetch;

interface HeaderReader {
  get(name: string): string | null;
  entries(): IterableIterator<[string, string]>;
}

export function slackFetch(): FetchLike {
  const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
  const leanFetch = async (input: Parameters<FetchLike>[0], init?: RequestInit) => {
    const body = init?.body;
    const headers = init?.headers;
    if (
      typeof input !== 'string' ||
      (body !== undefined && body !== null && typeof body !== 'string') ||
      (headers !== undefined && Object.getPrototypeOf(headers) !== Object.prototype)
    )
      return globalThis.fetch(input, init);
    const answer = await request(input, {
      method: (init?.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: headers as Record<string, string> | undefined,
      body: body ?? undefined,
      signal: init?.signal ?? undefined,
      dispatcher,
    });
    const bytes = Buffer.from(await answer.body.arrayBuffer());
    const text = bytes.toString('utf8');
    return {
      status: answer.statusCode,
      statusText: '',
      ok: answer.statusCode >= 200 && answer.statusCode < 300,
      url: input,
      headers: headerReader(answer.headers),
      text: async () => text,
      json: async () => JSON.parse(text),
      arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    } as unknown as Response;
  };
  return leanFetch as FetchLike;
}

function headerReader(headers: Record<string, string | string[] | undefined>): HeaderReader {
  const value = (raw: string | string[] | undefined) =>
    raw === undefined ? null : Array.isArray(raw) ? raw.join(', ') : raw;
  return {
    get: (name) => value(headers[name.toLowerCase()]),
    *entries() {
      for (const [name, raw] of Object.entries(headers)) {
        const joined = value(raw);
        if (joined !== null) yield [name, joined];
      }
    },
  };
}
