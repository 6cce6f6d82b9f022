/** chat.*: posts (threads, broadcasts, metadata), updates with their history, deletes, ephemerals, permalinks. */
import type { Args } from '../args';
import type { Channel, MessageContent, SlackAnswer, StoredMessage } from '../model';
import { renderMessage } from '../render';
import { messageRefusal } from '../validation';
import { isAnswer, type MethodContext, refuse, refuseWith, visibleChannel, type WebMethod } from './context';

/**
 * Where the bot may write: a conversation it is in, or (for chat.postMessage with `chat:write.public`) any
 * public channel.
 */
function writableChannel(
  context: MethodContext,
  args: Args,
  options: { publicWithoutMembership: boolean },
): Channel | SlackAnswer {
  const channel = visibleChannel(context, args.str('channel'));
  if (isAnswer(channel)) return channel;
  if (channel.archived) return refuse('is_archived');
  const publicAllowed = options.publicWithoutMembership && context.scopes.has('chat:write.public');
  if (!channel.botIsMember && !publicAllowed) return refuse('not_in_channel');
  return channel;
}

/** The content arguments, each kept from `current` when the call leaves it out (chat.update). */
function readContent(args: Args, current: MessageContent = {}) {
  return {
    text: args.has('text') ? args.str('text') : current.text,
    blocks: args.has('blocks') ? args.json('blocks') : current.blocks,
    attachments: args.has('attachments') ? args.json('attachments') : current.attachments,
    metadata: args.has('metadata') ? args.json('metadata') : current.metadata,
  };
}

/** Reads and checks the content; the shapes are known once messageRefusal accepted them. */
function acceptedContent(args: Args, current?: MessageContent): MessageContent | SlackAnswer {
  const content = readContent(args, current);
  const refusal = messageRefusal(content, { requireContent: true });
  return refusal ? refuseWith(refusal) : (content as MessageContent);
}

/** The message named by `channel` and `ts`, if the app may change it (it posted it). */
function ownMessage(context: MethodContext, args: Args, notOwn: string): StoredMessage | SlackAnswer {
  const channel = visibleChannel(context, args.str('channel'));
  if (isAnswer(channel)) return channel;
  const message = context.workspace.message(channel.id, args.str('ts') ?? '');
  if (!message) return refuse('message_not_found');
  return context.workspace.postedByApp(message) ? message : refuse(notOwn);
}

export const chatMethods: Record<string, WebMethod> = {
  'chat.postMessage': {
    scope: () => 'chat:write',
    run(context, args) {
      const { workspace } = context;
      const channel = writableChannel(context, args, { publicWithoutMembership: true });
      if (isAnswer(channel)) return channel;
      const content = acceptedContent(args);
      if (isAnswer(content)) return content;
      const threadArg = args.str('thread_ts');
      const parent = threadArg ? workspace.message(channel.id, threadArg) : undefined;
      if (threadArg && !parent) return refuse('thread_not_found');
      // A reply's ts names its thread too; the reply goes to the thread's parent.
      const threadTs = parent && (parent.threadTs ?? parent.ts);
      const message = workspace.post(channel.id, {
        ...content,
        user: workspace.bot.userId,
        threadTs,
        replyBroadcast: !!threadTs && args.bool('reply_broadcast'),
        unfurlLinks: args.has('unfurl_links') ? args.bool('unfurl_links') : undefined,
        unfurlMedia: args.has('unfurl_media') ? args.bool('unfurl_media') : undefined,
      });
      return {
        ok: true,
        channel: channel.id,
        ts: message.ts,
        message: renderMessage(workspace, message, { metadata: true }),
      };
    },
  },

  'chat.update': {
    scope: () => 'chat:write',
    run(context, args) {
      const message = ownMessage(context, args, 'cant_update_message');
      if (isAnswer(message)) return message;
      const content = acceptedContent(args, message);
      if (isAnswer(content)) return content;
      context.workspace.edit(message, content);
      return {
        ok: true,
        channel: message.channel,
        ts: message.ts,
        text: message.text ?? '',
        message: renderMessage(context.workspace, message, { metadata: true }),
      };
    },
  },

  'chat.delete': {
    scope: () => 'chat:write',
    run(context, args) {
      const message = ownMessage(context, args, 'cant_delete_message');
      if (isAnswer(message)) return message;
      context.workspace.remove(message);
      return { ok: true, channel: message.channel, ts: message.ts };
    },
  },

  'chat.postEphemeral': {
    scope: () => 'chat:write',
    run(context, args) {
      const { workspace } = context;
      const channel = writableChannel(context, args, { publicWithoutMembership: false });
      if (isAnswer(channel)) return channel;
      const user = args.str('user') ?? '';
      if (!workspace.user(user) || (channel.kind === 'im' && channel.user !== user))
        return refuse('user_not_in_channel');
      const content = acceptedContent(args);
      if (isAnswer(content)) return content;
      const ephemeral = workspace.addEphemeral({
        ...content,
        channel: channel.id,
        user,
        threadTs: args.str('thread_ts'),
        via: 'chat.postEphemeral',
      });
      return { ok: true, message_ts: ephemeral.ts };
    },
  },

  'chat.getPermalink': {
    run({ workspace }, args) {
      const channel = workspace.conversation(args.str('channel'));
      if (!channel) return refuse('channel_not_found');
      const ts = args.str('message_ts') ?? '';
      if (!workspace.message(channel.id, ts)) return refuse('message_not_found');
      return { ok: true, channel: channel.id, permalink: workspace.permalink(channel.id, ts) };
    },
  },
};
