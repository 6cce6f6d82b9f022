/** The bot's structured logger (pino). Every module takes a Logger so tests can pass a silent one. */
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(
  options: { level?: string; name?: string; destination?: pino.DestinationStream } = {},
): Logger {
  const settings: pino.LoggerOptions = {
    name: options.name ?? 'dlf-bot',
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    // Defence in depth: none of these should ever be logged, but if one is, it is blanked.
    redact: {
      paths: [
        'headers.authorization',
        'headers["x-auth-token"]',
        'headers["x-security-token"]',
        'token',
        'password',
        'secretKey',
        '*.password',
        '*.secretKey',
      ],
      censor: '[redacted]',
    },
  };
  // A destination only where given (tests read what would be logged); pino's default (stdout) otherwise.
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

export const silentLogger: Logger = pino({ level: 'silent' });
