/**
 * Plays Slack toward the bot. `Driver` builds what Slack sends for each thing a person does (with a fresh
 * response_url and trigger_id each, and the stand-in's current messages and views); `SlackDriver` sends it as
 * signed requests to /slack/events. (SocketModeDriver sends the same as Socket Mode envelopes.)
 */
import { randomUUID } from 'node:crypto';
import type { Channel, Ephemeral, StoredView, User } from './model';
import * as payloads from './payloads';
import { renderMessage } from './render';
import { type SigningFault, signatureHeaders } from './signing';
import { DEFAULT_ACTOR, type SlackStandin } from './standin';

/** Who acts, where, and in which stand-in: what every driver needs. */
export interface ActorOptions {
  standin: SlackStandin;
  /** Team id sent (default: the stand-in's team). */
  team?: string;
  /** The person acting (default: DEFAULT_ACTOR, alice). */
  user?: string;
  /** Where commands are typed (default: DEFAULT_ACTOR, #general). */
  channel?: string;
}

export interface DriverOptions extends ActorOptions {
  /** The bot's events URL, e.g. http://127.0.0.1:3000/slack/events */
  botUrl: string;
  signingSecret: string;
  signing?: SigningFault;
}

/** One thing Slack delivers to an app, before it is put on the wire (HTTP request or Socket Mode envelope). */
export type Delivery =
  | { type: 'slash_commands'; fields: Record<string, string> }
  | { type: 'interactive'; payload: Record<string, unknown> }
  | { type: 'events_api'; body: Record<string, unknown>; retry?: { num: number; reason: string } };

/** The bot's answer: over HTTP its response; over Socket Mode its ack, whose payload plays the body. */
export interface BotAnswer {
  status: number;
  body: string;
  json?: Record<string, unknown>;
  headers: Record<string, string>;
}

export interface EventAnswer extends BotAnswer {
  /** Send it again with the same id (and retry headers) to play a Slack retry. */
  eventId: string;
}

export interface MessageRef {
  channel: string;
  ts: string;
}

export interface ActionInput {
  actionId: string;
  /** Default: the element's own value. */
  value?: string;
  /** Needed only when the action id appears in several blocks. */
  blockId?: string;
  user?: string;
  /** Fields merged into the action (e.g. `selected_option` for a select). */
  action?: Record<string, unknown>;
}

/** The message is named by `message`, or (the older flat form, kept while existing tests move over) by `channel` and `ts`. */
export type BlockActionInput = ActionInput & ({ message: MessageRef } | MessageRef);

export interface EventOptions {
  /** Default: a new id. Reuse one to replay a delivery. */
  eventId?: string;
  /** A redelivery, as Slack marks one: x-slack-retry-num / -reason headers, or the envelope's retry fields. */
  retry?: { num: number; reason: string };
}

type Values = StoredView['state']['values'];

const FORM = 'application/x-www-form-urlencoded';

/**
 * What Slack sends for each thing a person does. Messages and views in the payloads are the stand-in's current
 * ones, and Slack's handling of the bot's answer to a view submission (errors, update, push, clear, close) is
 * applied back to the stand-in. How a delivery travels is the subclass's `deliver`.
 */
export abstract class Driver<Options extends ActorOptions = ActorOptions> {
  constructor(protected readonly options: Options) {}

  /** Puts one delivery on the wire and returns the bot's answer. */
  protected abstract deliver(delivery: Delivery): Promise<BotAnswer>;

  /** A slash command, typed in the driver's channel unless told otherwise. */
  async command(
    command: string,
    text: string,
    where: { channel?: string; user?: string } = {},
  ): Promise<BotAnswer> {
    const actor = this.actor(where.user);
    const channel = this.conversation(where.channel ?? this.options.channel ?? DEFAULT_ACTOR.channel);
    const fields = payloads.commandFields(actor, {
      channel,
      command,
      text,
      responseUrl: this.standin.mintResponseUrl({ channel: channel.id, user: actor.user.id }),
      triggerId: this.standin.mintTrigger(actor.user.id),
    });
    return this.deliver({ type: 'slash_commands', fields });
  }

