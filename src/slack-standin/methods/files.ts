/**
 * files.getUploadURLExternal and files.completeUploadExternal: the two Web API halves of filesUploadV2 (the
 * bytes go to the minted upload URL in between, see server.ts). Sharing into a channel posts a message that
 * carries the files, in the thread when `thread_ts` names one.
 */
import type { Args } from '../args';
import type { StoredFile } from '../model';
import { renderFile } from '../render';
import { isAnswer, refuse, visibleChannel, type WebMethod } from './context';

/** Slack's answer to a missing argument: `invalid_arguments` with a line saying which. */
function missing(field: string) {
  return refuse('invalid_arguments', {
    response_metadata: { messages: [`[ERROR] missing required field: ${field}`] },
  });
}

function fileList(args: Args): { id: string; title?: string }[] | undefined {
  const value = args.json('files');
  const list = typeof value === 'string' ? parse(value) : value;
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const files = list.map((entry) =>
    entry && typeof entry === 'object' && typeof (entry as { id?: unknown }).id === 'string'
      ? { id: (entry as { id: string }).id, title: stringOr((entry as { title?: unknown }).title) }
      : undefined,
  );
  return files.every((file) => file !== undefined) ? (files as { id: string; title?: string }[]) : undefined;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export const fileMethods: Record<string, WebMethod> = {
  'files.getUploadURLExternal': {
    scope: () => 'files:write',
    run({ files }, args) {
      const filename = args.str('filename');
      if (!filename) return missing('filename');
      const length = args.int('length');
      if (length === undefined) return missing('length');
      if (length <= 0) return refuse('missing_argument');
      // Slack documents alt_txt; web-api 8 sends alt_text.
      const altText = args.str('alt_txt') ?? args.str('alt_text');
      if (altText && altText.length > 1000) return refuse('alt_txt_too_large');
      const { id, token } = files.mint(filename, length, altText);
      return { ok: true, upload_url: files.uploadUrl(token), file_id: id };
    },
  },

  'files.completeUploadExternal': {
    scope: () => 'files:write',
    run(context, args) {
      const { workspace, files } = context;
      const list = fileList(args);
      if (!list) return missing('files');
      const channelId = args.str('channel_id') ?? args.str('channels');
      const channel = channelId ? visibleChannel(context, channelId) : undefined;
      if (channel && isAnswer(channel)) return channel;
      if (channel && !channel.botIsMember) return refuse('not_in_channel');
      if (channel?.archived) return refuse('is_archived');
      const threadArg = args.str('thread_ts');
      const parent = channel && threadArg ? workspace.message(channel.id, threadArg) : undefined;
      if (channel && threadArg && !parent) return refuse('thread_not_found');
      if (!list.every((entry) => files.ready(entry.id))) return refuse('file_not_found');
      const shared = list.map((entry) => files.complete(entry.id, entry.title) as StoredFile);
      if (channel) {
        // Slack ignores blocks when there is an initial comment.
        const comment = args.str('initial_comment');
        const blocks =
          comment === undefined && Array.isArray(args.json('blocks'))
            ? (args.json('blocks') as unknown[])
            : undefined;
        workspace.post(channel.id, {
          text: comment ?? '',
          ...(blocks ? { blocks } : {}),
          user: workspace.bot.userId,
          threadTs: parent && (parent.threadTs ?? parent.ts),
          files: shared,
        });
      }
      return { ok: true, files: shared.map(renderFile) };
    },
  },
};
