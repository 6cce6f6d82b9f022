/**
 * Writing an answer of the simulator onto the HTTP response: JSON with exact ids, the `Date` header in
 * DataArts' own clock (Node would send the real one), and the body faults of faults.ts. A padded body is
 * streamed in chunks of about 64 KiB, waiting for the socket to drain, so its size never sits in memory.
 */
import { once } from 'node:events';
import type http from 'node:http';
import type { Answer } from './answers';
import type { Fault } from './faults';
import { toJson } from './json';

export interface RespondOptions {
  /** When set, the `Date` header says this moment. */
  now?: number;
  /** The body knobs of the fault in force, if any. */
  fault?: Pick<Fault, 'oversizeBytes' | 'truncate' | 'garbage'>;
  serialize?: (body: unknown) => string;
}

/** A piece of the body: `text` written `count` times. */
interface Part {
  text: string;
  count: number;
}

const CHUNK_BYTES = 64 * 1024;
const SENTINEL = 'simulator-padding-sentinel-6a1f0c93';
const PADDING_NODE = '{"nodeName":"padding","status":"skip","type":"Dummy"}';
const GARBAGE =
  '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>\n';

export async function respond(
  res: http.ServerResponse,
  answer: Answer,
  options: RespondOptions = {},
): Promise<void> {
  const { fault = {}, serialize = toJson } = options;
  const date = options.now === undefined ? {} : { Date: new Date(options.now).toUTCString() };
  if (fault.garbage) {
    res.writeHead(200, {
      ...date,
      'Content-Type': 'text/html',
      'Content-Length': Buffer.byteLength(GARBAGE),
    });
    res.end(GARBAGE);
    return;
  }
  const padded = fault.oversizeBytes !== undefined && isObject(answer.body);
  const parts = padded ? paddedParts(answer.body as object, fault.oversizeBytes!, serialize) : undefined;
  const text = parts || answer.body === undefined ? '' : serialize(answer.body);
  const json = parts || text ? { 'Content-Type': 'application/json;charset=UTF-8' } : {};
  if (!parts) {
    const bytes = Buffer.from(text);
    const sent = fault.truncate ? bytes.subarray(0, Math.floor(bytes.length / 2)) : bytes;
    res.writeHead(answer.status, {
      ...date,
      ...json,
      ...(sent.length > 0 ? { 'Content-Length': sent.length } : {}),
      ...answer.headers,
    });
    res.end(sent);
    return;
  }
  res.writeHead(answer.status, { ...date, ...json, ...answer.headers });
  const total = parts.reduce((sum, part) => sum + Buffer.byteLength(part.text) * part.count, 0);
  await stream(res, parts, fault.truncate ? Math.floor(total / 2) : total);
}

function isObject(body: unknown): body is object {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

/** The body with padding where the sentinel was: nodes after an instance's own, else a `padding` field. */
function paddedParts(body: object, atLeast: number, serialize: (body: unknown) => string): Part[] {
  const nodes = (body as { nodes?: unknown }).nodes;
  const withSentinel = Array.isArray(nodes)
    ? { ...body, nodes: [...nodes, SENTINEL] }
    : { ...body, padding: SENTINEL };
  const [before = '', after = ''] = serialize(withSentinel).split(JSON.stringify(SENTINEL));
  const missing = Math.max(0, atLeast - Buffer.byteLength(before) - Buffer.byteLength(after));
  if (!Array.isArray(nodes)) {
    return [
      { text: `${before}"`, count: 1 },
      { text: 'x', count: Math.max(0, missing - 2) },
      { text: `"${after}`, count: 1 },
    ];
  }
  const extra = Math.max(0, Math.ceil((missing - PADDING_NODE.length) / (PADDING_NODE.length + 1)));
  return [
    { text: `${before}${PADDING_NODE}`, count: 1 },
    { text: `,${PADDING_NODE}`, count: extra },
    { text: after, count: 1 },
  ];
}

/** True once the response drained, false if it closed first. */
async function drained(res: http.ServerResponse): Promise<boolean> {
  const stop = new AbortController();
  const wait = (event: string) =>
    once(res, event, { signal: stop.signal }).then(
      () => event,
      () => 'aborted',
    );
  const event = await Promise.race([wait('drain'), wait('close')]);
  stop.abort();
  return event === 'drain';
}

/** Writes the parts up to `limit` bytes, in chunks, respecting backpressure; stops if the client goes away. */
async function stream(res: http.ServerResponse, parts: Part[], limit: number): Promise<void> {
  let left = limit;
  const write = async (chunk: Buffer): Promise<boolean> => {
    if (left <= 0 || res.destroyed) return false;
    const piece = chunk.length > left ? chunk.subarray(0, left) : chunk;
    left -= piece.length;
    if (!res.write(piece) && !(await drained(res))) return false;
    return left > 0;
  };
  for (const { text, count } of parts) {
    if (count === 0) continue;
    const unit = Buffer.from(text);
    const perChunk = Math.max(1, Math.floor(CHUNK_BYTES / Math.max(1, unit.length)));
    const chunk = Buffer.from(text.repeat(Math.min(perChunk, count)));
    let written = 0;
    while (written < count) {
      const units = Math.min(perChunk, count - written);
      const more = await write(
        units === Math.min(perChunk, count) ? chunk : chunk.subarray(0, units * unit.length),
      );
      written += units;
      if (!more) {
        if (!res.destroyed) res.end();
        return;
      }
    }
  }
  res.end();
}
