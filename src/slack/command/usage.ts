/** The usage text of `/dlf-instance`: shown for `help` and, with the reason, for a wrong form. */
import type { KnownBlock } from '@slack/types';
import { join, type Markup, md, mrkdwn } from '../blocks/markup';

/** Each line is the bot's own text; `<…>` placeholders are escaped where the lines are shown. */
export const USAGE_LINES = [
  '`/dlf-instance job_batch 34765` shows instance 34765 of job `job_batch`',
  '`/dlf-instance job_batch` or `/dlf-instance job_batch latest` shows its newest instance',
  '`/dlf-instance job_batch 34765 --workspace d1cd7861…` looks in another workspace',
  '`/dlf-instance <link>` shows the instance of a DataArts console link',
  '`/dlf-instance subscribe job_batch 34765` posts it and tells you in its thread when it ends',
  '`/dlf-instance unsubscribe job_batch 34765` stops that',
  '`/dlf-instance watch orders_*` posts here every failure of the jobs named `orders_…` (`--on end`: every end)',
  '`/dlf-instance unwatch orders_*` stops that',
  '`/dlf-instance list` lists what this channel watches and follows',
  '`/dlf-instance stop job_batch 34765` stops that instance, `… rerun job_batch 34765` runs it again, `… run job_batch day=2026-12-01` starts a new one (each after you confirm; only people named in `DLF_OPERATORS`)',
  '`/dlf-instance digest daily 09:00` posts the last 24 hours of the jobs watched here every day (`digest now`: at once; `digest off`: stops it)',
];

/** `reason` is Markup: it may quote what the person typed, escaped where it was built. */
export function usageMessage(reason?: Markup): { text: string; blocks: KnownBlock[] } {
  const body = join(
    USAGE_LINES.map((line) => md`• ${line}`),
    '\n',
  );
  const text = reason ? md`${reason}\n\nUsage:\n${body}` : md`Usage:\n${body}`;
  const blocks: KnownBlock[] = [];
  if (reason) blocks.push({ type: 'section', text: mrkdwn(md`:warning: ${reason}`) });
  blocks.push({ type: 'section', text: mrkdwn(md`*How to use /dlf-instance*\n${body}`) });
  return { text: text.text, blocks };
}
