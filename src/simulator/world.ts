/**
 * The simulator's state: jobs and their instances. An instance is a live run (advancing with the clock, see
 * run.ts) or a fixed snapshot (the docs' examples, the big instances, anything a test places), either of
 * them possibly ended or paused from outside by an override. Instances are indexed per workspace and per job
 * in (planTime, id) order (plan-index.ts), so the lists never walk the whole world.
 */
import { PlanIndex } from './plan-index';
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
  /** Default BATCH; only a batch job can be run immediately. */
  processType?: 'BATCH' | 'REAL_TIME';
  /** Whether its schedule makes instances (POST /jobs/{name}/start, /stop). Default SCHEDULING. */
  scheduling?: 'SCHEDULING' | 'STOPPED';
  /** Its CRON schedule, for the job details; default a daily one at 02:00 GMT+08:00. */
  cron?: { expression: string; timeZone: string };
}

export interface InstanceRecord {
  readonly jobName: string;
  /** Decimal digits: ids may exceed 2^53. */
  readonly instanceId: string;
  /** Fixed for the record's life: the indexes are ordered by it. */
  readonly planTime: number;
  submitTime: number;
  instanceType: number;
  version: number;
  run?: LiveRun;
  snapshot?: RawInstance;
  override?: Override;
  /** What a rerun runs, when it is not the same nodes again (a busy instance's transient failure). */
  rerunNodes?: NodePlan[];
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
  private readonly jobsByName = new Map<string, JobRecord>();
  /** Each workspace's jobs in the order they were added (the job list's order). */
  private readonly jobsByWorkspace = new Map<string, Map<string, JobRecord>>();
  private readonly instances = new Map<string, InstanceRecord>();
  private readonly byWorkspace = new Map<string, PlanIndex<InstanceRecord>>();
  private readonly byJob = new Map<string, PlanIndex<InstanceRecord>>();
  private nextInstanceId = FIRST_INSTANCE_ID;
  private nextJobId = 610_000;

  constructor(readonly clock: () => number) {}

  get jobs(): ReadonlyMap<string, JobRecord> {
    return this.jobsByName;
  }

  /** The workspace's jobs, in the order they were added. */
  jobsIn(workspace: string): Iterable<JobRecord> {
    return this.jobsByWorkspace.get(workspace)?.values() ?? [];
  }

  /** Adds or replaces (same name) a job; a job moved to another workspace takes its instances along. */
  addJob(job: Partial<JobRecord> & { name: string; workspace: string }): JobRecord {
    const record: JobRecord = {
      id: this.nextJobId++,
      owner: 'dlf_ops',
      createTime: this.clock() - 90 * 86_400_000,
      template: DEFAULT_TEMPLATE,
      ...job,
    };
    const previous = this.jobsByName.get(record.name);
    this.jobsByName.set(record.name, record);
    if (previous && previous.workspace !== record.workspace) {
      this.jobsByWorkspace.get(previous.workspace)?.delete(record.name);
      const moved = this.byJob.get(record.name);
      for (let i = 0; moved && i < moved.size; i++) {
        this.byWorkspace.get(previous.workspace)?.remove(moved.at(i));
        indexIn(this.byWorkspace, record.workspace).insert(moved.at(i));
      }
    }
    entry(this.jobsByWorkspace, record.workspace, () => new Map()).set(record.name, record);
    return record;
  }

  /** Adds or replaces (same job and id) an instance; its job must exist. */
  addInstance(record: InstanceRecord): InstanceRecord {
    const job = this.jobsByName.get(record.jobName);
    if (!job) throw new Error(`There is no job ${record.jobName}.`);
    const known = this.instances.get(key(record.jobName, record.instanceId));
    if (known) this.unindex(known);
    this.instances.set(key(record.jobName, record.instanceId), record);
    indexIn(this.byJob, record.jobName).insert(record);
    indexIn(this.byWorkspace, job.workspace).insert(record);
    // Only ids below the ceiling (at most 7 digits) move the counter; longer ones are not even parsed.
    if (record.instanceId.length <= 7) {
      const id = BigInt(record.instanceId);
      if (id >= this.nextInstanceId && id < COUNTER_CEILING) this.nextInstanceId = id + 1n;
    }
    return record;
  }

  /** True if there was such an instance. */
  deleteInstance(jobName: string, instanceId: string): boolean {
    const record = this.instances.get(key(jobName, instanceId));
    if (!record) return false;
    this.instances.delete(key(jobName, instanceId));
    this.unindex(record);
    return true;
  }

  /** Deletes instances of one workspace; many at once cost one pass over each index they are in. */
  deleteInstances(workspace: string, records: readonly InstanceRecord[]): void {
    const gone = records.filter(
      (record) => this.instances.get(key(record.jobName, record.instanceId)) === record,
    );
    for (const record of gone) this.instances.delete(key(record.jobName, record.instanceId));
    if (gone.length < 64) {
      for (const record of gone) this.unindex(record);
      return;
    }
    const set = new Set(gone);
    this.byWorkspace.get(workspace)?.removeWhere((record) => set.has(record));
    for (const job of new Set(gone.map((record) => record.jobName))) {
      this.byJob.get(job)?.removeWhere((record) => set.has(record));
    }
  }

  instance(jobName: string, instanceId: string): InstanceRecord | undefined {
    return this.instances.get(key(jobName, instanceId));
  }

  /** The workspace's instances in (planTime, id) order. */
  workspaceIndex(workspace: string): PlanIndex<InstanceRecord> | undefined {
    return this.byWorkspace.get(workspace);
  }

  /** The job's instances in (planTime, id) order. */
  jobIndex(jobName: string): PlanIndex<InstanceRecord> | undefined {
    return this.byJob.get(jobName);
  }

  private unindex(record: InstanceRecord): void {
    this.byJob.get(record.jobName)?.remove(record);
    const workspace = this.jobsByName.get(record.jobName)?.workspace;
    if (workspace !== undefined) this.byWorkspace.get(workspace)?.remove(record);
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
    const nodes =
      record.rerunNodes ?? record.run?.nodes ?? this.jobs.get(record.jobName)?.template ?? DEFAULT_TEMPLATE;
    record.run = { startedAt: this.clock(), nodes };
    record.snapshot = undefined;
    record.override = undefined;
    record.listRow = undefined;
  }
}

/** The map's value for `name`, made and stored first if missing. */
function entry<V>(map: Map<string, V>, name: string, make: () => V): V {
  const known = map.get(name);
  if (known !== undefined) return known;
  const made = make();
  map.set(name, made);
  return made;
}

function indexIn(indexes: Map<string, PlanIndex<InstanceRecord>>, name: string): PlanIndex<InstanceRecord> {
  return entry(indexes, name, () => new PlanIndex());
}

function key(jobName: string, instanceId: string): string {
  return `${jobName}\n${instanceId}`;
}
