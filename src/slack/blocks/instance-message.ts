/**
 * The instance message: everything about one run at a glance, inside Slack's limits however many nodes it
 * has (50 blocks, 3,000 characters a section, ~12k characters in all), readable on a phone, and still clear
 * from a permalink a week later. Pure: our model in, Block Kit out.
 */
import type { ActionsBlock, Button, KnownBlock, MessageMetadata } from '@slack/types';
import { durationMs, hasOddTimes, type JobInstance, type JobNode, statusText } from '../../dataarts/model';
import type { Slowness } from '../../following/usual';
import { humanDuration, plural } from '../../format';
import { ACTIONS, encodeButtonValue } from '../ids';
import { oddTimesNote, statusEmoji, statusWords, timeShown } from './format';
import { logButton } from './log-excerpt';
import { dateToken, join, type Markup, md, mrkdwn, plain, truncate, truncateMarkup } from './markup';
import { instanceMetadata } from './metadata';
import { countsLine, nodeText, overview } from './nodes';
import { operationButtons } from './operations';
import { slownessLine } from './slowness';

export interface InstanceMessageContext {
  now: number;
  workspace?: string;
  /** "Open in console" link template with {job}, {instance} and {workspace}; no button without it. */
  consoleUrl?: string;
  subscribed?: boolean;
  /** DLF_OPERATORS is set: **Stop** / **Rerun** are shown (each press is still checked). */
  operable?: boolean;
  /** Log excerpts are on: **Log** uploads the first failed node's log into the thread. */
  logs?: boolean;
  /** The run took at least twice its job's usual duration (following/usual.ts). */
  slowness?: Slowness;
}

export interface RenderedMessage {
  text: string;
  blocks: KnownBlock[];
  /** What the message is about, for other apps (blocks/metadata.ts). */
  metadata?: MessageMetadata;
}

/** A rendered message's fields for chat.postMessage and chat.update: its metadata goes wherever it goes. */
export function messageFields(message: RenderedMessage): {
  text: string;
  blocks: KnownBlock[];
  metadata?: MessageMetadata;
} {
  return {
    text: message.text,
    blocks: message.blocks,
    ...(message.metadata ? { metadata: message.metadata } : {}),
  };
}

/** Budgets kept well inside Slack's limits, leaving room for the fixed blocks. */
export const MAX_SHOWN_NODES = 20;
const NODE_TEXT_BUDGET = 7_000;
const SECTION_TEXT_MAX = 2_900;

export function consoleLink(
  template: string,
  instance: { jobName: string; instanceId: string },
  workspace?: string,
): string {
  return template
    .replace(/\{job\}/g, encodeURIComponent(instance.jobName))
    .replace(/\{instance\}/g, encodeURIComponent(instance.instanceId))
    .replace(/\{workspace\}/g, encodeURIComponent(workspace ?? ''));
}

/** The notification and screen-reader text: one sentence with the outcome (Slack parses it: escaped too). */
export function fallbackText(instance: JobInstance, now: number): string {
  const { counts } = overview(instance.nodes);
  const failed = counts.get('fail') ?? 0;
  const duration = durationMs(instance, now);
  const status = truncate(statusWords(instance.status).toLowerCase(), 80);
  const parts: Markup[] = [md`${truncate(instance.jobName, 150)} #${instance.instanceId}: ${status}`];
  if (duration !== undefined)
    parts.push(md`${instance.endTime === undefined ? 'for' : 'after'} ${humanDuration(duration)}`);
  parts.push(
    failed > 0
      ? md`(${plural(failed, 'failed node')} of ${instance.nodes.length})`
      : md`(${plural(instance.nodes.length, 'node')})`,
  );
  return join(parts, ' ').text;
}

