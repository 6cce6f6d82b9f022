/** A list of followed instances with their last seen status and a link to each message (list, App Home). */
import type { KnownBlock } from '@slack/types';
import type { Subscription } from '../../subscriptions/model';
import type { InstanceState } from '../../subscriptions/store';
import { dateToken, escapeMrkdwn, statusEmoji, statusWords } from './format';

export const MAX_LISTED = 40;

export function subscriptionLines(
  entries: { subscription: Subscription; state: InstanceState }[],
  showChannel: boolean,
): string[] {
  return entries.slice(0, MAX_LISTED).map(({ subscription: s, state }) => {
    const status = state.status
      ? `${statusEmoji(state.status)} ${escapeMrkdwn(statusWords(state.status))}`
      : ':hourglass_flowing_sand: not polled yet';
    const name = `*${escapeMrkdwn(s.job)} #${s.instanceId}*`;
    const link = s.permalink ? `<${s.permalink}|${name}>` : name;
    return `• ${link} · ${status}${showChannel ? ` · in <#${s.channel}>` : ''} · since ${dateToken(s.createdAt, '{date_short_pretty} {time}')}`;
  });
}

export function renderSubscriptionList(
  entries: { subscription: Subscription; state: InstanceState }[],
  options: { title: string; empty: string; showChannel: boolean },
): { text: string; blocks: KnownBlock[] } {
  if (entries.length === 0)
    return {
      text: options.empty,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: options.empty } }],
    };
  const lines = subscriptionLines(entries, options.showChannel);
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${options.title}*` } }];
  // Sections of at most ~2,800 characters.
  let chunk = '';
  for (const line of lines) {
    if (chunk && chunk.length + line.length + 1 > 2800) {
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n${line}` : line;
  }
  if (chunk) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
  if (entries.length > MAX_LISTED) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `… and ${entries.length - MAX_LISTED} more.` }],
    });
  }
  return { text: `${options.title}: ${entries.length}`, blocks };
}
