/**
 * The channel digest: `/dlf-instance digest daily HH:MM | now | off`, and when to post one. The digest itself is
 * read, drawn and posted where look-ups run (look-ups/digest.ts), given the channel's watches. A scheduled one is
 * delivered once per channel and day by the notifier every other post goes through (following/notifier.ts): its
 * marker (`digest:<channel>:<day>`, in the digest store) is claimed, the digest posted with that key in its
 * metadata, the marker marked done; a marker left in flight is settled by looking for the key in the channel.
 */
import type { FairShare } from '../../access/limits';
import { dayOf, formatDailyTime } from '../../digest/schedule';
import type { DigestScheduler } from '../../digest/scheduler';
import { type DigestStore, digestKey } from '../../digest/store';
import type { Watch } from '../../following/model';
import { Notifier } from '../../following/notifier';
import type { FindWhere, Poster, PostRequest, PostResult } from '../../following/outlet';
import type { Logger } from '../../logger';
import { type Metrics, unobserved } from '../../metrics/metrics';
import { errorSentence, isUnexpected } from '../blocks/errors';
import { code, type Markup, md, mention } from '../blocks/markup';
import type { Command } from '../command/grammar';
import type { DigestPostResult, DigestRequest } from '../look-ups/digest';
import { findAgain } from '../outlet';
import { refusedFor, refuses, type SlackWeb } from '../web';
import { limitSentence } from './fair-share';

export interface DigestDeps {
  /** Reads, renders and posts a digest: where look-ups run (the look-up thread in production). */
  compose(request: DigestRequest): Promise<DigestPostResult>;
  /** Notes in the channel, and looking for a digest already posted. */
  web: SlackWeb;
  watchesIn(channel: string): Promise<Watch[]>;
  /** The settings, and the once-a-day markers. */
  store: DigestStore;
  scheduler: DigestScheduler;
  timeZone: string;
  clock: () => number;
  logger: Logger;
  /** Digests per person (DLF_LIMIT_DIGESTS_PER_USER). */
  limits: Pick<FairShare, 'count'>;
  /** Scheduled digests are counted with the other deliveries (`content="digest"`). */
  metrics?: Metrics;
}

export type DigestCommand = Extract<Command, { kind: 'digest' }>;

/** A scheduled digest, as the notifier delivers it. */
export interface DigestContent {
  kind: 'digest';
  watches: Watch[];
  /** The channel's daily time, shown in the footer. */
  daily?: string;
}

/**
 * Longer than reading and drawing a busy channel's digest takes: a marker in flight this long is no digest being
 * posted, and the channel is looked at.
 */
const RECONCILE_AFTER_MS = 2 * 60_000;
/** Slack would not take the digest in that channel. */
export class CannotPostError extends Error {
  constructor(readonly code: string) {
    super(`Slack refused the digest: ${code}`);
    this.name = 'CannotPostError';
  }
}

/**
 * The digest's way to Slack for the notifier: a post is the digest composed where look-ups run, Slack's answer
 * mapped as following's outlet maps it; finding a post again is following's.
 */
class DigestPoster implements Poster<DigestContent> {
  constructor(private readonly deps: Pick<DigestDeps, 'compose' | 'web' | 'logger'>) {}

  async post(request: PostRequest<DigestContent>): Promise<PostResult> {
    const { channel, key, content } = request;
    const result = await this.deps.compose({
      channel,
      watches: content.watches,
      key,
      ...(content.daily ? { daily: content.daily } : {}),
    });
    switch (result.kind) {
      case 'posted':
        return { kind: 'sent', ts: result.ts };
      case 'refused':
        return refusal(result.error);
      case 'unposted':
        if (result.code === 'ratelimited')
          return { kind: 'ratelimited', retryAfterMs: result.retryAfterMs ?? 1_000 };
        return result.code ? refusal(result.code) : { kind: 'unanswered' };
      case 'failed':
        // DataArts could not be read: nothing was posted, so the day's marker goes and the run is tried again.
        this.deps.logger.warn(
          { channel, err: (result.error as Error | undefined)?.message ?? String(result.error) },
          'the digest could not be read',
        );
        return { kind: 'refused', reason: 'dataarts' };
    }
  }

