/**
 * A note in an instance message's thread that records what someone did to it (stopped following it, stopped or
 * reran its run). The act is done either way: a note Slack does not take is logged, never told as a failure.
 */
import type { Logger } from '../../logger';
import { type Markup, mrkdwn } from '../blocks/markup';
import type { SlackWeb } from '../web';

export async function postThreadNote(
  services: { web: SlackWeb; logger: Logger },
  where: { channel: string; threadTs: string },
  note: Markup,
  /** For the log line when Slack does not take it: what the note records. */
  what: string,
): Promise<void> {
  await services.web.post.chat
    .postMessage({
      channel: where.channel,
      thread_ts: where.threadTs,
      text: note.text,
      blocks: [{ type: 'section', text: mrkdwn(note) }],
    })
    .catch((error: unknown) =>
      services.logger.warn({ err: (error as Error).message }, `could not note ${what} in its thread`),
    );
}
