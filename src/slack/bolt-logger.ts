/**
 * Bolt's Logger interface on top of our pino logger, so Bolt, the Web API client and the bot log alike. A warning
 * the SDK repeats while Slack is unreachable (one per attempt, a dozen in a few seconds) is logged the first time,
 * then at most every 30 s with how many were skipped (support/throttled-log.ts).
 */
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../logger';
import { throttledWarn } from '../support/throttled-log';

/** Distinct warnings throttled at once: past this, the memory of them starts again. */
const SHAPES_KEPT = 200;

export function boltLogger(base: Logger, options: { clock?: () => number } = {}): BoltLogger {
  let current = base.child({ component: 'bolt' });
  const warnings = new Map<string, (fields?: Record<string, unknown>) => void>();
  const text = (messages: unknown[]) => messages.map(String).join(' ');
  const split = (messages: unknown[]): [object | undefined, string] => {
    const [first, ...rest] = messages;
    if (first instanceof Error) return [{ err: first }, text(rest)];
    if (typeof first === 'object' && first !== null) return [first as object, text(rest)];
    return [undefined, text(messages)];
  };
  const write =
    (level: 'debug' | 'info' | 'error') =>
    (...messages: unknown[]) => {
      const [fields, message] = split(messages);
      if (fields) current[level](fields, message);
      else current[level](message);
    };
  const warn = (...messages: unknown[]) => {
    const [fields, message] = split(messages);
    // The same warning with other numbers in it (attempt 3 of 10, a port, a delay) is the same warning.
    const shape = message.replace(/\d+/g, '#').slice(0, 200);
    let log = warnings.get(shape);
    if (!log) {
      if (warnings.size >= SHAPES_KEPT) warnings.clear();
      log = throttledWarn(current, message, { clock: options.clock });
      warnings.set(shape, log);
    }
    log(fields as Record<string, unknown> | undefined);
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn,
    error: write('error'),
    setLevel: (level: LogLevel) => {
      current.level = level;
    },
    getLevel: () => (current.level as LogLevel) ?? LogLevel.INFO,
    setName: (name: string) => {
      current = base.child({ component: name });
      warnings.clear();
    },
  };
}
