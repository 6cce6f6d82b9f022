/**
 * **Timeline**: fetch the instance, draw its Gantt chart (src/pictures) and upload the PNG into the message's
 * thread with files.uploadV2 and a one-line comment. It runs where look-ups run (the look-up thread in
 * production), so drawing 5,000 nodes never holds up Slack's acknowledgements or /healthz.
 */

import type { ExactRef } from '../../dataarts/lookup';
import { durationMs, type JobInstance, statusText } from '../../dataarts/model';
import { slownessOf } from '../../following/usual';
import { plural } from '../../format';
import { svgToPng, timelineSvg } from '../../pictures';
import { Gate } from '../../support/gate';
import { type Markup, md, truncate, truncateMarkup } from '../blocks/markup';
import { slownessLine } from '../blocks/slowness';
import { uploadFailure } from '../web';
import type { LookUpDeps } from './deps';

export interface TimelineWhere {
  channel: string;
  /** The thread the picture goes into (the instance message's own ts, or the thread it is in). */
  threadTs: string;
}

export type TimelineResult =
  | { kind: 'uploaded'; nodes: number; width: number; height: number; bytes: number }
  /** Slack will not take a file there (the bot is not in the conversation, …). */
  | { kind: 'refused'; error: string }
  /** More Timelines are being drawn and waiting than the line holds (TIMELINES_WAITING). */
  | { kind: 'busy' }
  | { kind: 'failed'; error: unknown };

/** Earlier successful runs whose nodes say how long each node usually takes (one look at each). */
const NODE_HISTORY_RUNS = 3;
/** A node needs this many earlier durations to have a usual one. */
const NODE_HISTORY_MIN = 2;

/**
 * Each node's median duration over the job's last few successful runs, when the job's recent runs are at hand
 * (the timeline marks nodes that took at least twice that). Undefined when there is no such history.
 */
export async function usualNodeDurations(
  deps: Pick<LookUpDeps, 'dataarts' | 'history'>,
  instance: JobInstance,
  workspace?: string,
): Promise<Record<string, number> | undefined> {
  if (!deps.history) return undefined;
  const earlier = (await deps.history.rows(instance.jobName, workspace))
    .filter(
      (row) =>
        row.instanceId !== instance.instanceId &&
        statusText(row.status) === 'success' &&
        row.endTime !== undefined,
    )
    .sort((a, b) => b.endTime! - a.endTime!)
    .slice(0, NODE_HISTORY_RUNS);
  if (earlier.length < NODE_HISTORY_MIN) return undefined;
  const runs = await Promise.all(
    earlier.map((row) =>
      deps.dataarts.getInstance(instance.jobName, row.instanceId, { workspace }).catch(() => undefined),
    ),
  );
  const durations = new Map<string, number[]>();
  for (const run of runs)
    for (const node of run?.nodes ?? []) {
      if (node.endTime === undefined) continue;
      const duration = durationMs(node);
      if (duration !== undefined) durations.set(node.name, [...(durations.get(node.name) ?? []), duration]);
    }
  const usual: Record<string, number> = {};
  for (const [name, values] of durations) {
    if (values.length < NODE_HISTORY_MIN) continue;
    const sorted = values.sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    usual[name] = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  }
  return Object.keys(usual).length > 0 ? usual : undefined;
}

/** Slack's limits for a file's title and alt text. */
const TITLE_MAX = 250;
const ALT_MAX = 1_000;

/** The one-line comment under the picture. Slack parses it: escaped. */
export function timelineComment(instance: JobInstance, timeZone: string, slow?: Markup): string {
  const nodes = instance.nodes.length;
  return md`:bar_chart: Timeline of *${truncate(instance.jobName, 150)} #${instance.instanceId}*: ${plural(nodes, 'node')}${nodes > 60 ? ' (the ones that matter have rows; a band counts them all)' : ''}, longest path outlined, times in ${timeZone}.${slow ? md` ${slow}` : ''}`
    .text;
}

/**
 * Timelines drawn at once in a thread (DLF_TIMELINES_AT_ONCE, default 1), and how many more may wait: the
 * instance read, held and drawn is the memory (ten presses at once on 14 MiB instances peaked at up to 518 MiB
 * drawn together, 422 MiB one at a time), so it is bounded by this line, never by how many press at once. A
 * press beyond the line is told to try again.
 */
export const TIMELINES_WAITING = 10;

export function timelineGate(atOnce = 1): Gate {
  return new Gate(atOnce, TIMELINES_WAITING);
}

interface Drawn {
  png: Buffer;
  width: number;
  height: number;
  nodes: number;
  filename: string;
  title: string;
  altText: string;
  comment: string;
}

/** Read the instance and draw it: only the picture and its words leave, so the instance is not held past here. */
async function draw(deps: LookUpDeps, ref: ExactRef): Promise<Drawn> {
  const instance = await deps.dataarts.getInstance(ref.job, ref.instanceId, { workspace: ref.workspace });
  const now = deps.clock();
  const slow = await slownessOf(deps.history, instance, { workspace: ref.workspace, now: deps.clock() });
  const usual = await usualNodeDurations(deps, instance, ref.workspace);
  const picture = timelineSvg(instance, { now, timeZone: deps.timeZone, ...(usual ? { usual } : {}) });
  const { png, width, height } = svgToPng(picture.svg);
  // Every text field goes through the one escaper: a node named `<!here>` in the alt text pings nobody.
  return {
    png,
    width,
    height,
    nodes: instance.nodes.length,
    filename: md`timeline-${instance.jobName}-${instance.instanceId}.png`.text,
    title: truncateMarkup(md`Timeline of ${instance.jobName} #${instance.instanceId}`, TITLE_MAX).text,
    altText: truncateMarkup(md`${picture.alt}`, ALT_MAX).text,
    comment: timelineComment(
      instance,
      deps.timeZone,
      slow ? slownessLine(slow, instance.endTime === undefined) : undefined,
    ),
  };
}

export async function uploadTimeline(
  deps: LookUpDeps,
  gate: Gate,
  ref: ExactRef,
  where: TimelineWhere,
): Promise<TimelineResult> {
  let drawn: Drawn;
  try {
    const gated = await gate.run(() => draw(deps, ref));
    if (!gated.ran) return { kind: 'busy' };
    drawn = gated.value;
  } catch (error) {
    return { kind: 'failed', error };
  }
  try {
    await deps.web.post.filesUploadV2({
      channel_id: where.channel,
      thread_ts: where.threadTs,
      file: drawn.png,
      filename: drawn.filename,
      title: drawn.title,
      alt_text: drawn.altText,
      initial_comment: drawn.comment,
    });
  } catch (error) {
    return uploadFailure(error, deps.logger, 'a timeline', where.channel);
  }
  const { nodes, width, height, png } = drawn;
  return { kind: 'uploaded', nodes, width, height, bytes: png.length };
}