  /** A press on an element of a message the stand-in holds (the payload carries the message as it is now). */
  async blockAction(input: BlockActionInput): Promise<BotAnswer> {
    const ref = 'message' in input ? input.message : input;
    const actor = this.actor(input.user);
    const stored = this.standin.message(ref.channel, ref.ts);
    if (!stored) throw new Error(`The stand-in holds no message ${ref.ts} in ${ref.channel}`);
    const found = payloads.findElement(stored.blocks, input.actionId, input.blockId);
    if (!found) throw new Error(`Message ${ref.ts} has no element with action_id ${input.actionId}`);
    return this.interactive(
      payloads.messageBlockActions(actor, {
        channel: this.conversation(ref.channel),
        message: renderMessage(this.standin.workspace, stored),
        action: payloads.actionFor(found, input),
        responseUrl: this.standin.mintResponseUrl({
          channel: ref.channel,
          user: actor.user.id,
          messageTs: ref.ts,
        }),
        triggerId: this.standin.mintTrigger(actor.user.id),
      }),
    );
  }

  /** A press on a card the bot unfurled into a posted message (a console link someone shared). */
  async unfurlAction(
    input: ActionInput & { unfurl: { channel?: string; ts?: string; url: string; blocks: unknown[] } },
  ): Promise<BotAnswer> {
    const { unfurl } = input;
    if (!unfurl.channel || !unfurl.ts) throw new Error('Only a card in a posted message can be pressed');
    const actor = this.actor(input.user);
    const stored = this.standin.message(unfurl.channel, unfurl.ts);
    if (!stored) throw new Error(`The stand-in holds no message ${unfurl.ts} in ${unfurl.channel}`);
    const found = payloads.findElement(unfurl.blocks, input.actionId, input.blockId);
    if (!found) throw new Error(`The card of ${unfurl.url} has no element with action_id ${input.actionId}`);
    return this.interactive(
      payloads.unfurlBlockActions(actor, {
        channel: this.conversation(unfurl.channel),
        message: renderMessage(this.standin.workspace, stored),
        url: unfurl.url,
        blocks: unfurl.blocks,
        action: payloads.actionFor(found, input),
        responseUrl: this.standin.mintResponseUrl({
          channel: unfurl.channel,
          user: actor.user.id,
          messageTs: unfurl.ts,
        }),
        triggerId: this.standin.mintTrigger(actor.user.id),
      }),
    );
  }

  /** A press on an element of an ephemeral message the person was shown (a confirmation, say). */
  async ephemeralAction(input: ActionInput & { ephemeral: Ephemeral }): Promise<BotAnswer> {
    const { ephemeral } = input;
    const actor = this.actor(input.user ?? ephemeral.user);
    const found = payloads.findElement(ephemeral.blocks, input.actionId, input.blockId);
    if (!found)
      throw new Error(`The ephemeral ${ephemeral.ts} has no element with action_id ${input.actionId}`);
    return this.interactive(
      payloads.ephemeralBlockActions(actor, {
        channel: this.conversation(ephemeral.channel),
        ts: ephemeral.ts,
        action: payloads.actionFor(found, input),
        responseUrl: this.standin.mintResponseUrl({
          channel: ephemeral.channel,
          user: actor.user.id,
          messageTs: ephemeral.ts,
        }),
        triggerId: this.standin.mintTrigger(actor.user.id),
      }),
    );
  }

  /** A press on an element inside an open modal (or Home tab); `values` is the state of its inputs. */
  async viewAction(input: ActionInput & { view: StoredView; values?: Values }): Promise<BotAnswer> {
    const actor = this.actor(input.user);
    const view = this.current(input.view);
    const found = payloads.findElement(view.blocks, input.actionId, input.blockId);
    if (!found) throw new Error(`View ${view.id} has no element with action_id ${input.actionId}`);
    return this.interactive(
      payloads.viewBlockActions(actor, {
        view,
        values: input.values ?? {},
        action: payloads.actionFor(found, input),
        triggerId: this.standin.mintTrigger(actor.user.id),
      }),
    );
  }

