/** Plain-text rendering of an instance for a terminal. Pure: the caller decides where it goes. */

import {
  durationMs,
  hasOddTimes,
  type InstanceStatus,
  type JobInstance,
  type NodeStatus,
  statusText,
  type TimeField,
} from '../dataarts/model';
import { count, humanDuration, ODD_TIMES_SENTENCE, rowsPerSecond } from '../format';

export interface TerminalStyle {
  color: boolean;
}

const COLORS = new Map(
  Object.entries({
    success: '32',
    fail: '31',
    'running-exception': '31',
    running: '36',
    waiting: '90',
    pause: '33',
    'manual-stop': '33',
    skip: '90',
  }),
);

function paint(text: string, status: InstanceStatus | NodeStatus, style: TerminalStyle): string {
  const code = COLORS.get(statusText(status));
  return style.color && code ? `\u001b[${code}m${text}\u001b[0m` : text;
}

/** The time, "unknown" where DataArts sent one that made no sense, "-" where it sent none. */
function time(instance: JobInstance, field: 'planTime' | 'startTime' | 'endTime'): string {
  const ms = instance[field];
  if (ms === undefined) return instance.oddTimes?.includes(field) ? 'unknown' : '-';
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** The duration, "unknown" where a time it needs made no sense. */
function duration(
  item: { startTime?: number; endTime?: number; oddTimes?: readonly TimeField[] },
  now: number,
) {
  const ms = durationMs(item, now);
  if (ms === undefined && item.oddTimes?.some((field) => field !== 'planTime')) return 'unknown';
  return humanDuration(ms);
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

export function renderInstanceText(instance: JobInstance, now: number, style: TerminalStyle): string {
  const status = statusText(instance.status);
  const lines = [
    `${instance.jobName} #${instance.instanceId}: ${paint(status, instance.status, style)}`,
    `  planned  ${time(instance, 'planTime')}`,
    `  started  ${time(instance, 'startTime')}`,
    `  ended    ${time(instance, 'endTime')}`,
    `  duration ${duration(instance, now)}${instance.endTime === undefined && !instance.oddTimes ? ' so far' : ''}`,
  ];
  if (hasOddTimes(instance)) lines.push(`  note     ${ODD_TIMES_SENTENCE}`);
  if (instance.forceSuccess) lines.push('  note     marked successful by force (forceSuccess)');
  if (instance.ignoreSuccess) lines.push('  note     failure ignored (ignoreSuccess)');
  lines.push('', `  nodes (${instance.nodes.length} of ${instance.total})`);
  const nameWidth = Math.min(40, Math.max(4, ...instance.nodes.map((node) => node.name.length)));
  const typeWidth = Math.min(16, Math.max(4, ...instance.nodes.map((node) => node.type.length)));
  for (const node of instance.nodes) {
    const facts = [
      duration(node, now),
      node.retryTimes ? `${node.retryTimes} retries` : undefined,
      node.inputRowCount !== undefined ? `${count(node.inputRowCount)} rows` : undefined,
      node.speed !== undefined ? rowsPerSecond(node.speed) : undefined,
    ].filter(Boolean);
    const nodeStatus = paint(pad(statusText(node.status), 17), node.status, style);
    lines.push(
      `  ${pad(node.name, nameWidth)}  ${pad(node.type, typeWidth)}  ${nodeStatus}  ${facts.join(', ')}`,
    );
    if (node.logPath && statusText(node.status) === 'fail') lines.push(`    log: ${node.logPath}`);
  }
  return lines.join('\n');
}
