/** conversations.*: a thread's replies (with metadata on request), a channel's history, members and facts. */
import type { Args } from '../args';
import type { Channel, SlackAnswer, StoredMessage } from '../model';
import { renderChannel, renderMessage } from '../render';
import {
  conversationScope,
  isAnswer,
  type MethodContext,
  refuse,
  visibleChannel,
  type WebMethod,
} from './context';

/** Reading a conversation needs the bot in it, public channels included. */
function readableChannel(context: MethodContext, args: Args): Channel | SlackAnswer {
  const channel = visibleChannel(context, args.str('channel'));
  if (isAnswer(channel)) return channel;
  return channel.botIsMember ? channel : refuse('not_in_channel');
}

/** One page of messages: `limit` (default given), and an opaque `cursor` naming where the next page starts. */
function page(
  context: MethodContext,
  args: Args,
  messages: StoredMessage[],
  defaultLimit: number,
): SlackAnswer {
  const start = Number(Buffer.from(args.str('cursor') ?? '', 'base64').toString('utf8') || '0');
  if (!Number.isInteger(start) || start < 0) return refuse('invalid_cursor');
  const limit = Math.min(Math.max(args.int('limit') ?? defaultLimit, 1), 1000);
  const shown = messages.slice(start, start + limit);
  const more = start + limit < messages.length;
  const metadata = args.bool('include_all_metadata');
  return {
    ok: true,
    messages: shown.map((message) => renderMessage(context.workspace, message, { metadata })),
    has_more: more,
    response_metadata: { next_cursor: more ? Buffer.from(String(start + limit)).toString('base64') : '' },
  };
}

/** `oldest`/`latest` bounds on ts, exclusive unless `inclusive`. */
function withinBounds(args: Args) {
  const oldest = Number(args.str('oldest') ?? '0');
  const latest = Number(args.str('latest') ?? 'Infinity');
  const inclusive = args.bool('inclusive');
  return (message: StoredMessage) => {
    const ts = Number(message.ts);
    return inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest;
  };
}

export const conversationMethods: Record<string, WebMethod> = {
  'conversations.replies': {
    scope: conversationScope('history'),
    run(context, args) {
      const { workspace } = context;
      const channel = readableChannel(context, args);
      if (isAnswer(channel)) return channel;
      const named = workspace.message(channel.id, args.str('ts') ?? '');
      if (!named) return refuse('thread_not_found');
      const parentTs = named.threadTs ?? named.ts;
      const parent = workspace.message(channel.id, parentTs);
      const thread = workspace.thread(channel.id, parentTs);
      return page(context, args, parent ? [parent, ...thread] : thread, 1000);
    },
  },

  'conversations.history': {
    scope: conversationScope('history'),
    run(context, args) {
      const channel = readableChannel(context, args);
      if (isAnswer(channel)) return channel;
      const newestFirst = context.workspace.channelMessages(channel.id).filter(withinBounds(args)).reverse();
      return page(context, args, newestFirst, 100);
    },
  },

  'conversations.members': {
    scope: conversationScope('read'),
    run(context, args) {
      const channel = visibleChannel(context, args.str('channel'));
      if (isAnswer(channel)) return channel;
      const members = context.workspace.members(channel);
      const start = Number(Buffer.from(args.str('cursor') ?? '', 'base64').toString('utf8') || '0');
      const limit = Math.min(Math.max(args.int('limit') ?? 100, 1), 1000);
      const more = start + limit < members.length;
      return {
        ok: true,
        members: members.slice(start, start + limit),
        response_metadata: { next_cursor: more ? Buffer.from(String(start + limit)).toString('base64') : '' },
      };
    },
  },

  // The conversations a person is in (`user`), of the `types` asked (public_channel by default). As with a bot
  // token, private ones only where the bot is a member too. Scope: channels:read (groups:read for private ones).
  'users.conversations': {
    scope: (_context, args) =>
      (args.str('types') ?? 'public_channel').includes('private_channel') ? 'groups:read' : 'channels:read',
    run(context, args) {
      const { workspace } = context;
      const user = args.str('user') ?? workspace.bot.userId;
      const types = new Set((args.str('types') ?? 'public_channel').split(','));
      const kinds = { public: 'public_channel', private: 'private_channel', im: 'im' } as const;
      const listed = workspace
        .conversations()
        .filter((channel) => types.has(kinds[channel.kind]))
        .filter((channel) => !(args.bool('exclude_archived') && channel.archived))
        .filter((channel) => channel.kind === 'public' || channel.botIsMember)
        .filter((channel) => workspace.members(channel).includes(user));
      const start = Number(Buffer.from(args.str('cursor') ?? '', 'base64').toString('utf8') || '0');
      if (!Number.isInteger(start) || start < 0) return refuse('invalid_cursor');
      const limit = Math.min(Math.max(args.int('limit') ?? 100, 1), 1000);
      const more = start + limit < listed.length;
      return {
        ok: true,
        channels: listed.slice(start, start + limit).map(renderChannel),
        response_metadata: { next_cursor: more ? Buffer.from(String(start + limit)).toString('base64') : '' },
      };
    },
  },

  'conversations.info': {
    scope: conversationScope('read'),
    run(context, args) {
      const channel = visibleChannel(context, args.str('channel'));
      return isAnswer(channel) ? channel : { ok: true, channel: renderChannel(channel) };
    },
  },
};