  /**
   * Submits a modal with its inputs' values: `{blockId: {actionId: {type, value | selected_conversation…}}}`.
   * The bot's answer is then applied to the person's modals as Slack would.
   */
  async viewSubmission(input: { view: StoredView; values: Values; user?: string }): Promise<BotAnswer> {
    const actor = this.actor(input.user);
    const view = this.current(input.view);
    const responseUrls = payloads.responseUrlTargets(view, input.values).map((target) => ({
      ...target,
      response_url: this.standin.mintResponseUrl({ channel: target.channel_id, user: actor.user.id }),
    }));
    const answer = await this.interactive(
      payloads.viewSubmission(actor, {
        view,
        values: input.values,
        triggerId: this.standin.mintTrigger(actor.user.id),
        responseUrls,
      }),
    );
    if (answer.status === 200) this.standin.answerViewSubmission(actor.user.id, view.id, answer.json);
    return answer;
  }

  /** The person closes the modal (Slack tells the app only if the view asked with notify_on_close). */
  async viewClosed(input: { view: StoredView; user?: string; isCleared?: boolean }): Promise<BotAnswer> {
    const actor = this.actor(input.user);
    const view = this.current(input.view);
    this.standin.closeView(actor.user.id, view.id);
    return this.interactive(payloads.viewClosed(actor, { view, isCleared: input.isCleared ?? false }));
  }

  async globalShortcut(callbackId: string, who: { user?: string } = {}): Promise<BotAnswer> {
    const actor = this.actor(who.user);
    return this.interactive(
      payloads.globalShortcut(actor, { callbackId, triggerId: this.standin.mintTrigger(actor.user.id) }),
    );
  }

  /** A message shortcut on a message of the stand-in; for one it does not hold, `text` stands for one by U0BOB. */
  async messageShortcut(
    callbackId: string,
    input: MessageRef & { text?: string; user?: string },
  ): Promise<BotAnswer> {
    const actor = this.actor(input.user);
    const stored = this.standin.message(input.channel, input.ts);
    const message = stored
      ? renderMessage(this.standin.workspace, stored)
      : { type: 'message', ts: input.ts, text: input.text ?? '', user: 'U0BOB' };
    return this.interactive(
      payloads.messageShortcut(actor, {
        callbackId,
        channel: this.conversation(input.channel),
        message,
        responseUrl: this.standin.mintResponseUrl({ channel: input.channel, user: actor.user.id }),
        triggerId: this.standin.mintTrigger(actor.user.id),
      }),
    );
  }

  /** An Events API delivery (JSON envelope) of an event of this type, e.g. `event('app_home_opened', {user, tab})`. */
  async event(
    type: string,
    payload: Record<string, unknown> = {},
    options: EventOptions = {},
  ): Promise<EventAnswer> {
    const event = { ...payload, type };
    const { workspace } = this.standin;
    const eventId = options.eventId ?? payloads.newEventId();
    const body = payloads.eventEnvelope(
      { team: this.team(), appId: workspace.bot.appId, botUserId: workspace.bot.userId, eventId },
      event,
    );
    return { ...(await this.deliver({ type: 'events_api', body, retry: options.retry })), eventId };
  }

