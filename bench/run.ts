/**
 * `npm run bench`: every figure next to a baseline measured in the same run, as a ratio (these machines are
 * shared and noisy). Prints a table and writes bench/results.json.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderRows } from './render';
import { slackRows } from './slack-load';
import { printTable } from './stats';

async function main(): Promise<void> {
  const rate = Number(process.env.BENCH_RATE ?? 200);
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const render = renderRows();
  const slack = await slackRows({ rate, seconds });
  const rows = [...slack.rows, ...render.rows];
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  process.stdout.write(`\n${printTable(rows)}\n\nMachine: ${machine}\n`);
  writeFileSync(
    path.join(__dirname, '..', '..', 'bench', 'results.json'),
    `${JSON.stringify({ at: new Date().toISOString(), machine, rows, ...slack.results, ...render.results }, null, 2)}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
