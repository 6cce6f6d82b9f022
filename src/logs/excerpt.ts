/**
 * From the bytes of a log's tail to what a reader needs: text decoded as UTF-8 (bad bytes become U+FFFD), with
 * terminal colours and control characters taken out, and the lines that say why the node failed (error lines,
 * exceptions and their stack, else the last lines), within a budget of characters. Pure; redaction is separate
 * (redact.ts) and runs on the result before anything is shown.
 */

/** Lines an excerpt keeps when no line looks like an error. */
export const LAST_LINES = 30;
/** About what fits in a Slack code block beside its frame. */
export const EXCERPT_CHARS = 2500;
/** A longer line is cut (a minified JSON line can be megabytes). */
export const LINE_CHARS = 400;

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;
/** C0 and C1 controls but tab and newline, and the bidirectional overrides that can disguise text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/** A share of NUL bytes or undecodable text above which the object is not a text log. */
const BINARY_SHARE = 0.1;

/** Whether the bytes are a binary object rather than a text log (NUL bytes, or mostly undecodable). */
export function looksBinary(bytes: Uint8Array, text: string): boolean {
  if (bytes.length === 0) return false;
  let nul = 0;
  for (const byte of bytes) if (byte === 0) nul += 1;
  if (nul / bytes.length > BINARY_SHARE / 10) return true;
  let bad = 0;
  for (const char of text) if (char === '\ufffd') bad += 1;
  return bad / Math.max(1, text.length) > BINARY_SHARE;
}

/**
 * Text of a log's tail. When the tail does not start at the object's beginning, its first line is a piece (and may
 * begin inside a character): it is dropped.
 */
export function decodeLog(bytes: Uint8Array, fromStart: boolean): string {
  let text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (!fromStart) {
    const newline = text.indexOf('\n');
    text = newline < 0 ? '' : text.slice(newline + 1);
  }
  return text.replace(ANSI, '').replace(/\r\n?/g, '\n').replace(CONTROL, '');
}

const ERROR_LINE = /\b(?:ERROR|FATAL|SEVERE|Exception|Error:|Caused by|Traceback|failed)\b|Exception\b/;
/** A line that continues the error above it: a stack frame, "... 12 more", an indented or "Caused by" line. */
const STACK_LINE = /^(?:\s+at\s|\s*\.\.\. \d+ more|\s+|Caused by|\s*File ".*", line \d+)/;

function cut(line: string): string {
  return line.length <= LINE_CHARS ? line : `${line.slice(0, LINE_CHARS - 1)}…`;
}

/**
 * The lines that matter: each error line with the stack that follows it, else the last LAST_LINES lines; long
 * lines cut, and the newest lines kept when they do not all fit in `budget` characters. Skipped lines show as "…".
 */
export function pickLines(text: string, budget = EXCERPT_CHARS): string {
  const lines = text.split('\n');
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  const keep = new Set<number>();
  lines.forEach((line, index) => {
    if (!ERROR_LINE.test(line)) return;
    keep.add(index);
    for (let next = index + 1; next < lines.length && STACK_LINE.test(lines[next] ?? ''); next += 1)
      keep.add(next);
  });
  if (keep.size === 0)
    for (let index = Math.max(0, lines.length - LAST_LINES); index < lines.length; index += 1)
      keep.add(index);
  const chosen: string[] = [];
  let used = 0;
  let previous: number | undefined;
  for (const index of [...keep].sort((a, b) => b - a)) {
    const line = cut(lines[index] ?? '');
    const gap = previous !== undefined && previous !== index + 1;
    const cost = line.length + 1 + (gap ? 2 : 0);
    if (used + cost > budget) {
      chosen.unshift('…');
      break;
    }
    if (gap) chosen.unshift('…');
    chosen.unshift(line);
    used += cost;
    previous = index;
  }
  if (previous !== undefined && previous > 0 && chosen[0] !== '…') chosen.unshift('…');
  if (keep.size > 0 && Math.max(...keep) < lines.length - 1) chosen.push('…');
  return chosen.join('\n');
}
