/** Fetches the instance a person asked for, resolving "latest" through the instance list. */
import type { DataArtsApi } from './api';
import type { JobInstance } from './model';

export interface InstanceRef {
  job: string;
  /** An instance id, or 'latest' for the job's newest instance. */
  instance: string;
  workspace?: string;
}

/** One instance, by id (what a posted message, a button or a card acts on). */
export interface ExactRef {
  job: string;
  instanceId: string;
  workspace?: string;
}

/** The job exists but has never run (or the list is empty for it). */
export class NoInstancesError extends Error {
  constructor(readonly jobName: string) {
    super(`Job ${jobName} has no instances yet.`);
    this.name = 'NoInstancesError';
  }
}

export async function lookupInstance(dataarts: DataArtsApi, ref: InstanceRef): Promise<JobInstance> {
  const options = { workspace: ref.workspace };
  if (ref.instance !== 'latest') return dataarts.getInstance(ref.job, ref.instance, options);
  const latest = await dataarts.latestInstance(ref.job, options);
  if (!latest) {
    // An empty list does not say whether the job exists: ask, so the person gets the exact reason.
    await dataarts.getJob(ref.job, options);
    throw new NoInstancesError(ref.job);
  }
  return dataarts.getInstance(ref.job, latest.instanceId, options);
}