  find(where: FindWhere, key: string): Promise<string | undefined | 'unknown'> {
    return findAgain(this.deps.web, this.deps.logger, where, key);
  }
}

/** Slack's error: given up for the day when posting there cannot succeed (as following's posts), else refused. */
function refusal(code: string): PostResult {
  return refuses('deliver', code)
    ? { kind: 'undeliverable', reason: code }
    : { kind: 'refused', reason: code };
}

export class Digests {
  private readonly notifier: Notifier<DigestContent>;

  constructor(private readonly deps: DigestDeps) {
    this.notifier = new Notifier(
      deps.store,
      new DigestPoster(deps),
      deps.logger,
      deps.clock,
      RECONCILE_AFTER_MS,
      deps.metrics ?? unobserved,
    );
  }

  async start(): Promise<void> {
    await this.deps.scheduler.start(
      (channel, scheduledAt) => this.scheduled(channel, scheduledAt),
      await this.deps.store.all().catch(() => []),
    );
  }

  stop(force = false): Promise<void> {
    return this.deps.scheduler.stop(force);
  }

  /** The scheduled run of `scheduledAt`'s day: delivered unless it already was (or is being) today. */
  async scheduled(channel: string, scheduledAt: number): Promise<void> {
    const { store, clock, logger } = this.deps;
    const setting = await store.get(channel);
    if (!setting) return; // turned off meanwhile
    const key = digestKey(channel, dayOf(scheduledAt, this.deps.timeZone));
    const watches = await this.deps.watchesIn(channel);
    if (watches.length === 0) {
      logger.info({ channel }, 'no watches in the channel: no digest');
      // The day is done unless a digest was (or is being) posted for it.
      if ((await store.claimIfAbsent(key, clock())) === true) await store.markDone(key, 'none');
      return;
    }
    const result = await this.notifier.deliver({
      key,
      channel,
      content: { kind: 'digest', watches, daily: setting.time },
    });
    if (result.outcome === 'retry-later')
      throw new Error(
        `the digest is not posted yet${result.retryAfterMs ? `: Slack asked to wait ${result.retryAfterMs} ms` : ''}`,
      );
    if (result.outcome === 'undeliverable')
      logger.warn({ channel, key }, 'Slack will not take the digest in this channel: given up for the day');
  }

  /** `digest now`: posted at once, with no key and no marker (it is not the day's scheduled one). */
  private async now(channel: string, watches: Watch[]): Promise<void> {
    const setting = await this.deps.store.get(channel);
    const result = await this.deps.compose({ channel, watches, ...(setting ? { daily: setting.time } : {}) });
    if (result.kind === 'refused') throw new CannotPostError(result.error);
    if (result.kind === 'unposted')
      throw new Error(`Slack did not take the digest: ${result.code ?? 'no answer'}`);
    if (result.kind === 'failed') throw result.error;
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
        return void (await this.now(channel, watches));
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
      const elsewhere = (await store.all()).filter((set) => set.user === user && set.channel !== channel);
      const reached = this.deps.limits.count('digestsPerUser', elsewhere.length);
      if (reached) return void (await tell(limitSentence(reached, this.deps.clock())));
      await store.put({ channel, time, user, setAt: this.deps.clock() });
      await scheduler.schedule(channel, parsed.time);
      await this.note(
        channel,
        md`:newspaper: ${mention(user)} set a daily digest here at ${time} (${this.deps.timeZone}): the last 24 hours of the jobs watched in this channel, with a chart.${store.durable ? '' : ' (Kept in this process’s memory: a restart forgets it.)'}`,
        tell,
      );
    } catch (error) {
      if (error instanceof CannotPostError || refusedFor('post', error))
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
