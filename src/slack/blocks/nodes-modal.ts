/** "View all nodes": every node of an instance, a page at a time, in the same order as the message. */
import type { Button, KnownBlock, ModalView } from '@slack/types';
import { hasOddTimes, type JobInstance, statusText } from '../../dataarts/model';
import { plural } from '../../format';
import { ACTIONS, CALLBACKS, encodeButtonValue } from '../ids';
import { oddTimesNote, statusEmoji, statusWords } from './format';
import { logButton } from './log-excerpt';
import { type Markup, md, mrkdwn, plain, truncate } from './markup';
import { countsLine, nodeText, overview } from './nodes';

export const NODES_PER_PAGE = 25;

export function pageCount(nodeCount: number): number {
  return Math.max(1, Math.ceil(nodeCount / NODES_PER_PAGE));
}

export function renderNodesModal(
  instance: JobInstance,
  requestedPage: number,
  ctx: { now: number; workspace?: string; logs?: boolean },
): ModalView {
  const { ordered, counts } = overview(instance.nodes);
  const pages = pageCount(ordered.length);
  const page = Math.min(Math.max(0, requestedPage), pages - 1);
  const ref = { job: instance.jobName, instanceId: instance.instanceId, workspace: ctx.workspace };
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: mrkdwn(
        md`${statusEmoji(instance.status)} *${truncate(instance.jobName, 150)} #${instance.instanceId}* · ${truncate(statusWords(instance.status), 200)}\n${countsLine(counts)}`,
      ),
    },
    {
      type: 'context',
      elements: [
        mrkdwn(
          md`Page ${page + 1} of ${pages} · nodes ${page * NODES_PER_PAGE + 1}–${Math.min(ordered.length, (page + 1) * NODES_PER_PAGE)} of ${plural(ordered.length, 'node')}, failed and running first`,
        ),
        ...(hasOddTimes(instance) ? [mrkdwn(oddTimesNote())] : []),
      ],
    },
    { type: 'divider' },
  ];
  for (const node of ordered.slice(page * NODES_PER_PAGE, (page + 1) * NODES_PER_PAGE)) {
    const log = ctx.logs && node.logPath && statusText(node.status) === 'fail';
    blocks.push({
      type: 'section',
      text: mrkdwn(nodeText(node, ctx.now)),
      ...(log ? { accessory: logButton(ref, node.name) } : {}),
    });
  }
  const buttons: Button[] = [];
  if (page > 0) {
    buttons.push({
      type: 'button',
      action_id: `${ACTIONS.nodesPage}_prev`,
      text: { type: 'plain_text', text: '← Previous' },
      value: encodeButtonValue({ ...ref, page: page - 1 }),
    });
  }
  if (page < pages - 1) {
    buttons.push({
      type: 'button',
      action_id: `${ACTIONS.nodesPage}_next`,
      text: { type: 'plain_text', text: 'Next →' },
      value: encodeButtonValue({ ...ref, page: page + 1 }),
    });
  }
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: 'nodes_pages', elements: buttons });
  return {
    type: 'modal',
    callback_id: CALLBACKS.nodesModal,
    title: plain('All nodes'),
    close: plain('Close'),
    private_metadata: encodeButtonValue({ ...ref, page }),
    blocks,
  };
}

/** Shown at once (a trigger_id lasts 3 s), replaced when DataArts answers. */
export function loadingModal(title: string, text: Markup): ModalView {
  return {
    type: 'modal',
    title: plain(title, 24),
    close: plain('Close'),
    blocks: [{ type: 'section', text: mrkdwn(text) }],
  };
}
