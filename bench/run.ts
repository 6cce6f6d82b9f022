/**
 * `npm run bench`: every figure next to a baseline measured in the same run, as a ratio (these machines are
 * shared and noisy). Prints a table and writes bench/results.json.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deliveryCostRows } from './delivery-cost';
import { fairShareRows } from './fair-share';
import { listPagingRows } from './list-paging';
import { logExcerptRows } from './log-excerpt';
import { notifyRows } from './notify';
import { pictureRows } from './pictures';
import { renderRows } from './render';
import { simListRows } from './sim-list';
import { slackRows } from './slack-load';
import { printTable, type Row } from './stats';
import { sweepScaleOptionsFromEnv, sweepScaleRows } from './sweep-scale';
import { timelineMemoryRows } from './timeline-memory';

const skip = (name: string) => process.env[name] === '1' || process.env[name] === 'true';
const none = () => ({ rows: [] as Row[], results: {} as Record<string, unknown> });

async function main(): Promise<void> {
  const rate = Number(process.env.BENCH_RATE ?? 200);
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const started = Date.now();
  const render = skip('BENCH_SKIP_RENDER') ? none() : renderRows();
  const pictures = skip('BENCH_SKIP_PICTURES') ? none() : pictureRows();
  // 50 commands/s (issue 14's ack target) beside the 200/s row.
  const slack = none();
  if (!skip('BENCH_SKIP_SLACK'))
    for (const perSecond of [...new Set([50, rate])]) {
      const part = await slackRows({ rate: perSecond, seconds });
      slack.rows.push(...part.rows);
      slack.results[`slack${perSecond}`] = part.results;
    }
  const sweep = skip('BENCH_SKIP_SWEEP')
    ? none()
    : await sweepScaleRows(sweepScaleOptionsFromEnv(process.env));
  const simList = skip('BENCH_SKIP_SIMLIST')
    ? none()
    : await simListRows({ jobs: Number(process.env.BENCH_BUSY_JOBS ?? 300) });
  const paging = skip('BENCH_SKIP_PAGING') ? none() : await listPagingRows();
  const fairShare = skip('BENCH_SKIP_FAIRSHARE') ? none() : await fairShareRows();
  const timelineMemory = skip('BENCH_SKIP_TIMELINE_MEMORY') ? none() : await timelineMemoryRows();
  const logExcerpt = skip('BENCH_SKIP_LOGS') ? none() : await logExcerptRows();
  const notify = skip('BENCH_SKIP_NOTIFY') ? none() : await notifyRows();
  const deliveryCost = skip('BENCH_SKIP_DELIVERY_COST') ? none() : await deliveryCostRows();
  const rows = [
    ...slack.rows,
    ...render.rows,
    ...pictures.rows,
    ...sweep.rows,
    ...paging.rows,
    ...simList.rows,
    ...fairShare.rows,
    ...timelineMemory.rows,
    ...logExcerpt.rows,
    ...notify.rows,
    ...deliveryCost.rows,
  ];
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const elapsed = Math.round((Date.now() - started) / 1000);
  process.stdout.write(`\n${printTable(rows)}\n\nMachine: ${machine}; ${elapsed} s\n`);
  writeFileSync(
    path.join(__dirname, '..', '..', 'bench', 'results.json'),
    `${JSON.stringify({ at: new Date().toISOString(), machine, rows, ...slack.results, ...render.results, ...pictures.results, ...sweep.results, ...paging.results, ...simList.results, ...fairShare.results, ...timelineMemory.results, ...logExcerpt.results, ...notify.results, ...deliveryCost.results }, null, 2)}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
