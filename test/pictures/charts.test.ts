import { concurrency } from '../../src/pictures/concurrency';
import { longestPath } from '../../src/pictures/longest-path';
import { type Outcome, outcomesChartSvg } from '../../src/pictures/outcomes-chart';
import { svgToPng } from '../../src/pictures/png';
import { sparklineSvg } from '../../src/pictures/sparkline';
import { assertWellFormed, decodePng, texts } from './svg-checks';

const HOUR = 3_600_000;
const NOW = Date.UTC(2024, 10, 25, 7, 30, 0); // 08:30 in Berlin

describe('outcomesChartSvg', () => {
  const outcomes: Outcome[] = [
    { job: 'nightly_sales_etl', endedAt: NOW - 2 * HOUR, outcome: 'success' },
    { job: 'nightly_sales_etl', endedAt: NOW - 5 * HOUR, outcome: 'success' },
    { job: 'nightly_sales_etl', endedAt: NOW - 6 * HOUR, outcome: 'fail' },
    { job: 'hourly <sync> & co', endedAt: NOW - 1 * HOUR, outcome: 'other' },
    { job: 'hourly <sync> & co', endedAt: NOW - 25 * HOUR, outcome: 'fail' }, // outside the 24 hours
    { job: 'hourly <sync> & co', endedAt: NOW + HOUR, outcome: 'fail' }, // after now
  ];

  test('one total: counts of the last 24 hours, zone and title stated', () => {
    const pic = outcomesChartSvg(outcomes, { now: NOW, timeZone: 'Europe/Berlin' });
    assertWellFormed(pic.svg);
    const all = texts(pic.svg);
    expect(all[0]).toBe('Runs ended in the last 24 hours');
    expect(all[1]).toBe(
      '2 succeeded · 1 failed · 1 other · 24 Nov 08:30 to 25 Nov 08:30 · times in Europe/Berlin (GMT+1)',
    );
    expect(all).toContain('All jobs');
    // Hours on the Berlin wall clock.
    expect(all).toContain('09:00');
    expect(all).toContain('06:00');
    // Three bars (one per hour with runs): two succeeded hours, one failed hour, one other hour.
    expect(pic.svg.match(/<rect [^>]*fill="#2eb67d"[^>]*\/>/g)).toHaveLength(3); // 2 bars + legend
    expect(pic.svg.match(/<rect [^>]*fill="#e01e5a"[^>]*\/>/g)).toHaveLength(2);
  });

  test('one row per job, the job with failures first, names escaped', () => {
    const pic = outcomesChartSvg(outcomes, { now: NOW, perJob: true });
    assertWellFormed(pic.svg);
    const all = texts(pic.svg);
    expect(all.indexOf('nightly_sales_etl')).toBeLessThan(all.indexOf('hourly <sync> & co'));
    expect(all).toContain('2 succeeded · 1 failed');
    expect(all).toContain('1 other');
    expect(pic.alt).toContain('nightly_sales_etl: 2 succeeded · 1 failed; hourly <sync> & co: 1 other');
  });

  test('past the row limit, the other jobs share one row', () => {
    const many: Outcome[] = Array.from({ length: 12 }, (_, i) => ({
      job: `job_${String(i).padStart(2, '0')}`,
      endedAt: NOW - i * HOUR,
      outcome: 'success',
    }));
    const all = texts(outcomesChartSvg(many, { now: NOW, perJob: true, maxRows: 5 }).svg);
    expect(all).toContain('8 other jobs');
    expect(all).toContain('8 succeeded');
  });

  test('renders to a PNG of its size', () => {
    const pic = outcomesChartSvg(outcomes, { now: NOW, perJob: true });
    const png = decodePng(svgToPng(pic.svg).png);
    expect([png.width, png.height]).toEqual([pic.width, pic.height]);
  });
});

describe('sparklineSvg', () => {
  const days = [1, 1, 0.5, null, 0.9, 1, 0.75].map((rate, i) => ({ day: NOW - (6 - i) * 24 * HOUR, rate }));

  test('a line with a gap for the day without runs, the latest rate written', () => {
    const pic = sparklineSvg(days, { timeZone: 'Europe/Berlin' });
    assertWellFormed(pic.svg);
    expect(pic.svg.match(/<polyline /g)).toHaveLength(2);
    expect(texts(pic.svg)).toEqual(expect.arrayContaining(['75%', '7 days', 'Mo', 'Fr']));
    expect(pic.alt).toContain('Fri no runs');
    expect(pic.alt).toContain('Mon 75%');
    const png = decodePng(svgToPng(pic.svg, { scale: 2 }).png);
    expect([png.width, png.height]).toEqual([pic.width * 2, pic.height * 2]);
  });

  test('no runs at all: no line, a dash', () => {
    const pic = sparklineSvg(days.map((d) => ({ ...d, rate: null })));
    expect(pic.svg).not.toContain('<polyline');
    expect(texts(pic.svg)).toContain('–');
  });
});

describe('longestPath', () => {
  test('zero-length nodes at one instant do not loop', () => {
    const nodes = [
      { name: 'a', start: 5, end: 5 },
      { name: 'b', start: 5, end: 5 },
      { name: 'c', start: 5, end: 10 },
    ];
    const path = longestPath(nodes);
    expect(path.at(-1)).toBe('c');
    expect(new Set(path).size).toBe(path.length);
  });

  test('a cycle in the dependencies is followed once', () => {
    const nodes = [
      { name: 'a', start: 0, end: 10 },
      { name: 'b', start: 10, end: 20 },
    ];
    expect(longestPath(nodes, { a: ['b'], b: ['a'] })).toEqual(['a', 'b']);
  });

  test('nothing started: no path', () => {
    expect(longestPath([])).toEqual([]);
  });
});

describe('concurrency', () => {
  test('counts each node in every column its run touches, by status', () => {
    const counted = concurrency(
      [
        { status: 'success', start: 0, end: 49 },
        { status: 'fail', start: 25, end: 74 },
        { status: 'running', start: 50, end: 100 },
        { status: 'waiting' }, // never started: not counted
      ],
      { from: 0, to: 100 },
      4,
      ['success', 'fail', 'running'],
    );
    expect(counted.columns).toEqual([
      [1, 0, 0],
      [1, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expect(counted.peak).toBe(2);
    expect(counted.peakAt).toBe(37.5);
  });
});
