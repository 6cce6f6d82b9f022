/** The thread replies a subscription gets: the end (or a need for attention), the retirement, a disappearance. */
import type { KnownBlock } from '@slack/types';
import { durationMs, type JobInstance, statusText } from '../../dataarts/model';
import { humanDuration, plural } from '../../format';
import { code, escapeMrkdwn, statusEmoji, statusWords } from './format';

export interface ReplyMessage {
  text: string;
  blocks: KnownBlock[];
}

const MAX_FAILED_LISTED = 10;

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/** The outcome, the failed nodes with their log paths, the duration, and who subscribed. */
export function renderEndReply(instance: JobInstance, subscriber: string, now: number): ReplyMessage {
  const status = statusText(instance.status);
  const title = `${instance.jobName} #${instance.instanceId}`;
  const duration = durationMs(instance, now);
  const attention = status === 'pause' || status === 'running-exception';
  const verb =
    status === 'success'
      ? 'succeeded'
      : status === 'fail'
        ? 'failed'
        : status === 'manual-stop'
          ? 'was stopped manually'
          : `needs attention: ${statusWords(instance.status).toLowerCase()}`;
  const time =
    duration === undefined
      ? ''
      : attention
        ? ` (running for ${humanDuration(duration)})`
        : ` after ${humanDuration(duration)}`;
  const follow = attention ? ' I keep following it.' : '';
  const headline = `${statusEmoji(instance.status)} *${escapeMrkdwn(title)}* ${verb}${time}.${follow} <@${subscriber}>`;
  const blocks: KnownBlock[] = [section(headline)];
  const failed = instance.nodes.filter((node) => statusText(node.status) === 'fail');
  if (failed.length > 0) {
    const lines = failed.slice(0, MAX_FAILED_LISTED).map((node) => {
      const log = node.logPath ? `\n    log: ${code(node.logPath)}` : '';
      return `• *${escapeMrkdwn(node.name)}* (${escapeMrkdwn(node.type)})${node.retryTimes ? `, ${plural(node.retryTimes, 'retry', 'retries')}` : ''}${log}`;
    });
    if (failed.length > MAX_FAILED_LISTED)
      lines.push(`… and ${failed.length - MAX_FAILED_LISTED} more failed nodes`);
    blocks.push(
      section(`*Failed ${failed.length === 1 ? 'node' : 'nodes'}*\n${lines.join('\n')}`.slice(0, 2900)),
    );
  }
  if (instance.ignoreSuccess)
    blocks.push(section(':see_no_evil: DataArts ignores this failure for dependants (ignoreSuccess).'));
  if (instance.forceSuccess)
    blocks.push(section(':heavy_check_mark: This instance was marked successful by hand (forceSuccess).'));
  const failedText =
    failed.length > 0
      ? ` Failed: ${failed
          .map((node) => node.name)
          .slice(0, 5)
          .join(', ')}.`
      : '';
  return { text: `${title} ${verb}.${failedText}`, blocks };
}

export function renderRetiredReply(
  job: string,
  instanceId: string,
  status: string | undefined,
  subscriber: string,
  maxAgeMs: number,
): ReplyMessage {
  const text = `:alarm_clock: Stopped following *${escapeMrkdwn(job)} #${instanceId}* after ${humanDuration(maxAgeMs)}; it was still ${escapeMrkdwn(statusWords(status ?? 'unknown').toLowerCase())}. Subscribe again to keep following it. <@${subscriber}>`;
  return { text: `Stopped following ${job} #${instanceId}`, blocks: [section(text)] };
}

export function renderGoneReply(job: string, instanceId: string, subscriber: string): ReplyMessage {
  const text = `:mag: *${escapeMrkdwn(job)} #${instanceId}* can no longer be found in DataArts (it may have been deleted), so I stopped following it. <@${subscriber}>`;
  return { text: `${job} #${instanceId} can no longer be found`, blocks: [section(text)] };
}
