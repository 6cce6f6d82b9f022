/**
 * The stand-in as one object: model, Web API, Socket Mode, faults, call log, event feed and waits; mount it or
 * start it alone.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { type AsyncHandler, listenLocal } from '../support/http-server';
import { CallLog } from './calls';
import { type FaultRule, FaultScript } from './faults';
import { Feed, type StandinEvent, type StandinListener } from './feed';
import { FileStore } from './files';
import type {
  BotIdentity,
  Channel,
  Ephemeral,
  MessageContent,
  RecordedCall,
  StoredFile,
  StoredMessage,
  StoredView,
  Team,
  User,
  UserGroup,
} from './model';
import { type ResponseUrlBinding, ResponseUrls } from './response-urls';
import { type Backend, requestHandler } from './server';
import { SocketModeHub, type SocketModeOptions } from './socket-mode';
import { Triggers } from './triggers';
import { ViewStore } from './views';
import { closestReport, Matcher, mismatches, type Pattern, type WaitOptions, waitUntil } from './wait';
import { type StoredUnfurl, Workspace } from './workspace';

/** The bot scopes of manifest.yml: what the real app is granted. */
export const DEFAULT_SCOPES = [
  'commands',
  'chat:write',
  'channels:history',
  'groups:history',
  'channels:read',
  'groups:read',
  'files:write',
  'usergroups:read',
  'links:read',
  'links:write',
];

/** Who acts and where, when a driver is not told: alice in #general. */
export const DEFAULT_ACTOR = { user: 'U0ALICE', channel: 'C0GENERAL' } as const;

const DEFAULT_TEAM: Team = { id: 'T0STANDIN', domain: 'standin', name: 'Stand-in' };
const DEFAULT_BOT: BotIdentity = { userId: 'U0BOT', botId: 'B0BOT', appId: 'A0DLFBOT', name: 'dlf-bot' };
const DEFAULT_USERS: User[] = [
  { id: 'U0ALICE', name: 'alice', realName: 'Alice Example' },
  { id: 'U0BOB', name: 'bob', realName: 'Bob Example' },
];
const DEFAULT_CHANNELS: Channel[] = [
  { id: 'C0GENERAL', name: 'general', kind: 'public', botIsMember: true },
  { id: 'C0OUTSIDE', name: 'no-bot-here', kind: 'public', botIsMember: false },
  { id: 'G0PRIVATE', name: 'private-no-bot', kind: 'private', botIsMember: false },
  { id: 'G0TEAM', name: 'team-private', kind: 'private', botIsMember: true },
];

export interface StandinOptions {
  botToken?: string;
  /** The app-level token apps.connections.open accepts (Socket Mode). */
  appToken?: string;
  /** Socket Mode timings (ping interval, disconnect grace, ack and connect timeouts). */
  socketMode?: Omit<SocketModeOptions, 'appToken' | 'appId' | 'clock'>;
  /** The bot token's scopes (default: the manifest's). Add 'chat:write.public' to post in public channels unjoined. */
  scopes?: string[];
  /** Milliseconds since the epoch; drives ts values, trigger and response URL expiry. */
  clock?: () => number;
  /** How long a trigger_id opens a view (Slack: 3 s). */
  triggerTtlMs?: number;
  team?: Partial<Team>;
  bot?: Partial<BotIdentity>;
  /** People besides the bot (default: alice U0ALICE, bob U0BOB). */
  users?: User[];
  /** Conversations besides the DMs (default: C0GENERAL with the bot, C0OUTSIDE and G0PRIVATE without, G0TEAM with). */
  channels?: Channel[];
  /** User groups (`S…`) and their members, for usergroups.users.list (default: none). */
  userGroups?: UserGroup[];
  /** Events the feed keeps for late readers. */
  feedLimit?: number;
}

export class SlackStandin {
  /** Base of response URLs: http://127.0.0.1:<port> */
  readonly url: string;
  /** For WebClient's slackApiUrl: `${url}/api/` */
  readonly apiUrl: string;
  readonly botToken: string;
  readonly workspace: Workspace;
  readonly handle: AsyncHandler;
  /** Slack's Socket Mode side: links, connections, envelopes and their acks. */
  readonly socketMode: SocketModeHub;
  private readonly eventFeed: Feed;
  private readonly viewStore: ViewStore;
  private readonly triggers: Triggers;
  private readonly responseUrls: ResponseUrls;
  private readonly faults: FaultScript;
  private readonly callLog: CallLog;
  private readonly fileStore: FileStore;

