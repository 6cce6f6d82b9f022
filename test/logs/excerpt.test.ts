/**
 * From a log tail's bytes to the excerpt: decoding (bad bytes, a cut first line, colours, control characters),
 * telling binary from text, picking the error lines with their stack within the budget, and the code block that
 * no log can break out of.
 */
import fc from 'fast-check';
import {
  decodeLog,
  EXCERPT_CHARS,
  LAST_LINES,
  LINE_CHARS,
  looksBinary,
  pickLines,
} from '../../src/logs/excerpt';
import { codeBlock } from '../../src/slack/blocks/markup';

describe('decoding a log tail', () => {
  it('replaces bad bytes, drops the cut first line, strips colours and controls', () => {
    const bytes = Buffer.concat([
      Buffer.from('half a line\n'),
      Buffer.from('caf'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(' \x1b[31mred\x1b[0m\x07 bell\r\n\u202eevil\ttab\n'),
    ]);
    expect(decodeLog(bytes, false)).toBe('caf\ufffd( red bell\nevil\ttab\n');
    expect(decodeLog(bytes, true).startsWith('half a line\n')).toBe(true);
    expect(decodeLog(Buffer.from('no newline at all'), false)).toBe('');
  });

  it('tells a binary object from a log with a few bad bytes', () => {
    const log = Buffer.concat([Buffer.from('x'.repeat(1000)), Buffer.from([0xff, 0xfe])]);
    expect(looksBinary(log, decodeLog(log, true))).toBe(false);
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 0x14, 0, 0xff, 0x80, 0x81]);
    expect(looksBinary(zip, decodeLog(zip, true))).toBe(true);
    expect(looksBinary(Buffer.alloc(0), '')).toBe(false);
  });
});

describe('picking the lines that matter', () => {
  const stack = [
    '2026-12-06 01:00:00 ERROR [main] Job failed',
    'java.lang.IllegalStateException: table dw.orders is locked',
    '\tat com.example.Loader.run(Loader.java:42)',
    '\t... 12 more',
    'Caused by: java.sql.SQLException: lock wait timeout',
    '\tat com.mysql.Driver.exec(Driver.java:7)',
  ];

  it('keeps the error lines and their stack, and marks what it skipped', () => {
    const log = [
      ...Array.from({ length: 50 }, (_, i) => `INFO step ${i}`),
      ...stack,
      'INFO shutting down',
    ].join('\n');
    expect(pickLines(log)).toBe(['…', ...stack, '…'].join('\n'));
  });

  it('keeps the last lines when nothing looks like an error', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `INFO step ${i}`);
    const picked = pickLines(lines.join('\n')).split('\n');
    expect(picked).toEqual(['…', ...lines.slice(-LAST_LINES)]);
  });

  it('stays within the budget, newest lines first, long lines cut', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 2000 }), { maxLength: 200 }), (lines) => {
        const picked = pickLines(lines.join('\n'));
        expect(picked.length).toBeLessThanOrEqual(EXCERPT_CHARS + 2);
        for (const line of picked.split('\n')) expect(line.length).toBeLessThanOrEqual(LINE_CHARS);
      }),
    );
  });
});

describe('the code block', () => {
  it('cannot be broken out of, and makes no Slack markup', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const block = codeBlock(text).text;
        expect(block.startsWith('```\n') && block.endsWith('\n```')).toBe(true);
        const inner = block.slice(4, -4);
        expect(inner).not.toMatch(/[`<>]/);
        expect(inner.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
      }),
    );
  });
});
