/**
 * The channel digest: `/dlf-instance digest daily HH:MM | now | off`, and the posting itself. For each job
 * watched in the channel it reads the instance list over the last day (one read per workspace, or per job when
 * only plain names are watched) and each listed job's recent runs (cached, for streaks and usual durations),
 * posts the digest, then uploads the outcomes-per-hour chart into its thread. A scheduled digest is posted once
 * per channel and day: claimed in the store first, posted with its key in the message metadata, then marked done;
 * a claim left by a process that died is settled by looking for that key in the channel.
 */
import type { DataArtsApi } from '../../dataarts/api';
import type { InstanceSummary } from '../../dataarts/model';
import { dayOf, formatDailyTime } from '../../digest/schedule';
import type { DigestScheduler } from '../../digest/scheduler';
import type { DigestStore } from '../../digest/store';
import { DIGEST_WINDOW_MS, digestOf, type JobDigest, outcomesOf } from '../../digest/summary';
import { isGlob, patternMatches, type Watch } from '../../following/model';
import type { JobHistory } from '../../following/usual';
import type { Logger } from '../../logger';
import { outcomesChartSvg, svgToPng } from '../../pictures';
import { digestOrder, MAX_DIGEST_JOBS, renderDigest } from '../blocks/digest';
import { errorSentence, isUnexpected } from '../blocks/errors';
import { code, type Markup, md, mention } from '../blocks/markup';
import type { Command } from '../command/grammar';
import { METADATA_EVENT } from '../outlet';
import { type SlackWeb, slackErrorCode } from '../web';

export interface DigestDeps {
  dataarts: DataArtsApi;
  web: SlackWeb;
  watchesIn(channel: string): Promise<Watch[]>;
  store: DigestStore;
  scheduler: DigestScheduler;
  history: JobHistory;
  timeZone: string;
  clock: () => number;
  logger: Logger;
}

export type DigestCommand = Extract<Command, { kind: 'digest' }>;

/** List pages read at most per workspace (1,000 rows each). */
const MAX_PAGES = 50;
const PAGE = 1_000;
/** A claim older than this whose process is not done is presumed dead: the channel is looked at. */
const STALE_CLAIM_MS = 2 * 60_000;
/** Slack errors that mean the bot cannot post in that channel. */
const CANNOT_POST = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

export class Digests {
  constructor(private readonly deps: DigestDeps) {}

  async start(): Promise<void> {
    await this.deps.scheduler.start(
      (channel, scheduledAt) => this.scheduled(channel, scheduledAt),
      await this.deps.store.all().catch(() => []),
    );
  }

  stop(force = false): Promise<void> {
    return this.deps.scheduler.stop(force);
  }

  /** The scheduled run of `scheduledAt`'s day: posted unless it already was (or is being) today. */
  async scheduled(channel: string, scheduledAt: number): Promise<void> {
    const { store, clock } = this.deps;
    if (!(await store.get(channel))) return; // turned off meanwhile
    const day = dayOf(scheduledAt, this.deps.timeZone);
    const key = `digest:${channel}:${day}`;
    const claim = await store.claim(channel, day, clock());
    if (claim !== 'claimed') {
      if (claim.state === 'done') return;
      if (clock() - claim.at < STALE_CLAIM_MS) throw new Error('another process is posting this digest');
      const found = await this.find(channel, key, claim.at);
      if (found === 'unknown') throw new Error('cannot tell whether the digest was posted');
      if (found) return void (await store.done(channel, day, found));
    }
    let ts: string | undefined;
    try {
      ts = await this.post(channel, key);
    } catch (error) {
      await store.release(channel, day);
      throw error;
    }
    await store.done(channel, day, ts ?? 'none');
  }

  /** Posts the digest (and its chart in the thread); undefined when nothing is watched in the channel. */
  async post(channel: string, key?: string): Promise<string | undefined> {
    const watches = await this.deps.watchesIn(channel);
    if (watches.length === 0) {
      this.deps.logger.info({ channel }, 'no watches in the channel: no digest');
      return undefined;
    }
    const { jobs, rows, now } = await this.gather(watches);
    const setting = await this.deps.store.get(channel);
    const message = renderDigest(jobs, {
      now: this.deps.clock(),
      patterns: [...new Set(watches.map((watch) => watch.pattern))],
      daily: setting?.time,
      timeZone: this.deps.timeZone,
    });
    const posted = await this.deps.web.post.chat.postMessage({
      channel,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      ...(key ? { metadata: { event_type: METADATA_EVENT, event_payload: { k: key } } } : {}),
    });
    if (!posted.ts) throw new Error('chat.postMessage answered without a ts');
    await this.uploadChart(channel, posted.ts, rows, now, jobs.length);
    return posted.ts;
  }

