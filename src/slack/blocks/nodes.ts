/**
 * Node ordering and one node's line, shared by the message and the modal. Failed nodes first, then running,
 * paused and waiting ones, then the rest, each group in the API's order. One pass, no full sort.
 */
import { durationMs, type JobNode, statusText } from '../../dataarts/model';
import { count, humanDuration, plural, rowsPerSecond } from '../../format';
import { statusEmoji, statusWords } from './format';
import { code, join, type Markup, md, truncate } from './markup';

const PRIORITY = ['fail', 'running', 'pause', 'waiting'];

export interface NodeOverview {
  /** Nodes in display order. */
  ordered: JobNode[];
  /** How many nodes have each status text. */
  counts: Map<string, number>;
}

export function overview(nodes: readonly JobNode[]): NodeOverview {
  const groups: JobNode[][] = PRIORITY.map(() => []);
  const rest: JobNode[] = [];
  const counts = new Map<string, number>();
  for (const node of nodes) {
    const status = statusText(node.status);
    counts.set(status, (counts.get(status) ?? 0) + 1);
    const index = PRIORITY.indexOf(status);
    (index >= 0 ? groups[index]! : rest).push(node);
  }
  return { ordered: [...groups.flat(), ...rest], counts };
}

/** "2 failed · 1 running · 12 succeeded" with emoji, most important first. */
export function countsLine(counts: ReadonlyMap<string, number>): Markup {
  const order = [...PRIORITY, 'running-exception', 'manual-stop', 'success', 'skip'];
  const statuses = [...counts.keys()].sort((a, b) => rank(order, a) - rank(order, b));
  return join(
    statuses.map(
      (status) =>
        md`${statusEmoji(status)} ${count(counts.get(status)!)} ${truncate(statusWords(status).toLowerCase(), 60)}`,
    ),
    '   ',
  );
}

function rank(order: string[], status: string): number {
  const index = order.indexOf(status);
  return index < 0 ? order.length : index;
}

/** Two or three short lines: name and type; status, duration, retries, rows, speed; the log path of a failure. */
export function nodeText(node: JobNode, now: number): Markup {
  const status = statusText(node.status);
  const duration = durationMs(node, now);
  const facts = [
    truncate(statusWords(node.status), 80),
    duration !== undefined
      ? `${humanDuration(duration)}${node.endTime === undefined ? ' so far' : ''}`
      : node.oddTimes?.some((field) => field !== 'planTime')
        ? 'time unknown'
        : undefined,
    node.retryTimes ? plural(node.retryTimes, 'retry', 'retries') : undefined,
    node.inputRowCount === undefined ? undefined : plural(node.inputRowCount, 'row'),
    node.speed === undefined ? undefined : rowsPerSecond(node.speed),
  ].filter((fact) => fact !== undefined);
  // Bounded pieces keep any one node far below a section's 3,000 characters, even once escaped.
  const lines = [
    md`${statusEmoji(node.status)} *${truncate(node.name, 200)}* · ${truncate(node.type, 60)}`,
    join(facts, ' · '),
  ];
  if (node.logPath && (status === 'fail' || status === 'running'))
    lines.push(md`Log: ${code(truncate(node.logPath, 600))}`);
  return join(lines, '\n');
}
