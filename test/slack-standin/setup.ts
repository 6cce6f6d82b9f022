/** A stand-in on loopback with @slack/web-api's WebClient pointed at it, and a clock the test moves by hand. */
import type { SectionBlock } from '@slack/types';
import { type Logger, LogLevel, WebClient, type WebClientOptions } from '@slack/web-api';
import { type RunningStandin, type StandinOptions, startSlackStandin } from '../../src/slack-standin';

export const TOKEN = 'xoxb-standin-test';

/** Refusals, refused links and reconnects are what these tests are about: clients need not print them. */
export const quiet: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

export interface Setup extends RunningStandin {
  client: WebClient;
  /** Another client of the same stand-in, with other options (timeouts, rate-limit handling). */
  clientWith(options: WebClientOptions): WebClient;
  /** Moves the stand-in's clock forward. */
  advance(ms: number): void;
}

export async function startSetup(options: StandinOptions = {}): Promise<Setup> {
  let now = 1_732_500_000_000;
  const running = await startSlackStandin({ botToken: TOKEN, clock: () => now, ...options });
  const clientWith = (extra: WebClientOptions) =>
    new WebClient(TOKEN, {
      slackApiUrl: running.apiUrl,
      retryConfig: { retries: 0 },
      logger: quiet,
      ...extra,
    });
  return {
    ...running,
    client: clientWith({}),
    clientWith,
    advance: (ms) => {
      now += ms;
    },
  };
}

export function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/** The Slack error code of a rejected WebClient call. */
export async function slackError(
  call: Promise<unknown>,
): Promise<{ code?: string; error?: string; retryAfter?: number }> {
  try {
    await call;
  } catch (error) {
    const e = error as { code?: string; data?: { error?: string }; retryAfter?: number };
    return { code: e.code, error: e.data?.error, retryAfter: e.retryAfter };
  }
  throw new Error('The call succeeded');
}
