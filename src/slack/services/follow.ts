/** Following a posted instance message from any surface, stopping, and the words each outcome gets. */

import type { ExactRef } from '../../dataarts/lookup';
import type { InstanceFacts } from '../../following/model';
import { messageFields } from '../blocks/instance-message';
import { type Markup, md, mention } from '../blocks/markup';
import type { RenderedMessage } from '../publisher';
import type { SlackServices } from './services';
import { postThreadNote } from './thread-note';

/**
 * Follows the message, then shows it as followed: `message` is its followed rendering when the caller has one
 * (the look-up rendered it), otherwise it is rendered again in the look-up thread.
 */
export async function followMessage(
  services: SlackServices,
  input: {
    ref: ExactRef;
    facts: InstanceFacts;
    channel: string;
    ts: string;
    user: string;
    message?: RenderedMessage;
  },
): Promise<Markup> {
  const { ref, facts, channel, ts, user } = input;
  const outcome = await services.following.follow(
    {
      job: ref.job,
      instanceId: ref.instanceId,
      ...(ref.workspace ? { workspace: ref.workspace } : {}),
      channel,
      ts,
      user,
      createdAt: services.clock(),
      permalink: await services.publisher.permalink(channel, ts),
    },
    facts,
  );
  const title = md`*${facts.jobName} #${facts.instanceId}*`;
  if (outcome === 'ended')
    return md`:information_source: ${title} has already ended; its final state is coming in the thread.`;
  const rendered = input.message ?? (await followedRendering(services, ref));
  if (rendered)
    await services.web.idempotent.chat
      .update({ channel, ts, ...messageFields(rendered) })
      .catch(() => undefined);
  return outcome === 'followed'
    ? md`:bell: Following ${title}. I’ll reply in the thread when it finishes or fails.`
    : md`:bell: This message already follows ${title}.`;
}

async function followedRendering(
  services: SlackServices,
  ref: ExactRef,
): Promise<RenderedMessage | undefined> {
  const result = await services.look.ask('render', ref, { subscribed: true });
  return result.kind === 'rendered' ? result.message : undefined;
}

/**
 * Stops following a message, refreshes it to show so, and records it in its thread: who stopped, and whose reply
 * will not come (anyone in the channel may unfollow, as in GitHub's app, but never silently).
 */
export async function unfollowMessage(
  services: SlackServices,
  channel: string,
  ts: string,
  by: string,
): Promise<boolean> {
  const removed = await services.following.unfollow(channel, ts);
  if (!removed) return false;
  const whose =
    removed.user === by
      ? md` No reply will come when it ends.`
      : md` ${mention(removed.user)} followed it; that reply will not come.`;
  const note = md`:no_bell: ${mention(by)} stopped following *${removed.job} #${removed.instanceId}*.${whose}`;
  await postThreadNote(services, { channel, threadTs: ts }, note, 'an unfollow');
  const rendered = await services.look.ask('render', removed, { subscribed: false });
  if (rendered.kind === 'rendered') {
    await services.web.idempotent.chat
      .update({ channel, ts, ...messageFields(rendered.message) })
      .catch(() => undefined);
  }
  return true;
}
