/** The stand-in's model of one Slack workspace: channels, membership, messages with threads, ephemerals, views. */

export interface StoredMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  text?: string;
  blocks?: unknown[];
  metadata?: unknown;
  /** Bot user that posted it, or 'response_url' for replies through a response URL. */
  user: string;
  replyBroadcast?: boolean;
  /** Every version, oldest first (the first is the original post). */
  versions: { text?: string; blocks?: unknown[]; at: number }[];
}

export interface Ephemeral {
  channel: string;
  user: string;
  text?: string;
  blocks?: unknown[];
  threadTs?: string;
  at: number;
}

export interface StoredView {
  id: string;
  user: string;
  view: Record<string, unknown>;
  /** Modal stack position, or 'home'. */
  kind: 'modal' | 'home';
}

export interface Channel {
  id: string;
  name: string;
  kind: 'public' | 'private' | 'im';
  botIsMember: boolean;
  archived?: boolean;
}

export class Workspace {
  readonly channels = new Map<string, Channel>();
  readonly messages: StoredMessage[] = [];
  readonly ephemerals: Ephemeral[] = [];
  readonly views = new Map<string, StoredView>();
  private tsCounter = 0;
  private viewCounter = 0;

  constructor(
    readonly team: { id: string; domain: string },
    readonly bot: { userId: string; botId: string },
    private readonly clock: () => number,
  ) {}

  addChannel(channel: Channel): Channel {
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** Unique, increasing, Slack-shaped timestamps. */
  nextTs(): string {
    this.tsCounter += 1;
    const seconds = Math.floor(this.clock() / 1000);
    return `${seconds}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  nextViewId(): string {
    this.viewCounter += 1;
    return `V${String(this.viewCounter).padStart(8, '0')}`;
  }

  message(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.find((message) => message.channel === channel && message.ts === ts);
  }

  /** Top-level messages of a channel (not thread replies), oldest first. */
  channelMessages(channel: string): StoredMessage[] {
    return this.messages.filter(
      (message) => message.channel === channel && (!message.threadTs || message.replyBroadcast),
    );
  }

  thread(channel: string, ts: string): StoredMessage[] {
    return this.messages.filter((message) => message.channel === channel && message.threadTs === ts);
  }

  permalink(channel: string, ts: string): string {
    const message = this.message(channel, ts);
    const base = `https://${this.team.domain}.slack.com/archives/${channel}/p${ts.replace('.', '')}`;
    return message?.threadTs ? `${base}?thread_ts=${message.threadTs}&cid=${channel}` : base;
  }
}
