/** Following a posted instance message from any surface, and the words each outcome gets. */
import type { JobInstance } from '../../dataarts/model';
import { type Markup, md } from '../blocks/markup';
import type { InstanceButtonValue } from '../ids';
import type { SlackServices } from './services';
import { renderFor } from './show-instance';

export async function followMessage(
  services: SlackServices,
  input: { ref: InstanceButtonValue; instance: JobInstance; channel: string; ts: string; user: string },
): Promise<Markup> {
  const { ref, instance, channel, ts, user } = input;
  const outcome = await services.subscriptions.follow(
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
    instance,
  );
  const title = md`*${instance.jobName} #${instance.instanceId}*`;
  if (outcome === 'ended')
    return md`:information_source: ${title} has already ended; its final state is in the thread.`;
  const rendered = renderFor(services, instance, ref.workspace, true);
  await services.web.idempotent.chat
    .update({ channel, ts, text: rendered.text, blocks: rendered.blocks })
    .catch(() => undefined);
  return outcome === 'followed'
    ? md`:bell: Following ${title}. I’ll reply in the thread when it finishes or fails.`
    : md`:bell: This message already follows ${title}.`;
}

export async function unfollowMessage(
  services: SlackServices,
  channel: string,
  ts: string,
): Promise<boolean> {
  const removed = await services.subscriptions.unfollow(channel, ts);
  if (!removed) return false;
  try {
    const instance = await services.dataarts.getInstance(removed.job, removed.instanceId, {
      workspace: removed.workspace,
    });
    const rendered = renderFor(services, instance, removed.workspace, false);
    await services.web.idempotent.chat.update({ channel, ts, text: rendered.text, blocks: rendered.blocks });
  } catch (error) {
    services.logger.info({ err: (error as Error).message }, 'could not refresh an unfollowed message');
  }
  return true;
}
