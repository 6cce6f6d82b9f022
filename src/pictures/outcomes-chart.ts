/**
 * The daily digest's chart: how runs ended, hour by hour, over the last 24 hours, as stacked bars (succeeded,
 * failed, other), for the channel's jobs together or one row per job on a shared scale. Pure, like timeline.ts.
 */
import { count } from '../format';
import { FAINT, MUTED, STATUS_STYLE, STRIPE } from './palette';
import type { Picture } from './svg';
import { cleanText, line, rect, svgDocument, text } from './svg';
import { fitText, textWidth } from './text-width';
import { ZoneClock } from './time-axis';

export type OutcomeKind = 'success' | 'fail' | 'other';

export interface Outcome {
  /** When the run ended (epoch ms). */
  endedAt: number;
  outcome: OutcomeKind;
  /** The job, for per-job rows. */
  job?: string;
}

export interface OutcomesChartOptions {
  /** The end of the 24 hours shown. */
  now: number;
  timeZone?: string;
  /** One row per job (most failures first) instead of one total. */
  perJob?: boolean;
  /** Rows at most (default 8); further jobs are added up in one last row. */
  maxRows?: number;
  /** Pixels (default 800). */
  width?: number;
  title?: string;
}

const HOUR = 3_600_000;
const PAD = 24;
const CHART = 44;
const GAP = 14;
const KINDS: OutcomeKind[] = ['success', 'fail', 'other'];
const COLOURS: Record<OutcomeKind, string> = {
  success: STATUS_STYLE.success.fill,
  fail: STATUS_STYLE.fail.fill,
  other: '#9a9a9a',
};
const WORDS: Record<OutcomeKind, string> = { success: 'succeeded', fail: 'failed', other: 'other' };

interface Series {
  label: string;
  bins: Record<OutcomeKind, number>[];
  totals: Record<OutcomeKind, number>;
}

function emptyTotals(): Record<OutcomeKind, number> {
  return { success: 0, fail: 0, other: 0 };
}

/** Hour starts (on the zone's wall clock) covering (now − 24 h, now]. */
function hours(now: number, clock: ZoneClock): number[] {
  const startOf = (t: number) => {
    const offset = clock.offset(t);
    return Math.floor((t + offset) / HOUR) * HOUR - offset;
  };
  const first = startOf(now - 24 * HOUR + 1);
  const last = startOf(now);
  const starts: number[] = [];
  for (let t = first; t <= last; t += HOUR) starts.push(t);
  return starts;
}

function seriesOf(label: string, outcomes: Outcome[], starts: number[], now: number): Series {
  const bins = starts.map(() => emptyTotals());
  const totals = emptyTotals();
  for (const outcome of outcomes) {
    if (outcome.endedAt > now || outcome.endedAt <= now - 24 * HOUR) continue;
    const index = Math.min(starts.length - 1, Math.max(0, Math.floor((outcome.endedAt - starts[0]!) / HOUR)));
    bins[index]![outcome.outcome]++;
    totals[outcome.outcome]++;
  }
  return { label, bins, totals };
}

function tally(totals: Record<OutcomeKind, number>): string {
  const parts = KINDS.filter((kind) => totals[kind] > 0).map(
    (kind) => `${count(totals[kind])} ${WORDS[kind]}`,
  );
  return parts.length > 0 ? parts.join(' · ') : 'no runs ended';
}

