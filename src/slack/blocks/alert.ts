/**
 * What a channel that watches jobs sees: an alert (the instance message, failed nodes first, under a line saying
 * which watch brought it), a grouped alert when many end at once (a storm stays one readable message), and the
 * thread replies that follow an alert (the run ended again; the job recovered). Pure: our model in, Block Kit out.
 */
import type { KnownBlock } from '@slack/types';
import { durationMs, hasOddTimes, type JobInstance, statusText } from '../../dataarts/model';
import type { AlertLine, WatchSummary } from '../../following/model';
import { humanDuration, plural } from '../../format';
import { oddTimesNote, statusEmoji, statusWords } from './format';
import { type InstanceMessageContext, renderInstanceMessage } from './instance-message';
import { code, dateToken, join, type Markup, md, mrkdwn, truncate, truncateMarkup } from './markup';
import { endVerb, type ReplyMessage } from './notification';

/** At most this many runs are listed in one grouped alert; the rest are counted. */
export const MAX_LINES = 20;

function watchWords(watch: WatchSummary): Markup {
  return md`${code(watch.pattern)} (${watch.mode === 'fail' ? 'failures and runs that need attention' : 'every end'})`;
}

export function renderAlert(
  instance: JobInstance,
  ctx: InstanceMessageContext & { watch: WatchSummary },
): ReplyMessage {
  const message = renderInstanceMessage(instance, ctx);
  const context: KnownBlock = {
    type: 'context',
    elements: [mrkdwn(md`:rotating_light: Watched in this channel: ${watchWords(ctx.watch)}`)],
  };
  return { text: message.text, blocks: [context, ...message.blocks] };
}

function lineText(line: AlertLine, now: number): Markup {
  const duration = durationMs(line, now);
  const when =
    line.endTime === undefined ? md`` : md` · ended ${dateToken(line.endTime, '{date_short_pretty} {time}')}`;
  const failed = line.failed
    .slice(0, 3)
    .map((node) =>
      node.logPath
        ? md`*${truncate(node.name, 120)}* ${code(truncate(node.logPath, 300))}`
        : md`*${truncate(node.name, 120)}*`,
    );
  return md`${statusEmoji(line.status)} *${truncate(line.job, 128)} #${line.instanceId}* · ${truncate(statusWords(line.status), 80)}${duration === undefined ? '' : ` after ${humanDuration(duration)}`}${when}${failed.length > 0 ? md`\n      failed: ${join(failed, ', ')}` : ''}`;
}

/** A storm: one message for many runs, failed nodes and log paths on each line. */
export function renderAlerts(
  lines: AlertLine[],
  more: number,
  watches: WatchSummary[],
  now: number,
): ReplyMessage {
  const total = lines.length + more;
  const failed = lines.filter((line) => line.status === 'fail').length;
  const headline = md`:rotating_light: *${plural(total, 'watched run')} ended at once*${failed > 0 ? ` (${failed} failed)` : ''}`;
  const blocks: KnownBlock[] = [
    { type: 'section', text: mrkdwn(headline) },
    {
      type: 'context',
      elements: [
        mrkdwn(
          md`Watched in this channel: ${join(watches.map(watchWords), ', ')}. Each run’s own message: ${code('/dlf-instance <job> <id>')}.`,
        ),
      ],
    },
    { type: 'divider' },
  ];
  let chunk: Markup[] = [];
  const flush = () => {
    if (chunk.length > 0)
      blocks.push({ type: 'section', text: mrkdwn(truncateMarkup(join(chunk, '\n'), 2_900)) });
    chunk = [];
  };
  for (const line of lines.slice(0, MAX_LINES)) {
    const text = lineText(line, now);
    if (join([...chunk, text], '\n').text.length > 2_800) flush();
    chunk.push(text);
  }
  flush();
  const hidden = total - Math.min(lines.length, MAX_LINES);
  if (hidden > 0)
    blocks.push({ type: 'context', elements: [mrkdwn(md`… and ${plural(hidden, 'more run')}.`)] });
  const names = lines.slice(0, 5).map((line) => md`${truncate(line.job, 60)} #${line.instanceId}`);
  return {
    text: md`${plural(total, 'watched run')} ended: ${join(names, ', ')}${total > 5 ? ', …' : ''}`.text,
    blocks,
  };
}

/** The same instance ended again (a rerun): told in its first alert's thread. */
export function renderAgain(instance: JobInstance, now: number): ReplyMessage {
  const duration = durationMs(instance, now);
  const failed = instance.nodes.filter((node) => statusText(node.status) === 'fail').slice(0, 5);
  const headline = md`:repeat: *${truncate(instance.jobName, 128)} #${instance.instanceId}* ran again and ${endVerb(instance)}${duration === undefined ? '' : ` after ${humanDuration(duration)}`}.`;
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(headline) }];
  if (failed.length > 0) {
    const lines = failed.map((node) =>
      node.logPath
        ? md`• *${truncate(node.name, 200)}*\n    log: ${code(truncate(node.logPath, 600))}`
        : md`• *${truncate(node.name, 200)}*`,
    );
    blocks.push({ type: 'section', text: mrkdwn(truncateMarkup(md`*Failed*\n${join(lines, '\n')}`, 2_900)) });
  }
  if (hasOddTimes(instance)) blocks.push({ type: 'context', elements: [mrkdwn(oddTimesNote())] });
  return { text: headline.text, blocks };
}

/** A job whose last alert here was a failure succeeded: told in that alert's thread. */
export function renderRecovered(line: AlertLine, failedInstanceId: string, now: number): ReplyMessage {
  const duration = durationMs(line, now);
  const text = md`:white_check_mark: *${truncate(line.job, 128)}* recovered: #${line.instanceId} succeeded${line.endTime === undefined ? '' : md` ${dateToken(line.endTime, '{date_short_pretty} at {time}')}`}${duration === undefined ? '' : ` after ${humanDuration(duration)}`} (this alert was #${failedInstanceId}).`;
  return { text: text.text, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}
