/**
 * The log excerpt in a thread: the node's name, the lines that matter in a code block, or one plain sentence when
 * the log cannot be shown. Pure; the text has been redacted (logs/excerpts.ts) and is escaped here.
 */
import type { Button, KnownBlock } from '@slack/types';
import type { LogExcerpt } from '../../logs/excerpts';
import { ACTIONS, encodeButtonValue } from '../ids';
import { codeBlock, type Markup, md, mrkdwn, plain, truncate } from './markup';

/** A section's text may hold 3,000 characters; some room is left for the frame. */
const SECTION_CHARS = 2900;

/** The sentence for a log that cannot be shown, or undefined for an excerpt. */
export function logProblemSentence(result: LogExcerpt): Markup | undefined {
  switch (result.kind) {
    case 'excerpt':
      return undefined;
    case 'no-path':
      return md`DataArts gave no log path for this node.`;
    case 'not-found':
      return md`The log is not in OBS yet (DataArts writes it a little after the node ends); try Log again in a minute.`;
    case 'denied':
      return md`The bot may not read the log: its credentials need obs:object:GetObject on the bucket ${result.bucket}.`;
    case 'unreachable':
      return md`OBS did not answer, so the log cannot be shown now.`;
    case 'empty':
      return md`The log is empty.`;
    case 'binary':
      return md`The log is not text, so it is not shown.`;
  }
}

export function renderLogExcerpt(
  nodeName: string,
  result: LogExcerpt,
): { text: string; blocks: KnownBlock[] } {
  const problem = logProblemSentence(result);
  const title = md`Log of ${truncate(nodeName, 200)}`;
  if (problem)
    return {
      text: md`${title}: ${problem}`.text,
      blocks: [{ type: 'section', text: mrkdwn(md`*${title}*: ${problem}`) }],
    };
  // Escaping can lengthen the text past a section's 3,000 characters: the oldest lines give way.
  let excerpt = result.kind === 'excerpt' ? result.excerpt : '';
  while (codeBlock(excerpt).text.length > SECTION_CHARS)
    excerpt = `…${excerpt.slice(Math.ceil(excerpt.length / 8))}`;
  return {
    text: title.text,
    blocks: [
      { type: 'section', text: mrkdwn(md`*${title}*, the lines that matter:`) },
      { type: 'section', text: mrkdwn(codeBlock(excerpt)) },
    ],
  };
}

/** The button that uploads a node's log tail into the thread. */
export function logButton(
  ref: { job: string; instanceId: string; workspace?: string },
  node: string,
  label = 'Log',
): Button {
  return {
    type: 'button',
    action_id: ACTIONS.log,
    text: plain(label),
    value: encodeButtonValue({ ...ref, node }),
  };
}

/** The excerpt as a thread message: its text, and **Full log** when there is a log to upload. */
export function renderLogMessage(
  ref: { job: string; instanceId: string; workspace?: string },
  node: string,
  result: LogExcerpt,
): { text: string; blocks: KnownBlock[] } {
  const message = renderLogExcerpt(node, result);
  if (result.kind !== 'excerpt') return message;
  return {
    text: message.text,
    blocks: [
      ...message.blocks,
      { type: 'actions', block_id: 'log_actions', elements: [logButton(ref, node, 'Full log')] },
    ],
  };
}
