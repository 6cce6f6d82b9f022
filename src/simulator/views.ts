/** The list and job shapes of the API (§3, §4), built from the world's records; fields in the docs' order. */
import type { RawInstance } from './run';
import type { InstanceRecord, JobRecord } from './world';

/** One row of `GET /jobs/instances/detail`. */
export function instanceRow(
  record: InstanceRecord,
  view: RawInstance,
  job: JobRecord,
): Record<string, unknown> {
  if (record.listRow) return record.listRow;
  return {
    ...(view.endTime !== undefined ? { endTime: view.endTime } : {}),
    ...(view.executeTime !== undefined ? { executeTime: view.executeTime } : {}),
    forceSuccess: view.forceSuccess ?? false,
    ignoreSuccess: view.ignoreSuccess ?? false,
    instanceId: record.instanceId,
    instanceType: record.instanceType,
    jobId: job.id,
    jobName: record.jobName,
    jobInstanceName: record.jobName,
    planTime: record.planTime,
    ...(view.startTime !== undefined ? { startTime: view.startTime } : {}),
    status: view.status,
    submitTime: record.submitTime,
    version: record.version,
  };
}

/** One job of `GET /jobs`, with its latest instance's status and end. */
export function jobSummary(job: JobRecord, latest: RawInstance | undefined): Record<string, unknown> {
  return {
    createTime: job.createTime,
    createUser: job.owner,
    jobType: 'BATCH',
    ...(latest?.endTime !== undefined ? { lastInstanceEndTime: latest.endTime } : {}),
    ...(latest ? { lastInstanceStatus: latest.status } : {}),
    lastUpdateUser: job.owner,
    name: job.name,
    owner: job.owner,
    path: '/',
    priority: 0,
    singleNodeJobFlag: job.template.length === 1,
    status: 'SCHEDULING',
  };
}

/** `GET /jobs/{name}`: a daily CRON batch job whose nodes run one after another. */
export function jobDetails(job: JobRecord): Record<string, unknown> {
  return {
    name: job.name,
    id: job.id,
    directory: '/',
    processType: 'BATCH',
    lastUpdateUser: job.owner,
    logPath: 'obs://dlf-test-log',
    schedule: {
      type: 'CRON',
      cron: {
        expression: '0 0 2 * * ?',
        startTime: '2026-01-01T00:00:00+08',
        expressionTimeZone: 'GMT+08:00',
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
