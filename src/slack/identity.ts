/**
 * Who the bot is in Slack (auth.test: its team, enterprise, user and bot ids), asked at start and asked again,
 * with backoff, until Slack answers. Bolt would ask once in its constructor and crash the process if Slack was
 * unreachable; here an egress blip only keeps the bot "not ready" (GET /healthz says so) until Slack answers.
 */
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger';
import { refusedFor, slackErrorCode } from './web';

export interface BotIdentity {
  /** The installing team (auth.test team_id). */
  teamId: string;
  /** Set for an org-wide (Enterprise Grid) install. */
  enterpriseId?: string;
  botUserId: string;
  botId: string;
}

export class SlackIdentity {
  private identity?: BotIdentity;
  private failure?: string;
  private readonly waiters: ((identity: BotIdentity) => void)[] = [];
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private attempts = 0;

  constructor(
    private readonly client: WebClient,
    private readonly logger: Logger,
    private readonly options: { firstDelayMs?: number; maxDelayMs?: number } = {},
  ) {}

  get current(): BotIdentity | undefined {
    return this.identity;
  }

  /** Why Slack has not answered yet (for the health endpoint), or undefined once it has. */
  get waitingFor(): string | undefined {
    return this.identity ? undefined : (this.failure ?? 'Slack (auth.test) has not answered yet');
  }

  /** Asks now, and again with backoff until Slack answers; resolves after the first attempt either way. */
  async start(): Promise<void> {
    await this.attempt();
  }

  /** The identity, waiting up to `timeoutMs` for Slack to answer. */
  wait(timeoutMs: number): Promise<BotIdentity> {
    if (this.identity) return Promise.resolve(this.identity);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Slack has not answered auth.test yet')), timeoutMs);
      this.waiters.push((identity) => {
        clearTimeout(timer);
        resolve(identity);
      });
    });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    this.attempts += 1;
    try {
      const answer = await this.client.auth.test();
      if (!answer.team_id || !answer.user_id || !answer.bot_id)
        throw new Error('auth.test answered without ids');
      this.identity = {
        teamId: answer.team_id,
        ...(answer.enterprise_id && answer.is_enterprise_install
          ? { enterpriseId: answer.enterprise_id }
          : {}),
        botUserId: answer.user_id,
        botId: answer.bot_id,
      };
      this.failure = undefined;
      if (this.attempts > 1)
        this.logger.info({ attempts: this.attempts }, 'Slack answered; the bot is ready');
      for (const resolve of this.waiters.splice(0)) resolve(this.identity);
    } catch (error) {
      const code = slackErrorCode(error);
      this.failure = code ? `Slack refused auth.test (${code})` : 'Slack could not be reached';
      if (refusedFor('authenticate', error)) {
        this.logger.error({ slackError: code }, 'Slack rejected SLACK_BOT_TOKEN; check the bot token');
      }
      const delay = Math.min(
        this.options.maxDelayMs ?? 30_000,
        (this.options.firstDelayMs ?? 1_000) * 2 ** Math.min(this.attempts - 1, 10),
      );
      // One line per attempt at first, then the backoff itself keeps the log quiet (30 s apart at most).
      this.logger.warn(
        { slackError: code ?? 'unreachable', retryInMs: delay },
        'waiting for Slack (auth.test)',
      );
      this.timer = setTimeout(() => void this.attempt(), delay * (0.8 + 0.4 * Math.random()));
      this.timer.unref();
    }
  }
}
