/**
 * Permalinks of the messages the bot posted: fetched once with chat.getPermalink and kept, since a permalink
 * never changes. In memory here; the subscriptions store keeps them in Redis.
 */
export interface PermalinkStore {
  get(channel: string, ts: string): Promise<string | undefined>;
  set(channel: string, ts: string, permalink: string): Promise<void>;
}

export class MemoryPermalinkStore implements PermalinkStore {
  private readonly links = new Map<string, string>();

  async get(channel: string, ts: string): Promise<string | undefined> {
    return this.links.get(`${channel}/${ts}`);
  }

  async set(channel: string, ts: string, permalink: string): Promise<void> {
    this.links.set(`${channel}/${ts}`, permalink);
  }
}
