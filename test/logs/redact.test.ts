/**
 * Properties of the log redaction: a secret written in any of the shapes logs use never survives, whatever
 * surrounds it; redacting twice is redacting once; text with nothing secret-looking is left as it was; and
 * DLF_LOG_REDACT is checked at start with sentences naming the setting, never the pattern.
 */
import fc from 'fast-check';
import { parseRedactPatterns, REDACTED, redact } from '../../src/logs/redact';

const alnum = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split('');
/** A secret: 12 to 40 characters with a digit, a capital and a small letter, so noise cannot spell it by chance. */
const secret = fc
  .array(fc.constantFrom(...alnum), { minLength: 9, maxLength: 37 })
  .map((chars) => `${chars.join('')}x7Q`);
const upperDigits = fc.array(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split('')), {
  minLength: 18,
  maxLength: 18,
});
/** Log lines around the secret: any printable text, on lines of their own. */
const noise = fc.array(
  fc.string({ maxLength: 60 }).map((line) => line.replace(/\n/g, ' ')),
  { maxLength: 4 },
);

const shapes: fc.Arbitrary<{ line: string; secrets: string[] }>[] = [
  fc
    .tuple(
      fc.constantFrom('password', 'PASSWORD', 'db.password', 'pwd', 'secret', 'token', 'api_key', 'sk'),
      fc.constantFrom('=', ': ', ' = ', '":"'),
      secret,
    )
    .map(([key, sep, value]) => ({ line: `conf ${key}${sep}${value}`, secrets: [value] })),
  fc.tuple(fc.constantFrom('mysql', 'postgresql', 'oracle:thin'), secret).map(([kind, value]) => ({
    line: `connecting jdbc:${kind}://etl_user:${value}@10.0.0.8:3306/db`,
    secrets: [value],
  })),
  secret.map((value) => ({ line: `Authorization: Bearer ${value}`, secrets: [value] })),
  fc
    .tuple(upperDigits, secret, secret)
    .map(([chars, a, b]) => {
      const ak = `H${chars.join('')}7`;
      const sk = `${a}${b}${a}${b}`.slice(0, 40);
      return { line: `using credentials ${ak} ${sk}`, secrets: [ak, sk] };
    })
    .filter(({ secrets }) => (secrets[1] ?? '').length === 40),
  fc.array(secret, { minLength: 1, maxLength: 3 }).map((rows) => ({
    line: `-----BEGIN RSA PRIVATE KEY-----\n${rows.join('\n')}\n-----END RSA PRIVATE KEY-----`,
    secrets: rows,
  })),
  secret.map((value) => ({ line: `token MII${value.repeat(6)}`, secrets: [`MII${value.repeat(6)}`] })),
];

describe('log redaction', () => {
  it('takes out every secret, whatever lines surround it', () => {
    fc.assert(
      fc.property(noise, fc.oneof(...shapes), noise, (before, { line, secrets }, after) => {
        const log = [...before, line, ...after].join('\n');
        const out = redact(log);
        for (const value of secrets) expect(out).not.toContain(value);
        expect(out).toContain(REDACTED);
      }),
      { numRuns: 500 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(noise, fc.oneof(...shapes), noise, (before, { line }, after) => {
        const once = redact([...before, line, ...after].join('\n'));
        expect(redact(once)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves ordinary log lines alone', () => {
    const word = fc
      .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split('')), { minLength: 1, maxLength: 12 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(
        fc.array(
          fc.array(word, { maxLength: 10 }).map((words) => words.join(' ')),
          { maxLength: 20 },
        ),
        (lines) => {
          const log = lines.filter((line) => !/\b(?:ak|sk|pwd|auth|token|secret)\b/.test(line)).join('\n');
          expect(redact(log)).toBe(log);
        },
      ),
    );
    const stack =
      'java.sql.SQLException: Access denied for user etl\n\tat com.mysql.cj.jdbc.ConnectionImpl.<init>(ConnectionImpl.java:42)';
    expect(redact(stack)).toBe(stack);
  });

  it('redacts a key whose beginning was cut off by the tail', () => {
    expect(redact('QUJDREVGR0hJSktMTU5PUA==\n-----END PRIVATE KEY-----\nnext line')).toBe(
      `${REDACTED} private key\nnext line`,
    );
  });

  it('applies DLF_LOG_REDACT patterns', () => {
    const problems: string[] = [];
    const patterns = parseRedactPatterns('cust-\\d{6}\ninternal\\.corp\\.example', problems);
    expect(problems).toEqual([]);
    expect(redact('order of cust-123456 at db.internal.corp.example', patterns)).toBe(
      `order of ${REDACTED} at db.${REDACTED}`,
    );
    expect(parseRedactPatterns('["a+b", "c\\\\d"]', problems)).toHaveLength(2);
  });

  it('refuses patterns that cannot work, naming the setting and not the pattern', () => {
    const problems: string[] = [];
    parseRedactPatterns('ok\n(unclosed-secret-ish\n.*', problems);
    expect(problems).toEqual([
      expect.stringMatching(/^DLF_LOG_REDACT: pattern 2 is not a valid regular expression/),
      'DLF_LOG_REDACT: pattern 3 matches empty text, so it would redact nothing useful.',
    ]);
    expect(problems.join(' ')).not.toContain('unclosed-secret-ish');
    const more: string[] = [];
    parseRedactPatterns('[1, "x"', more);
    expect(more).toEqual(['DLF_LOG_REDACT starts with "[" but is not a JSON array of strings.']);
  });
});
