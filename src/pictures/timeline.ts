/**
 * The timeline picture of one job instance: a Gantt chart with a bar per node, coloured by status, failures
 * labelled, the longest path outlined and linked, nodes slower than usual flagged, a time axis in the reader's
 * zone. Past `maxRows` nodes it shows the rows that matter and a band counting every node (timeline-plan.ts).
 * Pure: an SVG string to hand to png.ts, with its size and an alt text.
 */
import { durationMs, hasOddTimes, type JobInstance, statusText } from '../dataarts/model';
import { count, ODD_TIMES_SENTENCE } from '../format';
import { concurrency } from './concurrency';
import { FAINT, INK, MUTED, SLOW, STATUS_ORDER, STATUS_STYLE, STRIPE, type StatusKey } from './palette';
import { cleanText, el, line, num, type Picture, rect, svgDocument, text } from './svg';
import { fitText, textWidth, type Weight } from './text-width';
import { shortDuration, ZoneClock } from './time-axis';
import {
  type Bar,
  drawableInstance,
  type PlanOptions,
  planTimeline,
  type TimelinePlan,
} from './timeline-plan';

export interface TimelineOptions extends PlanOptions {
  /** IANA zone the times are shown in (default UTC); the picture names it. */
  timeZone?: string;
  /** Pixels (default 1200, at least 800). */
  width?: number;
}

const PAD = 24;
const ROW = 20;
const BAR = 12;
const BAND = 64;
const MIN_WIDTH = 800;
const ALT_LIMIT = 1000;

const INSTANCE_WORDS: Record<string, string> = {
  success: 'succeeded',
  fail: 'failed',
  running: 'running',
  waiting: 'waiting',
  'running-exception': 'running with an exception',
  pause: 'paused',
  'manual-stop': 'stopped manually',
};

const BAR_WORDS: Partial<Record<StatusKey, string>> = {
  fail: 'failed',
  running: 'running',
  pause: 'paused',
  'manual-stop': 'stopped',
  skip: 'skipped',
};

/** A line of text pieces, each with its own colour and weight, laid out left to right. */
interface Piece {
  text: string;
  fill?: string;
  weight?: Weight;
}

/** `backdrop`: a colour painted behind the text first, so lines under it (the path's links) do not cross it. */
function pieces(
  x: number,
  y: number,
  parts: Piece[],
  size: number,
  anchorEnd = false,
  backdrop?: string,
): string {
  const widths = parts.map((part) => textWidth(part.text, size, part.weight));
  const total = widths.reduce((a, b) => a + b, 0);
  let cursor = anchorEnd ? x - total : x;
  let out = backdrop ? rect(cursor - 2, y - size, total + 4, size + 4, { fill: backdrop }) : '';
  parts.forEach((part, i) => {
    // The drawn text loses its leading spaces (svg.ts trims), so they become an offset.
    const lead = part.text.slice(0, part.text.length - part.text.trimStart().length);
    out += text(cursor + textWidth(lead, size, part.weight), y, part.text, {
      fill: part.fill,
      'font-size': size === 12 ? undefined : size,
      'font-weight': part.weight === 'bold' ? 700 : undefined,
    });
    cursor += widths[i]!;
  });
  return out;
}

/** Words wrapped to lines no wider than `maxWidth`. */
function wrap(words: string, maxWidth: number, size: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of cleanText(words).split(' ')) {
    const next = current ? `${current} ${word}` : word;
    if (current && textWidth(next, size) > maxWidth) {
      lines.push(current);
      current = fitText(word, maxWidth, size);
    } else current = fitText(next, maxWidth, size);
  }
  if (current) lines.push(current);
  return lines;
}

