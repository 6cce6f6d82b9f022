/**
 * The busy workspace (BUSY_WORKSPACE): hundreds of scheduled batch jobs and thousands of instances a day, so
 * the bot's one-list-per-workspace sweep meets a realistic load. Everything follows from the clock and the
 * seed, with no timers: whenever anything looks (`advance`), every scheduled instance whose planTime is
 * less than `leadSeconds` away is made, in planTime order (ties by job), with the next id of the
 * workspace's own counter; so ids never change once an instance exists, and the same seed and clock
 * readings give the same answers. An instance is `waiting` from then until it starts (0–30 s after its
 * planTime), then runs its nodes, and ends as the clock passes. Instances planned more than
 * `retentionHours` ago are dropped (then DLF.0137). At creation the last `historyHours` are made at once.
 *
 * Choices of ours (the docs describe no workload): cadences every 5 and 15 minutes, every 60 minutes at
 * the job's own minute, hourly on the hour (many instances share a planTime) and daily between 00:00 and
 * 05:00 UTC, in fixed proportions whose first five cover every kind; runs take seconds (5-minute jobs) to
 * hours (every twentieth job is a long runner of 2–5 h); `failureRate` of runs fail at one node (with a log
 * path), some jobs more often than others, and such a failure is transient: its rerun succeeds. A job whose
 * schedule is stopped makes no instances while it is stopped.
 */
import { mulberry32 } from '../support/random';
import type { NodePlan } from './run';
import { NODE_KINDS, TABLES } from './scenarios';
import type { InstanceRecord, JobRecord, World } from './world';

export interface BusyOptions {
  /** Default 300. */
  jobs?: number;
  /** Default 1. */
  seed?: number;
  /** Share of runs that fail, on average over the jobs. Default 0.03. */
  failureRate?: number;
  /** History made at creation. Default 36. */
  historyHours?: number;
  /** Instances planned longer ago are dropped. Default 72. */
  retentionHours?: number;
  /** How long before its planTime an instance appears (as `waiting`). Default 120. */
  leadSeconds?: number;
}

const SECOND = 1_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** The busy workspace's ids start here, far from the world's counter, so the two never meet. */
const FIRST_BUSY_INSTANCE_ID = 300_000_000;

type Cadence = '5m' | '15m' | '60m' | 'hourly' | 'daily' | 'long';

/** Twenty jobs' cadences, repeated: 5 % every 5 min, 10 % every 15, 30 % every 60, 40 % hourly, 15 % daily. */
const PATTERN =
  'hourly 5m 15m long 60m hourly 60m hourly daily 60m hourly 15m 60m hourly 60m hourly daily 60m hourly hourly'.split(
    ' ',
  ) as Cadence[];

/** Base duration range of a job's runs, by cadence. */
const DURATIONS: Record<Cadence, [number, number]> = {
  '5m': [5 * SECOND, 90 * SECOND],
  '15m': [20 * SECOND, 6 * MINUTE],
  '60m': [MINUTE, 20 * MINUTE],
  hourly: [MINUTE, 20 * MINUTE],
  daily: [5 * MINUTE, 90 * MINUTE],
  long: [2 * HOUR, 5 * HOUR],
};

const DOMAINS = [
  'orders',
  'payments',
  'customers',
  'inventory',
  'shipments',
  'marketing',
  'finance',
  'sessions',
  'returns',
  'invoices',
  'risk',
  'logistics',
];
const LAYERS = ['ods', 'dwd', 'dws', 'ads'];
const OWNERS = ['dlf_ops', 'data_eng', 'bi_team', 'finance_dw'];

interface BusyJob {
  job: JobRecord;
  /** Position in the workspace: the tie-break of equal planTimes. */
  index: number;
  periodMs: number;
  durationMs: number;
  /** Multiplies the failure rate: some jobs fail more than others. */
  flakiness: number;
  /** The next planTime not yet made. */
  next: number;
}

export class BusyWorkspace {
  private readonly jobs: BusyJob[] = [];
  /** Every instance made and not dropped, oldest planTime first. */
  private made: InstanceRecord[] = [];
  private nextId = FIRST_BUSY_INSTANCE_ID;
  private readonly seed: number;
  private readonly failureRate: number;
  private readonly retentionMs: number;
  private readonly leadMs: number;

  constructor(
    private readonly world: World,
    readonly workspace: string,
    options: BusyOptions = {},
  ) {
    this.seed = options.seed ?? 1;
    this.failureRate = options.failureRate ?? 0.03;
    this.retentionMs = (options.retentionHours ?? 72) * HOUR;
    this.leadMs = (options.leadSeconds ?? 120) * SECOND;
    const start = world.clock() - (options.historyHours ?? 36) * HOUR;
    const count = options.jobs ?? 300;
    for (let index = 0; index < count; index++) this.jobs.push(this.addJob(index, start));
    this.advance(world.clock());
  }

  /** Makes every instance due by `now` (plus the lead) and drops those past retention. */
  advance(now: number): void {
    const horizon = now + this.leadMs;
    const fresh: { planTime: number; busy: BusyJob }[] = [];
    for (const busy of this.jobs) {
      for (; busy.next <= horizon; busy.next += busy.periodMs) {
        if (busy.job.scheduling !== 'STOPPED') fresh.push({ planTime: busy.next, busy });
      }
    }
    fresh.sort((a, b) => a.planTime - b.planTime || a.busy.index - b.busy.index);
    for (const { planTime, busy } of fresh)
      this.made.push(this.world.addInstance(this.instance(busy, planTime)));

    const oldest = now - this.retentionMs;
    let dropped = 0;
    while (dropped < this.made.length && this.made[dropped]!.planTime < oldest) dropped++;
    if (dropped > 0) {
      this.world.deleteInstances(this.workspace, this.made.slice(0, dropped));
      this.made = this.made.slice(dropped);
    }
  }

