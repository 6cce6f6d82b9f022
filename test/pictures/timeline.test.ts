import { statusText } from '../../src/dataarts/model';
import { parseJobInstance } from '../../src/dataarts/parse';
import { timelineSvg } from '../../src/pictures/timeline';
import { planTimeline } from '../../src/pictures/timeline-plan';
import { bigInstance } from '../../src/simulator/scenarios';
import { assertWellFormed, instance, minutes, node, texts } from './svg-checks';

const NOW = Date.UTC(2024, 10, 25, 14, 0, 0);

function generated(count: number) {
  return parseJobInstance(bigInstance('warehouse_nodes', '51000', count, NOW));
}

describe('timelineSvg at every size', () => {
  test.each([0, 1, 5, 60, 61, 800, 5000])(
    '%i nodes: well-formed, at least 800 px wide, height bounded',
    (count) => {
      const pic = timelineSvg(count === 0 ? instance([]) : generated(count), { now: NOW });
      assertWellFormed(pic.svg);
      expect(pic.width).toBeGreaterThanOrEqual(800);
      expect(pic.height).toBeGreaterThan(150);
      // 60 rows is the most; past that the picture does not grow with the node count.
      expect(pic.height).toBeLessThan(1_500);
      expect(pic.svg).toContain(`width="${pic.width}" height="${pic.height}"`);
      expect(pic.alt.length).toBeLessThanOrEqual(1_000);
    },
  );

  test('up to 60 nodes each has a row; from 61 on, the picture says how the rest are shown', () => {
    const sixty = timelineSvg(generated(60), { now: NOW });
    const sixtyOne = timelineSvg(generated(61), { now: NOW });
    for (const n of generated(60).nodes) expect(texts(sixty.svg)).toContain(n.name);
    expect(texts(sixty.svg).join(' ')).not.toMatch(/have rows/);
    const note = texts(sixtyOne.svg).join(' ');
    expect(note).toMatch(/30 of 61 nodes have rows/);
    expect(note).toMatch(/The other 31 are counted in the band at the top/);
    const started = generated(61).nodes.filter((n) => n.startTime !== undefined).length;
    expect(texts(sixtyOne.svg)).toContain(`All ${started} started nodes`);
  });

  test('5,000 nodes: every failure is counted, the first failures have rows, the note adds up', () => {
    const big = generated(5000);
    const pic = timelineSvg(big, { now: NOW });
    const all = texts(pic.svg).join(' ');
    const failed = big.nodes.filter((n) => statusText(n.status) === 'fail');
    expect(all).toContain(`failed ${failed.length.toLocaleString('en-US')}`);
    expect(all).toMatch(/30 of 5,000 nodes have rows: 12 of \d+ failed \(the first\)/);
    expect(all).toMatch(/The other 4,970 are counted in the band at the top; [\d,]+ have not started\./);
    const firstFailed = [...failed].sort((a, b) => a.startTime! - b.startTime!)[0]!;
    expect(texts(pic.svg)).toContain(firstFailed.name);
  });

  test('the time zone is stated, and times are shown in it', () => {
    const five = instance([node('extract', 'success', 0, 10), node('load', 'success', 10, 25)]);
    const berlin = texts(timelineSvg(five, { timeZone: 'Europe/Berlin' }).svg);
    expect(berlin.join(' ')).toContain('times in Europe/Berlin (GMT+1)');
    expect(berlin).toContain('Europe/Berlin (GMT+1)');
    // 01:00 UTC is 02:00 in Berlin in November.
    expect(berlin.join(' ')).toContain('Started 25 Nov 2024 02:00:00');
    expect(berlin).toContain('02:10');
    const utc = texts(timelineSvg(five).svg);
    expect(utc.join(' ')).toContain('times in UTC');
    expect(utc).toContain('01:10');
    const kolkata = texts(timelineSvg(five, { timeZone: 'Asia/Kolkata' }).svg);
    expect(kolkata.join(' ')).toContain('Asia/Kolkata (GMT+5:30)');
    // Ticks fall on round wall-clock times there too.
    expect(kolkata).toContain('06:40');
    expect(() => timelineSvg(five, { timeZone: 'Mars/Olympus' })).toThrow(
      /Unknown time zone "Mars\/Olympus"/,
    );
  });

  test('failures are labelled with their retries, running nodes reach now, waiting nodes have not started', () => {
    const run = instance(
      [
        node('extract', 'success', 0, 10),
        node('validate', 'fail', 10, 14, { retryTimes: 2 }),
        node('transform', 'running', 10),
        node('publish', 'waiting'),
      ],
      { status: 'running', endTime: undefined },
    );
    const pic = timelineSvg(run, { now: minutes(40) });
    const all = texts(pic.svg);
    expect(all).toContain('failed · 2 retries · 4m 00s');
    expect(all).toContain('running · 30m 00s');
    expect(all).toContain('waiting · not started');
    expect(all.join(' ')).toContain('nightly_sales_etl #1042 · running · 40m 00s');
    expect(pic.alt).toContain('Failed: validate.');
  });

  test('nodes that took at least twice their usual time are marked', () => {
    const run = instance([node('extract', 'success', 0, 10), node('load', 'success', 10, 19)]);
    const all = texts(timelineSvg(run, { usual: { extract: 4 * 60_000, load: 5 * 60_000 } }).svg);
    expect(all).toContain('· 2.5× usual');
    expect(all.filter((t) => t.includes('usual'))).toHaveLength(2); // the mark and the legend
    expect(all).toContain('at least twice the usual time');
  });
});

