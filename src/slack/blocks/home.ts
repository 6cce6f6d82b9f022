/** The App Home tab: what the bot does and how to use it. */
import type { HomeView, KnownBlock } from '@slack/types';
import type { Subscription, Watch } from '../../following/model';
import type { InstanceState } from '../../following/store';
import { USAGE_LINES } from '../command/usage';
import { type JobTrend, trendBlocks } from './home-trends';
import { join, md, mrkdwn, plain } from './markup';
import { renderSubscriptionList } from './subscription-list';
import { watchLines, watchSection } from './watches';

export function renderHome(
  following: { subscription: Subscription; state: InstanceState }[] = [],
  watches: Watch[] = [],
  trends: JobTrend[] = [],
): HomeView {
  const list: KnownBlock[] = renderSubscriptionList(following, {
    title: 'You follow',
    empty: md`*You follow nothing yet.* Press *Subscribe* on an instance message to get a thread reply when it ends.`,
    showChannel: true,
  }).blocks;
  const watched = watchSection('Watched in your channels', watchLines(watches, { showChannel: true }));
  return {
    type: 'home',
    blocks: [
      ...list,
      ...(watched.length > 0 ? [{ type: 'divider' as const }, ...watched] : []),
      ...(trends.length > 0 ? [{ type: 'divider' as const }, ...trendBlocks(trends)] : []),
      { type: 'divider' },
      { type: 'header', text: plain('DataArts Factory instances') },
      {
        type: 'section',
        text: mrkdwn(
          md`Look up any DataArts Factory (DLF) batch job instance from Slack: every node’s status, type, timing, retries, rows, speed and log path, in one message you can refresh, follow and share.`,
        ),
      },
      { type: 'divider' },
      {
        type: 'section',
        text: mrkdwn(
          md`*Commands*\n${join(
            USAGE_LINES.map((line) => md`• ${line}`),
            '\n',
          )}`,
        ),
      },
      {
        type: 'section',
        text: mrkdwn(
          md`*Shortcuts*\n• *Find DLF instance* (the ⚡ menu): look one up and post it where you choose.\n• *Track DLF instance* (a message’s ⋯ menu): reads a job and instance from that message, e.g. a pasted alert, and answers in its thread.`,
        ),
      },
    ],
  };
}
