/**
 * Secrets out of a log before anyone sees it. A node's log often prints its connection settings: AK/SK pairs,
 * `password=` lines, JDBC URLs with a password, bearer and IAM tokens, private keys. Each is replaced by
 * `[redacted]` (the key that names it stays, so a reader still sees what was there). Operators add their own
 * patterns with DLF_LOG_REDACT, checked at start: a pattern that is no regular expression, or that matches empty
 * text, stops the bot with a sentence naming the setting.
 */

export const REDACTED = '[redacted]';

/** Words that name a secret when followed by `=` or `:` (case-insensitive, also as `db_password`, `secret.key`, `"token"`). */
const SECRET_KEY =
  /(?<![A-Za-z0-9])((?:[A-Za-z0-9]+[_.-])*(?:password|passwd|pwd|secret|token|api[_.-]?key|access[_.-]?key(?:[_.-]?id)?|credentials?|ak|sk|auth)(?:[_.-][A-Za-z0-9]+)*["']?\s*[=:]\s*)(\[redacted\]|"[^"\n]*"|'[^'\n]*'|["']?[^\s&;,"')\]}]+)/gi;
/** The password of a URL's user part: jdbc:mysql://user:pass@host, https://user:pass@host. */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)([^\s@/]+)@/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]+=*/g;
/** Huawei Cloud IAM tokens (X-Subject-Token) are long base64 starting with MII. */
const IAM_TOKEN = /\bMII[A-Za-z0-9+/=_-]{60,}/g;
const SLACK_TOKEN = /\bx(?:ox[abposr]|app)-[A-Za-z0-9-]{8,}/g;
/** An access key id: 20 capitals and digits, with at least one of each (also AWS-style AKIA…). */
const ACCESS_KEY = /\b(?=[A-Z0-9]{0,19}[0-9])(?=[A-Z0-9]{0,19}[A-Z])[A-Z0-9]{20}\b/g;
/** A secret access key: 40 characters of base64-ish text mixing cases and digits. */
const SECRET_ACCESS_KEY =
  /(?<![A-Za-z0-9+/])(?=[A-Za-z0-9+/]{0,39}[0-9])(?=[A-Za-z0-9+/]{0,39}[a-z])(?=[A-Za-z0-9+/]{0,39}[A-Z])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/])/g;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g;
/** A tail can begin inside a key: its end with no beginning before it. */
const PRIVATE_KEY_END = /^[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/;

/** Operator patterns, compiled once at start. */
export type RedactPatterns = readonly RegExp[];

/**
 * DLF_LOG_REDACT: regular expressions, one a line (or a JSON array of strings). Problems name the setting and
 * the pattern's place, never its text (a pattern may itself spell a secret).
 */
export function parseRedactPatterns(raw: string | undefined, problems: string[]): RedactPatterns {
  if (raw === undefined || raw.trim() === '') return [];
  let sources: unknown[];
  if (raw.trim().startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      sources = Array.isArray(parsed) ? parsed : [parsed];
    } catch {
      problems.push('DLF_LOG_REDACT starts with "[" but is not a JSON array of strings.');
      return [];
    }
  } else sources = raw.split('\n').filter((line) => line.trim() !== '');
  const patterns: RegExp[] = [];
  sources.forEach((source, index) => {
    const place = `pattern ${index + 1}`;
    if (typeof source !== 'string' || source === '') {
      problems.push(`DLF_LOG_REDACT: ${place} is not a regular expression (a non-empty string).`);
      return;
    }
    let pattern: RegExp;
    try {
      pattern = new RegExp(source, 'g');
    } catch (error) {
      const reason =
        error instanceof Error ? error.message.replace(/^Invalid regular expression: \/.*\/\w*: /, '') : '';
      problems.push(`DLF_LOG_REDACT: ${place} is not a valid regular expression (${reason}).`);
      return;
    }
    if (new RegExp(source).test('')) {
      problems.push(`DLF_LOG_REDACT: ${place} matches empty text, so it would redact nothing useful.`);
      return;
    }
    patterns.push(pattern);
  });
  return patterns;
}

/** The log with every secret-looking value replaced; running it twice changes nothing more. */
export function redact(text: string, extra: RedactPatterns = []): string {
  let out = text;
  const end = out.search(/-----END [A-Z ]*PRIVATE KEY-----/);
  const begin = out.search(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
  if (end >= 0 && (begin < 0 || begin > end)) out = out.replace(PRIVATE_KEY_END, `${REDACTED} private key`);
  out = out
    .replace(PRIVATE_KEY, `${REDACTED} private key`)
    .replace(URL_PASSWORD, `$1${REDACTED}@`)
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(SECRET_KEY, (match, key: string, value: string) =>
      value === REDACTED ? match : `${key}${REDACTED}`,
    )
    .replace(IAM_TOKEN, REDACTED)
    .replace(SLACK_TOKEN, REDACTED)
    .replace(ACCESS_KEY, REDACTED)
    .replace(SECRET_ACCESS_KEY, REDACTED);
  for (const pattern of extra) out = out.replace(pattern, REDACTED);
  return out;
}
