/** The list and job shapes of the API (§3, §4), built from the world's records; fields in the docs' order. */
import type { RawInstance } from './run';
import type { InstanceRecord, JobRecord } from './world';

/** One row of `GET /jobs/instances/detail`, fields in the docs' order (built field by field: it is hot). */
export function instanceRow(
  record: InstanceRecord,
  view: RawInstance,
  job: JobRecord,
): Record<string, unknown> {
  if (record.listRow) return record.listRow;
  const row: Record<string, unknown> = {};
  if (view.endTime !== undefined) row.endTime = view.endTime;
  if (view.executeTime !== undefined) row.executeTime = view.executeTime;
  row.forceSuccess = view.forceSuccess ?? false;
  row.ignoreSuccess = view.ignoreSuccess ?? false;
  row.instanceId = record.instanceId;
  row.instanceType = record.instanceType;
  row.jobId = job.id;
  row.jobName = record.jobName;
  row.jobInstanceName = record.jobName;
  row.planTime = record.planTime;
  if (view.startTime !== undefined) row.startTime = view.startTime;
  row.status = view.status;
  row.submitTime = record.submitTime;
  row.version = record.version;
  return row;
}

/**
 * One job of `GET /jobs`, with its latest instance's status and end (batch jobs only, as the docs say). A
 * real-time job's status is `NORMAL` while started.
 */
export function jobSummary(
  job: JobRecord,
  latest: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const batch = (job.processType ?? 'BATCH') === 'BATCH';
  const stopped = job.scheduling === 'STOPPED';
  return {
    createTime: job.createTime,
    createUser: job.owner,
    jobType: batch ? 'BATCH' : 'REAL_TIME',
    ...(batch && latest?.endTime !== undefined ? { lastInstanceEndTime: latest.endTime } : {}),
    ...(batch && latest ? { lastInstanceStatus: latest.status } : {}),
    lastUpdateUser: job.owner,
    name: job.name,
    owner: job.owner,
    path: '/',
    priority: 0,
    singleNodeJobFlag: job.template.length === 1,
    status: stopped ? 'STOPPED' : batch ? 'SCHEDULING' : 'NORMAL',
  };
}

/** `GET /jobs/{name}`: a CRON job (daily at 02:00 GMT+08:00 unless it has its own) whose nodes run in a row. */
export function jobDetails(job: JobRecord): Record<string, unknown> {
  return {
    name: job.name,
    id: job.id,
    directory: '/',
    processType: job.processType ?? 'BATCH',
    lastUpdateUser: job.owner,
    logPath: 'obs://dlf-test-log',
    schedule: {
      type: 'CRON',
      cron: {
        expression: job.cron?.expression ?? '0 0 2 * * ?',
        startTime: '2026-01-01T00:00:00+08',
        expressionTimeZone: job.cron?.timeZone ?? 'GMT+08:00',
      },
    },
    params: [],
    basicConfig: { owner: job.owner, priority: 0, executeUser: '', instanceTimeout: 60, customFields: {} },
    nodes: job.template.map((node, index) => ({
      name: node.name,
      type: node.type,
      location: { x: 100 + index * 150, y: 100 },
      preNodeName: index === 0 ? [] : [job.template[index - 1]!.name],
      conditions: [],
      properties: [],
      pollingInterval: 20,
      maxExecutionTime: 360,
      retryTimes: 0,
      retryInterval: 120,
      failPolicy: 'FAIL',
    })),
  };
}