describe('the longest path', () => {
  // a → b → d and a → c → d; b ends last among d's predecessors; e runs alongside, ending just before d.
  const dag = instance([
    node('a', 'success', 0, 10),
    node('b', 'success', 10, 30),
    node('c', 'success', 10, 15),
    node('e', 'success', 20, 30),
    node('d', 'success', 31, 40),
  ]);
  const dependencies = { b: ['a'], c: ['a'], d: ['b', 'c'] };

  test('follows the dependencies when given: the predecessor that ended last', () => {
    expect(planTimeline(dag, { dependencies }).path).toEqual(['a', 'b', 'd']);
  });

  test('without them, the node that ended closest before each start', () => {
    // b and e both end at 30; the inference cannot tell them apart, and picks one chain of real times.
    const path = planTimeline(dag).path;
    expect(path.at(-1)).toBe('d');
    expect(['b', 'e']).toContain(path.at(-2));
    expect(path.length).toBeGreaterThanOrEqual(2);
  });

  test('is outlined and linked on the picture, and named in the legend', () => {
    const pic = timelineSvg(dag, { dependencies });
    expect(texts(pic.svg)).toContain('longest path (3 nodes)');
    const outlined = pic.svg.match(/<rect [^>]*stroke="#1d1c1d" stroke-width="1.5"[^>]*\/>/g) ?? [];
    // Three bars and the legend swatch.
    expect(outlined).toHaveLength(4);
    expect(pic.svg.match(/<path d="M[^"]*V[^"]*H[^"]*"/g)).toHaveLength(2);
    expect(pic.alt).toContain('Longest path: a → b → d.');
  });
});

describe('hostile node names', () => {
  const hostile = [
    '<script>alert(1)</script>',
    'a & b "quoted" \'single\'',
    'bell\u0007 and null\u0000 and escape\u001b[31m',
    'line\nbreak\ttab',
    'bidi \u202Eevil\u202C override',
    `very_long_${'x'.repeat(2_000)}_end`,
    '数据同步_节点',
    ']]><!-- -->',
    'lone \uD800 surrogate',
  ];
  const run = instance(
    hostile.map((name, i) => node(name, i % 2 ? 'fail' : 'success', i, i + 5)),
    {
      jobName: 'job <&> "x"',
    },
  );

  test('cannot break the XML, and keep their readable characters', () => {
    const pic = timelineSvg(run, { timeZone: 'Europe/Berlin' });
    assertWellFormed(pic.svg);
    const shown = texts(pic.svg);
    expect(shown).toContain('<script>alert(1)</script>');
    expect(shown).toContain('a & b "quoted" \'single\'');
    expect(shown).toContain('bell and null and escape[31m');
    expect(shown).toContain('line break tab');
    expect(shown).toContain('bidi evil override');
    expect(shown).toContain(']]><!-- -->');
    expect(shown).toContain('lone  surrogate'.replace('  ', ' '));
    expect(shown.join(' ')).toContain('job <&> "x" #1042');
    expect(pic.svg).not.toContain('<script');
  });

  test('a very long name is cut in the middle, keeping both ends', () => {
    const shown = texts(timelineSvg(run).svg).find((t) => t.startsWith('very_long_'))!;
    expect(shown).toMatch(/^very_long_x+…x+_end$/);
    expect(shown.length).toBeLessThan(60);
  });
});
