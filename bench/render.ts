/**
 * Pure work on one request's path: rendering the instance message for 10 to 5,000 nodes (against JSON.stringify
 * of the same instance, the floor), parsing a 20,000-node answer (against a lossless parse, what the bot did
 * before), and the message shortcut's extraction on its worst-case input (against splitting the text on spaces).
 */
import { isInteger, isSafeNumber, parse as parseLossless } from 'lossless-json';
import { parseJobInstance, parseJson } from '../src/dataarts/parse';
import { toJson } from '../src/simulator/json';
import { bigInstance } from '../src/simulator/scenarios';
import { renderInstanceMessage } from '../src/slack/blocks/instance-message';
import { extractInstanceRef } from '../src/slack/command/extract';
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
  const answer = toJson(bigInstance('bench', '1', 20_000, now));
  const parse = medianTime(() => parseJobInstance(parseJson(answer)), 1_000);
  const lossless = medianTime(
    () =>
      parseJobInstance(
        parseLossless(answer, null, (value) =>
          isInteger(value) && !isSafeNumber(value) ? value : Number(value),
        ),
      ),
    1_000,
  );
  results.parse_20000 = { medianMs: parse, losslessMedianMs: lossless, bytes: answer.length };
  rows.push({
    measured: `Parse a 20,000-node answer (${(answer.length / 1_048_576).toFixed(1)} MB, median)`,
    value: ms(parse),
    baseline: 'lossless-json parse (before)',
    baselineValue: ms(lossless),
    ratio: ratio(parse, lossless),
  });
  // The input that made the old regular expression backtrack for about a second.
  const worst = `a${' '.repeat(40_000)}b`;
  const extract = medianTime(() => extractInstanceRef(worst));
  const split = medianTime(() => worst.split(/\s+/u));
  results.extract_worst = { medianMs: extract, splitMedianMs: split };
  rows.push({
    measured: 'Message shortcut extraction, worst case (a letter, 40,000 spaces, a letter)',
    value: ms(extract),
    baseline: 'split on white space',
    baselineValue: ms(split),
    ratio: ratio(extract, split),
    target: `linear, < 10 ms: ${extract < 10 ? 'met' : 'NOT met'}`,
  });
  return { rows, results };
}
