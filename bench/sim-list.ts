/**
 * What a sweep costs the simulator: the instance list over the last 24 h of the busy workspace (1,000-row
 * pages, offset counting records), over loopback HTTP, against a server that answers the same bytes
 * without computing them; and the simulator's own work per page (index window, views, rows, JSON) against
 * JSON.stringify of the same rows.
 */

import { BUSY_WORKSPACE, DEMO_PROJECT_ID, DEMO_TOKEN, startSimulator } from '../src/simulator';
import { answerApi } from '../src/simulator/api';
import { toJson } from '../src/simulator/json';
import { listenLocal } from '../src/support/http-server';
import { ms, type Row, ratio, summarize } from './stats';

const DAY = 86_400_000;

/** Runs `call` for at least `minMs` and 20 times, after 5 warm-ups; returns the samples in ms. */
async function sample(call: () => Promise<unknown> | unknown, minMs: number): Promise<number[]> {
  for (let i = 0; i < 5; i++) await call();
  const samples: number[] = [];
  const until = performance.now() + minMs;
  while (performance.now() < until || samples.length < 20) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  return samples;
}

export async function simListRows(
  options: { jobs?: number; seconds?: number } = {},
): Promise<{ rows: Row[]; results: Record<string, unknown> }> {
  const minMs = (options.seconds ?? 2) * 1000;
  const now = Date.now();
  const built = performance.now();
  const sim = await startSimulator({ clock: () => now, busy: { jobs: options.jobs ?? 300 } });
  const buildMs = performance.now() - built;
  const since = now - DAY;
  const path = (page: number) =>
    `/v1/${DEMO_PROJECT_ID}/jobs/instances/detail?limit=1000&offset=${page * 1000}&minPlanTime=${since}&maxPlanTime=${now}`;
  const headers = { 'X-Auth-Token': DEMO_TOKEN, workspace: BUSY_WORKSPACE };
  const get = async (base: string, page: number) => (await fetch(`${base}${path(page)}`, { headers })).text();

  const stats = sim.simulator.workspaceStats(BUSY_WORKSPACE)!;
  const first = JSON.parse(await get(sim.url, 0)) as { total: number };
  const pages = Math.ceil(first.total / 1000);
  const bodies = await Promise.all(Array.from({ length: pages }, (_, page) => get(sim.url, page)));
  // The baseline answers the very same bytes, page by page, computing nothing.
  const fixed = await listenLocal(async (req, res) => {
    const page = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('offset')) / 1000;
    const body = bodies[page] ?? '';
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  try {
    const page = summarize(await sample(() => get(sim.url, 0), minMs));
    const pageFloor = summarize(await sample(() => get(fixed.url, 0), minMs));
    const sweepAll = (base: string) => Promise.all(Array.from({ length: pages }, (_, i) => get(base, i)));
    const sweep = summarize(await sample(() => sweepAll(sim.url), minMs));
    const sweepFloor = summarize(await sample(() => sweepAll(fixed.url), minMs));

    const context = { world: sim.simulator.world, workspaces: [BUSY_WORKSPACE], now };
    const input = {
      query: new URLSearchParams(`limit=1000&offset=0&minPlanTime=${since}&maxPlanTime=${now}`),
      body: Buffer.alloc(0),
      workspace: BUSY_WORKSPACE,
    };
    const rowsOnly = (answerApi(context, { kind: 'list-instances' }, input).body as { instances: unknown[] })
      .instances;
    const work = summarize(
      await sample(() => toJson(answerApi(context, { kind: 'list-instances' }, input).body), minMs),
    );
    const workFloor = summarize(await sample(() => JSON.stringify(rowsOnly), minMs));

    const results = {
      simList: {
        jobs: stats.jobs,
        instancesKept: stats.instances,
        instancesLast24h: first.total,
        pagesPer24hSweep: pages,
        pageBytes: Buffer.byteLength(bodies[0] ?? ''),
        buildMs,
        pageMs: page,
        pageFloorMs: pageFloor,
        sweepMs: sweep,
        sweepFloorMs: sweepFloor,
        workPerPageMs: work,
        workFloorMs: workFloor,
      },
    };
    const shape = `${stats.jobs} jobs, ${first.total.toLocaleString('en-US')} instances in 24 h`;
    const rows: Row[] = [
      {
        measured: `Busy list page, 24 h window, 1,000 rows, HTTP p50 / p99 (${shape})`,
        value: `${ms(page.p50)} / ${ms(page.p99)}`,
        baseline: 'the same bytes, not computed',
        baselineValue: `${ms(pageFloor.p50)} / ${ms(pageFloor.p99)}`,
        ratio: ratio(page.p50, pageFloor.p50),
      },
      {
        measured: `Busy list, whole 24 h sweep (${pages} pages at once), p50`,
        value: ms(sweep.p50),
        baseline: 'the same bytes, not computed',
        baselineValue: ms(sweepFloor.p50),
        ratio: ratio(sweep.p50, sweepFloor.p50),
      },
      {
        measured: 'Simulator work per 1,000-row page (window, views, rows, JSON), p50',
        value: ms(work.p50),
        baseline: 'JSON.stringify of the rows',
        baselineValue: ms(workFloor.p50),
        ratio: ratio(work.p50, workFloor.p50),
      },
    ];
    return { rows, results };
  } finally {
    await fixed.close();
    await sim.close();
  }
}
