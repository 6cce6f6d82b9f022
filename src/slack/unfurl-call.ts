/**
 * chat.unfurl with the cards' buttons, and once more without them if Slack refuses the blocks (`invalid_blocks`):
 * a card without buttons is better than a link left bare. Used by the first unfurl, the sweep's redraw and a
 * card's Refresh.
 */
import type { KnownBlock } from '@slack/types';
import type { ChatUnfurlArguments } from '@slack/web-api';
import { slackErrorCode } from './web';

export type Unfurls = Record<string, { blocks: KnownBlock[] }>;

/** Where the cards go (chat.unfurl's channel and ts, or unfurl_id and source). */
export type UnfurlTarget =
  | { channel: string; ts: string }
  | { unfurl_id: string; source: 'composer' | 'conversations_history' };

function withoutButtons(unfurls: Unfurls): Unfurls {
  return Object.fromEntries(
    Object.entries(unfurls).map(([url, card]) => [
      url,
      { blocks: card.blocks.filter((block) => block.type !== 'actions') },
    ]),
  );
}

export async function sendUnfurls(
  unfurl: (args: ChatUnfurlArguments) => Promise<unknown>,
  target: UnfurlTarget,
  unfurls: Unfurls,
): Promise<void> {
  try {
    await unfurl({ ...target, unfurls } as ChatUnfurlArguments);
  } catch (error) {
    if (slackErrorCode(error) !== 'invalid_blocks') throw error;
    await unfurl({ ...target, unfurls: withoutButtons(unfurls) } as ChatUnfurlArguments);
  }
}
