/**
 * `npm run simulator`: the DataArts simulator on loopback, printing the settings that point the bot at it.
 * SIM_BUSY=1 adds the busy workspace (busy.ts). SIM_LIST_OFFSET (`record`, the default, or `page`) says how
 * the lists read `offset`, SIM_LIST_ORDER (`newest`, `oldest` or `mixed`, the default) in what order the
 * instance list answers (lists.ts); the banner says which it serves. Failed nodes' logs are served beside it, by
 * an OBS-compatible endpoint on the next port (node-logs.ts).
 */
import { stopOnSignal } from '../support/stop-on-signal';
import {
  BUSY_WORKSPACE,
  DEMO_AK,
  DEMO_IAM_USER,
  DEMO_PROJECT_ID,
  DEMO_SK,
  DEMO_TOKEN,
  DEMO_WORKSPACE,
  type ListOffset,
  type ListOrder,
  SCENARIO_NOTES,
  SCENARIOS,
  startSimulator,
} from './index';
import { startSimulatorObs } from './node-logs';

const OFFSET_NOTES: Record<ListOffset, string> = { record: 'records', page: 'pages of limit rows' };
const ORDER_NOTES: Record<ListOrder, string> = {
  newest: 'newest planTime first',
  oldest: 'oldest planTime first',
  mixed: 'in a stable order, neither newest nor oldest first',
};

async function main(): Promise<void> {
  const host = process.env.SIM_HOST || '127.0.0.1';
  const port = Number(process.env.SIM_PORT || 8090);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`SIM_PORT must be a port number (got "${process.env.SIM_PORT}").`);
  }
  const busy = process.env.SIM_BUSY === '1' || process.env.SIM_BUSY === 'true';
  const running = await startSimulator({ host, port, ...(busy ? { busy: {} } : {}) });
  // Failed nodes' logs, on the next port (or any free one when the simulator's port is 0).
  const obs = await startSimulatorObs({ host, port: port === 0 ? 0 : port + 1 });
  const { offset, order } = running.simulator.list;
  const shape = busy ? running.simulator.workspaceStats(BUSY_WORKSPACE) : undefined;
  const width = Math.max(...Object.values(SCENARIOS).map((name) => name.length));
  const scenarios = Object.entries(SCENARIOS).map(
    ([key, name]) => `  ${name.padEnd(width)}  ${SCENARIO_NOTES[key as keyof typeof SCENARIOS]}`,
  );
  // The printed credentials are the simulator's public demo values, not secrets.
  process.stdout.write(
    [
      `DataArts simulator listening on ${running.url} (project ${DEMO_PROJECT_ID})`,
      '',
      'Point the bot or the CLI at it with:',
      `  DLF_ENDPOINT=${running.url}`,
      `  DLF_PROJECT_ID=${DEMO_PROJECT_ID}`,
      `  DLF_WORKSPACE=${DEMO_WORKSPACE}`,
      `  DLF_AK=${DEMO_AK}`,
      `  DLF_SK=${DEMO_SK}`,
      `  OBS_ENDPOINT=${obs.url}    (failed nodes' logs)`,
      `or, instead of DLF_AK/DLF_SK, an IAM token (DLF_IAM_ENDPOINT=${running.url} DLF_IAM_USER=${DEMO_IAM_USER.name}`,
      `  DLF_IAM_PASSWORD=${DEMO_IAM_USER.password} DLF_IAM_DOMAIN=${DEMO_IAM_USER.domain}) or DLF_TOKEN=${DEMO_TOKEN}`,
      '',
      'Jobs:',
      ...scenarios,
      '',
      ...(shape
        ? [
            `Busy workspace ${BUSY_WORKSPACE} (send it as DLF_WORKSPACE or --workspace): ${shape.jobs} jobs`,
            `  on schedules from every 5 minutes to daily, ${shape.instances} instances kept, thousands more a day.`,
            '',
          ]
        : []),
      `Lists: offset counts ${OFFSET_NOTES[offset]} (SIM_LIST_OFFSET=${offset}),`,
      `  instance rows come ${ORDER_NOTES[order]} (SIM_LIST_ORDER=${order}),`,
      '  no minPlanTime means today 00:00 UTC, no maxPlanTime now, and a window spans at most 7 days.',
      '',
      'Try: npx dlf-instance job_batch 34765',
      `Control API (no auth): ${running.url}/__sim/… (see src/simulator/control.ts)`,
      '',
    ].join('\n'),
  );
  stopOnSignal().running(() => Promise.all([running.close(), obs.close()]));
}

main().catch((error: unknown) => {
  process.stderr.write(`The simulator could not start: ${(error as Error).message}\n`);
  process.exit(1);
});
