/**
 * The seeded world: the DataArts docs' reference example, live runs that end in success and in failure,
 * 1,000- and 5,000-node instances, paused and running-exception instances, a job with a run history,
 * an id above 2^53 and a non-ASCII job name. Deterministic apart from the clock.
 */
import { mulberry32 } from '../support/random';
import type { NodePlan, RawInstance, RawNode } from './run';
import type { World } from './world';

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

/** What each scenario shows, for `npm run simulator` and the docs. */
export const SCENARIO_NOTES: Record<keyof typeof SCENARIOS, string> = {
  reference:
    "the docs' examples: instance 34765 (fail, two success nodes, a log path with a space) and 34764",
  liveSuccess: 'a run started with the simulator, 4 nodes over 22 s, ending in success',
  liveFail: 'a run started with the simulator, failing at its 2nd node after 12 s (log path on it)',
  big1000: 'instance 51000: 1,000 nodes of mixed statuses and types',
  big5000: 'instance 55000: 5,000 nodes of mixed statuses and types',
  paused: 'a paused instance',
  exception: 'a running-exception instance',
  history: '24 daily runs (varied durations, 3 failed) and one running now',
  bigId: 'instance 9007199254740993, above 2^53',
  unicode: 'a non-ASCII job name, instance 1001',
};

export const REFERENCE_INSTANCE_ID = '34765';
/** The other instance of the docs' list example. */
export const REFERENCE_EARLIER_INSTANCE_ID = '34764';
export const BIG_1000_INSTANCE_ID = '51000';
export const BIG_5000_INSTANCE_ID = '55000';
export const BIG_INSTANCE_ID = '9007199254740993';
export const UNICODE_INSTANCE_ID = '1001';
/** The job id of job_batch in the docs' list example. */
const REFERENCE_JOB_ID = 608627;

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

/**
 * The docs' list example (§3), verbatim. It disagrees with the detail example (34765 is `success` there,
 * with other times), so these rows are shown as they are until the instance changes.
 */
function referenceListRow(
  instanceId: string,
  instanceType: number,
  planTime: number,
  startTime: number,
  endTime: number,
) {
  return {
    endTime,
    executeTime: 0.3,
    forceSuccess: false,
    ignoreSuccess: false,
    instanceId,
    instanceType,
    jobId: REFERENCE_JOB_ID,
    jobName: 'job_batch',
    jobInstanceName: 'job_batch',
    planTime,
    startTime,
    status: 'success',
    submitTime: 1550910278706,
    version: 1,
  };
}

/** 34764 in detail, consistent with its list row (the docs show no detail for it). */
function referenceEarlierInstance(): RawInstance {
  const node = (nodeName: string, type: string, startTime: number, endTime: number): RawNode => ({
    endTime,
    inputRowCount: 0,
    instanceId: REFERENCE_EARLIER_INSTANCE_ID,
    nodeName,
    planTime: 1551671520000,
    retryTimes: 0,
    startTime,
    status: 'success',
    type,
  });
  return {
    jobName: 'job_batch',
    instanceId: REFERENCE_EARLIER_INSTANCE_ID,
    status: 'success',
    planTime: 1551671520000,
    startTime: 1551671521000,
    endTime: 1551671538000,
    executeTime: 17000,
    forceSuccess: false,
    ignoreSuccess: false,
    total: 2,
    nodes: [
      node('Dummy_8556', 'Dummy', 1551671521000, 1551671528000),
      node('error', 'DWS SQL', 1551671529000, 1551671538000),
    ],
  };
}

export const NODE_KINDS = [
  { type: 'Dummy', verb: 'start' },
  { type: 'CDMJob', verb: 'sync' },
  { type: 'HiveSQL', verb: 'clean' },
  { type: 'DLI Spark', verb: 'transform' },
  { type: 'DLI SQL', verb: 'aggregate' },
  { type: 'DWS SQL', verb: 'load' },
  { type: 'MRS Spark', verb: 'enrich' },
  { type: 'RDS SQL', verb: 'export' },
  { type: 'Shell', verb: 'check' },
];
export const TABLES = [
  'orders',
  'customers',
  'payments',
  'shipments',
  'inventory',
  'returns',
  'invoices',
  'sessions',
];

/**
 * A running instance with `count` nodes, deterministic for a count: mostly done, about 2 % failed (with
 * log paths), some running, waiting or skipped; names like `sync_ods_orders_0001`.
 */
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
    const kind = NODE_KINDS[i % NODE_KINDS.length]!;
    const layer = ['ods', 'dwd', 'dws', 'ads'][Math.floor(i / NODE_KINDS.length) % 4];
    const nodeName = `${kind.verb}_${layer}_${TABLES[i % TABLES.length]}_${String(i).padStart(4, '0')}`;
    const startTime = planTime + Math.floor(random() * 2 * 3_600_000);
    const node: RawNode = { instanceId, nodeName, planTime, retryTimes: status === 'fail' ? 1 + (i % 3) : 0 };
    if (status !== 'waiting' && status !== 'skip') {
      node.startTime = startTime;
      node.inputRowCount = Math.floor(random() * 2_000_000);
      node.speed = Math.round(random() * 50_000 * 10) / 10;
    }
    if (status === 'success' || status === 'fail')
      node.endTime = startTime + Math.floor(random() * 20 * 60_000);
    if (status === 'fail') node.logPath = `obs://dlf-log/${jobName}/${instanceId}/error/${nodeName}.job`;
    node.status = status;
    node.type = kind.type;
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