export function outcomesChartSvg(outcomes: Outcome[], options: OutcomesChartOptions): Picture {
  const clock = new ZoneClock(options.timeZone ?? 'UTC');
  const width = Math.max(480, Math.round(options.width ?? 800));
  const starts = hours(options.now, clock);
  const series: Series[] = [];
  if (options.perJob) {
    const byJob = new Map<string, Outcome[]>();
    for (const outcome of outcomes) {
      const job = cleanText(outcome.job ?? '') || '(no job)';
      byJob.set(job, [...(byJob.get(job) ?? []), outcome]);
    }
    const all = [...byJob.entries()]
      .map(([job, list]) => seriesOf(job, list, starts, options.now))
      .sort((a, b) => b.totals.fail - a.totals.fail || a.label.localeCompare(b.label));
    const maxRows = Math.max(1, options.maxRows ?? 8);
    if (all.length > maxRows) {
      const rest = all.slice(maxRows - 1);
      const restOutcomes = outcomes.filter((o) =>
        rest.some((s) => s.label === (cleanText(o.job ?? '') || '(no job)')),
      );
      series.push(
        ...all.slice(0, maxRows - 1),
        seriesOf(`${rest.length} other jobs`, restOutcomes, starts, options.now),
      );
    } else series.push(...all);
  }
  if (series.length === 0) series.push(seriesOf('All jobs', outcomes, starts, options.now));

  const total = seriesOf('All jobs', outcomes, starts, options.now).totals;
  const peak = Math.max(1, ...series.flatMap((s) => s.bins.map((b) => b.success + b.fail + b.other)));
  const labelWidth = Math.round(Math.min(200, width * 0.25));
  const x0 = PAD + labelWidth + 12;
  const x1 = width - PAD;
  const column = (x1 - x0) / starts.length;
  const title = options.title ?? 'Runs ended in the last 24 hours';
  let body = text(PAD, 32, fitText(title, width - 2 * PAD, 17, 'bold'), {
    'font-size': 17,
    'font-weight': 700,
  });
  const subtitle = `${tally(total)} · ${clock.dateTime(options.now - 24 * HOUR, false)} to ${clock.dateTime(options.now, false)} · times in ${clock.zoneLabel(options.now)}`;
  body += text(PAD, 52, fitText(subtitle, width - 2 * PAD, 12), { fill: MUTED });
  // Legend
  let lx = PAD;
  for (const kind of KINDS) {
    body += rect(lx, 66, 12, 12, { rx: 2, fill: COLOURS[kind] });
    body += text(lx + 18, 76, WORDS[kind], { fill: MUTED });
    lx += 18 + textWidth(WORDS[kind], 12) + 20;
  }
  body += text(x1, 76, `bar height: runs per hour (highest ${count(peak)})`, {
    fill: MUTED,
    'text-anchor': 'end',
    'font-size': 11,
  });

  let y = 92;
  const scale = (CHART - 2) / peak;
  for (const s of series) {
    body += rect(x0, y, x1 - x0, CHART, { fill: STRIPE });
    body += text(PAD, y + 18, fitText(s.label, labelWidth, 12, 'bold'), { 'font-weight': 700 });
    body += text(PAD, y + 34, fitText(tally(s.totals), labelWidth, 11), { fill: MUTED, 'font-size': 11 });
    s.bins.forEach((bin, i) => {
      let top = y + CHART;
      for (const kind of KINDS) {
        const h = bin[kind] * scale;
        if (h <= 0) continue;
        top -= h;
        body += rect(x0 + i * column + 1, top, Math.max(1, column - 2), h, { fill: COLOURS[kind] });
      }
    });
    body += line(x0, y + CHART, x1, y + CHART, { stroke: FAINT });
    y += CHART + GAP;
  }
  // Hour axis: a label every 3 hours (every hour when there is room).
  const every = column * 3 < 40 ? 6 : column < 40 ? 3 : 1;
  starts.forEach((start, i) => {
    const hour = Number(clock.time(start).slice(0, 2));
    if (hour % every !== 0) return;
    const x = x0 + i * column;
    body += line(x, y - GAP, x, y - GAP + 4, { stroke: MUTED });
    body += text(x, y + 2, clock.time(start), { fill: MUTED, 'font-size': 11, 'text-anchor': 'middle' });
  });
  const height = y + 12 + PAD;
  const alt = `${title}, hour by hour, times in ${clock.zoneLabel(options.now)}: ${series
    .map((s) => `${s.label}: ${tally(s.totals)}`)
    .join('; ')}.`.slice(0, 1000);
  return { svg: svgDocument(width, height, alt, body), width, height, alt };
}
