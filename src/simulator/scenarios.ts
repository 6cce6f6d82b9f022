/**
 * The seeded world: the DataArts docs' reference example, live runs that end in success and in failure,
 * 1,000- and 5,000-node instances, paused and running-exception instances, a job with a run history,
 * an id above 2^53 and a non-ASCII job name. Deterministic apart from the clock.
 */
import { mulberry32 } from '../support/random';
import type { NodePlan, RawInstance, RawNode, World } from './world';

export const SCENARIOS = {
  reference: 'job_batch',
  liveSuccess: 'demo_daily_success',
  liveFail: 'demo_daily_fail',
  big1000: 'warehouse_1000_nodes',
  big5000: 'lake_5000_nodes',
  paused: 'paused_job',
  exception: 'exception_job',
  history: 'nightly_sales_etl',
  bigId: 'big_id_job',
  unicode: '数据同步_daily',
} as const;

export const REFERENCE_INSTANCE_ID = '34765';
export const BIG_INSTANCE_ID = '9007199254740993';

/** The instance-detail example of the DataArts docs (§2), verbatim. */
export function referenceInstance(): RawInstance {
  return {
    jobName: 'job_batch',
    instanceId: '34765',
    status: 'fail',
    planTime: 1551425326540,
    startTime: 1551425327000,
    endTime: 1551425387000,
    executeTime: 1,
    forceSuccess: false,
    ignoreSuccess: false,
    total: 2,
    nodes: [
      {
        endTime: 1551671590000,
        inputRowCount: 0,
        instanceId: '34765',
        nodeName: 'Dummy_8556',
        planTime: 1551671580000,
        retryTimes: 0,
        startTime: 1551671584000,
        status: 'success',
        type: 'Dummy',
      },
      {
        endTime: 1551671598000,
        inputRowCount: 0,
        instanceId: '34765',
        logPath: 'obs://dlf-test-log/job_batch/2019-03-04 11_53_00.000/error/error.job',
        nodeName: 'error',
        planTime: 1551671580000,
        retryTimes: 0,
        startTime: 1551671594000,
        status: 'success',
        type: 'DWS SQL',
      },
    ],
  };
}

const LIVE_SUCCESS: NodePlan[] = [
  { name: 'extract_orders', type: 'CDMJob', durationMs: 6_000, inputRowCount: 120_000, speed: 20_000 },
  { name: 'transform_orders', type: 'DLI Spark', durationMs: 8_000, inputRowCount: 120_000, speed: 15_000 },
  { name: 'load_dws', type: 'DWS SQL', durationMs: 6_000, inputRowCount: 118_500, speed: 19_750 },
  { name: 'notify_done', type: 'Dummy', durationMs: 2_000 },
];

const LIVE_FAIL: NodePlan[] = [
  { name: 'extract_payments', type: 'CDMJob', durationMs: 5_000, inputRowCount: 54_000, speed: 10_800 },
  { name: 'validate_payments', type: 'HiveSQL', durationMs: 7_000, outcome: 'fail', retryTimes: 2 },
  { name: 'publish_payments', type: 'DWS SQL', durationMs: 4_000 },
];

const HISTORY_TEMPLATE: NodePlan[] = [
  { name: 'extract_sales', type: 'CDMJob', durationMs: 15 * 60_000, inputRowCount: 4_200_000, speed: 4_667 },
  {
    name: 'aggregate_sales',
    type: 'DLI Spark',
    durationMs: 25 * 60_000,
    inputRowCount: 4_200_000,
    speed: 2_800,
  },
  { name: 'load_sales_mart', type: 'DWS SQL', durationMs: 12 * 60_000, inputRowCount: 310_000, speed: 430 },
];

const NODE_TYPES = [
  'Dummy',
  'DWS SQL',
  'HiveSQL',
  'CDMJob',
  'DLI Spark',
  'DLI SQL',
  'Shell',
  'RDS SQL',
  'MRS Spark',
];

