/**
 * **Timeline**: fetch the instance, draw its Gantt chart (src/pictures) and upload the PNG into the message's
 * thread with files.uploadV2 and a one-line comment. It runs where look-ups run (the look-up thread in
 * production), so drawing 5,000 nodes never holds up Slack's acknowledgements or /healthz.
 */
import type { JobInstance } from '../../dataarts/model';
import { plural } from '../../format';
import { svgToPng, timelineSvg } from '../../pictures';
import { type Markup, md, truncate } from '../blocks/markup';
import { slownessLine } from '../blocks/slowness';
import { slackErrorCode } from '../web';
import type { ExactRef, LookUpDeps } from './look-ups';
import { slownessOf } from './look-ups';

export interface TimelineWhere {
  channel: string;
  /** The thread the picture goes into (the instance message's own ts, or the thread it is in). */
  threadTs: string;
}

export type TimelineResult =
  | { kind: 'uploaded'; nodes: number; width: number; height: number; bytes: number }
  /** Slack will not take a file there (the bot is not in the conversation, …). */
  | { kind: 'refused'; error: string }
  | { kind: 'failed'; error: unknown };

/** Slack errors that mean the bot may not upload into that conversation. */
const REFUSALS = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'restricted_action',
  'not_allowed',
]);

/** The one-line comment under the picture. Slack parses it: escaped. */
export function timelineComment(instance: JobInstance, timeZone: string, slow?: Markup): string {
  const nodes = instance.nodes.length;
  return md`:bar_chart: Timeline of *${truncate(instance.jobName, 150)} #${instance.instanceId}*: ${plural(nodes, 'node')}${nodes > 60 ? ' (the ones that matter have rows; a band counts them all)' : ''}, longest path outlined, times in ${timeZone}.${slow ? md` ${slow}` : ''}`
    .text;
}

export async function uploadTimeline(
  deps: LookUpDeps,
  ref: ExactRef,
  where: TimelineWhere,
): Promise<TimelineResult> {
  let instance: JobInstance;
  try {
    instance = await deps.dataarts.getInstance(ref.job, ref.instanceId, { workspace: ref.workspace });
  } catch (error) {
    return { kind: 'failed', error };
  }
  const now = deps.clock();
  const slow = await slownessOf(deps, instance, ref.workspace);
  const picture = timelineSvg(instance, { now, timeZone: deps.timeZone });
  const { png, width, height } = svgToPng(picture.svg);
  try {
    await deps.web.post.filesUploadV2({
      channel_id: where.channel,
      thread_ts: where.threadTs,
      file: png,
      filename: `timeline-${instance.jobName}-${instance.instanceId}.png`,
      title: truncate(`Timeline of ${instance.jobName} #${instance.instanceId}`, 250),
      alt_text: picture.alt,
      initial_comment: timelineComment(
        instance,
        deps.timeZone,
        slow ? slownessLine(slow, instance.endTime === undefined) : undefined,
      ),
    });
  } catch (error) {
    const code = slackErrorCode(error);
    if (code && REFUSALS.has(code)) return { kind: 'refused', error: code };
    deps.logger.warn({ slackError: code, channel: where.channel }, 'uploading a timeline failed');
    return { kind: 'failed', error };
  }
  return { kind: 'uploaded', nodes: instance.nodes.length, width, height, bytes: png.length };
}
