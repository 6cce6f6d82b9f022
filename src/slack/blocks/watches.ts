/**
 * Watches as people see them: the note in the channel when someone sets or changes one (who, and what it will
 * post), the note when someone stops one, and the lines that list them (the channel's list, App Home).
 */
import type { KnownBlock } from '@slack/types';
import type { Watch, WatchMode } from '../../following/model';
import { channelRef, code, dateToken, type Markup, md, mention, mrkdwn } from './markup';
import { sectionsOf } from './subscription-list';

function modeWords(mode: WatchMode): Markup {
  return mode === 'end'
    ? md`every end (succeeded, failed, stopped) and every run that needs attention (paused, running with an exception)`
    : md`every failure, and every run that needs attention (paused, running with an exception)`;
}

function where(watch: Watch): Markup {
  return watch.workspace ? md` in workspace ${code(watch.workspace)}` : md``;
}

function jobs(watch: Watch): Markup {
  return watch.pattern === '*'
    ? md`of every job`
    : watch.pattern.includes('*')
      ? md`of the jobs matching ${code(watch.pattern)}`
      : md`of job ${code(watch.pattern)}`;
}

/** The note in the channel: who set the watch, and what it will post here. */
export function renderWatchSet(
  watch: Watch,
  outcome: 'added' | 'changed',
): { text: string; blocks: KnownBlock[] } {
  const verb = outcome === 'added' ? md`is now watching` : md`changed the watch on`;
  const head = md`:eyes: ${mention(watch.user)} ${verb} ${code(watch.pattern)} here${where(watch)}.`;
  const body = md`I’ll post ${modeWords(watch.mode)} ${jobs(watch)} that ends from now on: one message per run, failed nodes first with their log paths. A rerun that ends again is told in its message’s thread, and when a failing job succeeds again, a “recovered” reply goes into the thread of its last failure. When many end at once they come as one message. ${code(`/dlf-instance unwatch ${watch.pattern}`)} stops it.`;
  return { text: head.text, blocks: [{ type: 'section', text: mrkdwn(md`${head}\n${body}`) }] };
}

export function renderWatchRemoved(watch: Watch, by: string): { text: string; blocks: KnownBlock[] } {
  const text = md`:no_bell: ${mention(by)} stopped watching ${code(watch.pattern)} here${where(watch)}. Nothing more will be posted for it.`;
  return { text: text.text, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

/** One line per watch: pattern, what it posts, where, who set it and since when. */
export function watchLines(watches: readonly Watch[], options: { showChannel: boolean }): Markup[] {
  return [...watches]
    .sort((a, b) => a.pattern.localeCompare(b.pattern))
    .map(
      (watch) =>
        md`• ${code(watch.pattern)} · ${watch.mode === 'end' ? 'every end' : 'failures'}${where(watch)}${options.showChannel ? md` · in ${channelRef(watch.channel)}` : ''} · set by ${mention(watch.user)} ${dateToken(watch.createdAt, '{date_short_pretty}')}`,
    );
}

/** A titled list of watches, in sections that fit Slack's limits (at most 40 lines, then a count). */
export function watchSection(title: string, lines: Markup[]): KnownBlock[] {
  if (lines.length === 0) return [];
  const blocks: KnownBlock[] = [
    { type: 'section', text: mrkdwn(md`*${title}*`) },
    ...sectionsOf(lines.slice(0, 40)),
  ];
  if (lines.length > 40)
    blocks.push({ type: 'context', elements: [mrkdwn(md`… and ${lines.length - 40} more.`)] });
  return blocks;
}