/** A running instance with `count` nodes: mostly done, a few failed (with logs), some running and waiting. */
export function bigInstance(jobName: string, instanceId: string, count: number, now: number): RawInstance {
  const random = mulberry32(count);
  const planTime = now - 3 * 3_600_000;
  const nodes: RawNode[] = [];
  for (let i = 0; i < count; i++) {
    const roll = random();
    const status =
      roll < 0.82
        ? 'success'
        : roll < 0.84
          ? 'fail'
          : roll < 0.9
            ? 'running'
            : roll < 0.97
              ? 'waiting'
              : 'skip';
    const startTime = planTime + Math.floor(random() * 2 * 3_600_000);
    const node: RawNode = {
      nodeName: `${['load', 'sync', 'merge', 'check', 'export'][i % 5]}_${String(i).padStart(4, '0')}`,
      type: NODE_TYPES[i % NODE_TYPES.length],
      status,
      instanceId,
      planTime,
      retryTimes: status === 'fail' ? 1 + (i % 3) : 0,
    };
    if (status !== 'waiting' && status !== 'skip') {
      node.startTime = startTime;
      node.inputRowCount = Math.floor(random() * 2_000_000);
      node.speed = Math.round(random() * 50_000 * 10) / 10;
    }
    if (status === 'success' || status === 'fail')
      node.endTime = startTime + Math.floor(random() * 20 * 60_000);
    if (status === 'fail') node.logPath = `obs://dlf-log/${jobName}/${instanceId}/${node.nodeName}/error.job`;
    nodes.push(node);
  }
  return {
    jobName,
    instanceId,
    status: 'running',
    planTime,
    startTime: planTime + 1_000,
    forceSuccess: false,
    ignoreSuccess: false,
    total: count,
    nodes,
  };
}

export function seedWorld(world: World, workspace: string): void {
  const now = world.clock();
  const add = (name: string, template?: NodePlan[]) =>
    world.addJob({ name, workspace, ...(template ? { template } : {}) });

  // The docs' example, plus the second list entry of the list example.
  add(SCENARIOS.reference, [
    { name: 'Dummy_8556', type: 'Dummy', durationMs: 4_000 },
    { name: 'error', type: 'DWS SQL', durationMs: 4_000 },
  ]);
  world.addInstance({
    jobName: SCENARIOS.reference,
    instanceId: REFERENCE_INSTANCE_ID,
    planTime: 1551425326540,
    submitTime: 1550910278706,
    instanceType: 2,
    version: 1,
    snapshot: referenceInstance(),
  });
  world.startRun(SCENARIOS.reference, {
    instanceId: '34764',
    startedAt: 1551671521000,
    instanceType: 5,
  }).planTime = 1551671520000;

  add(SCENARIOS.liveSuccess, LIVE_SUCCESS);
  world.startRun(SCENARIOS.liveSuccess);
  add(SCENARIOS.liveFail, LIVE_FAIL);
  world.startRun(SCENARIOS.liveFail);

  for (const [name, count, id] of [
    [SCENARIOS.big1000, 1000, '51000'],
    [SCENARIOS.big5000, 5000, '55000'],
  ] as const) {
    add(name);
    world.addInstance({
      jobName: name,
      instanceId: id,
      planTime: now - 3 * 3_600_000,
      submitTime: now - 30 * 86_400_000,
      instanceType: 0,
      version: 1,
      snapshot: bigInstance(name, id, count, now),
    });
  }

  for (const [name, status] of [
    [SCENARIOS.paused, 'pause'],
    [SCENARIOS.exception, 'running-exception'],
  ] as const) {
    add(name, LIVE_SUCCESS);
    const record = world.startRun(name, { startedAt: now - 9_000, instanceType: 0 });
    record.run!.override = { status, at: now - 1_000 };
  }

  // A daily job with 24 past runs (3 failed) and one running now, 30 minutes in.
  add(SCENARIOS.history, HISTORY_TEMPLATE);
  const day = 86_400_000;
  const random = mulberry32(24);
  for (let back = 24; back >= 1; back--) {
    const startedAt = now - back * day - 30 * 60_000;
    const stretch = 0.75 + random() * 0.5;
    const failing = back % 8 === 3;
    world.startRun(SCENARIOS.history, {
      startedAt,
      instanceType: 0,
      nodes: HISTORY_TEMPLATE.map((node, index) => ({
        ...node,
        durationMs: Math.round(node.durationMs * stretch),
        outcome: failing && index === 1 ? 'fail' : 'success',
      })),
    });
  }
  world.startRun(SCENARIOS.history, { startedAt: now - 30 * 60_000, instanceType: 0 });

  add(SCENARIOS.bigId);
  world.startRun(SCENARIOS.bigId, { instanceId: BIG_INSTANCE_ID, startedAt: now - day });

  add(SCENARIOS.unicode, [{ name: '同步_订单', type: 'CDMJob', durationMs: 3_000, inputRowCount: 900 }]);
  world.startRun(SCENARIOS.unicode, { instanceId: '1001', startedAt: now - 2 * 3_600_000 });
}
