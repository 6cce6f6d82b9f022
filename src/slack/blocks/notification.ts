/** The thread replies a subscription gets: the end (or a need for attention), the retirement, a disappearance. */
import type { KnownBlock } from '@slack/types';
import { durationMs, hasOddTimes, type JobInstance, statusText } from '../../dataarts/model';
import type { Slowness } from '../../following/usual';
import { humanDuration, plural } from '../../format';
import { encodeButtonValue } from '../ids';
import { oddTimesNote, statusEmoji, statusWords } from './format';
import { code, join, type Markup, md, mention, mrkdwn, truncate, truncateMarkup } from './markup';
import { rerunBlock } from './operations';
import { slownessLine } from './slowness';

export interface ReplyMessage {
  text: string;
  blocks: KnownBlock[];
}

const MAX_FAILED_LISTED = 10;

function section(text: Markup): KnownBlock {
  return { type: 'section', text: mrkdwn(truncateMarkup(text, 2_900)) };
}

/** "succeeded", "failed", "was stopped manually", or "needs attention: paused". */
export function endVerb(instance: JobInstance): string {
  const status = statusText(instance.status);
  if (status === 'success') return 'succeeded';
  if (status === 'fail') return 'failed';
  if (status === 'manual-stop') return 'was stopped manually';
  return `needs attention: ${truncate(statusWords(instance.status).toLowerCase(), 80)}`;
}

/**
 * The outcome, the failed nodes with their log paths, the duration, whether it was slower than usual, and who
 * subscribed; with `operable` (DLF_OPERATORS set), a failure gets **Rerun**.
 */
export function renderEndReply(
  instance: JobInstance,
  subscriber: string,
  now: number,
  operable = false,
  slowness?: Slowness,
): ReplyMessage {
  const status = statusText(instance.status);
  const title = md`${truncate(instance.jobName, 150)} #${instance.instanceId}`;
  const duration = durationMs(instance, now);
  const attention = status === 'pause' || status === 'running-exception';
  const verb = endVerb(instance);
  const time =
    duration === undefined
      ? ''
      : attention
        ? ` (running for ${humanDuration(duration)})`
        : ` after ${humanDuration(duration)}`;
  const follow = attention ? ' I keep following it.' : '';
  const headline = md`${statusEmoji(instance.status)} *${title}* ${verb}${time}.${follow} ${mention(subscriber)}`;
  const blocks: KnownBlock[] = [section(headline)];
  if (slowness) blocks.push({ type: 'context', elements: [mrkdwn(slownessLine(slowness, attention))] });
  if (hasOddTimes(instance)) blocks.push({ type: 'context', elements: [mrkdwn(oddTimesNote())] });
  const failed = instance.nodes.filter((node) => statusText(node.status) === 'fail');
  if (failed.length > 0) {
    const lines = failed.slice(0, MAX_FAILED_LISTED).map((node) => {
      const log = node.logPath ? md`\n    log: ${code(truncate(node.logPath, 600))}` : '';
      return md`• *${truncate(node.name, 200)}* (${truncate(node.type, 60)})${node.retryTimes ? `, ${plural(node.retryTimes, 'retry', 'retries')}` : ''}${log}`;
    });
    if (failed.length > MAX_FAILED_LISTED)
      lines.push(md`… and ${failed.length - MAX_FAILED_LISTED} more failed nodes`);
    blocks.push(section(md`*Failed ${failed.length === 1 ? 'node' : 'nodes'}*\n${join(lines, '\n')}`));
  }
  if (instance.ignoreSuccess)
    blocks.push(section(md`:see_no_evil: DataArts ignores this failure for dependants (ignoreSuccess).`));
  if (instance.forceSuccess)
    blocks.push(section(md`:heavy_check_mark: This instance was marked successful by hand (forceSuccess).`));
  if (operable && status === 'fail')
    // The press acts on what the bot stored for the followed message this reply answers, not on this value.
    blocks.push(
      rerunBlock(instance, encodeButtonValue({ job: instance.jobName, instanceId: instance.instanceId })),
    );
  const failedNames = failed.slice(0, 5).map((node) => truncate(node.name, 80));
  const text = md`${title} ${verb}.${failed.length > 0 ? md` Failed: ${join(failedNames, ', ')}.` : ''}`;
  return { text: text.text, blocks };
}

export function renderRetiredReply(
  job: string,
  instanceId: string,
  status: string | undefined,
  subscriber: string,
  maxAgeMs: number,
): ReplyMessage {
  const still = truncate(statusWords(status ?? 'unknown').toLowerCase(), 80);
  const text = md`:alarm_clock: Stopped following *${job} #${instanceId}* after ${humanDuration(maxAgeMs)}; it was still ${still}. Subscribe again to keep following it. ${mention(subscriber)}`;
  return { text: md`Stopped following ${job} #${instanceId}`.text, blocks: [section(text)] };
}

export function renderGoneReply(job: string, instanceId: string, subscriber: string): ReplyMessage {
  const text = md`:mag: *${job} #${instanceId}* can no longer be found in DataArts (it may have been deleted), so I stopped following it. ${mention(subscriber)}`;
  return { text: md`${job} #${instanceId} can no longer be found`.text, blocks: [section(text)] };
}
