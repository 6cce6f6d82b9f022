/**
 * The simulator's state: jobs and their instances. A live run is a plan (nodes with durations and outcomes)
 * plus a start time; its state is computed from the clock on every read, so it advances in real time without
 * timers and reads are always consistent. Static instances (the doc example, big ones) are stored as given.
 */

export type RawNode = Record<string, unknown>;
export type RawInstance = Record<string, unknown> & { nodes: RawNode[] };

export interface NodePlan {
  name: string;
  type: string;
  durationMs: number;
  outcome?: 'success' | 'fail';
  inputRowCount?: number;
  speed?: number;
  retryTimes?: number;
}

/** An end or pause applied from outside (finish, stop, setInstanceStatus), at a moment. */
interface Override {
  status: 'success' | 'fail' | 'manual-stop' | 'pause' | 'running-exception';
  at: number;
}

export interface InstanceRecord {
  jobName: string;
  instanceId: string;
  planTime: number;
  submitTime: number;
  instanceType: number;
  version: number;
  /** A live run, or a fixed snapshot. */
  run?: { startedAt: number; nodes: NodePlan[]; override?: Override };
  snapshot?: RawInstance;
}

export interface JobRecord {
  name: string;
  id: number;
  workspace: string;
  owner: string;
  createTime: number;
  /** Nodes of a new run (run-immediate, restart). */
  template: NodePlan[];
}

const TERMINAL = new Set(['success', 'fail', 'manual-stop']);

export function logPathFor(jobName: string, planTime: number): string {
  const stamp = new Date(planTime).toISOString().replace('T', ' ').replace(/:/g, '_').replace('Z', '');
  return `obs://dlf-test-log/${jobName}/${stamp}/error/error.job`;
}

/** The instance as the API shows it at `now`. */
export function materialize(record: InstanceRecord, now: number): RawInstance {
  if (record.snapshot) return record.snapshot;
  const run = record.run!;
  const frozenAt = run.override ? Math.min(now, run.override.at) : now;
  const nodes: RawNode[] = [];
  let cursor = run.startedAt;
  let failedAt: number | undefined;
  let running = false;
  for (const plan of run.nodes) {
    const base: RawNode = {
      nodeName: plan.name,
      type: plan.type,
      instanceId: record.instanceId,
      planTime: record.planTime,
      retryTimes: 0,
    };
    if (failedAt !== undefined || running || frozenAt < cursor) {
      nodes.push({ ...base, status: failedAt !== undefined ? 'skip' : 'waiting' });
      continue;
    }
    const end = cursor + plan.durationMs;
    if (frozenAt < end) {
      nodes.push({
        ...base,
        status: 'running',
        startTime: cursor,
        inputRowCount: partialRows(plan, frozenAt - cursor),
      });
      running = true;
      continue;
    }
    const outcome = plan.outcome ?? 'success';
    nodes.push({
      ...base,
      status: outcome,
      startTime: cursor,
      endTime: end,
      retryTimes: plan.retryTimes ?? 0,
      inputRowCount: plan.inputRowCount ?? 0,
      ...(plan.speed !== undefined ? { speed: plan.speed } : {}),
      ...(outcome === 'fail' ? { logPath: logPathFor(record.jobName, record.planTime) } : {}),
    });
    if (outcome === 'fail') failedAt = end;
    cursor = end;
  }

  let status: string;
  let endTime: number | undefined;
  if (failedAt !== undefined) {
    status = 'fail';
    endTime = failedAt;
  } else if (!running && nodes.every((node) => node.status === 'success')) {
    status = 'success';
    endTime = cursor;
  } else {
    status = frozenAt < run.startedAt ? 'waiting' : 'running';
  }
  if (run.override && now >= run.override.at && !TERMINAL.has(status)) {
    status = run.override.status;
    if (TERMINAL.has(status)) endTime = run.override.at;
    applyOverride(nodes, run.override, record);
  }
  const raw: RawInstance = {
    jobName: record.jobName,
    instanceId: record.instanceId,
    status,
    planTime: record.planTime,
    startTime: run.startedAt,
    forceSuccess: false,
    ignoreSuccess: false,
    total: nodes.length,
    nodes,
  };
  if (endTime !== undefined) {
    raw.endTime = endTime;
    raw.executeTime = endTime - run.startedAt;
  }
  return raw;
}

