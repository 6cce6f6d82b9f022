/**
 * The sweep's list read (dataarts/paging.ts) against the simulator with 2,500 instances in a 24-hour window, oldest
 * first, under each reading of `offset`. Baseline, in the same run: the read the sweep did before, `offset` taken
 * as a page number (0, 1, 2… until a short page or `total`), which against record offsets read rows 0–999,
 * 1–1000, 2–1001 and never saw the rest. Rows seen, and list calls for the first read and a quiet one.
 */

import { AkSkAuth } from '../src/dataarts/auth/providers';
import { DataArtsClient } from '../src/dataarts/client';
import type { InstanceSummary } from '../src/dataarts/model';
import { LIST_PAGE, rowKey, windowEnding } from '../src/dataarts/paging';
import { DEMO_AK, DEMO_PROJECT_ID, DEMO_SK, startSimulator } from '../src/simulator';
import type { Row } from './stats';

const ROWS = 2_500;

export async function listPagingRows(): Promise<{ rows: Row[]; results: Record<string, unknown> }> {
  const rows: Row[] = [];
  const results: Record<string, unknown> = {};
  for (const listOffset of ['record', 'page'] as const) {
    const running = await startSimulator({
      host: '127.0.0.1',
      port: 0,
      seed: false,
      listOffset,
      listOrder: 'oldest',
    });
    try {
      const now = Date.now();
      running.simulator.addJob('filler');
      for (let i = 0; i < ROWS; i++)
        running.simulator.setInstance({
          jobName: 'filler',
          instanceId: String(10_000 + i),
          status: 'success',
          planTime: now - 20 * 3_600_000 + i * 20_000,
          nodes: [],
        });
      const client = new DataArtsClient({
        endpoint: running.url,
        projectId: DEMO_PROJECT_ID,
        auth: new AkSkAuth({ accessKey: DEMO_AK, secretKey: DEMO_SK }),
      });
      const window = { ...windowEnding(now + 60_000, 86_400_000), preciseQuery: false };
      const first = await client.readList(window);
      const quiet = await client.readList(window);
      // The former read: `offset` as a page number.
      const seen = new Map<string, InstanceSummary>();
      let before = 0;
      for (let page = 0; ; page++) {
        const answer = await client.listInstances({ ...window, limit: LIST_PAGE, offset: page });
        before += 1;
        for (const row of answer.instances) seen.set(rowKey(row), row);
        if (answer.instances.length < LIST_PAGE || (page + 1) * LIST_PAGE >= answer.total) break;
      }
      results[`listPaging_${listOffset}`] = {
        rowsSeen: quiet.rows.length,
        firstReadCalls: first.calls,
        quietReadCalls: quiet.calls,
        formerRowsSeen: seen.size,
        formerCalls: before,
      };
      rows.push(
        {
          measured: `Sweep list, 2,500 rows oldest first, ${listOffset} offsets: rows seen`,
          value: `${quiet.rows.length} / ${ROWS}`,
          baseline: 'offset read as a page number (before)',
          baselineValue: `${seen.size} / ${ROWS}`,
          ratio: `${(quiet.rows.length / seen.size).toFixed(2)}×`,
          target: `${ROWS} / ${ROWS}`,
        },
        {
          measured: `Sweep list, ${listOffset} offsets: list calls, quiet round (first read)`,
          value: `${quiet.calls} (${first.calls})`,
          baseline: 'offset read as a page number (before)',
          baselineValue: String(before),
          ratio: `${(quiet.calls / before).toFixed(2)}×`,
          target: '≤ 4',
        },
      );
    } finally {
      await running.close();
    }
  }
  return { rows, results };
}