const DAY = 86_400_000;

export function seedWorld(world: World, workspace: string): void {
  const now = world.clock();
  const add = (name: string, template?: NodePlan[], id?: number) =>
    world.addJob({ name, workspace, ...(template ? { template } : {}), ...(id ? { id } : {}) });

  // The docs' examples: 34765 (detail §2, list row §3) and 34764 (list row §3).
  const reference = add(
    SCENARIOS.reference,
    [
      { name: 'Dummy_8556', type: 'Dummy', durationMs: 4_000 },
      { name: 'error', type: 'DWS SQL', durationMs: 4_000 },
    ],
    REFERENCE_JOB_ID,
  );
  reference.createTime = 1550910278706;
  // Indexed at its list row's planTime (the list example is newest first); the detail keeps its own.
  world.addInstance({
    jobName: SCENARIOS.reference,
    instanceId: REFERENCE_INSTANCE_ID,
    planTime: 1551671580000,
    submitTime: reference.createTime,
    instanceType: 2,
    version: 1,
    snapshot: referenceInstance(),
    listRow: referenceListRow(REFERENCE_INSTANCE_ID, 2, 1551671580000, 1551671580000, 1551671598000),
  });
  world.addInstance({
    jobName: SCENARIOS.reference,
    instanceId: REFERENCE_EARLIER_INSTANCE_ID,
    planTime: 1551671520000,
    submitTime: reference.createTime,
    instanceType: 5,
    version: 1,
    snapshot: referenceEarlierInstance(),
    listRow: referenceListRow(REFERENCE_EARLIER_INSTANCE_ID, 5, 1551671520000, 1551671521000, 1551671538000),
  });

  add(SCENARIOS.liveSuccess, LIVE_SUCCESS);
  world.startRun(SCENARIOS.liveSuccess);
  add(SCENARIOS.liveFail, LIVE_FAIL);
  world.startRun(SCENARIOS.liveFail);

  for (const [name, count, id] of [
    [SCENARIOS.big1000, 1000, BIG_1000_INSTANCE_ID],
    [SCENARIOS.big5000, 5000, BIG_5000_INSTANCE_ID],
  ] as const) {
    const job = add(name);
    const snapshot = bigInstance(name, id, count, now);
    world.addInstance({
      jobName: name,
      instanceId: id,
      planTime: Number(snapshot.planTime),
      submitTime: job.createTime,
      instanceType: 0,
      version: 1,
      snapshot,
    });
  }

  for (const [name, status] of [
    [SCENARIOS.paused, 'pause'],
    [SCENARIOS.exception, 'running-exception'],
  ] as const) {
    add(name, LIVE_SUCCESS);
    const record = world.startRun(name, { planTime: now - 9_000, instanceType: 0 });
    record.override = { status, at: now - 1_000, frozenAt: now - 1_000 };
  }

  // A daily job planned at the same time each day: 24 past runs (3 failed) and one running now, 30 min in.
  add(SCENARIOS.history, HISTORY_TEMPLATE);
  const random = mulberry32(24);
  for (let back = 24; back >= 1; back--) {
    const planTime = now - back * DAY - 30 * 60_000;
    const stretch = 0.75 + random() * 0.5;
    const failing = back % 8 === 3;
    world.startRun(SCENARIOS.history, {
      planTime,
      startedAt: planTime + Math.floor(random() * 20_000),
      instanceType: 0,
      nodes: HISTORY_TEMPLATE.map((node, index) => ({
        ...node,
        durationMs: Math.round(node.durationMs * stretch),
        ...(failing && index === 1 ? { outcome: 'fail' as const, retryTimes: 2 } : {}),
      })),
    });
  }
  world.startRun(SCENARIOS.history, { planTime: now - 30 * 60_000, instanceType: 0 });

  add(SCENARIOS.bigId);
  world.startRun(SCENARIOS.bigId, { instanceId: BIG_INSTANCE_ID, planTime: now - DAY });

  add(SCENARIOS.unicode, [{ name: '同步_订单', type: 'CDMJob', durationMs: 3_000, inputRowCount: 900 }]);
  world.startRun(SCENARIOS.unicode, { instanceId: UNICODE_INSTANCE_ID, planTime: now - 2 * 3_600_000 });
}
