/**
 * App Home for one person: what they follow, and the watches of the channels they are in. Who is in a channel
 * comes from conversations.members, asked only for channels that have watches and kept for a few minutes.
 */
import type { HomeView } from '@slack/types';
import { dailyRates } from '../../digest/summary';
import { isGlob, type Watch } from '../../following/model';
import { renderHome } from '../blocks/home';
import { type JobTrend, MAX_TRENDS } from '../blocks/home-trends';
import { slackErrorCode } from '../web';
import type { SlackServices } from './services';

const MEMBERS_TTL_MS = 5 * 60_000;
/** Pages of 1,000 members read at most per channel (a channel of 10,000 is not read past that). */
const MAX_MEMBER_PAGES = 10;

export class HomeViews {
  private readonly members = new Map<string, { at: number; members: Set<string> }>();

  constructor(private readonly services: SlackServices) {}

  async render(user: string): Promise<HomeView> {
    const [following, watches] = await Promise.all([
      this.services.following.ofUser(user),
      this.watchesOf(user),
    ]);
    return renderHome(following, watches, await this.trends(watches));
  }

  /** The 7-day success rate of each job watched by name (from its cached recent runs), with its sparkline. */
  private async trends(watches: Watch[]): Promise<JobTrend[]> {
    const { history, pictures, timeZone, dataarts } = this.services;
    const jobs = new Map<string, { job: string; workspace?: string }>();
    for (const watch of watches)
      if (!isGlob(watch.pattern))
        jobs.set(`${watch.workspace ?? ''}\n${watch.pattern}`, {
          job: watch.pattern,
          ...(watch.workspace ? { workspace: watch.workspace } : {}),
        });
    const now = dataarts.now();
    return Promise.all(
      [...jobs.values()].slice(0, MAX_TRENDS + 1).map(async ({ job, workspace }) => {
        const { days, succeeded, ended } = dailyRates(await history.rows(job, workspace), now, timeZone);
        return {
          job,
          ...(workspace ? { workspace } : {}),
          rates: days.map((day) => day.rate),
          succeeded,
          ended,
          ...(pictures && ended > 0 ? { imageUrl: pictures.sparklineUrl(days) } : {}),
        };
      }),
    );
  }

  private async watchesOf(user: string): Promise<Watch[]> {
    const channels = await this.services.following.watchedChannels();
    const mine: Watch[] = [];
    for (const channel of channels) {
      if ((await this.membersOf(channel)).has(user))
        mine.push(...(await this.services.following.watchesIn(channel)));
    }
    return mine;
  }

  private async membersOf(channel: string): Promise<Set<string>> {
    const now = this.services.clock();
    const known = this.members.get(channel);
    if (known && now - known.at < MEMBERS_TTL_MS) return known.members;
    const members = new Set<string>();
    try {
      let cursor: string | undefined;
      for (let page = 0; page < MAX_MEMBER_PAGES; page++) {
        const answer = await this.services.web.idempotent.conversations.members({
          channel,
          limit: 1_000,
          cursor,
        });
        for (const member of answer.members ?? []) members.add(member);
        cursor = answer.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
    } catch (error) {
      this.services.logger.info(
        { channel, slackError: slackErrorCode(error) },
        'could not list a channel’s members',
      );
    }
    this.members.set(channel, { at: now, members });
    return members;
  }
}
