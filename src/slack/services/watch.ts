/**
 * `/dlf-instance watch` and `unwatch`: checked (workspace allowed, the job exists when it is a plain name, the
 * store reachable), stored, and confirmed visibly in the channel (who set it, what it will post). A watch in a
 * channel the bot cannot post in is not kept: the person is told to invite the bot.
 */
import { isGlob, type WatchMode, watchId } from '../../following/model';
import { errorSentence, isUnexpected } from '../blocks/errors';
import { code, type Markup, md } from '../blocks/markup';
import { renderWatchRemoved, renderWatchSet } from '../blocks/watches';
import { refusedFor } from '../web';
import { limitSentence } from './fair-share';
import type { SlackServices } from './services';
import { workspaceRefusal } from './show';

export async function watchCommand(
  services: SlackServices,
  parsed:
    | { kind: 'watch'; pattern: string; mode: WatchMode; workspace?: string }
    | { kind: 'unwatch'; pattern: string; workspace?: string },
  channel: string,
  user: string,
  tell: (text: Markup) => Promise<unknown>,
): Promise<void> {
  const refused = workspaceRefusal(services, parsed.workspace);
  if (refused) return void (await tell(refused));
  const id = watchId(channel, parsed.workspace, parsed.pattern);
  try {
    if (parsed.kind === 'unwatch') {
      const removed = await services.following.unwatch(id);
      if (!removed)
        return void (await tell(
          md`:information_source: ${code(parsed.pattern)} is not watched in this channel${parsed.workspace ? md` (workspace ${code(parsed.workspace)})` : ''}. ${code('/dlf-instance list')} shows what is.`,
        ));
      await services.web.post.chat
        .postMessage({ channel, ...renderWatchRemoved(removed, user) })
        .catch(() => tell(md`:no_bell: Stopped watching ${code(parsed.pattern)} here.`));
      return;
    }
    // A plain name must be a job (a typo would watch nothing, silently); a pattern may match none yet.
    if (!isGlob(parsed.pattern))
      await services.dataarts.getJob(parsed.pattern, { workspace: parsed.workspace });
    const watch = {
      id,
      channel,
      ...(parsed.workspace ? { workspace: parsed.workspace } : {}),
      pattern: parsed.pattern,
      mode: parsed.mode,
      user,
      createdAt: services.clock(),
    };
    // The channel's limit is checked again as the watch is written: two commands at the limit cannot both pass.
    const outcome = await services.following.watch(watch, services.limits.settings.watchesPerChannel);
    if (outcome === 'full') {
      const reached = services.limits.count('watchesPerChannel', services.limits.settings.watchesPerChannel);
      return void (await tell(limitSentence(reached!, services.clock())));
    }
    if (outcome === 'same')
      return void (await tell(
        md`:information_source: ${code(parsed.pattern)} is already watched here for ${parsed.mode === 'end' ? 'every end' : 'failures'}.`,
      ));
    try {
      await services.web.post.chat.postMessage({
        channel,
        ...renderWatchSet(watch, outcome),
        unfurl_links: false,
      });
    } catch (error) {
      if (outcome === 'added' && refusedFor('post', error)) {
        // Alerts could never be posted here: the watch is not kept.
        await services.following.unwatch(id);
        return void (await tell(
          md`:information_source: I can’t post in this channel, and a watch posts its alerts here, so none was set. Invite me (type ${code('/invite')} and choose the DLF bot), then watch again.`,
        ));
      }
      throw error;
    }
  } catch (error) {
    if (isUnexpected(error)) services.logger.error({ err: error }, '/dlf-instance watch failed');
    await tell(errorSentence(error));
  }
}
