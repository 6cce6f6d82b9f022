/**
 * Reading the tail of a node's log from OBS with Huawei's SDK (esdk-obs-nodejs). Only the tail is read: the
 * object's size first (a HEAD: OBS answers a Range beyond the object with the whole object), then one ranged GET
 * of at most `tailBytes`, its stream cut at that many bytes and within `timeoutMs`. Failures are values, each one
 * sentence elsewhere. The SDK logs only when its initLog is called, which this module never does, so no request
 * (and no AK in an Authorization header) reaches a log.
 */
import ObsClient from 'esdk-obs-nodejs';

export interface LogTail {
  bytes: Buffer;
  /** Whether the tail starts at the object's first byte (else its first line is a piece). */
  fromStart: boolean;
  /** The object's whole size. */
  size: number;
}

export type LogReadFailure = 'not-found' | 'denied' | 'unreachable' | 'invalid-path';
export type LogReadResult =
  | { ok: true; tail: LogTail }
  | { ok: false; failure: LogReadFailure; bucket?: string };

/** What the flows are given: the tail of the object at an `obs://bucket/key` path. */
export interface LogReader {
  readTail(obsPath: string, tailBytes: number): Promise<LogReadResult>;
}

export interface ObsSettings {
  /** e.g. https://obs.eu-de.otc.t-systems.com, or the simulator's loopback URL. */
  endpoint: string;
  accessKey: string;
  secretKey: string;
  securityToken?: string;
  pathStyle: boolean;
  timeoutMs: number;
}

/** `obs://bucket/a/b.log` → bucket and key; anything else is undefined. */
export function parseObsPath(path: string): { bucket: string; key: string } | undefined {
  const match = /^obs:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/.exec(path.trim());
  return match?.[1] && match[2] ? { bucket: match[1], key: match[2] } : undefined;
}

function failureOf(status: number): LogReadFailure {
  if (status === 404) return 'not-found';
  if (status === 403 || status === 401) return 'denied';
  return 'unreachable';
}

class Timeout extends Error {}

function within<T>(promise: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new Timeout());
    }, ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** At most `max` bytes of a stream; the stream is destroyed once they are in. */
async function readCapped(stream: NodeJS.ReadableStream & { destroy(): void }, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    length += chunk.length;
    if (length >= max) break;
  }
  stream.destroy();
  return Buffer.concat(chunks, Math.min(length, max)).subarray(0, max);
}

export class ObsLogReader implements LogReader {
  private readonly client: ObsClient;
  /** The SDK's constructor finishes its set-up after an await (initFactory is async): calls wait for it. */
  private readonly ready = new Promise<void>((resolve) => setImmediate(resolve));

  constructor(private readonly settings: ObsSettings) {
    this.client = new ObsClient({
      access_key_id: settings.accessKey,
      secret_access_key: settings.secretKey,
      ...(settings.securityToken ? { security_token: settings.securityToken } : {}),
      server: settings.endpoint,
      path_style: settings.pathStyle,
      timeout: Math.max(1, Math.ceil(settings.timeoutMs / 1000)),
      max_retry_count: 0,
    });
  }

  async readTail(obsPath: string, tailBytes: number): Promise<LogReadResult> {
    const where = parseObsPath(obsPath);
    if (!where) return { ok: false, failure: 'invalid-path' };
    const { bucket, key } = where;
    let stream: (NodeJS.ReadableStream & { destroy(): void }) | undefined;
    await this.ready;
    try {
      return await within(
        (async (): Promise<LogReadResult> => {
          const head = await this.client.getObjectMetadata({ Bucket: bucket, Key: key });
          if (head.CommonMsg.Status >= 300)
            return { ok: false, failure: failureOf(head.CommonMsg.Status), bucket };
          const size = Number(head.InterfaceResult?.ContentLength ?? 0);
          if (!Number.isSafeInteger(size) || size <= 0)
            return { ok: true, tail: { bytes: Buffer.alloc(0), fromStart: true, size: 0 } };
          const start = Math.max(0, size - tailBytes);
          const answer = await this.client.getObject({
            Bucket: bucket,
            Key: key,
            Range: `bytes=${start}-${size - 1}`,
            SaveAsStream: true,
          });
          if (answer.CommonMsg.Status >= 300)
            return { ok: false, failure: failureOf(answer.CommonMsg.Status), bucket };
          stream = answer.InterfaceResult?.Content;
          const bytes = stream ? await readCapped(stream, tailBytes) : Buffer.alloc(0);
          return { ok: true, tail: { bytes, fromStart: start === 0, size } };
        })(),
        this.settings.timeoutMs,
        () => stream?.destroy(),
      );
    } catch {
      // The SDK's errors can carry the request; only the kind of failure leaves this module.
      return { ok: false, failure: 'unreachable', bucket };
    }
  }

  close(): void {
    this.client.close();
  }
}
