/**
 * Acts as Slack toward the bot: real HTTP requests to /slack/events, signed with the signing secret and sent
 * with Slack's exact content types, each with a fresh response_url and trigger_id minted by the stand-in.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { SlackStandin } from './server';

export interface DriverIdentity {
  user: string;
  userName?: string;
  channel: string;
  channelName?: string;
}

export interface BotAnswer {
  status: number;
  body: string;
  json?: Record<string, unknown>;
}

export class SlackDriver {
  constructor(
    private readonly options: {
      standin: SlackStandin;
      /** The bot's events URL, e.g. http://127.0.0.1:3000/slack/events */
      botUrl: string;
      signingSecret: string;
      identity?: Partial<DriverIdentity>;
    },
  ) {}

  private get who(): DriverIdentity {
    return {
      user: 'U0ALICE',
      userName: 'alice',
      channel: 'C0GENERAL',
      channelName: 'general',
      ...this.options.identity,
    };
  }

  /** A slash command, as Slack sends it. */
  command(command: string, text: string, overrides: Partial<DriverIdentity> = {}): Promise<BotAnswer> {
    const who = { ...this.who, ...overrides };
    const { standin } = this.options;
    const form = new URLSearchParams({
      token: 'deprecated-verification-token',
      team_id: standin.workspace.team.id,
      team_domain: standin.workspace.team.domain,
      channel_id: who.channel,
      channel_name: who.channelName ?? 'general',
      user_id: who.user,
      user_name: who.userName ?? 'alice',
      command,
      text,
      api_app_id: 'A0DLFBOT',
      is_enterprise_install: 'false',
      response_url: standin.mintResponseUrl(who.channel, who.user),
      trigger_id: standin.mintTrigger(who.user),
    });
    return this.send(form.toString(), 'application/x-www-form-urlencoded');
  }

  /** A button press on a message the stand-in holds. */
  blockAction(input: {
    actionId: string;
    value?: string;
    channel: string;
    ts: string;
    user?: string;
  }): Promise<BotAnswer> {
    const { standin } = this.options;
    const user = input.user ?? this.who.user;
    const message = standin.message(input.channel, input.ts);
    const block = findActionBlock(message?.blocks, input.actionId);
    return this.interactive({
      type: 'block_actions',
      user: { id: user, username: 'alice', team_id: standin.workspace.team.id },
      api_app_id: 'A0DLFBOT',
      team: { id: standin.workspace.team.id, domain: standin.workspace.team.domain },
      container: { type: 'message', message_ts: input.ts, channel_id: input.channel, is_ephemeral: false },
      channel: { id: input.channel, name: 'channel' },
      message: message && {
        type: 'message',
        ts: message.ts,
        text: message.text,
        blocks: message.blocks,
        user: message.user,
      },
      trigger_id: standin.mintTrigger(user),
      response_url: standin.mintResponseUrl(input.channel, user, input.ts),
      actions: [
        {
          type: 'button',
          action_id: input.actionId,
          block_id: block?.block_id ?? 'b',
          value: input.value ?? block?.value,
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    });
  }

  /** A button press inside an open modal. */
  viewAction(input: {
    actionId: string;
    value?: string;
    view: Record<string, unknown>;
    user?: string;
  }): Promise<BotAnswer> {
    const { standin } = this.options;
    const user = input.user ?? this.who.user;
    return this.interactive({
      type: 'block_actions',
      user: { id: user, username: 'alice', team_id: standin.workspace.team.id },
      api_app_id: 'A0DLFBOT',
      team: { id: standin.workspace.team.id },
      container: { type: 'view', view_id: input.view.id },
      view: input.view,
      trigger_id: standin.mintTrigger(user),
      actions: [
        {
          type: 'button',
          action_id: input.actionId,
          block_id: 'b',
          value: input.value,
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    });
  }

  /** Submits a modal with the given input values: `{blockId: {actionId: {type, value | selected_conversation}}}`. */
  viewSubmission(input: {
    view: Record<string, unknown>;
    values: Record<string, Record<string, Record<string, unknown>>>;
    user?: string;
    responseUrlChannel?: string;
  }): Promise<BotAnswer> {
    const { standin } = this.options;
    const user = input.user ?? this.who.user;
    return this.interactive({
      type: 'view_submission',
      user: { id: user, username: 'alice', team_id: standin.workspace.team.id },
      api_app_id: 'A0DLFBOT',
      team: { id: standin.workspace.team.id },
      trigger_id: standin.mintTrigger(user),
      view: { ...input.view, state: { values: input.values } },
      response_urls: input.responseUrlChannel
        ? [
            {
              block_id: 'conversation',
              action_id: 'conversation',
              channel_id: input.responseUrlChannel,
              response_url: standin.mintResponseUrl(input.responseUrlChannel, user),
            },
          ]
        : [],
    });
  }

  globalShortcut(callbackId: string, user = this.who.user): Promise<BotAnswer> {
    const { standin } = this.options;
    return this.interactive({
      type: 'shortcut',
      callback_id: callbackId,
      user: { id: user, username: 'alice', team_id: standin.workspace.team.id },
      team: { id: standin.workspace.team.id },
      trigger_id: standin.mintTrigger(user),
      action_ts: `${Date.now() / 1000}`,
    });
  }

  /** A message shortcut on a message of the stand-in (or an arbitrary one, posted by a person). */
  messageShortcut(
    callbackId: string,
    input: { channel: string; ts: string; text?: string; user?: string },
  ): Promise<BotAnswer> {
    const { standin } = this.options;
    const user = input.user ?? this.who.user;
    const stored = standin.message(input.channel, input.ts);
    return this.interactive({
      type: 'message_action',
      callback_id: callbackId,
      user: { id: user, name: 'alice' },
      team: { id: standin.workspace.team.id, domain: standin.workspace.team.domain },
      channel: { id: input.channel, name: 'channel' },
      message_ts: input.ts,
      message: { type: 'message', ts: input.ts, text: input.text ?? stored?.text ?? '', user: 'U0BOB' },
      trigger_id: standin.mintTrigger(user),
      response_url: standin.mintResponseUrl(input.channel, user),
    });
  }

  /** An Events API envelope (JSON), with optional Slack retry headers. */
  event(event: Record<string, unknown>, retry?: { num: number; reason: string }): Promise<BotAnswer> {
    const body = JSON.stringify({
      token: 'deprecated-verification-token',
      team_id: this.options.standin.workspace.team.id,
      api_app_id: 'A0DLFBOT',
      event,
      type: 'event_callback',
      event_id: `Ev${randomBytes(6).toString('hex')}`,
      event_time: Math.floor(Date.now() / 1000),
    });
    const headers: Record<string, string> = retry
      ? { 'x-slack-retry-num': String(retry.num), 'x-slack-retry-reason': retry.reason }
      : {};
    return this.send(body, 'application/json', headers);
  }

  /** Sends a raw body, signed (or deliberately mis-signed / stale for negative tests). */
  async send(
    body: string,
    contentType: string,
    extraHeaders: Record<string, string> = {},
    signing: { badSignature?: boolean; ageSeconds?: number } = {},
  ): Promise<BotAnswer> {
    const timestamp = String(Math.floor(Date.now() / 1000) - (signing.ageSeconds ?? 0));
    const secret = signing.badSignature ? `${this.options.signingSecret}-wrong` : this.options.signingSecret;
    const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    const response = await fetch(this.options.botUrl, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': signature,
        ...extraHeaders,
      },
      body,
    });
    const text = await response.text();
    let json: Record<string, unknown> | undefined;
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, body: text, json };
  }

  private interactive(payload: Record<string, unknown>): Promise<BotAnswer> {
    return this.send(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );
  }
}

function findActionBlock(
  blocks: unknown[] | undefined,
  actionId: string,
): { block_id?: string; value?: string } | undefined {
  for (const block of (blocks ?? []) as {
    block_id?: string;
    elements?: { action_id?: string; value?: string }[];
  }[]) {
    const element = block.elements?.find((candidate) => candidate.action_id === actionId);
    if (element) return { block_id: block.block_id, value: element.value };
  }
  return undefined;
}
