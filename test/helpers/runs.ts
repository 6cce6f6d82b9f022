/** Ended runs placed in the simulator exactly as given: one node, `load`, spanning the whole run. */
import type { RawInstance } from '../../src/simulator';

export function endedRun(
  job: string,
  id: string,
  options: { status?: 'success' | 'fail'; endedAgo: number; minutes?: number },
): RawInstance {
  const status = options.status ?? 'success';
  const endTime = Date.now() - options.endedAgo;
  const startTime = endTime - (options.minutes ?? 1) * 60_000;
  return {
    jobName: job,
    instanceId: id,
    status,
    planTime: startTime,
    startTime,
    endTime,
    forceSuccess: false,
    ignoreSuccess: false,
    total: 1,
    nodes: [
      {
        instanceId: id,
        nodeName: 'load',
        status,
        type: 'DWS SQL',
        planTime: startTime,
        startTime,
        endTime,
        retryTimes: 0,
        ...(status === 'fail' ? { logPath: `obs://dlf-log/${job}/${id}/load.job` } : {}),
      },
    ],
  } as RawInstance;
}
