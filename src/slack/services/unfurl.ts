/**
 * DataArts console links pasted in a channel the bot is in unfurl into a card (blocks/unfurl.ts). A link is read
 * the way every other way in reads one (command/extract.ts, refs.ts): a host the bot unfurls (DLF_CONSOLE_URL's,
 * or the public consoles'), a valid job and instance (a job alone: its latest run), a workspace it may use. Links
 * it cannot read unfurl into nothing: no error card lands in someone else's message, and nothing is unfurled in
 * a channel the bot is not in (Slack tells link_shared for every channel). A message with more than
 * three links, or a link to an instance shared again in the same channel within 30 minutes, is left as it is
 * (GitHub's app learned both). An unfurl is a look-up for fair share.
 */

import { createHash } from 'node:crypto';
import type { InstanceRef } from '../../dataarts/lookup';
import { lookupInstance } from '../../dataarts/lookup';
import { isTerminal, type JobInstance } from '../../dataarts/model';
import { renderUnfurlCard, type UnfurlPlace, unfurlArgs } from '../blocks/unfurl';
import { refFromLink } from '../command/extract';
import { sendUnfurls } from '../unfurl-call';
import { slackErrorCode } from '../web';
import { lookUpRefusal } from './fair-share';
import type { SlackServices, UnfurlDeps } from './services';

/** More links than this in one message: none is unfurled. */
export const MAX_LINKS = 3;
/** The same instance is unfurled at most once in a channel within this long. */
export const UNFURL_AGAIN_AFTER_SECONDS = 30 * 60;

export interface LinkShared {
  channel: string;
  user: string;
  message_ts?: string;
  unfurl_id?: string;
  source?: string;
  /** False in a channel the bot is not in (Slack sends link_shared for every channel): nothing is unfurled. */
  is_bot_user_member?: boolean;
  links: { url: string; domain?: string }[];
}

/** Whether a host is one of these or below one of them. */
export function unfurlsHost(host: string, hosts: readonly string[]): boolean {
  const lower = host.toLowerCase();
  return hosts.some((allowed) => lower === allowed || lower.endsWith(`.${allowed}`));
}

/** The instance a console link names, if the bot would read it: its host, its job, an instance or none. */
export function consoleRef(url: string, hosts: readonly string[]): InstanceRef | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' || !unfurlsHost(parsed.hostname, hosts)) return undefined;
  const guess = refFromLink(url);
  if (!guess || guess.problem || !guess.job) return undefined;
  return {
    job: guess.job,
    instance: guess.instanceId ?? 'latest',
    ...(guess.workspace ? { workspace: guess.workspace } : {}),
  };
}

/** Unfurls the event's console links; returns how many cards were sent. */
export async function unfurlLinks(
  services: SlackServices,
  deps: UnfurlDeps,
  event: LinkShared,
): Promise<number> {
  if (!Array.isArray(event.links) || event.links.length === 0 || event.links.length > MAX_LINKS) return 0;
  if (deps.hosts.length === 0) return 0;
  // A posted message is named by its channel and ts (lasting); a link still in the composer by its unfurl_id
  // (Slack names no channel for it: "COMPOSER").
  const inComposer = event.source === 'composer' && event.unfurl_id !== undefined;
  if (event.is_bot_user_member === false && !inComposer) return 0;
  const wanted = new Map<string, InstanceRef>();
  for (const link of event.links) {
    const ref = consoleRef(link.url, deps.hosts);
    if (ref && services.access.workspaceAllowed(ref.workspace)) wanted.set(link.url, ref);
  }
  if (wanted.size === 0) return 0;
  // One look-up for the message, whatever its links: past the limit, the links stay links.
  if (await lookUpRefusal(services, event.user, event.channel)) return 0;
  const unfurls: Record<string, { blocks: ReturnType<typeof renderUnfurlCard>['blocks'] }> = {};
  const running: { url: string; ref: InstanceRef; instance: JobInstance }[] = [];
  for (const [url, ref] of wanted) {
    let instance: JobInstance;
    try {
      instance = await lookupInstance(services.dataarts, ref);
    } catch (error) {
      services.logger.debug(
        { job: ref.job, err: (error as Error).message },
        'a console link was not unfurled',
      );
      continue;
    }
    // Shared again in the same channel within 30 minutes: left as a link. (In the composer there is no channel
    // yet: each person typing it gets the card.)
    const seen = `unfurl:${event.channel}:${ref.workspace ?? ''}:${instance.jobName}:${instance.instanceId}`;
    if (!inComposer && !(await deps.once.note(seen, UNFURL_AGAIN_AFTER_SECONDS))) continue;
    unfurls[url] = {
      blocks: renderUnfurlCard(instance, {
        now: services.clock(),
        workspace: ref.workspace,
        operable: services.operable,
      }).blocks,
    };
    if (!isTerminal(instance.status)) running.push({ url, ref, instance });
  }
  const count = Object.keys(unfurls).length;
  if (count === 0) return 0;
  const place: UnfurlPlace = inComposer
    ? { unfurlId: event.unfurl_id, source: 'composer' }
    : { channel: event.channel, ts: event.message_ts ?? '' };
  try {
    await sendUnfurls((args) => services.web.idempotent.chat.unfurl(args), unfurlArgs(place), unfurls);
  } catch (error) {
    services.logger.info({ slackError: slackErrorCode(error) }, 'chat.unfurl was refused');
    return 0;
  }
  // Still going: the sweep that sees it end draws the card again.
  for (const { url, ref, instance } of running)
    await services.following.liveCard({
      id: createHash('sha1')
        .update(JSON.stringify([unfurlArgs(place), url]))
        .digest('hex')
        .slice(0, 24),
      workspace: ref.workspace ?? '',
      job: instance.jobName,
      instanceId: instance.instanceId,
      url,
      ...place,
      at: services.clock(),
    });
  return count;
}
