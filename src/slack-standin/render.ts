/** The JSON Slack shows for the model's objects: in Web API answers and inside the payloads it sends to apps. */
import type { Channel, StoredFile, StoredMessage, User } from './model';
import type { Workspace } from './workspace';

function author(workspace: Workspace, message: StoredMessage): string {
  return workspace.postedByApp(message) ? workspace.bot.userId : message.user;
}

function slackTs(ms: number): string {
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, '0')}`;
}

export function renderMessage(
  workspace: Workspace,
  message: StoredMessage,
  options: { metadata?: boolean } = {},
): Record<string, unknown> {
  const app = workspace.postedByApp(message);
  const replies = message.threadTs ? [] : workspace.thread(message.channel, message.ts);
  const parent = message.threadTs ? workspace.message(message.channel, message.threadTs) : undefined;
  const edited = message.versions.length > 1 ? message.versions.at(-1) : undefined;
  return {
    type: 'message',
    ...(message.replyBroadcast ? { subtype: 'thread_broadcast' } : {}),
    ts: message.ts,
    user: author(workspace, message),
    ...(app ? { bot_id: workspace.bot.botId, app_id: workspace.bot.appId } : {}),
    team: workspace.team.id,
    text: message.text ?? '',
    ...(message.blocks ? { blocks: message.blocks } : {}),
    ...(message.attachments ? { attachments: message.attachments } : {}),
    ...(message.files ? { files: message.files.map(renderFile), upload: true, display_as_bot: false } : {}),
    ...(edited ? { edited: { user: workspace.bot.userId, ts: slackTs(edited.at) } } : {}),
    ...(message.threadTs
      ? { thread_ts: message.threadTs, parent_user_id: parent && author(workspace, parent) }
      : {}),
    ...(replies.length > 0
      ? {
          thread_ts: message.ts,
          reply_count: replies.length,
          reply_users: [...new Set(replies.map((reply) => author(workspace, reply)))],
          latest_reply: replies.at(-1)?.ts,
        }
      : {}),
    ...(options.metadata && message.metadata ? { metadata: message.metadata } : {}),
  };
}

/** A file object as Slack shows it in messages and in files.* answers. */
export function renderFile(file: StoredFile): Record<string, unknown> {
  return {
    id: file.id,
    created: file.created,
    timestamp: file.created,
    name: file.name,
    title: file.title,
    mimetype: file.mimetype,
    filetype: file.filetype,
    pretty_type: file.filetype.toUpperCase(),
    user: file.user,
    editable: false,
    size: file.size,
    mode: 'hosted',
    is_external: false,
    external_type: '',
    is_public: false,
    public_url_shared: false,
    display_as_bot: false,
    url_private: file.urlPrivate,
    url_private_download: `${file.urlPrivate}?download=1`,
    permalink: file.permalink,
    ...(file.altText ? { alt_txt: file.altText } : {}),
    ...(file.imageSize ? { original_w: file.imageSize.width, original_h: file.imageSize.height } : {}),
  };
}

export function renderChannel(channel: Channel): Record<string, unknown> {
  return {
    id: channel.id,
    name: channel.name,
    is_channel: channel.kind === 'public',
    is_group: channel.kind === 'private',
    is_im: channel.kind === 'im',
    is_private: channel.kind !== 'public',
    is_archived: channel.archived ?? false,
    is_member: channel.botIsMember,
    ...(channel.user ? { user: channel.user } : {}),
  };
}

export function renderUser(workspace: Workspace, user: User): Record<string, unknown> {
  return {
    id: user.id,
    team_id: workspace.team.id,
    name: user.name,
    real_name: user.realName ?? user.name,
    tz: user.tz ?? 'Europe/Berlin',
    is_bot: user.isBot ?? false,
    profile: { display_name: user.name, real_name: user.realName ?? user.name },
  };
}