  private addJob(index: number, start: number): BusyJob {
    const random = mulberry32(mix(this.seed, index, 0x10b));
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    const cadence = PATTERN[index % PATTERN.length]!;
    const domain = pick(DOMAINS);
    const layer = pick(LAYERS);
    const kinds = NODE_KINDS.slice(1);
    const name = `${domain}_${layer}_${pick(kinds).verb}_${String(index).padStart(3, '0')}`;
    const template: NodePlan[] = [{ name: 'start', type: 'Dummy', durationMs: SECOND }];
    const steps = 1 + Math.floor(random() * random() * 5);
    for (let step = 0; step < steps; step++) {
      const kind = pick(kinds);
      const rows = kind.type === 'Shell' ? {} : { inputRowCount: Math.floor(10 ** (3 + random() * 4)) };
      template.push({
        name: `${kind.verb}_${pick(TABLES)}_${step + 1}`,
        type: kind.type,
        durationMs: 0,
        ...rows,
      });
    }
    const schedule = scheduleOf(cadence, random);
    const [shortest, longest] = DURATIONS[cadence];
    const job = this.world.addJob({
      name,
      workspace: this.workspace,
      owner: pick(OWNERS),
      template,
      cron: { expression: schedule.cron, timeZone: 'GMT+00:00' },
    });
    const first =
      Math.ceil((start - schedule.phaseMs) / schedule.periodMs) * schedule.periodMs + schedule.phaseMs;
    return {
      job,
      index,
      periodMs: schedule.periodMs,
      durationMs: shortest * (longest / shortest) ** random(),
      flakiness: 0.25 + random() * 1.5,
      next: first,
    };
  }

  /** One scheduled run, drawn from (seed, job, planTime) alone. */
  private instance(busy: BusyJob, planTime: number): InstanceRecord {
    const random = mulberry32(mix(this.seed, busy.index, Math.floor(planTime / MINUTE)));
    const total = busy.durationMs * (0.7 + random() * 0.8);
    const work = busy.job.template.slice(1);
    const weights = work.map(() => 0.5 + random());
    const sum = weights.reduce((a, b) => a + b, 0);
    const nodes: NodePlan[] = busy.job.template.map((plan, i) => {
      if (i === 0) return plan;
      const durationMs = Math.max(SECOND, Math.round((total * weights[i - 1]!) / sum));
      const node: NodePlan = { name: plan.name, type: plan.type, durationMs };
      if (plan.inputRowCount !== undefined) {
        node.inputRowCount = Math.round(plan.inputRowCount * (0.8 + random() * 0.4));
        node.speed = Math.round((node.inputRowCount / durationMs) * 10_000) / 10;
      }
      return node;
    });
    const failing = random() < this.failureRate * busy.flakiness;
    const failAt = 1 + Math.floor(random() * work.length);
    const startDelay = Math.floor(random() * (busy.periodMs <= 5 * MINUTE ? 10 : 30) * SECOND);
    const record: InstanceRecord = {
      jobName: busy.job.name,
      instanceId: String(this.nextId++),
      planTime,
      submitTime: busy.job.createTime,
      instanceType: 0,
      version: 1,
      run: { startedAt: planTime + startDelay, nodes },
    };
    if (failing) {
      const failed = nodes[failAt]!;
      nodes[failAt] = {
        ...failed,
        durationMs: Math.max(SECOND, Math.round(failed.durationMs * (0.2 + random() * 0.8))),
        outcome: 'fail',
        retryTimes: Math.floor(random() * 3),
      };
      record.rerunNodes = nodes.map((node, i) => (i === failAt ? failed : node));
    }
    return record;
  }
}

function scheduleOf(
  cadence: Cadence,
  random: () => number,
): { periodMs: number; phaseMs: number; cron: string } {
  const minute = (below: number) => Math.floor(random() * below);
  switch (cadence) {
    case '5m':
    case '15m': {
      const every = cadence === '5m' ? 5 : 15;
      const at = minute(every);
      return { periodMs: every * MINUTE, phaseMs: at * MINUTE, cron: `0 ${at}/${every} * * * ?` };
    }
    case '60m': {
      const at = 1 + minute(59);
      return { periodMs: HOUR, phaseMs: at * MINUTE, cron: `0 ${at} * * * ?` };
    }
    case 'hourly':
      return { periodMs: HOUR, phaseMs: 0, cron: '0 0 * * * ?' };
    default: {
      const hour = minute(5);
      const at = 15 * minute(4);
      return { periodMs: DAY, phaseMs: hour * HOUR + at * MINUTE, cron: `0 ${at} ${hour} * * ?` };
    }
  }
}

/** A 32-bit hash of a few small integers (FNV-1a steps with a final avalanche), for per-run seeds. */
function mix(...values: number[]): number {
  let hash = 0x811c9dc5;
  for (const value of values) {
    hash = Math.imul(hash ^ (value | 0), 0x01000193);
    hash ^= hash >>> 13;
  }
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  return (hash ^ (hash >>> 13)) >>> 0;
}
