/** chat.*: posts (threads, broadcasts, metadata), updates with their history, deletes, ephemerals, permalinks. */
import type { Args } from '../args';
import type { Channel, MessageContent, SlackAnswer, StoredMessage } from '../model';
import { renderMessage } from '../render';
import { isRecord, messageRefusal } from '../validation';
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

/**
 * chat.unfurl, as Slack documents it: `channel` and `ts` of a posted message holding the links, or `unfurl_id`
 * and `source` from the link_shared event; `unfurls` maps each URL of the message to its card's blocks. A URL the
 * message does not hold is `cannot_unfurl_url`; the same target and URL again replaces the card.
 */
function unfurl(context: MethodContext, args: Args): SlackAnswer {
  const { workspace } = context;
  const unfurls = args.has('unfurls') ? args.json('unfurls') : undefined;
  if (unfurls === undefined) return refuse('missing_unfurls');
  if (!isRecord(unfurls) || Object.keys(unfurls).length === 0) return refuse('invalid_unfurls_format');
  const unfurlId = args.str('unfurl_id');
  const source = args.str('source');
  let target: { channel?: string; ts?: string; unfurlId?: string; source?: string; urls: string[] };
  if (unfurlId || source) {
    if (!unfurlId || !source) return refuse('invalid_arguments');
    if (source !== 'composer' && source !== 'conversations_history') return refuse('invalid_source');
    const shared = workspace.shared(unfurlId);
    if (!shared) return refuse('cannot_find_message');
    // A link of a posted message is that message's, by either way of naming it.
    target = {
      unfurlId,
      source,
      urls: shared.urls,
      ...(shared.ts ? { channel: shared.channel, ts: shared.ts } : {}),
    };
  } else {
    const channel = args.str('channel');
    const ts = args.str('ts');
    if (!channel) return refuse('missing_channel');
    if (!ts) return refuse('missing_ts');
    if (!workspace.conversation(channel)) return refuse('cannot_find_channel');
    const message = workspace.message(channel, ts);
    if (!message) return refuse('cannot_find_message');
    target = {
      channel,
      ts,
      // Slack keeps a message's text escaped (`&amp;`); the links it names are the unescaped ones.
      urls: [...(message.text ?? '').matchAll(/https?:\/\/[^\s<>|]+/g)].map((m) =>
        m[0].replaceAll('&amp;', '&'),
      ),
    };
  }
  for (const [url, card] of Object.entries(unfurls)) {
    if (!target.urls.includes(url)) return refuse('cannot_unfurl_url');
    const blocks = isRecord(card) ? card.blocks : undefined;
    const refusal = messageRefusal({ blocks }, { requireContent: false });
    if (!Array.isArray(blocks) || refusal)
      return refusal ? refuseWith(refusal) : refuse('invalid_unfurls_format');
  }
  for (const [url, card] of Object.entries(unfurls))
    workspace.unfurl({
      target: target.ts ? `${target.channel}/${target.ts}` : `${target.source}/${target.unfurlId}`,
      ...(target.channel ? { channel: target.channel, ts: target.ts } : {}),
      ...(target.unfurlId ? { unfurlId: target.unfurlId, source: target.source } : {}),
      url,
      blocks: (card as { blocks: unknown[] }).blocks,
    });
  return { ok: true };
}

export const chatMethods: Record<string, WebMethod> = {
  'chat.unfurl': { scope: () => 'links:write', run: unfurl },
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
