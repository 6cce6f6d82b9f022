/** What a Web API method handler gets and gives: the model it works on, its arguments, a Slack answer. */
import type { Args } from '../args';
import type { FileStore } from '../files';
import type { Channel, SlackAnswer } from '../model';
import type { Triggers } from '../triggers';
import type { Refusal } from '../validation';
import type { ViewStore } from '../views';
import type { Workspace } from '../workspace';

export interface MethodContext {
  workspace: Workspace;
  views: ViewStore;
  triggers: Triggers;
  files: FileStore;
  scopes: ReadonlySet<string>;
}

export interface WebMethod {
  /** The scope Slack requires for this call (it may depend on the conversation), if any. */
  scope?(context: MethodContext, args: Args): string | undefined;
  run(context: MethodContext, args: Args): SlackAnswer;
}

export function refuse(error: string, extra: Record<string, unknown> = {}): SlackAnswer {
  return { ok: false, error, ...extra };
}

export function refuseWith(refusal: Refusal): SlackAnswer {
  return refuse(
    refusal.error,
    refusal.messages.length > 0 ? { response_metadata: { messages: refusal.messages } } : {},
  );
}

/**
 * A conversation the bot can see: private channels it is not in are invisible to it (channel_not_found, as
 * Slack answers), public ones are visible but writing or reading needs membership.
 */
export function visibleChannel(context: MethodContext, id: string | undefined): Channel | SlackAnswer {
  const channel = context.workspace.conversation(id);
  if (!channel || (channel.kind !== 'public' && !channel.botIsMember)) return refuse('channel_not_found');
  return channel;
}

/** Tells a refusal from the thing a helper found (a channel, a message, checked content). */
export function isAnswer<T extends object>(value: T | SlackAnswer): value is SlackAnswer {
  return 'ok' in value;
}

const PER_KIND = { public: 'channels', private: 'groups', im: 'im' } as const;

/** `channels:history`, `groups:read`, … for the conversation named by the `channel` argument. */
export function conversationScope(action: 'history' | 'read') {
  return (context: MethodContext, args: Args): string | undefined => {
    const channel = context.workspace.conversation(args.str('channel'));
    return channel ? `${PER_KIND[channel.kind]}:${action}` : undefined;
  };
}