function annotation(bar: Bar): Piece[] {
  const parts: Piece[] = [];
  const word =
    BAR_WORDS[bar.status] ??
    (bar.status === 'unknown' ? statusText(bar.node.status) || 'unknown' : undefined);
  const retries = bar.node.retryTimes ?? 0;
  const lead = [
    word,
    retries > 0 ? `${retries} ${retries === 1 ? 'retry' : 'retries'}` : undefined,
    bar.durationMs !== undefined ? shortDuration(bar.durationMs) : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(' · ');
  parts.push({
    text: lead,
    fill: bar.status === 'fail' ? STATUS_STYLE.fail.fill : MUTED,
    weight: bar.status === 'fail' ? 'bold' : 'regular',
  });
  if (bar.slowFactor !== undefined)
    parts.push({ text: ` · ${bar.slowFactor.toFixed(1)}× usual`, fill: SLOW, weight: 'bold' });
  return parts;
}

interface Frame {
  width: number;
  x0: number;
  x1: number;
  plan: TimelinePlan;
  clock: ZoneClock;
  x(t: number): number;
}

interface LegendItem {
  swatch(x: number, y: number): string;
  label: string;
}

function legendItems(plan: TimelinePlan, hasSlow: boolean): LegendItem[] {
  const items: LegendItem[] = [];
  for (const key of STATUS_ORDER) {
    if (plan.counts[key] === 0) continue;
    items.push({
      swatch: (x, y) =>
        rect(x, y - 10, 12, 12, {
          rx: 2,
          fill: STATUS_STYLE[key].fill,
          stroke: key === 'waiting' ? '#b0b0b0' : undefined,
        }),
      label: `${STATUS_STYLE[key].label} ${count(plan.counts[key])}`,
    });
  }
  if (plan.path.length > 0)
    items.push({
      swatch: (x, y) =>
        rect(x + 0.75, y - 9.25, 10.5, 10.5, { rx: 2, fill: '#ffffff', stroke: INK, 'stroke-width': 1.5 }),
      label: plan.path.length === 1 ? 'longest path' : `longest path (${count(plan.path.length)} nodes)`,
    });
  if (hasSlow)
    items.push({
      swatch: (x, y) => text(x, y, '2×', { fill: SLOW, 'font-weight': 700, 'font-size': 11 }),
      label: 'at least twice the usual time',
    });
  if (!plan.ended)
    items.push({
      swatch: (x, y) =>
        line(x + 6, y - 11, x + 6, y + 3, {
          stroke: STATUS_STYLE.running.fill,
          'stroke-width': 1.5,
          'stroke-dasharray': '3 2',
        }),
      label: 'now',
    });
  return items;
}

/** The legend, wrapped to the width; returns its SVG and the y below it. */
function legend(frame: Frame, top: number, items: LegendItem[]): { svg: string; bottom: number } {
  let svg = '';
  let x = PAD;
  let y = top;
  for (const item of items) {
    const width = 18 + textWidth(item.label, 12) + 20;
    if (x + width > frame.width - PAD && x > PAD) {
      x = PAD;
      y += 18;
    }
    svg += item.swatch(x, y) + text(x + 18, y, item.label, { fill: MUTED });
    x += width;
  }
  return { svg, bottom: y + 8 };
}

/** About one tick per 90 px. */
function tickTarget(x0: number, x1: number): number {
  return Math.max(4, Math.floor((x1 - x0) / 90));
}

function axis(frame: Frame, labelY: number, gridTop: number, gridBottom: number, withGrid: boolean): string {
  const { plan, clock } = frame;
  const target = tickTarget(frame.x0, frame.x1);
  let svg = '';
  for (const tick of clock.ticks(plan.from, plan.to, target)) {
    const x = frame.x(tick.at);
    if (withGrid) svg += line(x, gridTop, x, gridBottom, { stroke: FAINT, 'stroke-width': 1 });
    svg += text(x, labelY, tick.label, { fill: MUTED, 'font-size': 11, 'text-anchor': 'middle' });
  }
  return svg;
}

function nowLine(frame: Frame, top: number, bottom: number): string {
  if (frame.plan.ended) return '';
  const x = frame.x(frame.plan.now);
  return line(x, top, x, bottom, {
    stroke: STATUS_STYLE.running.fill,
    'stroke-width': 1.5,
    'stroke-dasharray': '4 3',
  });
}

/** Nodes running at each moment, stacked by status: every node, when only some have rows. */
function band(frame: Frame, top: number, labelWidth: number): string {
  const { plan } = frame;
  const columns = Math.max(1, Math.floor((frame.x1 - frame.x0) / 3));
  const stacked: StatusKey[] = ['success', 'fail', 'manual-stop', 'unknown', 'pause', 'running', 'skip'];
  const { columns: heights, peak, peakAt } = concurrency(plan.all, plan, columns, stacked);
  const width = (frame.x1 - frame.x0) / columns;
  const scale = peak > 0 ? (BAND - 4) / peak : 0;
  let svg = `<g shape-rendering="crispEdges">${rect(frame.x0, top, frame.x1 - frame.x0, BAND, { fill: STRIPE })}`;
  // One path per status, a rectangle per run of equal columns: few elements, however many nodes.
  stacked.forEach((key, i) => {
    let d = '';
    let runStart = 0;
    for (let c = 1; c <= columns; c++) {
      if (c < columns && sameStack(heights[c]!, heights[runStart]!, i)) continue;
      const below = heights[runStart]!.slice(0, i).reduce((a, b) => a + b, 0);
      const h = heights[runStart]![i]! * scale;
      // A hair wider than the columns, so neighbouring runs never leave a seam.
      if (h > 0)
        d += `M${num(frame.x0 + runStart * width)} ${num(top + BAND - below * scale - h)}h${num((c - runStart) * width + 0.5)}v${num(h)}h${num(-((c - runStart) * width + 0.5))}z`;
      runStart = c;
    }
    if (d) svg += el('path', { d, fill: STATUS_STYLE[key].fill });
  });
  svg += '</g>';
  const started = plan.all.filter((bar) => bar.start !== undefined).length;
  svg += text(PAD, top + 14, fitText(`All ${count(started)} started nodes`, labelWidth, 12, 'bold'), {
    'font-weight': 700,
  });
  svg += text(PAD, top + 30, fitText('running at each moment,', labelWidth, 11), {
    fill: MUTED,
    'font-size': 11,
  });
  svg += text(PAD, top + 44, fitText('by how they ended', labelWidth, 11), { fill: MUTED, 'font-size': 11 });
  if (peak > 0)
    svg += text(
      PAD,
      top + 60,
      fitText(`peak ${count(peak)} at ${frame.clock.time(peakAt)}`, labelWidth, 11),
      {
        fill: MUTED,
        'font-size': 11,
      },
    );
  return svg;
}

function sameStack(a: number[], b: number[], upTo: number): boolean {
  for (let i = 0; i <= upTo; i++) if (a[i] !== b[i]) return false;
  return true;
}

function rowsSvg(frame: Frame, top: number, labelWidth: number): string {
  const { plan } = frame;
  let back = '';
  let svg = '';
  const mids = new Map<string, { start: number; end: number; y: number }>();
  plan.rows.forEach((bar, i) => {
    const y = top + i * ROW;
    if (i % 2 === 1) back += rect(PAD - 6, y, frame.x1 - PAD + 6, ROW, { fill: STRIPE });
    const failed = bar.status === 'fail';
    svg += text(PAD, y + 14, fitText(bar.node.name, labelWidth, 12, failed ? 'bold' : 'regular'), {
      fill: failed ? STATUS_STYLE.fail.fill : bar.start === undefined ? MUTED : undefined,
      'font-weight': failed ? 700 : undefined,
    });
    if (bar.start === undefined || bar.end === undefined) {
      const word =
        bar.status === 'skip'
          ? 'skipped'
          : bar.status === 'waiting'
            ? 'waiting'
            : statusText(bar.node.status);
      svg += rect(frame.x0, y + 4, 12, BAR, {
        rx: 2,
        fill: '#ffffff',
        stroke: '#b0b0b0',
        'stroke-dasharray': '2 2',
      });
      const unknown = bar.node.oddTimes?.some((field) => field !== 'planTime');
      svg += text(frame.x0 + 18, y + 14, `${word} · ${unknown ? 'time unknown' : 'not started'}`, {
        fill: MUTED,
        'font-size': 11,
      });
      return;
    }
    const xs = frame.x(bar.start);
    const xe = Math.max(frame.x(bar.end), xs + 2);
    svg += rect(xs, y + (ROW - BAR) / 2, xe - xs, BAR, {
      rx: 2,
      fill: STATUS_STYLE[bar.status].fill,
      stroke: bar.onPath ? INK : undefined,
      'stroke-width': bar.onPath ? 1.5 : undefined,
    });
    if (bar.onPath) mids.set(bar.node.name, { start: xs, end: xe, y: y + ROW / 2 });
    const parts = annotation(bar);
    const width = parts.reduce((sum, part) => sum + textWidth(part.text, 11, part.weight), 0);
    const backdrop = i % 2 === 1 ? STRIPE : '#ffffff';
    if (xe + 6 + width <= frame.x1) svg += pieces(xe + 6, y + 14, parts, 11, false, backdrop);
    else if (xs - 6 - width >= frame.x0) svg += pieces(xs - 6, y + 14, parts, 11, true, backdrop);
    else
      svg += pieces(
        frame.x1 - 4,
        y + 14,
        parts.map((part) => ({ ...part, fill: '#ffffff' })),
        11,
        true,
      );
  });
  // Link consecutive nodes of the longest path that both have rows, under the bars and their labels.
  let links = '';
  let previous: { start: number; end: number; y: number } | undefined;
  for (const name of plan.path) {
    const here = mids.get(name);
    if (!here) {
      previous = undefined;
      continue;
    }
    if (previous) {
      // Down from the end of one bar, then along the next row to its bar: the labels beside bars stay clear.
      links += el('path', {
        d: `M${num(previous.end)} ${num(previous.y)}V${num(here.y)}H${num(here.start)}`,
        fill: 'none',
        stroke: INK,
        'stroke-width': 1,
        'stroke-opacity': 0.7,
      });
    }
    previous = here;
  }
  return back + links + svg;
}

function titleOf(instance: JobInstance, plan: TimelinePlan): string {
  const status = INSTANCE_WORDS[statusText(instance.status)] ?? statusText(instance.status);
  const duration = durationMs(instance, plan.ended ? undefined : plan.now);
  return [
    `${cleanText(instance.jobName)} #${instance.instanceId}`,
    status,
    duration !== undefined ? shortDuration(duration) : undefined,
  ]
    .filter((part) => part)
    .join(' · ');
}

function subtitleOf(instance: JobInstance, plan: TimelinePlan, clock: ZoneClock): string {
  const parts: string[] = [];
  const started = instance.startTime ?? plan.from;
  parts.push(`started ${clock.date(started)} ${clock.time(started, true)}`);
  if (instance.endTime !== undefined)
    parts.push(
      `ended ${clock.sameDay(started, instance.endTime) ? clock.time(instance.endTime, true) : clock.dateTime(instance.endTime)}`,
    );
  else parts.push(`shown at ${clock.time(plan.now, true)}`);
  parts.push(`times in ${clock.zoneLabel(started)}`);
  parts.push(instance.nodes.length === 1 ? '1 node' : `${count(instance.nodes.length)} nodes`);
  const text = parts.join(' · ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function altOf(instance: JobInstance, plan: TimelinePlan, title: string, clock: ZoneClock): string {
  const bits: string[] = [`Timeline of ${title}.`];
  const tally = STATUS_ORDER.filter((key) => plan.counts[key] > 0)
    .map((key) => `${count(plan.counts[key])} ${STATUS_STYLE[key].label}`)
    .join(', ');
  bits.push(
    `${count(instance.nodes.length)} ${instance.nodes.length === 1 ? 'node' : 'nodes'}${tally ? `: ${tally}` : ''}.`,
  );
  const failed = plan.all.filter((bar) => bar.status === 'fail');
  if (failed.length > 0)
    bits.push(
      `Failed: ${failed
        .slice(0, 5)
        .map((bar) => cleanText(bar.node.name))
        .join(', ')}${failed.length > 5 ? ` and ${count(failed.length - 5)} more` : ''}.`,
    );
  if (plan.path.length > 0)
    bits.push(
      `Longest path: ${plan.path.length > 6 ? [...plan.path.slice(0, 3), '…', ...plan.path.slice(-2)].map(cleanText).join(' → ') : plan.path.map(cleanText).join(' → ')}.`,
    );
  const slow = plan.all.filter((bar) => bar.slowFactor !== undefined);
  if (slow.length > 0) bits.push(`${count(slow.length)} slower than usual.`);
  if (plan.summary)
    bits.push(
      `${count(plan.rows.length)} nodes shown as rows, all counted in a band of nodes running at once.`,
    );
  if (hasOddTimes(instance)) bits.push(ODD_TIMES_SENTENCE);
  bits.push(`Times in ${clock.zoneLabel(plan.from)}.`);
  const alt = bits.join(' ');
  return alt.length <= ALT_LIMIT ? alt : `${alt.slice(0, ALT_LIMIT - 1)}…`;
}

export function timelineSvg(given: JobInstance, options: TimelineOptions = {}): Picture {
  const instance = drawableInstance(given);
  const clock = new ZoneClock(options.timeZone ?? 'UTC');
  const plan = planTimeline(instance, options);
  const width = Math.max(MIN_WIDTH, Math.round(options.width ?? 1200));
  const labelWidth = Math.round(Math.min(300, width * 0.25));
  const x0 = PAD + labelWidth + 16;
  const x1 = width - PAD;
  // The axis starts on a labelled time; its end is the run's (or now).
  plan.from = clock.niceStart(plan.from, plan.to, tickTarget(x0, x1));
  const frame: Frame = {
    width,
    x0,
    x1,
    plan,
    clock,
    x: (t) => x0 + ((t - plan.from) / (plan.to - plan.from)) * (x1 - x0),
  };
  const title = titleOf(instance, plan);
  let body = text(PAD, 34, fitText(title, width - 2 * PAD, 18, 'bold'), {
    'font-size': 18,
    'font-weight': 700,
  });
  body += text(PAD, 56, fitText(subtitleOf(instance, plan, clock), width - 2 * PAD, 12), { fill: MUTED });
  const hasSlow = plan.all.some((bar) => bar.slowFactor !== undefined);
  const key = legend(frame, 82, legendItems(plan, hasSlow));
  body += key.svg;

  let y = key.bottom + 18;
  const axisLabelY = y;
  body += text(PAD, axisLabelY, fitText(clock.zoneLabel(plan.from), labelWidth, 11), {
    fill: MUTED,
    'font-size': 11,
  });
  const chartTop = y + 10;
  y = chartTop;
  let bandSvg = '';
  if (plan.summary) {
    bandSvg = band(frame, y, labelWidth);
    y += BAND + 12;
  }
  const rowsTop = y;
  const rowsBottom = rowsTop + Math.max(plan.rows.length, 1) * ROW;
  const gridBottom = rowsBottom;
  body += axis(frame, axisLabelY, chartTop - 4, gridBottom, true);
  body += bandSvg;
  if (instance.nodes.length === 0)
    body += text(PAD, rowsTop + 14, 'DataArts reported no nodes for this instance.', { fill: MUTED });
  else body += rowsSvg(frame, rowsTop, labelWidth);
  body += nowLine(frame, chartTop, rowsBottom);
  y = rowsBottom;
  if (plan.rows.length > 25) {
    body += axis(frame, y + 16, 0, 0, false);
    y += 16;
  }
  const notes: string[] = [];
  if (plan.summary) {
    const { hidden, reasons } = plan.summary;
    const listed =
      reasons.length > 1 ? `${reasons.slice(0, -1).join(', ')} and ${reasons.at(-1)}` : (reasons[0] ?? '');
    const notStarted = plan.all.filter((bar) => bar.start === undefined).length;
    notes.push(
      `${count(plan.rows.length)} of ${count(instance.nodes.length)} nodes have rows: ${listed}. ` +
        `The other ${count(hidden)} are counted in the band at the top` +
        (notStarted > 0 ? `; ${count(notStarted)} have not started.` : '.'),
    );
  }
  if (plan.path.length > 1 && !options.dependencies)
    notes.push('Longest path inferred from the times (no dependencies given).');
  if (hasOddTimes(instance)) notes.push(ODD_TIMES_SENTENCE);
  y += 10;
  for (const note of notes)
    for (const lineText of wrap(note, width - 2 * PAD, 12)) {
      y += 17;
      body += text(PAD, y, lineText, { fill: MUTED });
    }
  const height = Math.ceil(y + PAD);
  const alt = altOf(instance, plan, title, clock);
  return { svg: svgDocument(width, height, alt, body), width, height, alt };
}
