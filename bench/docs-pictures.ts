/**
 * Writes the README's timeline pictures (docs/timeline-5.png, docs/timeline-5000.png) from a 5-node run and the
 * simulator's 5,000-node scenario, so they can be redrawn whenever the pictures change:
 *   npx tsc -p bench/tsconfig.json && node .bench-dist/bench/docs-pictures.js
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { JobInstance, JobNode } from '../src/dataarts/model';
import { parseJobInstance } from '../src/dataarts/parse';
import { svgToPng } from '../src/pictures/png';
import { type TimelineOptions, timelineSvg } from '../src/pictures/timeline';
import { BIG_5000_INSTANCE_ID, bigInstance, SCENARIOS } from '../src/simulator/scenarios';

const DOCS = path.join(__dirname, '..', '..', 'docs');
const START = Date.UTC(2026, 2, 2, 1, 0, 4); // 02:00:04 in Berlin

function at(minutes: number, seconds = 0): number {
  return START + minutes * 60_000 + seconds * 1_000;
}

function node(
  name: string,
  type: string,
  status: JobNode['status'],
  from: number,
  to: number,
  extra: Partial<JobNode> = {},
): JobNode {
  return { name, type, status, startTime: from, endTime: to, ...extra };
}

/** A nightly run: one branch fails after two retries, the other is slower than usual and decides the end. */
function fiveNodes(): { instance: JobInstance; options: TimelineOptions } {
  const nodes = [
    node('extract_orders', 'CDMJob', 'success', at(0), at(6, 6)),
    node('extract_payments', 'CDMJob', 'success', at(0, 1), at(4, 26)),
    node('validate_payments', 'HiveSQL', 'fail', at(4, 27), at(9, 58), { retryTimes: 2 }),
    node('aggregate_sales', 'DLI Spark', 'success', at(6, 7), at(31, 36)),
    node('load_sales_mart', 'DWS SQL', 'success', at(31, 37), at(44, 1)),
  ];
  return {
    instance: {
      jobName: SCENARIOS.history,
      instanceId: '1042',
      status: 'fail',
      startTime: at(0),
      endTime: at(44, 1),
      total: nodes.length,
      nodes,
      forceSuccess: false,
      ignoreSuccess: false,
    },
    options: {
      timeZone: 'Europe/Berlin',
      dependencies: {
        validate_payments: ['extract_payments'],
        aggregate_sales: ['extract_orders'],
        load_sales_mart: ['aggregate_sales'],
      },
      usual: {
        extract_orders: 6 * 60_000,
        extract_payments: 4 * 60_000,
        validate_payments: 3 * 60_000,
        aggregate_sales: 11 * 60_000,
        load_sales_mart: 12 * 60_000,
      },
    },
  };
}

function write(name: string, instance: JobInstance, options: TimelineOptions): void {
  const picture = timelineSvg(instance, options);
  const started = performance.now();
  const { png } = svgToPng(picture.svg);
  const took = performance.now() - started;
  writeFileSync(path.join(DOCS, name), png);
  process.stdout.write(
    `${name}: ${picture.width}×${picture.height}, ${png.length} bytes, PNG in ${took.toFixed(0)} ms\n`,
  );
}

const five = fiveNodes();
write('timeline-5.png', five.instance, five.options);
const now = at(180);
write(
  'timeline-5000.png',
  parseJobInstance(bigInstance(SCENARIOS.big5000, BIG_5000_INSTANCE_ID, 5000, now)),
  {
    now,
    timeZone: 'Europe/Berlin',
  },
);
