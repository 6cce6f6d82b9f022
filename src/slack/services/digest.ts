/**
 * The channel digest: `/dlf-instance digest daily HH:MM | now | off`, and when to post one. The digest itself is
 * read, drawn and posted where look-ups run (look-ups/digest.ts), given the channel's watches. A scheduled one is posted once
 * per channel and day: claimed in the store first, posted with its key in the message metadata, then marked done;
 * a claim left by a process that died is settled by looking for that key in the channel.
 */
import type { FairShare } from '../../access/limits';
import { dayOf, formatDailyTime } from '../../digest/schedule';
import type { DigestScheduler } from '../../digest/scheduler';
import type { DigestStore } from '../../digest/store';
import type { Watch } from '../../following/model';
import type { Logger } from '../../logger';
import { errorSentence, isUnexpected } from '../blocks/errors';
import { code, type Markup, md, mention } from '../blocks/markup';
import type { Command } from '../command/grammar';
import type { DigestPostResult, DigestRequest } from '../look-ups/digest';
import { findKeyedPost } from '../outlet';
import { refusedFor, type SlackWeb, slackErrorCode } from '../web';
import { limitSentence } from './fair-share';

export interface DigestDeps {
  /** Reads, renders and posts a digest: where look-ups run (the look-up thread in production). */
  compose(request: DigestRequest): Promise<DigestPostResult>;
  /** Notes in the channel, and looking for a digest already posted. */
  web: SlackWeb;
  watchesIn(channel: string): Promise<Watch[]>;
  store: DigestStore;
  scheduler: DigestScheduler;
  timeZone: string;
  clock: () => number;
  logger: Logger;
  /** Digests per person (DLF_LIMIT_DIGESTS_PER_USER). */
  limits: Pick<FairShare, 'count'>;
}

export type DigestCommand = Extract<Command, { kind: 'digest' }>;

/** A claim older than this whose process is not done is presumed dead: the channel is looked at. */
const STALE_CLAIM_MS = 2 * 60_000;
/** Slack would not take the digest in that channel. */
export class CannotPostError extends Error {
  constructor(readonly code: string) {
    super(`Slack refused the digest: ${code}`);
    this.name = 'CannotPostError';
  }
}

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
    const setting = await this.deps.store.get(channel);
    const result = await this.deps.compose({
      channel,
      watches,
      ...(key ? { key } : {}),
      ...(setting ? { daily: setting.time } : {}),
    });
    if (result.kind === 'refused') throw new CannotPostError(result.error);
    if (result.kind === 'failed') throw result.error;
    return result.ts;
  }

  /** The ts of the digest carrying `key` posted since `sinceMs`; 'unknown' when the channel cannot be read. */
  private async find(channel: string, key: string, sinceMs: number): Promise<string | undefined | 'unknown'> {
    try {
      // From a minute before the claim: Slack's clock is not this process's.
      return await findKeyedPost(this.deps.web, { channel, sinceMs: sinceMs - 60_000 }, key);
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
