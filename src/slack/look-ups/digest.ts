/**
 * One channel digest, read, drawn and posted (services/digest.ts decides when, and takes the command): the
 * instance list over the last day (one read per workspace, or per job when only plain names are watched), each
 * listed job's recent runs (cached, for streaks and usual durations), the message, then the outcomes-per-hour
 * chart in its thread. It runs where look-ups run (the look-up thread in production), so reading busy workspaces
 * and drawing never holds up Slack's acknowledgements.
 */
import type { InstanceSummary } from '../../dataarts/model';
import { dayOf } from '../../digest/schedule';
import { DIGEST_WINDOW_MS, digestOf, type JobDigest, outcomesOf } from '../../digest/summary';
import { isGlob, patternMatches, type Watch } from '../../following/model';
import { outcomesChartSvg, svgToPng } from '../../pictures';
import { digestOrder, MAX_DIGEST_JOBS, renderDigest } from '../blocks/digest';
import { md, truncateMarkup } from '../blocks/markup';
import { digestMetadata } from '../blocks/metadata';
import { refusedFor, slackErrorCode, slackRetryAfterMs } from '../web';
import type { LookUpDeps } from './deps';

export interface DigestRequest {
  channel: string;
  /** What the channel watches (read by the caller, from the watch store). */
  watches: Watch[];
  /** Carried in the message metadata, so a scheduled digest can be found again. */
  key?: string;
  /** The channel's daily time, shown in the footer. */
  daily?: string;
}

export type DigestPostResult =
  | { kind: 'posted'; ts: string }
  /** Slack would not take it there (not in the channel, archived, …). */
  | { kind: 'refused'; error: string }
  /**
   * Slack did not confirm the post: `code` is its error (`ratelimited` with `retryAfterMs`), absent when no answer
   * came (it may have been posted).
   */
  | { kind: 'unposted'; code?: string; retryAfterMs?: number }
  /** Reading DataArts (or drawing) failed: nothing was posted. */
  | { kind: 'failed'; error: unknown };

export type DigestPostDeps = Pick<
  LookUpDeps,
  'dataarts' | 'web' | 'history' | 'timeZone' | 'clock' | 'logger'
>;

/** List pages read at most per workspace (1,000 rows each). */
const MAX_PAGES = 50;
export async function postDigest(deps: DigestPostDeps, request: DigestRequest): Promise<DigestPostResult> {
  const { channel, watches } = request;
  let gathered: Awaited<ReturnType<typeof gather>>;
  try {
    gathered = await gather(deps, watches);
  } catch (error) {
    return { kind: 'failed', error };
  }
  const { jobs, rows, now } = gathered;
  const message = renderDigest(jobs, {
    now: deps.clock(),
    patterns: [...new Set(watches.map((watch) => watch.pattern))],
    ...(request.daily ? { daily: request.daily } : {}),
    timeZone: deps.timeZone,
  });
  let ts: string | undefined;
  try {
    ts = (
      await deps.web.post.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        metadata: digestMetadata(jobs, request.key),
      })
    ).ts;
  } catch (error) {
    const refused = refusedFor('post', error);
    if (refused) return { kind: 'refused', error: refused };
    const code = slackErrorCode(error);
    if (code === 'ratelimited') return { kind: 'unposted', code, retryAfterMs: slackRetryAfterMs(error) };
    return { kind: 'unposted', ...(code ? { code } : {}) };
  }
  if (!ts) return { kind: 'unposted' };
  await uploadChart(deps, channel, ts, rows, now, jobs.length);
  return { kind: 'posted', ts };
}

async function uploadChart(
  deps: DigestPostDeps,
  channel: string,
  threadTs: string,
  rows: InstanceSummary[],
  now: number,
  jobs: number,
): Promise<void> {
  const picture = outcomesChartSvg(outcomesOf(rows, now), { now, timeZone: deps.timeZone, perJob: jobs > 1 });
  try {
    await deps.web.post.filesUploadV2({
      channel_id: channel,
      thread_ts: threadTs,
      file: svgToPng(picture.svg).png,
      filename: `digest-${dayOf(now, deps.timeZone)}.png`,
      title: 'Runs ended per hour, last 24 hours',
      // Job names from DataArts are in the alt text: escaped like every text Slack reads.
      alt_text: truncateMarkup(md`${picture.alt}`, 1_000).text,
      initial_comment: md`:bar_chart: Runs ended per hour over the last 24 hours (times in ${deps.timeZone}).`
        .text,
    });
  } catch (error) {
    // The digest itself is out; a missing chart is not worth a second digest.
    deps.logger.warn({ channel, slackError: slackErrorCode(error) }, 'the digest chart was not uploaded');
  }
}

/** Each job's digest, and the day's rows of the jobs shown (for the chart). `now` is DataArts' clock. */
export async function gather(
  deps: Pick<DigestPostDeps, 'dataarts' | 'history'>,
  watches: Watch[],
): Promise<{ jobs: JobDigest[]; rows: InstanceSummary[]; now: number }> {
  const now = deps.dataarts.now();
  const byWorkspace = new Map<string, Watch[]>();
  for (const watch of watches)
    byWorkspace.set(watch.workspace ?? '', [...(byWorkspace.get(watch.workspace ?? '') ?? []), watch]);
  const jobs: JobDigest[] = [];
  const rows: InstanceSummary[] = [];
  for (const [workspaceKey, group] of byWorkspace) {
    const workspace = workspaceKey || undefined;
    const window = { minPlanTime: now - 2 * DIGEST_WINDOW_MS, maxPlanTime: now };
    const plain = group.every((watch) => !isGlob(watch.pattern));
    const listed = plain
      ? (
          await Promise.all(
            group.map((watch) => listAll(deps, { ...window, jobName: watch.pattern }, workspace)),
          )
        ).flat()
      : await listAll(deps, window, workspace);
    const names = new Set(group.filter((watch) => !isGlob(watch.pattern)).map((watch) => watch.pattern));
    for (const row of listed)
      if (group.some((watch) => patternMatches(watch.pattern, row.jobName))) names.add(row.jobName);
    const ofJob = new Map<string, InstanceSummary[]>();
    for (const row of listed)
      if (names.has(row.jobName)) ofJob.set(row.jobName, [...(ofJob.get(row.jobName) ?? []), row]);
    // First from the day's rows alone, to choose the jobs shown; those get their recent runs too.
    const first = [...names]
      .map((job) => digestOf(job, ofJob.get(job) ?? [], now, workspace))
      .sort(digestOrder);
    for (const [index, digest] of first.entries()) {
      const own = ofJob.get(digest.job) ?? [];
      rows.push(...own);
      if (index >= MAX_DIGEST_JOBS || !deps.history) {
        jobs.push(digest);
        continue;
      }
      const history = await deps.history.rows(digest.job, workspace);
      jobs.push(digestOf(digest.job, [...history, ...own], now, workspace));
    }
  }
  return { jobs, rows, now };
}

async function listAll(
  deps: Pick<DigestPostDeps, 'dataarts'>,
  query: { jobName?: string; minPlanTime: number; maxPlanTime: number },
  workspace?: string,
): Promise<InstanceSummary[]> {
  // Without a name, every job of the workspace: a precise query without a name matches none.
  const precise = { preciseQuery: query.jobName !== undefined };
  return (await deps.dataarts.readList({ ...query, ...precise }, { workspace }, MAX_PAGES)).rows;
}
