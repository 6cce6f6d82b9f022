/** The model of one workspace: people, conversations, the bot's membership, messages with threads, ephemerals. */
import type { Feed } from './feed';
import type {
  BotIdentity,
  Channel,
  Ephemeral,
  MessageContent,
  MessageSnapshot,
  StoredMessage,
  Team,
  User,
  UserGroup,
} from './model';

export interface WorkspaceInit {
  team: Team;
  bot: BotIdentity;
  users: User[];
  channels: Channel[];
  userGroups?: UserGroup[];
}

export type NewMessage = MessageContent &
  Pick<StoredMessage, 'user'> &
  Partial<Pick<StoredMessage, 'threadTs' | 'replyBroadcast' | 'unfurlLinks' | 'unfurlMedia' | 'files'>>;

export function snapshot(message: StoredMessage): MessageSnapshot {
  const { versions, ...rest } = message;
  return { ...structuredClone(rest), version: versions.length };
}

export class Workspace {
  readonly team: Team;
  readonly bot: BotIdentity;
  private readonly users = new Map<string, User>();
  private readonly channels = new Map<string, Channel>();
  private readonly groups = new Map<string, UserGroup>();
  /** Every message of a conversation (replies included), in ts order. */
  private readonly byChannel = new Map<string, StoredMessage[]>();
  private readonly byKey = new Map<string, StoredMessage>();
  private readonly ephemeralList: Ephemeral[] = [];
  private lastMicros = 0;

  constructor(
    init: WorkspaceInit,
    private readonly clock: () => number,
    private readonly feed: Feed,
  ) {
    this.team = init.team;
    this.bot = init.bot;
    this.addUser({ id: init.bot.userId, name: init.bot.name, isBot: true });
    for (const user of init.users) this.addUser(user);
    for (const channel of init.channels) this.addChannel(channel);
    for (const group of init.userGroups ?? []) this.addUserGroup(group);
  }

  /** Defines (or redefines) a user group and its members. */
  addUserGroup(group: UserGroup): UserGroup {
    this.groups.set(group.id, group);
    return group;
  }

  userGroup(id: string): UserGroup | undefined {
    return this.groups.get(id);
  }

  /** A person, with the app's DM with them (the app's Messages tab). */
  addUser(user: User): User {
    this.users.set(user.id, user);
    if (!user.isBot) this.imWith(user.id);
    return user;
  }

  user(id: string): User | undefined {
    return this.users.get(id);
  }

  addChannel(channel: Channel): Channel {
    this.channels.set(channel.id, channel);
    return channel;
  }

  channel(id: string): Channel | undefined {
    return this.channels.get(id);
  }

  /** Every conversation, DMs included, in the order they were added. */
  conversations(): Channel[] {
    return [...this.channels.values()];
  }

  /** Who is in a conversation: its members (people, then the bot when it is in). */
  members(channel: Channel): string[] {
    const people =
      channel.kind === 'im'
        ? [channel.user!]
        : (channel.members ?? [...this.users.values()].filter((u) => !u.isBot).map((u) => u.id));
    return channel.botIsMember ? [...people, this.bot.userId] : people;
  }

  /** A conversation id, or a user id standing for the app's DM with that person (as chat.postMessage allows). */
  conversation(idOrUser: string | undefined): Channel | undefined {
    if (!idOrUser) return undefined;
    if (/^[UW]/.test(idOrUser)) return this.imWith(idOrUser);
    return this.channels.get(idOrUser);
  }

  /** The app's DM with a person (D0ALICE for U0ALICE), opened on first use. */
  imWith(userId: string): Channel {
    const existing = [...this.channels.values()].find((c) => c.kind === 'im' && c.user === userId);
    return (
      existing ??
      this.addChannel({
        id: `D${userId.slice(1)}`,
        name: userId,
        kind: 'im',
        botIsMember: true,
        user: userId,
      })
    );
  }

  /** Unique, increasing, Slack-shaped timestamps ("1732500000.000100"): microseconds, never repeated. */
  nextTs(): string {
    this.lastMicros = Math.max(this.lastMicros + 1, this.clock() * 1000);
    const seconds = Math.floor(this.lastMicros / 1_000_000);
    return `${seconds}.${String(this.lastMicros % 1_000_000).padStart(6, '0')}`;
  }

  post(channel: string, input: NewMessage): StoredMessage {
    const { text, blocks, attachments, metadata } = input;
    const message: StoredMessage = {
      ...input,
      channel,
      ts: this.nextTs(),
      replyBroadcast: input.replyBroadcast ?? false,
      versions: [{ text, blocks, attachments, metadata, at: this.clock() }],
    };
    const list = this.byChannel.get(channel) ?? [];
    list.push(message);
    this.byChannel.set(channel, list);
    this.byKey.set(key(channel, message.ts), message);
    this.feed.emit({ type: 'message', message: snapshot(message) });
    return message;
  }