  private async uploadChart(
    channel: string,
    threadTs: string,
    rows: InstanceSummary[],
    now: number,
    jobs: number,
  ): Promise<void> {
    const picture = outcomesChartSvg(outcomesOf(rows, now), {
      now,
      timeZone: this.deps.timeZone,
      perJob: jobs > 1,
    });
    try {
      await this.deps.web.post.filesUploadV2({
        channel_id: channel,
        thread_ts: threadTs,
        file: svgToPng(picture.svg).png,
        filename: `digest-${dayOf(now, this.deps.timeZone)}.png`,
        title: 'Runs ended per hour, last 24 hours',
        alt_text: picture.alt,
        initial_comment:
          md`:bar_chart: Runs ended per hour over the last 24 hours (times in ${this.deps.timeZone}).`.text,
      });
    } catch (error) {
      // The digest itself is out; a missing chart is not worth a second digest.
      this.deps.logger.warn(
        { channel, slackError: slackErrorCode(error) },
        'the digest chart was not uploaded',
      );
    }
  }

  /** Each job's digest, and the day's rows of the jobs shown (for the chart). `now` is DataArts' clock. */
  async gather(watches: Watch[]): Promise<{ jobs: JobDigest[]; rows: InstanceSummary[]; now: number }> {
    const now = this.deps.dataarts.now();
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
              group.map((watch) => this.listAll({ ...window, jobName: watch.pattern }, workspace)),
            )
          ).flat()
        : await this.listAll(window, workspace);
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
        if (index >= MAX_DIGEST_JOBS) {
          jobs.push(digest);
          continue;
        }
        const history = await this.deps.history.rows(digest.job, workspace);
        jobs.push(digestOf(digest.job, [...history, ...own], now, workspace));
      }
    }
    return { jobs, rows, now };
  }

  private async listAll(
    query: { jobName?: string; minPlanTime: number; maxPlanTime: number },
    workspace?: string,
  ): Promise<InstanceSummary[]> {
    const rows: InstanceSummary[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await this.deps.dataarts.listInstances(
        { ...query, limit: PAGE, offset: page },
        { workspace },
      );
      rows.push(...answer.instances);
      if (answer.instances.length < PAGE || (page + 1) * PAGE >= answer.total) break;
    }
    return rows;
  }

  /** The ts of the digest carrying `key` posted since `sinceMs`; 'unknown' when the channel cannot be read. */
  private async find(channel: string, key: string, sinceMs: number): Promise<string | undefined | 'unknown'> {
    try {
      const answer = await this.deps.web.idempotent.conversations.history({
        channel,
        oldest: String(Math.max(0, sinceMs / 1000 - 60)),
        include_all_metadata: true,
        limit: 200,
      });
      return (answer.messages ?? []).find(
        (message) => (message.metadata?.event_payload as { k?: string } | undefined)?.k === key,
      )?.ts;
    } catch (error) {
      this.deps.logger.warn({ channel, slackError: slackErrorCode(error) }, 'could not look for a digest');
      return 'unknown';
    }
  }

  /** `/dlf-instance digest …` in a channel. */
  async command(
    parsed: DigestCommand,
    channel: string,
    user: string,
    tell: (text: Markup) => Promise<unknown>,
  ): Promise<void> {
    const { store, scheduler } = this.deps;
    try {
      if (parsed.action === 'now') {
        const watches = await this.deps.watchesIn(channel);
        if (watches.length === 0)
          return void (await tell(
            md`:information_source: No job is watched in this channel, so there is nothing to digest. ${code('/dlf-instance watch <job or pattern>')} first.`,
          ));
        await this.post(channel);
        return;
      }
      if (parsed.action === 'off') {
        const removed = await store.remove(channel);
        await scheduler.unschedule(channel);
        await this.note(
          channel,
          removed
            ? md`:newspaper: ${mention(user)} turned off this channel’s daily digest (it was at ${removed.time}).`
            : undefined,
          tell,
        );
        if (!removed) await tell(md`:information_source: This channel has no daily digest.`);
        return;
      }
      const time = formatDailyTime(parsed.time);
      await store.put({ channel, time, user, setAt: this.deps.clock() });
      await scheduler.schedule(channel, parsed.time);
      await this.note(
        channel,
        md`:newspaper: ${mention(user)} set a daily digest here at ${time} (${this.deps.timeZone}): the last 24 hours of the jobs watched in this channel, with a chart.${store.durable ? '' : ' (Kept in this process’s memory: a restart forgets it.)'}`,
        tell,
      );
    } catch (error) {
      const slackError = slackErrorCode(error);
      if (slackError && CANNOT_POST.has(slackError))
        return void (await tell(
          md`:information_source: I can’t post in this channel. Invite me (type ${code('/invite')} and choose the DLF bot), then try again.`,
        ));
      if (isUnexpected(error)) this.deps.logger.error({ err: error }, '/dlf-instance digest failed');
      await tell(errorSentence(error));
    }
  }

  /** A visible note in the channel (who changed the digest); told to the person if it cannot be posted. */
  private async note(channel: string, text: Markup | undefined, tell: (text: Markup) => Promise<unknown>) {
    if (!text) return;
    try {
      await this.deps.web.post.chat.postMessage({ channel, text: text.text });
    } catch {
      await tell(text);
    }
  }
}