export function renderInstanceMessage(instance: JobInstance, ctx: InstanceMessageContext): RenderedMessage {
  const { now } = ctx;
  const value = encodeButtonValue({
    job: instance.jobName,
    instanceId: instance.instanceId,
    workspace: ctx.workspace,
  });
  const { ordered, counts } = overview(instance.nodes);
  const duration = durationMs(instance, now);
  const running = instance.endTime === undefined && instance.startTime !== undefined;
  const durationText =
    duration !== undefined
      ? `${humanDuration(duration)}${running ? ' so far' : ''}`
      : instance.startTime !== undefined || instance.oddTimes?.includes('startTime')
        ? 'unknown'
        : 'not started';

  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: plain(
        md`${statusEmoji(instance.status)} ${truncate(instance.jobName, 128)} #${instance.instanceId}`,
        150,
      ),
    },
    {
      type: 'section',
      fields: [
        mrkdwn(md`*Status*\n${truncate(statusWords(instance.status), 200)}`),
        mrkdwn(md`*Duration*\n${durationText}`),
        mrkdwn(md`*Planned*\n${timeShown(instance, 'planTime')}`),
        mrkdwn(md`*Started*\n${timeShown(instance, 'startTime')}`),
        mrkdwn(md`*Ended*\n${timeShown(instance, 'endTime')}`),
        mrkdwn(md`*Nodes*\n${plural(instance.nodes.length, 'node')}`),
      ],
    },
  ];

  const notes = [
    instance.forceSuccess
      ? md`:heavy_check_mark: *Forced success*: this instance was marked successful by hand.`
      : undefined,
    instance.ignoreSuccess
      ? md`:see_no_evil: *Failure ignored*: DataArts treats this failure as success for dependants.`
      : undefined,
    instance.total !== instance.nodes.length
      ? md`:information_source: DataArts reports ${plural(instance.total, 'node')}, and sent ${instance.nodes.length}.`
      : undefined,
    ctx.slowness ? slownessLine(ctx.slowness, running) : undefined,
    hasOddTimes(instance) ? oddTimesNote() : undefined,
  ].filter((note) => note !== undefined);
  if (notes.length > 0) blocks.push({ type: 'context', elements: notes.map(mrkdwn) });

  if (instance.nodes.length > 0) {
    blocks.push({ type: 'section', text: mrkdwn(countsLine(counts)) }, { type: 'divider' });
    const { sections, shown } = nodeSections(ordered, now);
    blocks.push(...sections);
    const hidden = ordered.length - shown;
    if (hidden > 0) {
      const hiddenFailed = ordered.slice(shown).filter((node) => statusText(node.status) === 'fail').length;
      blocks.push({
        type: 'context',
        elements: [
          mrkdwn(
            md`… and ${plural(hidden, 'more node')}${hiddenFailed > 0 ? ` (${hiddenFailed} failed)` : ''}. *View all nodes* lists every one.`,
          ),
        ],
      });
    }
  }

  blocks.push({
    type: 'context',
    elements: [
      mrkdwn(
        md`Updated ${dateToken(now, '{date_short_pretty} at {time}')}${ctx.workspace ? md` · workspace ${ctx.workspace}` : ''}${ctx.subscribed ? ' · :bell: followed' : ''}`,
      ),
    ],
  });
  blocks.push(actions(instance, ctx, value));
  return {
    text: fallbackText(instance, now),
    blocks,
    metadata: instanceMetadata({
      workspace: ctx.workspace,
      job: instance.jobName,
      instanceId: instance.instanceId,
      status: statusText(instance.status),
    }),
  };
}

/** Node lines packed into as few sections as fit, stopping at the node budget. */
function nodeSections(ordered: readonly JobNode[], now: number) {
  const sections: KnownBlock[] = [];
  let current = '';
  let used = 0;
  let shown = 0;
  for (const node of ordered) {
    if (shown >= MAX_SHOWN_NODES) break;
    // A guard for pathological input (names full of characters that escaping lengthens).
    const text = truncateMarkup(nodeText(node, now), SECTION_TEXT_MAX).text;
    if (used + text.length > NODE_TEXT_BUDGET) break;
    if (current && current.length + 2 + text.length > SECTION_TEXT_MAX) {
      sections.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
      current = '';
    }
    current = current ? `${current}\n\n${text}` : text;
    used += text.length + 2;
    shown += 1;
  }
  if (current) sections.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
  return { sections, shown };
}

function actions(instance: JobInstance, ctx: InstanceMessageContext, value: string): ActionsBlock {
  const elements: Button[] = [
    { type: 'button', action_id: ACTIONS.refresh, text: { type: 'plain_text', text: 'Refresh' }, value },
    ctx.subscribed
      ? {
          type: 'button',
          action_id: ACTIONS.unsubscribe,
          text: { type: 'plain_text', text: 'Unsubscribe' },
          value,
        }
      : {
          type: 'button',
          action_id: ACTIONS.subscribe,
          text: { type: 'plain_text', text: 'Subscribe' },
          value,
          style: 'primary',
        },
  ];
  if (instance.nodes.length > 0) {
    elements.push({
      type: 'button',
      action_id: ACTIONS.viewNodes,
      text: { type: 'plain_text', text: 'View all nodes' },
      value,
    });
    elements.push(timelineButton(value));
  }
  // **Log**: the first failed node's log (View all nodes has one for each).
  const failed = ctx.logs
    ? instance.nodes.find((node) => statusText(node.status) === 'fail' && node.logPath)
    : undefined;
  if (failed)
    elements.push(
      logButton(
        { job: instance.jobName, instanceId: instance.instanceId, workspace: ctx.workspace },
        failed.name,
      ),
    );
  if (ctx.consoleUrl) {
    elements.push({
      type: 'button',
      action_id: ACTIONS.openConsole,
      text: { type: 'plain_text', text: 'Open in console' },
      url: consoleLink(ctx.consoleUrl, instance, ctx.workspace),
    });
  }
  if (ctx.operable) elements.push(...operationButtons(instance, value));
  return { type: 'actions', block_id: `instance_actions`, elements };
}

/** **Timeline**: a picture of the run, node by node, uploaded into the message's thread. */
function timelineButton(value: string): Button {
  return {
    type: 'button',
    action_id: ACTIONS.timeline,
    text: { type: 'plain_text', text: 'Timeline' },
    value,
  };
}