/** What an outside end does to the nodes still open: the running one takes the status, the rest are skipped. */
function applyOverride(nodes: RawNode[], override: Override, record: InstanceRecord): void {
  for (const node of nodes) {
    const open = node.status === 'running' || node.status === 'waiting';
    if (!open) continue;
    if (override.status === 'success') {
      Object.assign(node, {
        status: 'success',
        startTime: node.startTime ?? override.at,
        endTime: override.at,
      });
    } else if (override.status === 'pause' || override.status === 'running-exception') {
      if (node.status === 'running') node.status = override.status === 'pause' ? 'pause' : 'running';
    } else if (node.status === 'running' || !nodes.some((n) => n.status === override.status)) {
      Object.assign(node, {
        status: override.status,
        startTime: node.startTime ?? override.at,
        endTime: override.at,
        ...(override.status === 'fail' ? { logPath: logPathFor(record.jobName, record.planTime) } : {}),
      });
    } else {
      node.status = 'skip';
    }
  }
}

function partialRows(plan: NodePlan, elapsedMs: number): number {
  return Math.floor(((plan.inputRowCount ?? 0) * elapsedMs) / Math.max(1, plan.durationMs));
}

export function statusOf(record: InstanceRecord, now: number): string {
  return String(materialize(record, now).status);
}

export class World {
  readonly jobs = new Map<string, JobRecord>();
  /** key: `${job}\n${instanceId}` */
  readonly instances = new Map<string, InstanceRecord>();
  private nextInstanceId = 40_000n;
  private nextJobId = 608_600;

  constructor(readonly clock: () => number) {}

  addJob(job: Partial<JobRecord> & { name: string; workspace: string }): JobRecord {
    const record: JobRecord = {
      id: this.nextJobId++,
      owner: 'dlf_ops',
      createTime: this.clock() - 90 * 86_400_000,
      template: [{ name: 'Dummy_1', type: 'Dummy', durationMs: 2_000 }],
      ...job,
    };
    this.jobs.set(record.name, record);
    return record;
  }

  addInstance(record: InstanceRecord): InstanceRecord {
    this.instances.set(key(record.jobName, record.instanceId), record);
    const id = BigInt(record.instanceId);
    if (id >= this.nextInstanceId && id < 10_000_000n) this.nextInstanceId = id + 1n;
    return record;
  }

  instance(jobName: string, instanceId: string): InstanceRecord | undefined {
    return this.instances.get(key(jobName, instanceId));
  }

  instancesOf(jobName: string): InstanceRecord[] {
    return [...this.instances.values()].filter((record) => record.jobName === jobName);
  }

  /** A new live run of a job, starting now (or at `startedAt`). Returns its record. */
  startRun(
    jobName: string,
    options: { nodes?: NodePlan[]; startedAt?: number; instanceType?: number; instanceId?: string } = {},
  ): InstanceRecord {
    const job = this.jobs.get(jobName);
    if (!job) throw new Error(`no job ${jobName}`);
    const startedAt = options.startedAt ?? this.clock();
    return this.addInstance({
      jobName,
      instanceId: options.instanceId ?? String(this.nextInstanceId++),
      planTime: startedAt,
      submitTime: job.createTime,
      instanceType: options.instanceType ?? 2,
      version: 1,
      run: { startedAt, nodes: options.nodes ?? job.template },
    });
  }

  /** Ends or pauses a run from outside, now. Static snapshots get the status directly. */
  override(record: InstanceRecord, status: Override['status']): void {
    const now = this.clock();
    if (record.snapshot) {
      record.snapshot.status = status;
      if (TERMINAL.has(status)) record.snapshot.endTime = now;
      return;
    }
    record.run!.override = { status, at: now };
  }

  /** The same instance id runs again from now with its job's node template. */
  restart(record: InstanceRecord): void {
    const job = this.jobs.get(record.jobName);
    const now = this.clock();
    record.run = { startedAt: now, nodes: record.run?.nodes ?? job?.template ?? [] };
    record.snapshot = undefined;
    record.version += 1;
  }
}

function key(jobName: string, instanceId: string): string {
  return `${jobName}\n${instanceId}`;
}