  /** Replaces the content in place (the stored object stays the same) and keeps the new version. */
  edit(message: StoredMessage, content: MessageContent): void {
    const previous = snapshot(message);
    Object.assign(message, content);
    message.versions.push({ ...content, at: this.clock() });
    this.feed.emit({ type: 'message_changed', message: snapshot(message), previous });
  }

  remove(message: StoredMessage): void {
    const list = this.byChannel.get(message.channel) ?? [];
    list.splice(list.indexOf(message), 1);
    this.byKey.delete(key(message.channel, message.ts));
    this.feed.emit({ type: 'message_deleted', channel: message.channel, ts: message.ts });
  }

  /** Through the API or a response URL: the app may update or delete it, and Slack shows it with the bot's ids. */
  postedByApp(message: StoredMessage): boolean {
    return message.user === this.bot.userId || message.user === 'response_url';
  }

  message(channel: string, ts: string): StoredMessage | undefined {
    return this.byKey.get(key(channel, ts));
  }

  /** What the channel shows: top-level messages and broadcast replies, oldest first. */
  channelMessages(channel: string): StoredMessage[] {
    return (this.byChannel.get(channel) ?? []).filter((m) => !m.threadTs || m.replyBroadcast);
  }

  /** Every message of the conversation, thread replies included, oldest first. */
  allMessages(channel: string): StoredMessage[] {
    return [...(this.byChannel.get(channel) ?? [])];
  }

  /** The replies to a parent, oldest first (the parent itself excluded). */
  thread(channel: string, parentTs: string): StoredMessage[] {
    return (this.byChannel.get(channel) ?? []).filter((m) => m.threadTs === parentTs);
  }

  addEphemeral(input: Omit<Ephemeral, 'ts' | 'at'>): Ephemeral {
    const ephemeral: Ephemeral = { ...input, ts: this.nextTs(), at: this.clock() };
    this.ephemeralList.push(ephemeral);
    this.feed.emit({ type: 'ephemeral', ephemeral });
    return ephemeral;
  }

  /**
   * Replaces what an ephemeral shows (an interaction's response_url with replace_original), keeping its ts; the
   * feed tells it again under that ts, as Slack redraws it for the person.
   */
  replaceEphemeral(ephemeral: Ephemeral, content: MessageContent): void {
    const { text, blocks, attachments } = content;
    Object.assign(ephemeral, { text, blocks, attachments, at: this.clock() });
    this.feed.emit({ type: 'ephemeral', ephemeral });
  }

  /** Links handed to the app in link_shared events, by unfurl_id: what chat.unfurl may unfurl for that id. */
  private readonly sharedLinks = new Map<string, { channel: string; ts?: string; urls: string[] }>();
  private readonly unfurlList: StoredUnfurl[] = [];

  shareLinks(unfurlId: string, where: { channel: string; ts?: string; urls: string[] }): void {
    this.sharedLinks.set(unfurlId, where);
  }

  shared(unfurlId: string): { channel: string; ts?: string; urls: string[] } | undefined {
    return this.sharedLinks.get(unfurlId);
  }

  /** A card for a link: the same target and URL again replaces it (as chat.unfurl does), counting versions. */
  unfurl(entry: Omit<StoredUnfurl, 'versions' | 'at'>): void {
    const existing = this.unfurlList.find((u) => u.target === entry.target && u.url === entry.url);
    if (existing) Object.assign(existing, entry, { versions: existing.versions + 1, at: this.clock() });
    else this.unfurlList.push({ ...entry, versions: 1, at: this.clock() });
    this.feed.emit({
      type: 'unfurl',
      url: entry.url,
      ...(entry.channel && entry.ts ? { channel: entry.channel, ts: entry.ts } : {}),
    });
  }

  unfurls(): StoredUnfurl[] {
    return this.unfurlList;
  }

  ephemerals(query: { channel?: string; user?: string } = {}): Ephemeral[] {
    return this.ephemeralList.filter(
      (e) => (!query.channel || e.channel === query.channel) && (!query.user || e.user === query.user),
    );
  }

  /** https://<team>.slack.com/archives/<C>/p<ts without dot>, plus ?thread_ts=…&cid=… for a reply. */
  permalink(channel: string, ts: string): string {
    const base = `https://${this.team.domain}.slack.com/archives/${channel}/p${ts.replace('.', '')}`;
    const threadTs = this.message(channel, ts)?.threadTs;
    return threadTs ? `${base}?thread_ts=${threadTs}&cid=${channel}` : base;
  }
}

function key(channel: string, ts: string): string {
  return `${channel} ${ts}`;
}

/** A card chat.unfurl attached to a link: in a posted message (`channel`/`ts`) or in the composer (`unfurlId`). */
export interface StoredUnfurl {
  /** `<channel>/<ts>` or `<source>/<unfurl_id>`. */
  target: string;
  channel?: string;
  ts?: string;
  unfurlId?: string;
  source?: string;
  url: string;
  blocks: unknown[];
  /** 1, then one more each time it was replaced. */
  versions: number;
  at: number;
}
