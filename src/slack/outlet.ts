/**
 * Following's outlet to Slack (following/outlet.ts): renders each kind of content with the pure renderers, posts
 * it with its key in the message metadata (never retried inside the SDK: a lost answer must not become a second
 * post), finds a post again by its key, updates messages in place, and maps Slack's answers onto the outcomes
 * following acts on.
 */
import type { MessageMetadata } from '@slack/types';
import { type JobInstance, statusText } from '../dataarts/model';
import type { AlertLine } from '../following/model';
import type { Content, FindWhere, Outlet, PostRequest, PostResult, UpdateResult } from '../following/outlet';
import type { LiveCard } from '../following/watch-store';
import type { Logger } from '../logger';
import { renderAgain, renderAlert, renderAlerts, renderRecovered } from './blocks/alert';
import { renderInstanceMessage } from './blocks/instance-message';
import { renderLogMessage } from './blocks/log-excerpt';
import { type InstanceFacts, instanceMetadata, instancesMetadata } from './blocks/metadata';
import { renderEndReply, renderGoneReply, renderRetiredReply } from './blocks/notification';
import { renderUnfurlCard, unfurlArgs } from './blocks/unfurl';
import type { MessageRecords } from './message-records';
import type { RenderedMessage } from './publisher';
import { sendUnfurls } from './unfurl-call';
import { refusedFor, type SlackWeb, slackErrorCode, slackRetryAfterMs } from './web';

/**
 * The ts of the bot's post carrying `key` in its metadata (metadataOf, digestMetadata), in a thread or at the top
 * of a channel since a moment; undefined when it is not there. Slack's errors are thrown: each caller decides
 * what not being able to look means.
 */
export async function findKeyedPost(
  web: SlackWeb,
  where: FindWhere,
  key: string,
): Promise<string | undefined> {
  const answer = where.threadTs
    ? await web.idempotent.conversations.replies({
        channel: where.channel,
        ts: where.threadTs,
        include_all_metadata: true,
        limit: 200,
      })
    : await web.idempotent.conversations.history({
        channel: where.channel,
        oldest: String(Math.max(0, (where.sinceMs ?? 0) / 1000)),
        include_all_metadata: true,
        limit: 200,
      });
  return (answer.messages ?? []).find(
    (message) => (message.metadata?.event_payload as { k?: string } | undefined)?.k === key,
  )?.ts;
}

/**
 * The notifier's look for a post whose answer was lost (Poster.find): findKeyedPost, with Slack's errors as the
 * notifier acts on them.
 */
export async function findAgain(
  web: SlackWeb,
  logger: Logger,
  where: FindWhere,
  key: string,
): Promise<string | undefined | 'unknown'> {
  try {
    return await findKeyedPost(web, where, key);
  } catch (error) {
    const code = slackErrorCode(error);
    if (refusedFor('read', error)) {
      // The conversation cannot be read at all (e.g. the app lacks the history scope): posting again risks
      // one duplicate, waiting forever would lose the message. One duplicate is the lesser harm.
      logger.warn({ slackError: code }, 'cannot read the conversation to reconcile; posting again');
      return undefined;
    }
    logger.warn({ slackError: code }, 'could not read the conversation to reconcile a post');
    return 'unknown';
  }
}

/**
 * What a post of following is about, as message metadata (blocks/metadata.ts), with its key when it has one.
 * Keyed posts made before these event types carried `dlf_instance_update` and the key alone: finding goes by the key.
 */
export function metadataOf(content: Content, key?: string): MessageMetadata {
  switch (content.kind) {
    case 'instance':
    case 'end':
    case 'alert':
    case 'again':
      return instanceMetadata(
        {
          workspace: content.workspace,
          job: content.instance.jobName,
          instanceId: content.instance.instanceId,
          status: statusText(content.instance.status),
        },
        key,
      );
    case 'retired':
      return instanceMetadata({ ...content, status: content.status ?? 'unknown' }, key);
    case 'gone':
      return instanceMetadata({ ...content, status: 'deleted' }, key);
    case 'alerts':
      return instancesMetadata(content.lines.map(lineFacts), key);
    case 'recovered':
      return instanceMetadata(lineFacts(content.line), key);
    case 'log':
      return instanceMetadata({ ...content, status: 'fail' }, key);
  }
}

function lineFacts(line: AlertLine): InstanceFacts {
  return { workspace: line.workspace, job: line.job, instanceId: line.instanceId, status: line.status };
}

export interface SlackOutletOptions {
  web: SlackWeb;
  records: MessageRecords;
  logger: Logger;
  clock?: () => number;
  consoleUrl?: string;
  /** DLF_OPERATORS is set: Stop / Rerun on instance messages and alerts, Rerun on failure replies. */
  operable?: boolean;
  /** Log excerpts are on: failed nodes get a **Log** button. */
  logButtons?: boolean;
}

export class SlackOutlet implements Outlet {
  private readonly clock: () => number;
  /** chat.update answered 429: no refresh is tried before this (this process's clock). */
  private updatesPausedUntil = 0;

  constructor(private readonly options: SlackOutletOptions) {
    this.clock = options.clock ?? Date.now;
  }

