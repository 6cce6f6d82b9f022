/**
 * Posts a rendered message where a person asked for it and, when asked, fetches and keeps its permalink. Tells
 * the caller when Slack would not let the bot post there (not a member, private channel, DM), so it can fall
 * back to response_url.
 */
import type { Logger } from '../logger';
import { messageFields, type RenderedMessage } from './blocks/instance-message';
import type { MessageRecords } from './message-records';
import { refusedFor, type SlackWeb, slackErrorCode } from './web';

export type { RenderedMessage } from './blocks/instance-message';

export interface PostTarget {
  channel: string;
  /** Post as a reply in this thread. */
  threadTs?: string;
}

export type PostOutcome =
  | { kind: 'posted'; channel: string; ts: string; permalink?: string }
  /** Slack refused the bot in that conversation (`not_in_channel`, `channel_not_found`, …). */
  | { kind: 'refused'; error: string };

export class Publisher {
  constructor(
    private readonly web: SlackWeb,
    private readonly records: MessageRecords,
    private readonly logger: Logger,
  ) {}

  /**
   * With `permalink`, also one chat.getPermalink call (for a surface that links to the message from elsewhere);
   * without, whoever needs the link later fetches it once through `permalink()`.
   */
  async post(
    target: PostTarget,
    message: RenderedMessage,
    options: { permalink?: boolean } = {},
  ): Promise<PostOutcome> {
    let ts: string | undefined;
    try {
      const result = await this.web.post.chat.postMessage({
        channel: target.channel,
        thread_ts: target.threadTs,
        ...messageFields(message),
        unfurl_links: false,
        unfurl_media: false,
      });
      ts = result.ts;
    } catch (error) {
      const refused = refusedFor('post', error);
      if (refused) return { kind: 'refused', error: refused };
      throw error;
    }
    if (!ts) throw new Error('chat.postMessage answered without a ts');
    if (!options.permalink) return { kind: 'posted', channel: target.channel, ts };
    return {
      kind: 'posted',
      channel: target.channel,
      ts,
      permalink: await this.permalink(target.channel, ts),
    };
  }

  /** Keeps a permalink fetched elsewhere (the look-up thread), so it is not fetched again. */
  remember(channel: string, ts: string, permalink: string): Promise<void> {
    return this.records.put(channel, ts, { permalink });
  }

  /** The stored permalink, or fetched once and stored. Undefined (and logged) if Slack will not give one. */
  async permalink(channel: string, ts: string): Promise<string | undefined> {
    const known = (await this.records.get(channel, ts))?.permalink;
    if (known) return known;
    try {
      const result = await this.web.idempotent.chat.getPermalink({ channel, message_ts: ts });
      if (result.permalink) await this.records.put(channel, ts, { permalink: result.permalink });
      return result.permalink;
    } catch (error) {
      this.logger.warn({ channel, ts, slackError: slackErrorCode(error) }, 'could not fetch a permalink');
      return undefined;
    }
  }
}
