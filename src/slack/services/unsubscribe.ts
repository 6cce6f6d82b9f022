/**
 * `/dlf-instance unsubscribe <job> <instance>`: stops following every message of that instance in the channel (the
 * same workspace only), each as its Unsubscribe button would (follow.ts: the note in its thread, the message
 * redrawn), and says how many stopped.
 */

import { unsubscribedSentence } from '../blocks/channel-follows';
import type { Markup } from '../blocks/markup';
import { unfollowMessage } from './follow';
import type { SlackServices } from './services';

export async function unsubscribeInChannel(
  services: SlackServices,
  ref: { job: string; instanceId: string; workspace?: string },
  channel: string,
  user: string,
): Promise<Markup> {
  const matching = (await services.following.inChannel(channel)).filter(
    ({ subscription: s }) =>
      s.job === ref.job && s.instanceId === ref.instanceId && (s.workspace ?? undefined) === ref.workspace,
  );
  for (const { subscription } of matching)
    await unfollowMessage(services, subscription.channel, subscription.ts, user);
  return unsubscribedSentence(ref, matching.length);
}
