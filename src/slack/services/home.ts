/**
 * App Home for one person: what they follow, and the watches of the channels they are in. Which channels those
 * are is read once per viewer (users.conversations, kept a few minutes), however many channels have watches.
 */
import type { HomeView } from '@slack/types';
import { dailyRates } from '../../digest/summary';
import { isGlob, type Watch } from '../../following/model';
import { renderHome } from '../blocks/home';
import { type JobTrend, MAX_TRENDS } from '../blocks/home-trends';
import { slackErrorCode } from '../web';
import type { SlackServices } from './services';

const CHANNELS_TTL_MS = 5 * 60_000;
/** Pages of 1,000 channels read at most per viewer. */
const MAX_CHANNEL_PAGES = 10;
/** Viewers whose channels are kept. */
const MAX_VIEWERS = 10_000;

export class HomeViews {
  private readonly channels = new Map<string, { at: number; channels: Set<string> }>();

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
    const [watched, mine] = await Promise.all([
      this.services.following.watchedChannels(),
      this.channelsOf(user),
    ]);
    const shown = watched.filter((channel) => mine.has(channel));
    return (await Promise.all(shown.map((channel) => this.services.following.watchesIn(channel)))).flat();
  }

  /** The channels a person is in: one users.conversations read (its pages) per viewer, kept a few minutes. */
  private async channelsOf(user: string): Promise<Set<string>> {
    const now = this.services.clock();
    const known = this.channels.get(user);
    if (known && now - known.at < CHANNELS_TTL_MS) return known.channels;
    const channels = new Set<string>();
    try {
      let cursor: string | undefined;
      for (let page = 0; page < MAX_CHANNEL_PAGES; page++) {
        const answer = await this.services.web.idempotent.users.conversations({
          user,
          types: 'public_channel,private_channel',
          exclude_archived: true,
          limit: 1_000,
          cursor,
        });
        for (const channel of answer.channels ?? []) if (channel.id) channels.add(channel.id);
        cursor = answer.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
    } catch (error) {
      this.services.logger.info(
        { slackError: slackErrorCode(error) },
        'could not list the channels a person is in',
      );
    }
    this.channels.delete(user);
    this.channels.set(user, { at: now, channels });
    // The oldest viewers go first past the bound.
    if (this.channels.size > MAX_VIEWERS) this.channels.delete(this.channels.keys().next().value!);
    return channels;
  }
}
