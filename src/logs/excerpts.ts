/**
 * The excerpt of a failed node's log, from its OBS path to text ready to show: the tail read through the injected
 * LogReader (once more after a delay when the log is not there yet, since DataArts writes it late), decoded,
 * checked for empty and binary, the lines that matter picked, every secret taken out. Failures are values; their
 * sentences are the renderer's (slack/blocks/log-excerpt.ts). Nothing here throws.
 */
import { decodeLog, looksBinary, pickLines } from './excerpt';
import type { LogReader } from './obs-reader';
import { type RedactPatterns, redact } from './redact';

export interface ExcerptSettings {
  /** Bytes of the tail read (DLF_LOG_TAIL_KB). */
  tailBytes: number;
  redactPatterns: RedactPatterns;
  /** Wait before the one retry of a log not found yet. */
  notFoundRetryMs: number;
}

export type LogExcerpt =
  | { kind: 'excerpt'; excerpt: string /** The whole tail, redacted: the Full log file. */; full: string }
  | { kind: 'not-found' | 'unreachable' | 'empty' | 'binary' | 'no-path' }
  | { kind: 'denied'; bucket: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function readExcerpt(
  reader: LogReader,
  logPath: string | undefined,
  settings: ExcerptSettings,
): Promise<LogExcerpt> {
  if (!logPath) return { kind: 'no-path' };
  let result = await reader.readTail(logPath, settings.tailBytes);
  if (!result.ok && result.failure === 'not-found') {
    await sleep(settings.notFoundRetryMs);
    result = await reader.readTail(logPath, settings.tailBytes);
  }
  if (!result.ok) {
    if (result.failure === 'denied') return { kind: 'denied', bucket: result.bucket ?? '' };
    if (result.failure === 'invalid-path') return { kind: 'no-path' };
    return { kind: result.failure };
  }
  const { bytes, fromStart } = result.tail;
  const text = decodeLog(bytes, fromStart);
  if (looksBinary(bytes, text)) return { kind: 'binary' };
  if (text.trim() === '') return { kind: 'empty' };
  return {
    kind: 'excerpt',
    excerpt: redact(pickLines(text), settings.redactPatterns),
    full: redact(text, settings.redactPatterns),
  };
}

/** The excerpts the bot reads: one OBS reader for the process, with the settings it was started with. */
export class LogExcerpts {
  constructor(
    private readonly reader: LogReader & { close?(): void },
    readonly settings: ExcerptSettings,
  ) {}

  /** The excerpt of the log at `logPath` (an `obs://` path DataArts gave for a node). */
  read(logPath: string | undefined): Promise<LogExcerpt> {
    return readExcerpt(this.reader, logPath, this.settings);
  }

  close(): void {
    this.reader.close?.();
  }
}
