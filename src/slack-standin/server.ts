/**
 * A loopback stand-in for the Slack Web API and response URLs, shaped like Slack's answers. It records every
 * call, keeps a model of the workspace (messages, threads, ephemerals, modals, App Home), emits every change
 * (for tests and for a live page), and can be scripted with faults: 429s, Slack errors, delays, and a post
 * that is accepted but whose answer is lost.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type http from 'node:http';
import { listenLocal } from '../support/http-server';
import { type Channel, type StoredMessage, Workspace } from './workspace';

export interface StandinFault {
  rateLimited?: { retryAfterSeconds: number };
  error?: string;
  delayMs?: number;
  /** Apply the call, then destroy the connection without an answer. */
  acceptThenDrop?: boolean;
  /** Apply the call, then answer only after this long (a caller may die meanwhile). */
  acceptThenDelayMs?: number;
  /** Only the next N matching calls; unlimited when absent. */
  times?: number;
}

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
  /** The JSON answered, or undefined for a dropped answer. */
  response?: Record<string, unknown>;
}

export type StandinEvent =
  | { type: 'message'; message: StoredMessage }
  | { type: 'message_changed'; message: StoredMessage }
  | { type: 'message_deleted'; channel: string; ts: string }
  | { type: 'ephemeral'; channel: string; user: string; text?: string; blocks?: unknown[] }
  | {
      type: 'view_opened' | 'view_updated' | 'home_published';
      user: string;
      viewId: string;
      view: Record<string, unknown>;
    };

export interface StandinOptions {
  host?: string;
  port?: number;
  botToken?: string;
  scopes?: string[];
  clock?: () => number;
  triggerTtlMs?: number;
}

interface ResponseUrl {
  channel: string;
  user: string;
  /** The message a block action came from, for replace_original. */
  messageTs?: string;
  uses: number;
  createdAt: number;
}

const JSON_FIELDS = ['blocks', 'attachments', 'metadata', 'view'];
/** Slack's undocumented ceiling on the text summed over a message's blocks. */
const TOTAL_BLOCK_TEXT_LIMIT = 12_000;

function blockText(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + blockText(item), 0);
  if (!value || typeof value !== 'object') return 0;
  return Object.entries(value).reduce(
    (sum, [key, field]) =>
      sum + (key === 'text' && typeof field === 'string' ? field.length : blockText(field)),
    0,
  );
}

export class SlackStandin {
  readonly events = new EventEmitter();
  readonly workspace: Workspace;
  readonly recorded: RecordedCall[] = [];
  url = '';
  private readonly faults: { method: string; channel?: string; fault: StandinFault; remaining: number }[] =
    [];
  private readonly responseUrls = new Map<string, ResponseUrl>();
  private readonly triggers = new Map<string, { user: string; at: number; used: boolean }>();
  private readonly clock: () => number;
  readonly botToken: string;
  private readonly scopes: Set<string>;
  private readonly triggerTtlMs: number;

  constructor(options: StandinOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.botToken = options.botToken ?? 'xoxb-standin-token';
    this.scopes = new Set(options.scopes ?? ['commands', 'chat:write']);
    this.triggerTtlMs = options.triggerTtlMs ?? 3_000;
    this.workspace = new Workspace(
      { id: 'T0STANDIN', domain: 'standin' },
      { userId: 'U0BOT', botId: 'B0BOT' },
      this.clock,
    );
    this.workspace.addChannel({ id: 'C0GENERAL', name: 'general', kind: 'public', botIsMember: true });
    this.workspace.addChannel({ id: 'C0OUTSIDE', name: 'no-bot-here', kind: 'public', botIsMember: false });
    this.workspace.addChannel({
      id: 'G0PRIVATE',
      name: 'private-no-bot',
      kind: 'private',
      botIsMember: false,
    });
  }

  // ---- scripting and observing -----------------------------------------------------------------------

  addChannel(channel: Channel): void {
    this.workspace.addChannel(channel);
  }

