/** A list of followed instances with their last seen status and a link to each message (list, App Home). */
import type { KnownBlock } from '@slack/types';
import type { Subscription } from '../../following/model';
import type { InstanceState } from '../../following/store';
import { statusEmoji, statusWords } from './format';
import { channelRef, dateToken, link, type Markup, md, mrkdwn, truncate } from './markup';

export const MAX_LISTED = 40;

export function subscriptionLines(
  entries: { subscription: Subscription; state: InstanceState }[],
  showChannel: boolean,
): Markup[] {
  return entries.slice(0, MAX_LISTED).map(({ subscription: s, state }) => {
    const status = state.status
      ? md`${statusEmoji(state.status)} ${truncate(statusWords(state.status), 80)}`
      : md`:hourglass_flowing_sand: not polled yet`;
    const name = md`*${truncate(s.job, 150)} #${s.instanceId}*`;
    const shown = s.permalink ? link(s.permalink, name) : name;
    return md`• ${shown} · ${status}${showChannel ? md` · in ${channelRef(s.channel)}` : ''} · since ${dateToken(s.createdAt, '{date_short_pretty} {time}')}`;
  });
}

/** Sections of at most ~2,800 characters, from lines that each fit. */
export function sectionsOf(lines: readonly Markup[]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let chunk = '';
  for (const { text: line } of lines) {
    if (chunk && chunk.length + line.length + 1 > 2800) {
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n${line}` : line;
  }
  if (chunk) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
  return blocks;
}

export function renderSubscriptionList(
  entries: { subscription: Subscription; state: InstanceState }[],
  options: { title: string; empty: Markup; showChannel: boolean },
): { text: string; blocks: KnownBlock[] } {
  if (entries.length === 0)
    return { text: options.empty.text, blocks: [{ type: 'section', text: mrkdwn(options.empty) }] };
  const blocks: KnownBlock[] = [
    { type: 'section', text: mrkdwn(md`*${options.title}*`) },
    ...sectionsOf(subscriptionLines(entries, options.showChannel)),
  ];
  if (entries.length > MAX_LISTED) {
    blocks.push({ type: 'context', elements: [mrkdwn(md`… and ${entries.length - MAX_LISTED} more.`)] });
  }
  return { text: md`${options.title}: ${entries.length}`.text, blocks };
}
