/**
 * **Log** and **Full log**: a failed node's log tail, read from OBS with its secrets taken out, uploaded as a text
 * file into the thread of the message the button sits on. The node's log path comes from DataArts, read now for
 * the instance the bot stored for that message: a button's value names a node of that instance, never a path.
 */

import type { DataArtsApi } from '../../dataarts/api';
import type { ExactRef } from '../../dataarts/lookup';
import type { Logger } from '../../logger';
import type { LogExcerpts } from '../../logs/excerpts';
import { logProblemSentence } from '../blocks/log-excerpt';
import { type Markup, md, truncate, truncateMarkup } from '../blocks/markup';
import { type SlackWeb, uploadFailure } from '../web';

export interface LogDeps {
  dataarts: DataArtsApi;
  web: SlackWeb;
  logs: LogExcerpts;
  logger: Logger;
}

export type LogUploadResult =
  | { kind: 'uploaded'; bytes: number }
  /** The log cannot be shown (not there yet, denied, empty…), or the node is not in the instance: the sentence. */
  | { kind: 'unavailable'; sentence: Markup }
  /** Slack will not take a file there (the bot is not in the conversation, …). */
  | { kind: 'refused'; error: string }
  | { kind: 'failed'; error: unknown };

/** A file name of the node's log: letters, digits, dots, dashes; the rest becomes `_`. */
function fileName(ref: ExactRef, node: string): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return `${safe(ref.job)}-${safe(ref.instanceId)}-${safe(node)}.log`;
}

export async function uploadLog(
  deps: LogDeps,
  ref: ExactRef,
  node: string,
  where: { channel: string; threadTs: string },
): Promise<LogUploadResult> {
  let full: string;
  try {
    const instance = await deps.dataarts.getInstance(ref.job, ref.instanceId, { workspace: ref.workspace });
    const found = instance.nodes.find((each) => each.name === node);
    if (!found)
      return {
        kind: 'unavailable',
        sentence: md`:information_source: ${truncate(ref.job, 150)} #${ref.instanceId} has no node named ${truncate(node, 200)} any more.`,
      };
    const excerpt = await deps.logs.read(found.logPath);
    const problem = logProblemSentence(excerpt);
    if (problem || excerpt.kind !== 'excerpt')
      return { kind: 'unavailable', sentence: md`:information_source: ${problem ?? md`The log is empty.`}` };
    full = excerpt.full;
  } catch (error) {
    return { kind: 'failed', error };
  }
  const file = Buffer.from(full, 'utf8');
  const kb = Math.round(deps.logs.settings.tailBytes / 1024);
  try {
    await deps.web.post.filesUploadV2({
      channel_id: where.channel,
      thread_ts: where.threadTs,
      file,
      filename: fileName(ref, node),
      title: truncateMarkup(md`Log of ${node} (${truncate(ref.job, 100)} #${ref.instanceId})`, 250).text,
      initial_comment:
        md`:page_facing_up: The log of *${truncate(node, 200)}*: its last ${String(kb)} KB at most, with what looks like a password, key or token taken out.`
          .text,
    });
  } catch (error) {
    return uploadFailure(error, deps.logger, 'a log', where.channel);
  }
  return { kind: 'uploaded', bytes: file.length };
}
