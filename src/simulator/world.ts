/**
 * The simulator's state: jobs and their instances. An instance is a live run (advancing with the clock, see
 * run.ts) or a fixed snapshot (the docs' examples, the big instances, anything a test places), either of
 * them possibly ended or paused from outside by an override.
 */
import {
  isTerminal,
  type LiveRun,
  liveView,
  type NodePlan,
  type Override,
  type OverrideStatus,
  type RawInstance,
  withOverride,
} from './run';

export interface JobRecord {
  name: string;
  id: number;
  workspace: string;
  owner: string;
  createTime: number;
  /** Nodes of a new run (run-immediate, a restarted snapshot) and of the job details. */
  template: NodePlan[];
}

export interface InstanceRecord {
  jobName: string;
  /** Decimal digits: ids may exceed 2^53. */
  instanceId: string;
  planTime: number;
  submitTime: number;
  instanceType: number;
  version: number;
  run?: LiveRun;
  snapshot?: RawInstance;
  override?: Override;
  /**
   * A fixed instance-list row, for the docs' list example, which disagrees with its detail example
   * (status, times). Dropped as soon as the instance changes.
   */
  listRow?: Record<string, unknown>;
}

export const DEFAULT_TEMPLATE: NodePlan[] = [{ name: 'Dummy_1', type: 'Dummy', durationMs: 2_000 }];

/** Ids handed out by run-immediate and startRun start here (above the docs' 34765). */
const FIRST_INSTANCE_ID = 40_000n;
/** Seeded or placed ids beyond this (the 2^53 one) do not move the counter. */
const COUNTER_CEILING = 10_000_000n;

export class World {
  readonly jobs = new Map<string, JobRecord>();
  private readonly instances = new Map<string, InstanceRecord>();
  private nextInstanceId = FIRST_INSTANCE_ID;
  private nextJobId = 610_000;

  constructor(readonly clock: () => number) {}

  addJob(job: Partial<JobRecord> & { name: string; workspace: string }): JobRecord {
    const record: JobRecord = {
      id: this.nextJobId++,
      owner: 'dlf_ops',
      createTime: this.clock() - 90 * 86_400_000,
      template: DEFAULT_TEMPLATE,
      ...job,
    };
    this.jobs.set(record.name, record);
    return record;
  }

  /** Adds or replaces (same job and id) an instance. */
  addInstance(record: InstanceRecord): InstanceRecord {
    this.instances.set(key(record.jobName, record.instanceId), record);
    const id = BigInt(record.instanceId);
    if (id >= this.nextInstanceId && id < COUNTER_CEILING) this.nextInstanceId = id + 1n;
    return record;
  }

  /** True if there was such an instance. */
  deleteInstance(jobName: string, instanceId: string): boolean {
    return this.instances.delete(key(jobName, instanceId));
  }

  instance(jobName: string, instanceId: string): InstanceRecord | undefined {
    return this.instances.get(key(jobName, instanceId));
  }

  allInstances(): IterableIterator<InstanceRecord> {
    return this.instances.values();
  }

  /**
   * A new live run: it waits until `planTime` (default now) and then runs its nodes (default: the job's
   * template). `startedAt` only differs from planTime for the docs' example, which started a second late.
   */
  startRun(
    jobName: string,
    options: {
      nodes?: NodePlan[];
      planTime?: number;
      startedAt?: number;
      instanceType?: number;
      instanceId?: string;
    } = {},
  ): InstanceRecord {
    const job = this.jobs.get(jobName);
    if (!job) throw new Error(`There is no job ${jobName}.`);
    const planTime = options.planTime ?? this.clock();
    return this.addInstance({
      jobName,
      instanceId: options.instanceId ?? String(this.nextInstanceId++),
      planTime,
      submitTime: job.createTime,
      instanceType: options.instanceType ?? 2,
      version: 1,
      run: { startedAt: options.startedAt ?? planTime, nodes: options.nodes ?? job.template },
    });
  }

  /** The instance as the API shows it at `now`. */
  view(record: InstanceRecord, now: number): RawInstance {
    const { override } = record;
    const base =
      record.snapshot ?? liveView(record, record.run!, override ? Math.min(now, override.frozenAt) : now);
    return override ? withOverride(base, override, now) : base;
  }

  /** Ends or pauses an instance from outside, now. An instance that has already ended keeps its end. */
  override(record: InstanceRecord, status: OverrideStatus): void {
    const now = this.clock();
    if (isTerminal(this.view(record, now).status)) return;
    record.override = { status, at: now, frozenAt: record.override?.frozenAt ?? now };
    record.listRow = undefined;
  }

  /** The same instance id runs again from now, with its own node plan (a snapshot: its job's template). */
  restart(record: InstanceRecord): void {
    const nodes = record.run?.nodes ?? this.jobs.get(record.jobName)?.template ?? DEFAULT_TEMPLATE;
    record.run = { startedAt: this.clock(), nodes };
    record.snapshot = undefined;
    record.override = undefined;
    record.listRow = undefined;
  }
}

function key(jobName: string, instanceId: string): string {
  return `${jobName}\n${instanceId}`;
}