  constructor(url: string, options: StandinOptions = {}) {
    const clock = options.clock ?? Date.now;
    this.faults = new FaultScript(clock);
    this.url = url;
    this.apiUrl = `${url}/api/`;
    this.botToken = options.botToken ?? 'xoxb-standin-token';
    this.eventFeed = new Feed(clock, options.feedLimit ?? 1_000);
    this.workspace = new Workspace(
      {
        team: { ...DEFAULT_TEAM, ...options.team },
        bot: { ...DEFAULT_BOT, ...options.bot },
        users: structuredClone(options.users ?? DEFAULT_USERS),
        channels: structuredClone(options.channels ?? DEFAULT_CHANNELS),
        userGroups: structuredClone(options.userGroups ?? []),
      },
      clock,
      this.eventFeed,
    );
    this.viewStore = new ViewStore(this.workspace, clock, this.eventFeed);
    this.triggers = new Triggers(clock, options.triggerTtlMs ?? 3_000);
    this.responseUrls = new ResponseUrls(this.workspace, clock, this.eventFeed);
    this.callLog = new CallLog(clock, this.eventFeed);
    this.socketMode = new SocketModeHub({
      ...options.socketMode,
      appToken: options.appToken ?? 'xapp-1-standin-app-token',
      appId: this.workspace.bot.appId,
      clock,
    });
    this.socketMode.bind(url);
    this.fileStore = new FileStore(clock, {
      baseUrl: url,
      team: this.workspace.team,
      botUser: this.workspace.bot.userId,
    });
    const backend: Backend = {
      botToken: this.botToken,
      socketMode: this.socketMode,
      methods: {
        workspace: this.workspace,
        views: this.viewStore,
        triggers: this.triggers,
        files: this.fileStore,
        scopes: new Set(options.scopes ?? DEFAULT_SCOPES),
      },
      responseUrls: this.responseUrls,
      faults: this.faults,
      calls: this.callLog,
    };
    this.handle = requestHandler(backend);
  }

