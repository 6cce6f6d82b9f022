/** Rendering the instance message for 10 to 5,000 nodes, against JSON.stringify of the same instance (the floor). */
import { parseJobInstance } from '../src/dataarts/parse';
import { bigInstance } from '../src/simulator/scenarios';
import { renderInstanceMessage } from '../src/slack/blocks/instance-message';
import { ms, type Row, ratio } from './stats';

export function medianTime(run: () => unknown, minMs = 300): number {
  for (let i = 0; i < 20; i++) run(); // warm-up
  const samples: number[] = [];
  const until = performance.now() + minMs;
  while (performance.now() < until || samples.length < 30) {
    const started = performance.now();
    run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

export function renderRows(): { rows: Row[]; results: Record<string, unknown> } {
  const now = Date.now();
  const rows: Row[] = [];
  const results: Record<string, unknown> = {};
  for (const count of [10, 100, 1000, 5000]) {
    const instance = parseJobInstance(bigInstance('bench', '1', count, now));
    const render = medianTime(() => renderInstanceMessage(instance, { now }));
    const floor = medianTime(() => JSON.stringify(instance));
    results[`render_${count}`] = { medianMs: render, jsonStringifyMedianMs: floor };
    rows.push({
      measured: `Render, ${count.toLocaleString('en-US')} nodes (median)`,
      value: ms(render),
      baseline: 'JSON.stringify',
      baselineValue: ms(floor),
      ratio: ratio(render, floor),
      target: count === 1000 ? `< 2 ms: ${render < 2 ? 'met' : 'NOT met'}` : '',
    });
  }
  return { rows, results };
}
