/**
 * The doctor's output, pure: a text line (and its fix) per check, a last line, or one JSON document for scripts.
 * Every text goes through `scrub` with the secrets of the environment, so whatever a server or a library put in
 * an error message, no key, token or password is printed.
 */
import type { Env } from '../../config-error';
import type { Check, CheckStatus } from './check';

/** The settings whose values are secrets, and the password of a Redis URL. */
export const SECRET_SETTINGS = [
  'DLF_SK',
  'DLF_SECURITY_TOKEN',
  'DLF_IAM_PASSWORD',
  'DLF_TOKEN',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'REDIS_PASSWORD',
  'REDIS_SENTINEL_PASSWORD',
] as const;

export function secretsOf(env: Env): string[] {
  const secrets: string[] = SECRET_SETTINGS.map((name) => env[name]?.trim() ?? '');
  try {
    if (env.REDIS_URL) secrets.push(decodeURIComponent(new URL(env.REDIS_URL.trim()).password));
  } catch {
    // An unreadable REDIS_URL is a settings problem, said without its value.
  }
  // Longest first, so a secret that contains another is removed whole.
  return [...new Set(secrets.filter((secret) => secret.length >= 4))].sort((a, b) => b.length - a.length);
}

export function scrub(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => out.split(secret).join('[secret]'), text);
}

const MARKS: Record<CheckStatus, string> = { ok: '✓', fail: '✗', skip: '–' };
const COLORS: Record<CheckStatus, string> = { ok: '\x1b[32m', fail: '\x1b[31m', skip: '\x1b[90m' };

/** `✓ Name: detail`, a skipped check says so, a failure adds its fix on the next line. */
export function formatCheck(check: Check, options: { color: boolean; secrets: readonly string[] }): string {
  const mark = options.color ? `${COLORS[check.status]}${MARKS[check.status]}\x1b[0m` : MARKS[check.status];
  const detail = check.detail.split('\n').join('\n    ');
  const head = `${mark} ${check.name}: ${check.status === 'skip' ? `skipped: ${detail}` : detail}`;
  const text = check.fix ? `${head}\n    Fix: ${check.fix}` : head;
  return scrub(text, options.secrets);
}

export function passed(checks: readonly Check[]): boolean {
  return checks.every((check) => check.status !== 'fail');
}

export function summaryLine(checks: readonly Check[]): string {
  const failed = checks.filter((check) => check.status === 'fail').length;
  const skipped = checks.filter((check) => check.status === 'skip').length;
  if (failed === 0)
    return `Everything checks out${skipped > 0 ? ` (${skipped} skipped, each saying why)` : ''}.`;
  return `${failed} ${failed === 1 ? 'check' : 'checks'} failed: fix the first ✗ above, then run doctor again.`;
}

/** One document: `{ok, checks: [{name, status, detail, fix}]}` (fix is null unless the check failed). */
export function formatJson(checks: readonly Check[], secrets: readonly string[]): string {
  const document = {
    ok: passed(checks),
    checks: checks.map((check) => ({
      name: scrub(check.name, secrets),
      status: check.status,
      detail: scrub(check.detail, secrets),
      fix: check.fix === undefined ? null : scrub(check.fix, secrets),
    })),
  };
  return JSON.stringify(document, null, 2);
}