  /**
   * Someone shares links: posted in a channel (`conversations_history`: the message is posted as the person,
   * then link_shared names its ts) or typed in the composer (`composer`: channel `COMPOSER`, no message yet).
   * Either way the event carries an unfurl_id the stand-in knows for chat.unfurl.
   */
  async linkShared(input: {
    links: string[];
    source?: 'composer' | 'conversations_history';
    channel?: string;
    user?: string;
    /** The links are in this message, already posted (the playground's composer); else a message is posted. */
    ts?: string;
  }): Promise<EventAnswer & { ts?: string; unfurlId: string }> {
    const channel = input.channel ?? this.options.channel ?? DEFAULT_ACTOR.channel;
    const user = input.user ?? this.options.user ?? DEFAULT_ACTOR.user;
    const source = input.source ?? 'conversations_history';
    const unfurlId = `${user}-${randomUUID()}`;
    const posted = input.ts
      ? { ts: input.ts }
      : source === 'conversations_history'
        ? this.standin.workspace.post(channel, {
            text: input.links.map((link) => `<${link}>`).join(' '),
            user,
          })
        : undefined;
    this.standin.workspace.shareLinks(unfurlId, { channel, ts: posted?.ts, urls: input.links });
    const answer = await this.event('link_shared', {
      channel: posted ? channel : 'COMPOSER',
      user,
      message_ts: posted?.ts ?? unfurlId,
      unfurl_id: unfurlId,
      source,
      is_bot_user_member: this.standin.workspace.conversation(channel)?.botIsMember ?? false,
      event_ts: this.standin.workspace.nextTs(),
      links: input.links.map((url) => ({ url, domain: new URL(url).hostname })),
    });
    return { ...answer, ...(posted ? { ts: posted.ts } : {}), unfurlId };
  }

  protected get standin(): SlackStandin {
    return this.options.standin;
  }

  private team() {
    const { team } = this.standin.workspace;
    return { ...team, id: this.options.team ?? team.id };
  }

  private actor(userId = this.options.user ?? DEFAULT_ACTOR.user): payloads.Actor {
    const user: User = this.standin.workspace.user(userId) ?? { id: userId, name: userId.toLowerCase() };
    return { team: this.team(), appId: this.standin.workspace.bot.appId, user };
  }

  private conversation(id: string): Channel {
    const channel = this.standin.workspace.conversation(id);
    if (!channel) throw new Error(`The stand-in has no conversation ${id}`);
    return channel;
  }

  /** The stand-in's current version of a view (a test may hold an older copy). */
  private current(view: StoredView): StoredView {
    return this.standin.view(view.id) ?? view;
  }

  private interactive(payload: Record<string, unknown>): Promise<BotAnswer> {
    return this.deliver({ type: 'interactive', payload });
  }
}

/** Sends what Slack sends over HTTP, signed with the signing secret and with Slack's exact content types. */
export class SlackDriver extends Driver<DriverOptions> {
  /** The same driver acting as someone else, elsewhere, or mis-signing its requests. */
  with(overrides: Partial<Pick<DriverOptions, 'user' | 'channel' | 'signing' | 'team'>>): SlackDriver {
    return new SlackDriver({ ...this.options, ...overrides });
  }

  protected deliver(delivery: Delivery): Promise<BotAnswer> {
    switch (delivery.type) {
      case 'slash_commands':
        return this.send(new URLSearchParams(delivery.fields).toString(), FORM);
      case 'interactive':
        return this.send(new URLSearchParams({ payload: JSON.stringify(delivery.payload) }).toString(), FORM);
      case 'events_api': {
        const { retry } = delivery;
        const headers: Record<string, string> = retry
          ? { 'x-slack-retry-num': String(retry.num), 'x-slack-retry-reason': retry.reason }
          : {};
        return this.send(JSON.stringify(delivery.body), 'application/json', headers);
      }
    }
  }

  /** Sends a raw body, signed (or deliberately mis-signed or stale, by `signing` or the driver's own setting). */
  async send(
    body: string,
    contentType: string,
    extraHeaders: Record<string, string> = {},
    signing: SigningFault = this.options.signing ?? {},
  ): Promise<BotAnswer> {
    const response = await fetch(this.options.botUrl, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
        ...signatureHeaders(this.options.signingSecret, body, signing),
        ...extraHeaders,
      },
      body,
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text,
      json: parseObject(text),
      headers: Object.fromEntries(response.headers.entries()),
    };
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
