/**
 * Fair share on the Slack side: the gates listeners ask before a look-up, a write, a watch or a digest is set
 * (access/limits.ts decides), and the one sentence for each limit reached: which limit, when it frees up, and the
 * setting an admin can raise. A refused look-up is told only to the person: no DataArts call, no channel post.
 */
import { type FairShare, LIMIT_SETTINGS, type LimitReached, matchesEveryJob } from '../../access/limits';
import type { Following } from '../../following/service';
import { code, type Markup, md } from '../blocks/markup';

/** What the gates read (a part of services.ts' SlackServices, named here so this file need not import it). */
interface Gates {
  limits: FairShare;
  clock: () => number;
}

function whenFree(reached: LimitReached, now: number): Markup {
  if (reached.freeAt === undefined) return md``;
  const seconds = Math.max(1, Math.ceil((reached.freeAt - now) / 1000));
  return md`${seconds === 1 ? 'in a second' : `in ${seconds} seconds`}`;
}

/** The sentence for a limit reached. */
export function limitSentence(reached: LimitReached, now: number): Markup {
  const setting = code(LIMIT_SETTINGS[reached.limit]);
  const raise = md`An admin can raise this limit with ${setting}.`;
  const n = reached.allowed;
  const when = whenFree(reached, now);
  switch (reached.limit) {
    case 'lookUpsPerUserPerMinute':
      return md`:hourglass: You have made ${n} look-ups in the last minute, the most one person may; this one was not made. You can look up again ${when}. ${raise}`;
    case 'lookUpsPerChannelPerMinute':
      return md`:hourglass: This channel has had ${n} look-ups in the last minute, the most one channel may; this one was not made. Look-ups here free up ${when}. ${raise}`;
    case 'writesPerUserPerMinute':
      return md`:hourglass: You have sent ${n} stops, reruns or runs in the last minute, the most one person may; nothing was sent to DataArts. You can act again ${when}. ${raise}`;
    case 'watchesPerChannel':
      return md`:no_entry: This channel already has ${n} watches, the most one channel may have; nothing was added. Unwatch one (${code('/dlf-instance list')} shows them) to make room. ${raise}`;
    case 'watchAllChannelsPerUser':
      return md`:no_entry: You already watch every job (${code('*')}) in ${n} channels, the most one person may; nothing was added. Unwatch it in one of them to make room. ${raise}`;
    case 'digestsPerUser':
      return md`:no_entry: You have set the daily digest in ${n} channels, the most one person may; nothing was changed. Turn one off (${code('/dlf-instance digest off')} there) to make room. ${raise}`;
  }
}

/** The sentence when this look-up is over a limit (it was not counted), or undefined: go ahead. */
export async function lookUpRefusal(
  services: Gates,
  user: string,
  channel?: string,
): Promise<Markup | undefined> {
  const reached = await services.limits.lookUp(user, channel);
  return reached && limitSentence(reached, services.clock());
}

/** The sentence when this person's writes to DataArts are over their limit, or undefined. */
export async function writeRefusal(services: Gates, user: string): Promise<Markup | undefined> {
  const reached = await services.limits.write(user);
  return reached && limitSentence(reached, services.clock());
}

/** Whether a new watch fits: the channel's watches, and the channels where this person watches every job. */
export async function watchRefusal(
  services: Gates & { following: Pick<Following, 'watchesIn' | 'watchedChannels'> },
  watch: { id: string; channel: string; pattern: string; user: string },
): Promise<Markup | undefined> {
  const here = await services.following.watchesIn(watch.channel);
  // Watching the same pattern again changes its mode: nothing new.
  if (here.some((existing) => existing.id === watch.id)) return undefined;
  const perChannel = services.limits.count('watchesPerChannel', here.length);
  if (perChannel) return limitSentence(perChannel, services.clock());
  if (!matchesEveryJob(watch.pattern)) return undefined;
  // Rare (a watch of every job), so the channels are read here rather than kept in a second index.
  const channels = (await services.following.watchedChannels()).filter((c) => c !== watch.channel);
  const everywhere = await Promise.all(
    channels.map(async (channel) =>
      (await services.following.watchesIn(channel)).some(
        (existing) => existing.user === watch.user && matchesEveryJob(existing.pattern),
      ),
    ),
  );
  const reached = services.limits.count('watchAllChannelsPerUser', everywhere.filter(Boolean).length);
  return reached && limitSentence(reached, services.clock());
}
