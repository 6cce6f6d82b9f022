/** The shapes the stand-in keeps and shows: the workspace, messages, ephemerals, views and recorded calls. */

export interface Team {
  id: string;
  /** The subdomain: permalinks are https://<domain>.slack.com/… */
  domain: string;
  name: string;
}

export interface BotIdentity {
  userId: string;
  botId: string;
  appId: string;
  name: string;
}

export interface User {
  id: string;
  name: string;
  realName?: string;
  tz?: string;
  isBot?: boolean;
  /** A person of another organisation in a shared channel (Slack Connect): their own team's id. */
  teamId?: string;
}

/** A user group (`S…`), mentioned as `<!subteam^S…>`: its members are what usergroups.users.list answers. */
export interface UserGroup {
  id: string;
  /** The handle people type (`data-oncall`). */
  handle: string;
  users: string[];
}

export type ChannelKind = 'public' | 'private' | 'im';

export interface Channel {
  id: string;
  name: string;
  kind: ChannelKind;
  botIsMember: boolean;
  archived?: boolean;
  /** For an `im`: the person on the other side. */
  user?: string;
  /** The people in it (default: every person of the workspace, for a public or private channel). */
  members?: string[];
}

export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

export interface MessageContent {
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: MessageMetadata;
}

export interface MessageVersion extends MessageContent {
  at: number;
}

/** A file shared through files.completeUploadExternal (its bytes stay in the file store). */
export interface StoredFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  /** The extension, as Slack's `filetype` ("png"). */
  filetype: string;
  size: number;
  altText?: string;
  /** Seconds since the epoch, as Slack's `created`. */
  created: number;
  /** Who uploaded it (the bot). */
  user: string;
  /** Where the stand-in serves the bytes (with the bot token, as Slack asks for url_private). */
  urlPrivate: string;
  permalink: string;
  /** Width and height, for PNG images. */
  imageSize?: { width: number; height: number };
}

/** A message as the stand-in holds it. The object is live: chat.update changes it in place. */
export interface StoredMessage extends MessageContent {
  channel: string;
  ts: string;
  /** The parent's ts, for a thread reply. */
  threadTs?: string;
  /** The bot user, a person, or 'response_url' for an in-channel answer through a response URL (shown as the app). */
  user: string;
  /** A thread reply also shown in the channel. */
  replyBroadcast: boolean;
  unfurlLinks?: boolean;
  unfurlMedia?: boolean;
  /** Files shared with the message (files.completeUploadExternal). */
  files?: StoredFile[];
  /** Every version, oldest first: the first is the original post. */
  versions: MessageVersion[];
}

/** A copy of a message at one moment, for the event feed. */
export type MessageSnapshot = Omit<StoredMessage, 'versions'> & { version: number };

export interface Ephemeral extends MessageContent {
  channel: string;
  /** The only person who sees it. */
  user: string;
  threadTs?: string;
  ts: string;
  at: number;
  via: 'chat.postEphemeral' | 'response_url';
}

/** A modal or Home tab, shaped as Slack returns it from views.* (and sends it in interaction payloads). */
export interface StoredView {
  id: string;
  team_id: string;
  type: 'modal' | 'home';
  hash: string;
  blocks: unknown[];
  callback_id: string;
  private_metadata: string;
  external_id: string;
  state: { values: Record<string, Record<string, unknown>> };
  root_view_id: string;
  previous_view_id: string | null;
  app_id: string;
  bot_id: string;
  [field: string]: unknown;
}

/** What Slack answers on the Web API: `{ok: true, …}` or `{ok: false, error, …}`. */
export type SlackAnswer = { ok: boolean; error?: string } & Record<string, unknown>;

/** A scripted fault, applied in this order: delay, 429, Slack error, then (after the call is applied) drop or late answer. */
export interface StandinFault {
  /** Wait this long before handling the call at all. */
  delayMs?: number;
  /** Answer HTTP 429 with Retry-After; nothing is applied. */
  rateLimited?: { retryAfterSeconds: number };
  /** Answer `{ok:false, error}` (HTTP 200); nothing is applied. */
  error?: string;
  /** Apply the call, then destroy the connection without an answer: the "lost response". */
  acceptThenDrop?: boolean;
  /** Apply the call, then answer only after this long (a caller may give up or die meanwhile). */
  acceptThenDelayMs?: number;
}

export interface RecordedCall {
  /** The Web API method, or 'response_url' for a POST to a response URL. */
  method: string;
  /** Decoded arguments, JSON fields (blocks, view, metadata…) parsed; the token is never kept. */
  args: Record<string, unknown>;
  tokenOk: boolean;
  at: number;
  fault?: StandinFault;
  /** The HTTP status answered (or being held back). */
  status?: number;
  /** What the stand-in decided to answer, even when the answer is then dropped. */
  response?: Record<string, unknown>;
  delivery: 'pending' | 'answered' | 'dropped';
}
