/**
 * The doctor's lines for what the bot adds to a failure: failed nodes' logs read from OBS (the newest failed node
 * of the last day is read as the bot would read it: size, then the tail, with the bot's keys), and DataArts
 * notifications (SMN), whose settings are summed up (SMN itself is not asked: the bot has no SMN credentials).
 */
import type { DataArtsApi } from '../../dataarts/api';
import type { DataArtsSettings } from '../../dataarts/config';
import { DataArtsError } from '../../dataarts/errors';
import { statusText } from '../../dataarts/model';
import { LIST_AHEAD_MS, windowEnding } from '../../dataarts/paging';
import { createLogExcerpts, type LogSettings } from '../../logs/config';
import type { LogExcerpts } from '../../logs/excerpts';
import type { NotifySettings } from '../../notify/config';
import { type Check, fail, listText, ok, skip } from './check';

export const LOGS = "Failed nodes' logs";
export const NOTIFICATIONS = 'DataArts notifications';

const DAY_MS = 86_400_000;
/** Failed instances whose details are read, newest first, looking for a node with a log. */
const FAILED_READ = 3;

/** The newest failed node with a log in the last day, in DataArts' default workspace (or DLF_WORKSPACE's). */
async function newestFailedLog(
  client: DataArtsApi,
  workspace: string | undefined,
): Promise<{ job: string; instanceId: string; node: string; logPath: string } | undefined> {
  const page = await client.listInstances(
    {
      ...windowEnding(client.now() + LIST_AHEAD_MS, DAY_MS),
      status: 'fail',
      limit: 100,
      offset: 0,
      // No job named: every job's (the client sends exact-name matching otherwise).
      preciseQuery: false,
    },
    { workspace: workspace ?? '' },
  );
  const failed = page.instances
    .filter((row) => statusText(row.status) === 'fail' && row.jobName !== '')
    .sort((a, b) => (b.endTime ?? b.planTime ?? 0) - (a.endTime ?? a.planTime ?? 0))
    .slice(0, FAILED_READ);
  for (const row of failed) {
    const instance = await client.getInstance(row.jobName, row.instanceId, { workspace });
    const node = instance.nodes.find((each) => statusText(each.status) === 'fail' && each.logPath);
    if (node?.logPath)
      return { job: row.jobName, instanceId: row.instanceId, node: node.name, logPath: node.logPath };
  }
  return undefined;
}

export async function checkLogs(deps: {
  logs: LogSettings | { off: string };
  dataarts: DataArtsSettings;
  client: DataArtsApi;
  /** Default: the bot's own reader of these settings. */
  excerpts?: LogExcerpts;
}): Promise<Check> {
  if ('off' in deps.logs) return skip(LOGS, deps.logs.off);
  const { obs } = deps.logs;
  const keys = obs.accessKey ? 'its keys' : "temporary keys IAM gives for the bot's token";
  let found: Awaited<ReturnType<typeof newestFailedLog>>;
  try {
    found = await newestFailedLog(deps.client, deps.dataarts.workspace);
  } catch (error) {
    if (!(error instanceof DataArtsError)) throw error;
    return skip(LOGS, `DataArts did not list the last day's failures (${error.kind}), so no log was tried.`);
  }
  if (!found)
    return skip(
      LOGS,
      `no failed node with a log in the last day to try; the first failure's thread will show whether OBS at ${obs.endpoint} can be read.`,
    );
  const excerpts = deps.excerpts ?? createLogExcerpts({ ...deps.logs, notFoundRetryMs: 0 }, deps.dataarts);
  try {
    const read = await excerpts.read(found.logPath);
    const what = `the log of ${found.node} (${found.job} #${found.instanceId})`;
    switch (read.kind) {
      case 'excerpt':
      case 'empty':
      case 'binary':
        return ok(LOGS, `read ${what} from OBS at ${obs.endpoint} with ${keys}.`);
      case 'not-found':
        return skip(LOGS, `${what} is not in OBS (DataArts keeps logs for a while only); OBS answered.`);
      case 'denied':
        return fail(
          LOGS,
          `OBS at ${obs.endpoint} refused ${what}: the keys may not read bucket ${read.bucket}.`,
          `Grant obs:object:GetObject on bucket ${read.bucket} to the keys the bot uses (OBS_AK, else DLF_AK), or set OBS_AK/OBS_SK to keys that may; DLF_LOG_EXCERPTS=false turns excerpts off.`,
        );
      case 'unreachable':
        return fail(
          LOGS,
          `OBS at ${obs.endpoint} did not answer for ${what}.`,
          'Set OBS_ENDPOINT to the OBS endpoint of the region holding the logs (e.g. https://obs.eu-de.otc.t-systems.com), or DLF_LOG_EXCERPTS=false.',
        );
      default:
        return skip(LOGS, `DataArts gave a log path the bot cannot read (${what}).`);
    }
  } finally {
    if (!deps.excerpts) excerpts.close();
  }
}

export function checkNotifications(notify: NotifySettings | undefined, sweepSeconds: number): Check {
  if (!notify)
    return skip(
      NOTIFICATIONS,
      `off (DLF_NOTIFY_ENABLED): ends reach Slack with the sweep, every ${sweepSeconds} s.`,
    );
  return ok(
    NOTIFICATIONS,
    `POST /dataarts/notify takes SMN messages of ${listText(notify.topics)}, signed with a certificate from ${listText(notify.certHosts)}; SMN's console shows whether the subscription is confirmed.`,
  );
}
