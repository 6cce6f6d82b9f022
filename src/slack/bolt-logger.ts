/** Bolt's Logger interface on top of our pino logger, so Bolt, the Web API client and the bot log alike. */
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../logger';

export function boltLogger(base: Logger): BoltLogger {
  let current = base.child({ component: 'bolt' });
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...messages: unknown[]) => {
      const [first, ...rest] = messages;
      if (first instanceof Error || (typeof first === 'object' && first !== null)) {
        current[level](
          first instanceof Error ? { err: first } : (first as object),
          rest.map(String).join(' '),
        );
      } else {
        current[level](messages.map(String).join(' '));
      }
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (level: LogLevel) => {
      current.level = level;
    },
    getLevel: () => (current.level as LogLevel) ?? LogLevel.INFO,
    setName: (name: string) => {
      current = base.child({ component: name });
    },
  };
}
