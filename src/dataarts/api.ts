/**
 * What the rest of the bot needs from DataArts Factory. DataArtsClient implements it over HTTP;
 * anything else that implements it (a stand-in) can be injected in its place.
 */
import type {
  CallOptions,
  InstancePage,
  InstanceSummary,
  JobInstance,
  JobPage,
  JobParam,
  ListInstancesQuery,
  ListJobsQuery,
} from './model';
import type { ListPaging, ListRead, WindowQuery } from './paging';

export interface DataArtsApi {
  /**
   * DataArts' clock, as estimated from the `Date` header of its answers (the bot's clock until one came): times in
   * the API are in its clock, and a bot whose clock is off must compare them with this, not with its own.
   */
  now(): number;
  /**
   * The earliest DataArts' clock can read now, given its answers so far (`now()` is the middle of what they allow):
   * whether an end came after something the bot did is decided against this, so that one just after is not lost.
   */
  earliestNow(): number;
  /** One instance with its nodes. Throws InstanceNotFoundError (DLF.0137) and the other DataArtsErrors. */
  getInstance(jobName: string, instanceId: string, options?: CallOptions): Promise<JobInstance>;
  /**
   * The newest instance of a job (max planTime, ties by highest id) in its last 28 days, or undefined when it has
   * none.
   */
  latestInstance(jobName: string, options?: CallOptions): Promise<InstanceSummary | undefined>;
  /** One page of the instance list, as DataArts answers it. */
  listInstances(query: ListInstancesQuery, options?: CallOptions): Promise<InstancePage>;
  /** Every row of a window of the instance list, whatever its paging means (paging.ts). */
  readList(query: WindowQuery, options?: CallOptions, maxPages?: number): Promise<ListRead>;
  /** How the list's `offset` reads, once an answer has shown it. */
  listPaging(): ListPaging | undefined;
  listJobs(query: ListJobsQuery, options?: CallOptions): Promise<JobPage>;
  /** Job details as sent by the API (we only need to know that the job exists). */
  getJob(jobName: string, options?: CallOptions): Promise<Record<string, unknown>>;
  stopInstance(jobName: string, instanceId: string, options?: CallOptions): Promise<void>;
  restartInstance(jobName: string, instanceId: string, options?: CallOptions): Promise<void>;
  /** Runs the job now; returns the new instance id. */
  runJobNow(jobName: string, params?: JobParam[], options?: CallOptions): Promise<string>;
}