  /** For the HTTP server's `upgrade` event: Socket Mode links (ws://…/link/?ticket=…). */
  upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    this.socketMode.upgrade(req, socket, head);
  }

  // ---- The workspace ---------------------------------------------------------------------------------

  addUser(user: User): User {
    return this.workspace.addUser(user);
  }

  addChannel(channel: Channel): Channel {
    return this.workspace.addChannel(channel);
  }

  /** Defines (or redefines) a user group and its members. */
  addUserGroup(group: UserGroup): UserGroup {
    return this.workspace.addUserGroup(group);
  }

  /** A message written by a person (for message shortcuts, or threads the bot did not start). */
  addMessage(input: MessageContent & { channel: string; user: string; threadTs?: string }): StoredMessage {
    const { channel, ...message } = input;
    if (!this.workspace.conversation(channel)) throw new Error(`No conversation ${channel} in the stand-in`);
    return this.workspace.post(channel, message);
  }

  // ---- Faults ----------------------------------------------------------------------------------------

  /** Scripts a fault for `method` ('*' for every method, 'response_url' for response URLs). */
  fail(method: string, rule: FaultRule): void {
    this.faults.add(method, rule);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  // ---- What Slack mints for each interaction (the driver, or a page acting as Slack) -------------------

  mintTrigger(user: string): string {
    return this.triggers.mint(user);
  }

  mintResponseUrl(binding: ResponseUrlBinding): string {
    return `${this.url}/response/${this.responseUrls.mint(binding)}`;
  }

  /** How Slack treats the app's HTTP answer to a view_submission (errors, update, push, clear, or close). */
  answerViewSubmission(user: string, viewId: string, answer: unknown): void {
    this.viewStore.answerSubmission(user, viewId, answer);
  }

  /** The person closed the modal (and those stacked above it). */
  closeView(user: string, viewId: string): void {
    this.viewStore.close(user, viewId);
  }

  // ---- Observing -------------------------------------------------------------------------------------

  calls(method?: string): RecordedCall[] {
    return this.callLog.list(method);
  }

  /** What the channel shows (top-level messages and broadcast replies), oldest first; live objects. */
  messages(channel: string): StoredMessage[] {
    return this.workspace.channelMessages(channel);
  }

  /** A thread's replies, oldest first, without the parent. */
  thread(channel: string, ts: string): StoredMessage[] {
    return this.workspace.thread(channel, ts);
  }

  /** The message as it is now (its `versions` hold the history). */
  message(channel: string, ts: string): StoredMessage | undefined {
    return this.workspace.message(channel, ts);
  }

  ephemerals(query: { channel?: string; user?: string } = {}): Ephemeral[] {
    return this.workspace.ephemerals(query);
  }

  /** Cards chat.unfurl attached to shared links, oldest first (a replaced card keeps its place, versions + 1). */
  unfurls(): StoredUnfurl[] {
    return this.workspace.unfurls();
  }

  /** Files shared with files.completeUploadExternal, oldest first. */
  files(): StoredFile[] {
    return this.fileStore.list();
  }

  file(id: string): StoredFile | undefined {
    return this.fileStore.file(id);
  }

  /** The bytes uploaded for a file id (shared or not yet). */
  fileBytes(id: string): Buffer | undefined {
    return this.fileStore.bytes(id);
  }

  /** The person's open modals, bottom first (the last one is shown). */
  views(user: string): StoredView[] {
    return this.viewStore.stack(user);
  }

  /** A modal or Home tab by id, as it is now. */
  view(id: string): StoredView | undefined {
    return this.viewStore.find({ id })?.view;
  }

  home(user: string): StoredView | undefined {
    return this.viewStore.home(user);
  }

  /** Every event from now on; returns the function that unsubscribes. */
  subscribe(listener: StandinListener): () => void {
    return this.eventFeed.subscribe(listener);
  }

  /** The kept events after `afterSeq`: what a page that connects late (or polls) has missed. */
  feed(afterSeq = 0): StandinEvent[] {
    return this.eventFeed.since(afterSeq);
  }

  // ---- Waiting (tests) ---------------------------------------------------------------------------------

  /** Resolves with the first value of `check` that is not undefined, null or false. */
  waitFor<T>(check: () => T | undefined | null | false, options: WaitOptions = {}): Promise<T> {
    return waitUntil(check, options, () => this.recentCalls());
  }

  /** A message of the conversation (thread replies included) matching the pattern. */
  waitForMessage(
    channel: string,
    pattern: Pattern<StoredMessage>,
    options: WaitOptions = {},
  ): Promise<StoredMessage> {
    return this.waitForMatch(() => this.workspace.allMessages(channel), pattern, {
      what: `a message in ${channel}`,
      ...options,
      label: (m) => `${m.ts}${m.threadTs ? ` (reply to ${m.threadTs})` : ''} by ${m.user}`,
    });
  }

  /** A recorded call of `method` matching the pattern (on args, response, delivery…). */
  waitForCall(
    method: string,
    pattern: Pattern<RecordedCall>,
    options: WaitOptions = {},
  ): Promise<RecordedCall> {
    return this.waitForMatch(() => this.calls(method), pattern, {
      what: `a ${method} call`,
      ...options,
      label: (call) => `${call.method} at ${call.at}`,
    });
  }

  private waitForMatch<T>(
    candidates: () => T[],
    pattern: Pattern<T>,
    options: WaitOptions & { label: (candidate: T) => string },
  ): Promise<T> {
    return waitUntil(
      () => candidates().find((candidate) => mismatches(candidate, pattern).length === 0),
      { ...options, what: `${options.what} matching ${describePattern(pattern)}` },
      () => `${closestReport(candidates(), pattern, options.label)}\n${this.recentCalls()}`,
    );
  }

  private recentCalls(): string {
    const all = this.callLog.list();
    const shown = all.slice(-10).map((call) => {
      const where = typeof call.args.channel === 'string' ? `(${call.args.channel})` : '';
      const outcome = call.response?.ok === true ? 'ok' : String(call.response?.error ?? call.delivery);
      return `${call.method}${where} → ${outcome}${call.fault ? ' [scripted fault]' : ''}`;
    });
    return `Last calls (${all.length} in all): ${shown.join('; ') || 'none'}`;
  }
}

function describePattern(pattern: unknown): string {
  return JSON.stringify(pattern, (_key, value: unknown) => {
    if (value instanceof RegExp) return String(value);
    if (value instanceof Matcher) return value.description;
    return typeof value === 'function' ? `(${value.name || 'predicate'})` : value;
  });
}

export interface RunningStandin {
  standin: SlackStandin;
  url: string;
  /** For WebClient's slackApiUrl (and the bot's SLACK_API_URL): `${url}/api/` */
  apiUrl: string;
  close(): Promise<void>;
}

/** A stand-in listening on 127.0.0.1 (port 0: any free port). */
export async function startSlackStandin(
  options: StandinOptions & { port?: number } = {},
): Promise<RunningStandin> {
  // The handler needs the URL the server got, and the server needs a handler: bind it once both exist.
  let handle: AsyncHandler = async (_req, res) => {
    res.writeHead(503);
    res.end();
  };
  const server = await listenLocal((req, res) => handle(req, res), { host: '127.0.0.1', port: options.port });
  const standin = new SlackStandin(server.url, options);
  handle = standin.handle;
  server.server.on('upgrade', (req, socket, head) => standin.upgrade(req, socket, head));
  return {
    standin,
    url: server.url,
    apiUrl: standin.apiUrl,
    close: () => {
      standin.socketMode.close();
      return server.close();
    },
  };
}
