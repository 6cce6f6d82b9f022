/**
 * An OBS-compatible endpoint for the simulator's node logs, on its own loopback port. It checks the signature
 * Huawei's SDK sends (OBS and V2 styles: HMAC-SHA1 over method, Content-MD5, Content-Type, Date, the x-obs-/x-amz-
 * headers and the path), answers HEAD and GET with `Range` (a range beyond the object gets the whole object, as
 * OBS does), and counts the bytes it serves. Objects are made on demand from a size and a function of the range,
 * so the 50 MB log is never held in memory. Faults: missing object, access denied, slow, endpoint down.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { listenLocal } from '../support/http-server';

export interface ObsObject {
  size: number;
  /** Bytes [start, end] (inclusive), in pieces. */
  read(start: number, end: number): Iterable<Buffer>;
}

export type ObsFault =
  | { kind: 'missing' }
  | { kind: 'denied' }
  | { kind: 'slow'; ms: number }
  | { kind: 'down' };

export interface ObsOptions {
  accessKey: string;
  secretKey: string;
  /** Temporary keys besides (IAM's): the secret and the security token OBS wants with each. */
  temporaryKey?: (access: string) => { secret: string; securitytoken: string } | undefined;
  /** Keys are `bucket/key`. */
  objects?: Map<string, ObsObject>;
  /** Objects not in `objects`: made from their `bucket/key` (the simulator's failed nodes' logs). */
  resolve?: (bucketKey: string) => ObsObject | undefined;
  host?: string;
  port?: number;
}

export interface RunningObs {
  url: string;
  objects: Map<string, ObsObject>;
  /** Body bytes sent since start (HEAD sends none). */
  bytesServed(): number;
  requests(): { method: string; path: string; range?: string }[];
  setFault(fault: ObsFault | undefined): void;
  close(): Promise<void>;
}

/** An object held in memory (small logs). */
export function bufferObject(bytes: Buffer): ObsObject {
  return { size: bytes.length, read: (start, end) => [bytes.subarray(start, end + 1)] };
}

/** A log of `size` bytes: `filler` lines repeated, ending with `ending`; made piece by piece as it is read. */
export function generatedLog(size: number, filler: (line: number) => string, ending: Buffer): ObsObject {
  const line = Buffer.from(filler(0));
  const width = line.length;
  const fillerBytes = size - ending.length;
  return {
    size,
    *read(start, end) {
      const piece = 64 * 1024;
      for (let at = start; at <= end; ) {
        const stop = Math.min(end + 1, at + piece);
        if (at >= fillerBytes) {
          yield ending.subarray(at - fillerBytes, stop - fillerBytes);
          at = stop;
          continue;
        }
        const upTo = Math.min(stop, fillerBytes);
        const parts: Buffer[] = [];
        for (let p = at; p < upTo; ) {
          const index = Math.floor(p / width);
          const text = Buffer.from(filler(index));
          const from = p - index * width;
          const to = Math.min(width, from + (upTo - p));
          parts.push(text.subarray(from, to));
          p += to - from;
        }
        yield Buffer.concat(parts);
        at = upTo;
      }
    },
  };
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

/** The SDK's doAuth, recomputed: true when the Authorization header is ours. */
function signedByUs(req: IncomingMessage, path: string, accessKey: string, secretKey: string): boolean {
  const match = /^(OBS|AWS) ([^:]+):(.+)$/.exec(header(req, 'authorization'));
  if (!match || match[2] !== accessKey) return false;
  const prefix = match[1] === 'OBS' ? 'x-obs-' : 'x-amz-';
  let text = `${req.method}\n${header(req, 'content-md5')}\n${header(req, 'content-type')}\n${header(req, 'date')}\n`;
  const names = Object.keys(req.headers)
    .filter((name) => name.startsWith(prefix))
    .sort();
  for (const name of names) text += `${name}:${header(req, name)}\n`;
  text += path;
  const expected = Buffer.from(createHmac('sha1', secretKey).update(text).digest('base64'));
  const given = Buffer.from(match[3] ?? '');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function refuse(res: ServerResponse, status: number, code: string, head: boolean): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`;
  res.writeHead(status, {
    'content-type': 'application/xml',
    'content-length': head ? 0 : Buffer.byteLength(body),
  });
  res.end(head ? undefined : body);
}

function parseRange(raw: string, size: number): { start: number; end: number } | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(raw.trim());
  if (!match) return undefined;
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return undefined;
  if (from === '') return { start: Math.max(0, size - Number(to)), end: size - 1 };
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  // OBS answers a range it cannot satisfy with the whole object.
  return start >= size || start > end ? undefined : { start, end };
}

export async function startObs(options: ObsOptions): Promise<RunningObs> {
  const objects = options.objects ?? new Map<string, ObsObject>();
  let served = 0;
  let fault: ObsFault | undefined;
  const log: { method: string; path: string; range?: string }[] = [];
  const server = await listenLocal(
    async (req, res) => {
      if (fault?.kind === 'down') {
        req.socket.destroy();
        return;
      }
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const head = req.method === 'HEAD';
      const range = header(req, 'range');
      log.push({ method: req.method ?? '', path, ...(range ? { range } : {}) });
      if (fault?.kind === 'slow')
        await new Promise((resolve) => setTimeout(resolve, fault?.kind === 'slow' ? fault.ms : 0));
      const access = /^(?:OBS|AWS) ([^:]+):/.exec(header(req, 'authorization'))?.[1] ?? '';
      const temporary = access === options.accessKey ? undefined : options.temporaryKey?.(access);
      const signed = temporary
        ? (header(req, 'x-obs-security-token') || header(req, 'x-amz-security-token')) ===
            temporary.securitytoken && signedByUs(req, path, access, temporary.secret)
        : signedByUs(req, path, options.accessKey, options.secretKey);
      if (!signed) return refuse(res, 403, 'SignatureDoesNotMatch', head);
      if (fault?.kind === 'denied') return refuse(res, 403, 'AccessDenied', head);
      if (req.method !== 'GET' && !head) return refuse(res, 405, 'MethodNotAllowed', head);
      const name = decodeURIComponent(path.slice(1));
      const object = fault?.kind === 'missing' ? undefined : (objects.get(name) ?? options.resolve?.(name));
      if (!object) return refuse(res, 404, 'NoSuchKey', head);
      const wanted = range && !head ? parseRange(range, object.size) : undefined;
      const start = wanted?.start ?? 0;
      const end = wanted?.end ?? object.size - 1;
      res.writeHead(wanted ? 206 : 200, {
        'content-type': 'text/plain',
        'content-length': head ? object.size : Math.max(0, end - start + 1),
        ...(wanted ? { 'content-range': `bytes ${start}-${end}/${object.size}` } : {}),
        etag: `"${object.size.toString(16)}"`,
      });
      if (head || object.size === 0) {
        res.end();
        return;
      }
      const body = Readable.from(object.read(start, end));
      body.on('data', (chunk: Buffer) => {
        served += chunk.length;
      });
      body.pipe(res);
      await new Promise<void>((resolve) => {
        res.once('close', resolve);
      });
      body.destroy();
    },
    { host: options.host ?? '127.0.0.1', port: options.port ?? 0 },
  );
  return {
    url: server.url,
    objects,
    bytesServed: () => served,
    requests: () => [...log],
    setFault: (next) => {
      fault = next;
    },
    close: () => server.close(),
  };
}