  render(content: Content): RenderedMessage {
    const now = this.clock();
    switch (content.kind) {
      case 'instance':
        return renderInstanceMessage(content.instance, {
          now,
          workspace: content.workspace,
          consoleUrl: this.options.consoleUrl,
          subscribed: content.followed,
          operable: this.options.operable,
          logs: this.options.logButtons,
        });
      case 'end':
        return renderEndReply(
          content.instance,
          content.subscriber,
          now,
          this.options.operable,
          content.slowness,
        );
      case 'retired':
        return renderRetiredReply(
          content.job,
          content.instanceId,
          content.status,
          content.subscriber,
          content.maxAgeMs,
        );
      case 'gone':
        return renderGoneReply(content.job, content.instanceId, content.subscriber);
      case 'alert':
        return renderAlert(content.instance, {
          now,
          workspace: content.workspace,
          consoleUrl: this.options.consoleUrl,
          operable: this.options.operable,
          logs: this.options.logButtons,
          watch: content.watch,
        });
      case 'alerts':
        return renderAlerts(content.lines, content.more, content.watches, now);
      case 'again':
        return renderAgain(content.instance, now);
      case 'recovered':
        return renderRecovered(content.line, content.failedInstanceId, now);
      case 'log':
        return renderLogMessage(content, content.node, content.excerpt);
    }
  }

  async post(request: PostRequest): Promise<PostResult> {
    const message = this.render(request.content);
    try {
      const common = {
        channel: request.channel,
        text: message.text,
        blocks: message.blocks,
        metadata: metadataOf(request.content, request.key),
        unfurl_links: false,
        unfurl_media: false,
      };
      const { chat } = this.options.web.post;
      const result = request.threadTs
        ? request.broadcast
          ? await chat.postMessage({ ...common, thread_ts: request.threadTs, reply_broadcast: true })
          : await chat.postMessage({ ...common, thread_ts: request.threadTs })
        : await chat.postMessage(common);
      if (!result.ts) return { kind: 'unanswered' };
      // A log's Full log button acts on the instance the bot stored for its message.
      if (request.content.kind === 'log')
        await this.recordQuietly(request.channel, result.ts, request.content);
      return { kind: 'sent', ts: result.ts };
    } catch (error) {
      const code = slackErrorCode(error);
      if (code === 'ratelimited') return { kind: 'ratelimited', retryAfterMs: slackRetryAfterMs(error) };
      const undeliverable = refusedFor('deliver', error);
      if (undeliverable) return { kind: 'undeliverable', reason: undeliverable };
      if (code) return { kind: 'refused', reason: code };
      return { kind: 'unanswered' };
    }
  }

  find(where: FindWhere, key: string): Promise<string | undefined | 'unknown'> {
    return findAgain(this.options.web, this.options.logger, where, key);
  }

  async update(channel: string, ts: string, content: Content): Promise<UpdateResult> {
    // Slack said to wait: updates are left for a later look (which draws what is current then), not queued.
    if (this.clock() < this.updatesPausedUntil) return 'failed';
    const message = this.render(content);
    try {
      // The metadata follows the message: an instance message's status stays current for whoever reads it.
      await this.options.web.refresh.chat.update({
        channel,
        ts,
        text: message.text,
        blocks: message.blocks,
        metadata: metadataOf(content),
      });
      return 'updated';
    } catch (error) {
      const code = slackErrorCode(error);
      if (refusedFor('update', error)) return 'gone';
      if (code === 'ratelimited') {
        const retryAfter = (error as { retryAfter?: unknown }).retryAfter;
        const seconds = typeof retryAfter === 'number' && retryAfter > 0 ? Math.min(retryAfter, 120) : 30;
        this.updatesPausedUntil = this.clock() + seconds * 1000;
        this.options.logger.warn(
          { retryAfterSeconds: seconds },
          'chat.update rate-limited: message refreshes paused',
        );
        return 'failed';
      }
      this.options.logger.warn({ channel, slackError: code }, 'chat.update failed');
      return 'failed';
    }
  }

  async unfurl(card: LiveCard, instance: JobInstance): Promise<UpdateResult> {
    if (this.clock() < this.updatesPausedUntil) return 'failed';
    const { blocks } = renderUnfurlCard(instance, {
      now: this.clock(),
      workspace: card.workspace || undefined,
      operable: this.options.operable,
    });
    try {
      await sendUnfurls((args) => this.options.web.refresh.chat.unfurl(args), unfurlArgs(card), {
        [card.url]: { blocks },
      });
      return 'updated';
    } catch (error) {
      const code = slackErrorCode(error);
      if (code === 'ratelimited') return 'failed';
      // The message or the link is gone (deleted, edited), or Slack will not take it: nothing to refresh.
      this.options.logger.info({ slackError: code }, 'a live card could not be refreshed');
      return code ? 'gone' : 'failed';
    }
  }

  private async recordQuietly(
    channel: string,
    ts: string,
    ref: { job: string; instanceId: string; workspace?: string },
  ): Promise<void> {
    try {
      await this.record(channel, ts, ref);
    } catch (error) {
      this.options.logger.warn({ err: (error as Error).message }, 'a posted log could not be recorded');
    }
  }

  async record(
    channel: string,
    ts: string,
    ref: { job: string; instanceId: string; workspace?: string },
  ): Promise<void> {
    await this.options.records.put(channel, ts, {
      job: ref.job,
      instanceId: ref.instanceId,
      workspace: ref.workspace,
    });
  }
}