  fail(method: string, fault: StandinFault & { channel?: string }): void {
    const { channel, ...rest } = fault;
    this.faults.push({ method, channel, fault: rest, remaining: rest.times ?? Number.POSITIVE_INFINITY });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  calls(method?: string): RecordedCall[] {
    return method ? this.recorded.filter((call) => call.method === method) : [...this.recorded];
  }

  messages(channel: string): StoredMessage[] {
    return this.workspace.channelMessages(channel);
  }

  thread(channel: string, ts: string): StoredMessage[] {
    return this.workspace.thread(channel, ts);
  }

  message(channel: string, ts: string): StoredMessage | undefined {
    return this.workspace.message(channel, ts);
  }

  ephemerals(user?: string): StandinEventEphemeral[] {
    return this.workspace.ephemerals.filter((e) => !user || e.user === user);
  }

  openViews(user: string): Record<string, unknown>[] {
    return [...this.workspace.views.values()]
      .filter((v) => v.user === user && v.kind === 'modal')
      .map((v) => v.view);
  }

  home(user: string): Record<string, unknown> | undefined {
    return [...this.workspace.views.values()].find((v) => v.user === user && v.kind === 'home')?.view;
  }

  /** Resolves once `check` returns a value other than undefined/false; rejects after the timeout. */
  async waitFor<T>(
    check: () => T | undefined | false,
    options: { timeoutMs?: number; what?: string } = {},
  ): Promise<T> {
    const deadline = Date.now() + (options.timeoutMs ?? 5_000);
    for (;;) {
      const value = check();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) {
        throw new Error(
          `Timed out waiting for ${options.what ?? 'a condition'}; ${this.recorded.length} calls so far, the last: ${this.recorded
            .slice(-15)
            .map((c) => c.method)
            .join(', ')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** A response URL bound to a conversation and user (and to a message, for block actions). */
  mintResponseUrl(channel: string, user: string, messageTs?: string): string {
    const id = randomBytes(12).toString('hex');
    this.responseUrls.set(id, { channel, user, messageTs, uses: 0, createdAt: this.clock() });
    return `${this.url}/response/${id}`;
  }

  mintTrigger(user: string): string {
    const id = `${Date.now()}.${randomBytes(6).toString('hex')}`;
    this.triggers.set(id, { user, at: this.clock(), used: false });
    return id;
  }

  // ---- HTTP ------------------------------------------------------------------------------------------

  readonly handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://standin');
    if (url.pathname.startsWith('/response/'))
      return this.respondUrl(url.pathname.slice('/response/'.length), raw, res);
    const method = url.pathname.replace(/^\/api\//, '');
    const args = decodeArgs(raw, String(req.headers['content-type'] ?? ''));
    const call: RecordedCall = { method, args, at: this.clock() };
    this.recorded.push(call);

    const token =
      String(req.headers.authorization ?? '').replace(/^Bearer\s+/i, '') || String(args.token ?? '');
    const fault = this.takeFault(method, typeof args.channel === 'string' ? args.channel : undefined);
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.rateLimited) {
      call.response = { ok: false, error: 'ratelimited' };
      res.writeHead(429, {
        'content-type': 'application/json',
        'retry-after': String(fault.rateLimited.retryAfterSeconds),
      });
      res.end(JSON.stringify(call.response));
      return;
    }
    const answer =
      token !== this.botToken
        ? { ok: false, error: 'invalid_auth' }
        : fault?.error
          ? { ok: false, error: fault.error }
          : this.apply(method, args);
    if (fault?.acceptThenDrop) {
      req.socket.destroy();
      return;
    }
    if (fault?.acceptThenDelayMs)
      await new Promise((resolve) => setTimeout(resolve, fault.acceptThenDelayMs));
    call.response = answer;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  };

  private takeFault(method: string, channel?: string): StandinFault | undefined {
    const entry = this.faults.find(
      (candidate) =>
        candidate.method === method &&
        candidate.remaining > 0 &&
        (!candidate.channel || candidate.channel === channel),
    );
    if (!entry) return undefined;
    entry.remaining -= 1;
    return entry.fault;
  }

  private apply(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const { workspace } = this;
    const str = (name: string) => (typeof args[name] === 'string' ? (args[name] as string) : undefined);
    switch (method) {
      case 'api.test':
        return { ok: true };
      case 'auth.test':
        return {
          ok: true,
          url: `https://${workspace.team.domain}.slack.com/`,
          team: 'Stand-in',
          user: 'dlf-bot',
          team_id: workspace.team.id,
          user_id: workspace.bot.userId,
          bot_id: workspace.bot.botId,
        };
      case 'chat.postMessage': {
        const channel = this.postableChannel(str('channel'));
        if ('error' in channel) return { ok: false, error: channel.error };
        const problem = blocksProblem(args.blocks);
        if (problem) return { ok: false, error: problem };
        if (!str('text') && !args.blocks) return { ok: false, error: 'no_text' };
        const threadTs = str('thread_ts');
        if (threadTs && !workspace.message(channel.id, threadTs))
          return { ok: false, error: 'thread_not_found' };
        const message: StoredMessage = {
          channel: channel.id,
          ts: workspace.nextTs(),
          threadTs,
          text: str('text'),
          blocks: args.blocks as unknown[] | undefined,
          metadata: args.metadata,
          user: workspace.bot.userId,
          replyBroadcast: args.reply_broadcast === true || args.reply_broadcast === 'true',
          versions: [],
        };
        message.versions.push({ text: message.text, blocks: message.blocks, at: this.clock() });
        workspace.messages.push(message);
        this.events.emit('change', { type: 'message', message } satisfies StandinEvent);
        return {
          ok: true,
          channel: channel.id,
          ts: message.ts,
          message: { text: message.text, ts: message.ts },
        };
      }
      case 'chat.update': {
        const message = workspace.message(str('channel') ?? '', str('ts') ?? '');
        if (!message) return { ok: false, error: 'message_not_found' };
        if (message.user !== workspace.bot.userId) return { ok: false, error: 'cant_update_message' };
        const problem = blocksProblem(args.blocks);
        if (problem) return { ok: false, error: problem };
        message.text = str('text') ?? message.text;
        message.blocks = (args.blocks as unknown[] | undefined) ?? message.blocks;
        message.versions.push({ text: message.text, blocks: message.blocks, at: this.clock() });
        this.events.emit('change', { type: 'message_changed', message } satisfies StandinEvent);
        return { ok: true, channel: message.channel, ts: message.ts };
      }
      case 'chat.delete': {
        const index = workspace.messages.findIndex((m) => m.channel === str('channel') && m.ts === str('ts'));
        if (index < 0) return { ok: false, error: 'message_not_found' };
        workspace.messages.splice(index, 1);
        this.events.emit('change', {
          type: 'message_deleted',
          channel: str('channel')!,
          ts: str('ts')!,
        } satisfies StandinEvent);
        return { ok: true };
      }
      case 'chat.postEphemeral': {
        const channel = workspace.channels.get(str('channel') ?? '');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (!channel.botIsMember) return { ok: false, error: 'not_in_channel' };
        const problem = blocksProblem(args.blocks);
        if (problem) return { ok: false, error: problem };
        this.addEphemeral(
          channel.id,
          str('user') ?? '',
          str('text'),
          args.blocks as unknown[] | undefined,
          str('thread_ts'),
        );
        return { ok: true, message_ts: workspace.nextTs() };
      }
      case 'chat.getPermalink': {
        const channel = str('channel') ?? '';
        const ts = str('message_ts') ?? '';
        if (!workspace.message(channel, ts)) return { ok: false, error: 'message_not_found' };
        return { ok: true, channel, permalink: workspace.permalink(channel, ts) };
      }
      case 'conversations.replies': {
        const channel = str('channel') ?? '';
        const ts = str('ts') ?? '';
        const parent = workspace.message(channel, ts);
        if (!parent) return { ok: false, error: 'thread_not_found' };
        const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
        return {
          ok: true,
          messages: [parent, ...workspace.thread(channel, ts)].map((m) => ({
            type: 'message',
            ts: m.ts,
            thread_ts: m.threadTs ?? (workspace.thread(channel, m.ts).length > 0 ? m.ts : undefined),
            text: m.text,
            user: m.user,
            bot_id: workspace.bot.botId,
            ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
          })),
          has_more: false,
        };
      }
      case 'conversations.info': {
        const channel = workspace.channels.get(str('channel') ?? '');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        return {
          ok: true,
          channel: {
            id: channel.id,
            name: channel.name,
            is_private: channel.kind !== 'public',
            is_im: channel.kind === 'im',
            is_member: channel.botIsMember,
          },
        };
      }
      case 'users.info':
        return { ok: true, user: { id: str('user'), name: `user-${str('user')}`, tz: 'Europe/Berlin' } };
      case 'views.open':
      case 'views.push': {
        const trigger = this.triggers.get(str('trigger_id') ?? '');
        if (!trigger) return { ok: false, error: 'invalid_trigger_id' };
        if (trigger.used || this.clock() - trigger.at > this.triggerTtlMs)
          return { ok: false, error: 'expired_trigger_id' };
        trigger.used = true;
        return this.storeView(trigger.user, args.view, 'modal', 'view_opened');
      }
      case 'views.update': {
        const existing = workspace.views.get(str('view_id') ?? '');
        if (!existing) return { ok: false, error: 'not_found' };
        return this.storeView(existing.user, args.view, 'modal', 'view_updated', existing.id);
      }
      case 'views.publish':
        return this.storeView(str('user_id') ?? '', args.view, 'home', 'home_published');
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private postableChannel(id: string | undefined): Channel | { error: string } {
    if (!id) return { error: 'channel_not_found' };
    // Posting to a user id writes in the app's DM with them.
    if (/^[UW]/.test(id)) {
      const dm =
        this.workspace.channels.get(`D${id}`) ??
        this.workspace.addChannel({ id: `D${id}`, name: id, kind: 'im', botIsMember: true });
      return dm;
    }
    const channel = this.workspace.channels.get(id);
    if (!channel) return { error: 'channel_not_found' };
    if (channel.archived) return { error: 'is_archived' };
    if (!channel.botIsMember) {
      if (channel.kind === 'public' && this.scopes.has('chat:write.public')) return channel;
      return { error: channel.kind === 'public' ? 'not_in_channel' : 'channel_not_found' };
    }
    return channel;
  }

  private storeView(
    user: string,
    rawView: unknown,
    kind: 'modal' | 'home',
    event: 'view_opened' | 'view_updated' | 'home_published',
    existingId?: string,
  ): Record<string, unknown> {
    const view = (rawView ?? {}) as Record<string, unknown>;
    const title = (view.title as { text?: string } | undefined)?.text ?? '';
    if (kind === 'modal' && (title.length === 0 || title.length > 24))
      return { ok: false, error: 'invalid_arguments' };
    const homeId =
      kind === 'home'
        ? [...this.workspace.views.values()].find((v) => v.user === user && v.kind === 'home')?.id
        : undefined;
    const id = existingId ?? homeId ?? this.workspace.nextViewId();
    const stored = { ...view, id, hash: randomBytes(6).toString('hex') };
    this.workspace.views.set(id, { id, user, view: stored, kind });
    this.events.emit('change', { type: event, user, viewId: id, view: stored } satisfies StandinEvent);
    return { ok: true, view: stored };
  }

  private addEphemeral(
    channel: string,
    user: string,
    text?: string,
    blocks?: unknown[],
    threadTs?: string,
  ): void {
    this.workspace.ephemerals.push({ channel, user, text, blocks, threadTs, at: this.clock() });
    this.events.emit('change', { type: 'ephemeral', channel, user, text, blocks } satisfies StandinEvent);
  }

  private respondUrl(id: string, raw: string, res: http.ServerResponse): void {
    const entry = this.responseUrls.get(id);
    const answer = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(body);
    };
    const refusal = !entry
      ? 'no_such_url'
      : this.clock() - entry.createdAt > 30 * 60_000
        ? 'expired_url'
        : entry.uses >= 5
          ? 'used_url'
          : undefined;
    if (!entry || refusal) {
      answer(404, refusal ?? 'no_such_url');
      return;
    }
    entry.uses += 1;
    let body: Record<string, unknown> | undefined;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      body = undefined;
    }
    if (!body) {
      answer(400, 'invalid_payload');
      return;
    }
    this.recorded.push({ method: 'response_url', args: body, at: this.clock() });
    const text = typeof body.text === 'string' ? body.text : undefined;
    const blocks = body.blocks as unknown[] | undefined;
    const original = entry.messageTs ? this.workspace.message(entry.channel, entry.messageTs) : undefined;
    if (body.delete_original === true && original) {
      this.workspace.messages.splice(this.workspace.messages.indexOf(original), 1);
      this.events.emit('change', {
        type: 'message_deleted',
        channel: original.channel,
        ts: original.ts,
      } satisfies StandinEvent);
    } else if (body.replace_original === true && original) {
      original.text = text ?? original.text;
      original.blocks = blocks ?? original.blocks;
      original.versions.push({ text: original.text, blocks: original.blocks, at: this.clock() });
      this.events.emit('change', { type: 'message_changed', message: original } satisfies StandinEvent);
    } else if (body.response_type === 'in_channel') {
      const message: StoredMessage = {
        channel: entry.channel,
        ts: this.workspace.nextTs(),
        threadTs: typeof body.thread_ts === 'string' ? body.thread_ts : undefined,
        text,
        blocks,
        user: 'response_url',
        versions: [{ text, blocks, at: this.clock() }],
      };
      this.workspace.messages.push(message);
      this.events.emit('change', { type: 'message', message } satisfies StandinEvent);
    } else {
      this.addEphemeral(entry.channel, entry.user, text, blocks);
    }
    answer(200, 'ok');
  }
}

type StandinEventEphemeral = Workspace['ephemerals'][number];

function blocksProblem(blocks: unknown): string | undefined {
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks)) return 'invalid_blocks_format';
  if (blocks.length > 50) return 'invalid_blocks';
  if (blockText(blocks) > TOTAL_BLOCK_TEXT_LIMIT) return 'msg_blocks_too_long';
  return undefined;
}

function decodeArgs(raw: string, contentType: string): Record<string, unknown> {
  if (!raw) return {};
  if (contentType.includes('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  const args: Record<string, unknown> = {};
  for (const [name, value] of new URLSearchParams(raw)) {
    if (JSON_FIELDS.includes(name)) {
      try {
        args[name] = JSON.parse(value);
        continue;
      } catch {
        // keep as text
      }
    }
    args[name] = value;
  }
  return args;
}

export interface RunningStandin {
  standin: SlackStandin;
  /** Web API base for clients: `${url}/api/`. */
  apiUrl: string;
  url: string;
  close(): Promise<void>;
}

export async function startSlackStandin(options: StandinOptions = {}): Promise<RunningStandin> {
  const standin = new SlackStandin(options);
  const { url, close } = await listenLocal(standin.handle, options);
  standin.url = url;
  return { standin, url, apiUrl: `${url}/api/`, close };
}
