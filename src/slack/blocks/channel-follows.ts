/**
 * What `/dlf-instance list` and `/dlf-instance unsubscribe` answer in a channel: the jobs watched and the instances
 * followed there, and the sentence for an unsubscribe (how many messages stopped, or none followed).
 */
import type { KnownBlock } from '@slack/types';
import type { Subscription, Watch } from '../../following/model';
import type { InstanceState } from '../../following/store';
import { code, type Markup, md, mrkdwn } from './markup';
import { renderSubscriptionList } from './subscription-list';
import { watchLines, watchSection } from './watches';

export function renderChannelFollows(
  entries: { subscription: Subscription; state: InstanceState }[],
  watches: readonly Watch[],
): { text: string; blocks: KnownBlock[] } {
  const followed = renderSubscriptionList(entries, {
    title: 'Followed in this channel',
    empty: md`:information_source: No instance is followed in this channel. Press *Subscribe* on an instance message, or ${code('/dlf-instance subscribe <job> <instance>')}.`,
    showChannel: false,
  });
  const watched = watchSection('Watched in this channel', watchLines(watches, { showChannel: false }));
  return {
    text: md`${watches.length} watched, ${entries.length} followed in this channel`.text,
    blocks: [
      ...(watched.length > 0
        ? watched
        : [
            {
              type: 'section' as const,
              text: mrkdwn(
                md`:information_source: No job is watched in this channel. ${code('/dlf-instance watch <job or pattern>')} posts every failure here.`,
              ),
            },
          ]),
      { type: 'divider' as const },
      ...followed.blocks,
    ],
  };
}

/** After `/dlf-instance unsubscribe <job> <instance>`: how many of the channel's messages of it stopped. */
export function unsubscribedSentence(ref: { job: string; instanceId: string }, stopped: number): Markup {
  return stopped > 0
    ? md`:no_bell: Stopped following *${ref.job} #${ref.instanceId}* here (${stopped === 1 ? 'one message' : `${stopped} messages`}).`
    : md`:information_source: *${ref.job} #${ref.instanceId}* is not followed in this channel.`;
}
