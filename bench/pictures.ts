/**
 * Rendering pictures: the timeline of 1,000 and 5,000 nodes, SVG and PNG together (what the Timeline button
 * waits for), against drawing the SVG alone in the same run; the digest chart and the sparkline likewise.
 */
import { parseJobInstance } from '../src/dataarts/parse';
import { type Outcome, outcomesChartSvg } from '../src/pictures/outcomes-chart';
import { svgToPng } from '../src/pictures/png';
import { sparklineSvg } from '../src/pictures/sparkline';
import { timelineSvg } from '../src/pictures/timeline';
import { bigInstance } from '../src/simulator/scenarios';
import { medianTime } from './render';
import { ms, type Row, ratio } from './stats';

const TARGET_MS = 100;

export function pictureRows(): { rows: Row[]; results: Record<string, unknown> } {
  const now = Date.now();
  const rows: Row[] = [];
  const results: Record<string, unknown> = {};
  const measure = (key: string, label: string, draw: () => { svg: string }, target?: number) => {
    const picture = draw();
    const both = medianTime(() => svgToPng(draw().svg), 1_000);
    const svgOnly = medianTime(draw, 300);
    const { width, height, png } = svgToPng(picture.svg);
    results[key] = { medianMs: both, svgMedianMs: svgOnly, width, height, pngBytes: png.length };
    rows.push({
      measured: `${label} (median)`,
      value: ms(both),
      baseline: 'the SVG alone',
      baselineValue: ms(svgOnly),
      ratio: ratio(both, svgOnly),
      target: target === undefined ? '' : `≤ ${target} ms: ${both <= target ? 'met' : 'NOT met'}`,
    });
  };
  for (const count of [1000, 5000]) {
    const instance = parseJobInstance(bigInstance('bench', '1', count, now));
    measure(
      `timeline_${count}`,
      `Timeline PNG, ${count.toLocaleString('en-US')} nodes`,
      () => timelineSvg(instance, { now, timeZone: 'Europe/Berlin' }),
      count === 1000 ? TARGET_MS : undefined,
    );
  }
  const outcomes: Outcome[] = [];
  for (let job = 0; job < 12; job++)
    for (let hour = 0; hour < 24; hour += 1 + (job % 4))
      outcomes.push({
        job: `job_${job}`,
        endedAt: now - hour * 3_600_000,
        outcome: (hour + job) % 7 === 0 ? 'fail' : 'success',
      });
  measure('digest_chart', 'Digest chart PNG, 12 jobs', () =>
    outcomesChartSvg(outcomes, { now, perJob: true, timeZone: 'Europe/Berlin' }),
  );
  const days = [1, 0.5, null, 1, 0.8, 1, 1].map((rate, i) => ({ day: now - (6 - i) * 86_400_000, rate }));
  measure('sparkline', 'Sparkline PNG, 7 days', () => sparklineSvg(days, { timeZone: 'Europe/Berlin' }));
  return { rows, results };
}
