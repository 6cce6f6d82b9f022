/** The bodies Slack sends an app, built from the model: slash command forms, interaction payloads, event envelopes. */
import { randomBytes } from 'node:crypto';
import type { Channel, StoredView, Team, User } from './model';
import { isRecord } from './validation';

/** The deprecated verification token Slack still sends in every body. */
const VERIFICATION_TOKEN = 'standin-verification-token';

/** Who acts, and where. */
export interface Actor {
  team: Team;
  appId: string;
  user: User;
}

function actionTs(): string {
  return (Date.now() / 1000).toFixed(6);
}

function userField(actor: Actor): Record<string, unknown> {
  return {
    id: actor.user.id,
    username: actor.user.name,
    name: actor.user.name,
    team_id: actor.user.teamId ?? actor.team.id,
  };
}

function common(actor: Actor, type: string): Record<string, unknown> {
  return {
    type,
    token: VERIFICATION_TOKEN,
    team: { id: actor.team.id, domain: actor.team.domain },
    user: userField(actor),
    api_app_id: actor.appId,
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** Slack names private channels and DMs generically in slash commands. */
function channelName(channel: Channel): string {
  if (channel.kind === 'im') return 'directmessage';
  return channel.kind === 'private' ? 'privategroup' : channel.name;
}

/** A slash command's fields: form-encoded over HTTP, a JSON object as a Socket Mode payload. */
export function commandFields(
  actor: Actor,
  input: { channel: Channel; command: string; text: string; responseUrl: string; triggerId: string },
): Record<string, string> {
  return {
    token: VERIFICATION_TOKEN,
    team_id: actor.team.id,
    team_domain: actor.team.domain,
    channel_id: input.channel.id,
    channel_name: channelName(input.channel),
    user_id: actor.user.id,
    user_name: actor.user.name,
    command: input.command,
    text: input.text,
    api_app_id: actor.appId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  };
}

/** An interactive element of the blocks (in actions, a section accessory or an input), with its block_id. */
export function findElement(
  blocks: unknown,
  actionId: string,
  blockId?: string,
): { blockId: string; element: Record<string, unknown> } | undefined {
  for (const block of Array.isArray(blocks) ? blocks : []) {
    if (!isRecord(block) || (blockId && block.block_id !== blockId)) continue;
    const elements = [
      ...(Array.isArray(block.elements) ? block.elements : []),
      block.accessory,
      block.element,
    ];
    const element = elements.find((candidate) => isRecord(candidate) && candidate.action_id === actionId);
    if (isRecord(element)) return { blockId: String(block.block_id ?? ''), element };
  }
  return undefined;
}

/** The `actions[0]` of a block_actions payload: the element as rendered, its value, and any overrides. */
export function actionFor(
  found: { blockId: string; element: Record<string, unknown> },
  input: { value?: string; action?: Record<string, unknown> },
): Record<string, unknown> {
  const { element } = found;
  const value = input.value ?? element.value;
  return {
    type: element.type,
    action_id: element.action_id,
    block_id: found.blockId,
    ...(element.text ? { text: element.text } : {}),
    ...(value !== undefined ? { value } : {}),
    action_ts: actionTs(),
    ...input.action,
  };
}

/** A press on a message's element: where it was, and what was pressed (the message itself is the caller's). */
function messagePress(
  actor: Actor,
  input: {
    channel: Channel;
    ts: unknown;
    ephemeral: boolean;
    action: Record<string, unknown>;
    responseUrl: string;
    triggerId: string;
  },
): Record<string, unknown> {
  return {
    ...common(actor, 'block_actions'),
    container: {
      type: 'message',
      message_ts: input.ts,
      channel_id: input.channel.id,
      is_ephemeral: input.ephemeral,
    },
    channel: { id: input.channel.id, name: input.channel.name },
    state: { values: {} },
    trigger_id: input.triggerId,
    response_url: input.responseUrl,
    actions: [input.action],
  };
}

export function messageBlockActions(
  actor: Actor,
  input: {
    channel: Channel;
    message: Record<string, unknown>;
    action: Record<string, unknown>;
    responseUrl: string;
    triggerId: string;
  },
): Record<string, unknown> {
  return {
    ...messagePress(actor, { ...input, ts: input.message.ts, ephemeral: false }),
    message: input.message,
  };
}

/**
 * A press on a card the app unfurled into someone's message: the container is the card (an attachment of that
 * message) with the link it unfurled, the message is the host message, and `app_unfurl` is the card.
 */
export function unfurlBlockActions(
  actor: Actor,
  input: {
    channel: Channel;
    message: Record<string, unknown>;
    url: string;
    blocks: unknown[];
    action: Record<string, unknown>;
    responseUrl: string;
    triggerId: string;
  },
): Record<string, unknown> {
  return {
    ...messagePress(actor, { ...input, ts: input.message.ts, ephemeral: false }),
    container: {
      type: 'message_attachment',
      message_ts: input.message.ts,
      attachment_id: 1,
      channel_id: input.channel.id,
      is_ephemeral: false,
      is_app_unfurl: true,
      app_unfurl_url: input.url,
    },
    message: input.message,
    app_unfurl: { id: 1, app_unfurl_url: input.url, is_app_unfurl: true, blocks: input.blocks },
  };
}

/** A press inside an ephemeral message: Slack sends its container, never the message itself. */
export function ephemeralBlockActions(
  actor: Actor,
  input: {
    channel: Channel;
    ts: string;
    action: Record<string, unknown>;
    responseUrl: string;
    triggerId: string;
  },
): Record<string, unknown> {
  return messagePress(actor, { ...input, ephemeral: true });
}

export function viewBlockActions(
  actor: Actor,
  input: {
    view: StoredView;
    values: StoredView['state']['values'];
    action: Record<string, unknown>;
    triggerId: string;
  },
): Record<string, unknown> {
  return {
    ...common(actor, 'block_actions'),
    container: { type: 'view', view_id: input.view.id },
    view: { ...input.view, state: { values: input.values } },
    trigger_id: input.triggerId,
    actions: [input.action],
  };
}

/**
 * Inputs whose conversations_select/channels_select has response_url_enabled get a response URL for the
 * chosen conversation, as Slack does on submission.
 */
export function responseUrlTargets(
  view: StoredView,
  values: StoredView['state']['values'],
): { block_id: string; action_id: string; channel_id: string }[] {
  return view.blocks.flatMap((block) => {
    if (!isRecord(block) || !isRecord(block.element) || block.element.response_url_enabled !== true)
      return [];
    const blockId = String(block.block_id ?? '');
    const actionId = String(block.element.action_id ?? '');
    const chosen = values[blockId]?.[actionId];
    const channel = isRecord(chosen) ? (chosen.selected_conversation ?? chosen.selected_channel) : undefined;
    return typeof channel === 'string'
      ? [{ block_id: blockId, action_id: actionId, channel_id: channel }]
      : [];
  });
}

export function viewSubmission(
  actor: Actor,
  input: {
    view: StoredView;
    values: StoredView['state']['values'];
    triggerId: string;
    responseUrls: Record<string, unknown>[];
  },
): Record<string, unknown> {
  return {
    ...common(actor, 'view_submission'),
    view: { ...input.view, state: { values: input.values } },
    trigger_id: input.triggerId,
    response_urls: input.responseUrls,
  };
}

export function viewClosed(
  actor: Actor,
  input: { view: StoredView; isCleared: boolean },
): Record<string, unknown> {
  return { ...common(actor, 'view_closed'), view: input.view, is_cleared: input.isCleared };
}

export function globalShortcut(
  actor: Actor,
  input: { callbackId: string; triggerId: string },
): Record<string, unknown> {
  return {
    ...common(actor, 'shortcut'),
    callback_id: input.callbackId,
    trigger_id: input.triggerId,
    action_ts: actionTs(),
  };
}

export function messageShortcut(
  actor: Actor,
  input: {
    callbackId: string;
    channel: Channel;
    message: Record<string, unknown>;
    responseUrl: string;
    triggerId: string;
  },
): Record<string, unknown> {
  return {
    ...common(actor, 'message_action'),
    callback_id: input.callbackId,
    channel: { id: input.channel.id, name: input.channel.name },
    message_ts: input.message.ts,
    message: input.message,
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
    action_ts: actionTs(),
  };
}

export function newEventId(): string {
  return `Ev${randomBytes(5).toString('hex').toUpperCase()}`;
}

export function eventEnvelope(
  input: { team: Team; appId: string; botUserId: string; eventId: string },
  event: Record<string, unknown>,
): Record<string, unknown> {
  const now = Date.now() / 1000;
  return {
    token: VERIFICATION_TOKEN,
    team_id: input.team.id,
    api_app_id: input.appId,
    event: { event_ts: now.toFixed(6), ...event },
    type: 'event_callback',
    event_id: input.eventId,
    event_time: Math.floor(now),
    authorizations: [
      {
        enterprise_id: null,
        team_id: input.team.id,
        user_id: input.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}
