/**
 * The card a pasted DataArts console link unfurls into: job, instance, status with its emoji, duration and the
 * failed nodes, compact (three blocks), its buttons (Refresh, Subscribe, Timeline, and Stop or Rerun when
 * DLF_OPERATORS is set), with the metadata every instance post carries. Pure.
 */
import type { Button, KnownBlock, MessageMetadata } from '@slack/types';

import { durationMs, type JobInstance, statusText } from '../../dataarts/model';
import { humanDuration, plural } from '../../format';
import { ACTIONS, encodeButtonValue } from '../ids';
import { statusEmoji, statusWords } from './format';
import { dateToken, join, md, mrkdwn, truncate } from './markup';
import { instanceMetadata } from './metadata';
import { canRerun, canStop } from './operations';

/** Where a card is: a posted message (channel and ts), or a link still in the composer (its unfurl id). */
export interface UnfurlPlace {
  channel?: string;
  ts?: string;
  unfurlId?: string;
  source?: string;
}

/** chat.unfurl's arguments naming that place. */
export function unfurlArgs(
  place: UnfurlPlace,
): { channel: string; ts: string } | { unfurl_id: string; source: 'composer' | 'conversations_history' } {
  return place.channel && place.ts
    ? { channel: place.channel, ts: place.ts }
    : {
        unfurl_id: place.unfurlId ?? '',
        source: place.source === 'conversations_history' ? 'conversations_history' : 'composer',
      };
}

/** Failed nodes named on the card; the rest are counted. */
const FAILED_NAMED = 3;

export interface UnfurlCard {
  blocks: KnownBlock[];
  metadata: MessageMetadata;
}

/** The card's buttons: each acts on the instance of the link the card unfurled (listeners/actions/card.ts). */
function cardButtons(instance: JobInstance, workspace: string | undefined, operable: boolean): Button[] {
  const value = encodeButtonValue({ job: instance.jobName, instanceId: instance.instanceId, workspace });
  const button = (action_id: string, text: string): Button => ({
    type: 'button',
    action_id,
    text: { type: 'plain_text', text },
    value,
  });
  const status = statusText(instance.status);
  return [
    button(ACTIONS.cardRefresh, 'Refresh'),
    button(ACTIONS.cardSubscribe, 'Subscribe'),
    ...(instance.nodes.length > 0 ? [button(ACTIONS.cardTimeline, 'Timeline')] : []),
    ...(operable && canStop(status) ? [button(ACTIONS.cardStop, 'Stop')] : []),
    ...(operable && canRerun(status) ? [button(ACTIONS.cardRerun, 'Rerun')] : []),
  ];
}

export function renderUnfurlCard(
  instance: JobInstance,
  ctx: { now: number; workspace?: string; operable?: boolean },
): UnfurlCard {
  const duration = durationMs(instance, ctx.now);
  const running = instance.endTime === undefined && instance.startTime !== undefined;
  const failed = instance.nodes.filter((node) => statusText(node.status) === 'fail');
  const facts = [
    md`${statusEmoji(instance.status)} *${truncate(instance.jobName, 128)} #${instance.instanceId}*: ${truncate(statusWords(instance.status), 80)}`,
    duration !== undefined ? md`${humanDuration(duration)}${running ? ' so far' : ''}` : undefined,
    md`${plural(instance.nodes.length, 'node')}`,
  ].filter((part) => part !== undefined);
  const failedLine =
    failed.length > 0
      ? md`\nFailed: ${join(
          failed.slice(0, FAILED_NAMED).map((node) => md`*${truncate(node.name, 80)}*`),
          ', ',
        )}${failed.length > FAILED_NAMED ? md` and ${failed.length - FAILED_NAMED} more` : ''}`
      : md``;
  return {
    blocks: [
      { type: 'section', text: mrkdwn(md`${join(facts, ' · ')}${failedLine}`) },
      {
        type: 'context',
        elements: [
          mrkdwn(
            md`DataArts Factory${ctx.workspace ? md` · workspace ${ctx.workspace}` : ''} · as of ${dateToken(ctx.now, '{date_short_pretty} at {time}')}${running ? ' · updated when it ends' : ''}`,
          ),
        ],
      },
      {
        type: 'actions',
        block_id: 'card_actions',
        elements: cardButtons(instance, ctx.workspace, ctx.operable ?? false),
      },
    ],
    metadata: instanceMetadata({
      workspace: ctx.workspace,
      job: instance.jobName,
      instanceId: instance.instanceId,
      status: statusText(instance.status),
    }),
  };
}
