/**
 * The stand-in's model as the page shows it: messages, ephemerals, modals and the Home tab with their Block
 * Kit rendered to HTML, authors resolved, and the sidebar's conversations, as seen by one person.
 */
import type { Ephemeral, SlackStandin, StoredMessage, StoredView } from '../slack-standin';
import {
  mrkdwn,
  type RenderContext,
  type RenderedView,
  renderMessageContent,
  renderUnfurl,
  renderView,
} from './blockkit';

export interface PageAuthor {
  id: string;
  name: string;
  bot: boolean;
}

export interface PageMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  broadcast: boolean;
  author: PageAuthor;
  html: string;
  edited: boolean;
}

export interface PageEphemeral {
  channel: string;
  ts: string;
  threadTs?: string;
  author: PageAuthor;
  html: string;
}

export interface PageConversation {
  id: string;
  name: string;
  kind: 'public' | 'private' | 'im';
  botIsMember: boolean;
}

export interface PageView extends RenderedView {
  notifyOnClose: boolean;
}

/** Everything a page needs when it connects (or reconnects). */
export interface PageSnapshot {
  me: PageAuthor;
  bot: PageAuthor;
  conversations: PageConversation[];
  messages: PageMessage[];
  ephemerals: PageEphemeral[];
  modal: PageView | null;
  home: PageView | null;
}

/** Where the page serves a shared file (its own origin, so the page's CSP lets it show). */
export function filePath(id: string, name: string): string {
  return `/files/${encodeURIComponent(id)}/${encodeURIComponent(name)}`;
}

export class Presenter {
  readonly me: string;
  private readonly channelIds: string[];
  private readonly peopleIds: string[];

  constructor(
    private readonly standin: SlackStandin,
    options: {
      /** The person looking at the page. */
      me: string;
      /** The sidebar's channels, in order (the DM with the app is added). */
      channels: string[];
      /** Whom a users_select offers. */
      people: string[];
    },
  ) {
    this.me = options.me;
    this.channelIds = options.channels;
    this.peopleIds = options.people;
  }

  get bot(): PageAuthor {
    const { bot } = this.standin.workspace;
    return { id: bot.userId, name: bot.name, bot: true };
  }

  get person(): PageAuthor {
    return this.author(this.me);
  }

  conversations(): PageConversation[] {
    const { workspace } = this.standin;
    const channels = this.channelIds.map((id) => workspace.channel(id)).filter((c) => c !== undefined);
    return [...channels, workspace.imWith(this.me)].map((c) => ({
      id: c.id,
      name: c.kind === 'im' ? this.bot.name : c.name,
      kind: c.kind,
      botIsMember: c.botIsMember,
    }));
  }

  context(): RenderContext {
    const { workspace } = this.standin;
    return {
      userName: (id) => workspace.user(id)?.name,
      groupHandle: (id) => workspace.userGroup(id)?.handle,
      channelName: (id) => {
        const channel = workspace.channel(id);
        return channel?.kind === 'im' ? undefined : channel?.name;
      },
      conversations: this.conversations().map((c) => ({
        id: c.id,
        label:
          c.kind === 'im' ? `${c.name} (direct message)` : `${c.kind === 'private' ? '🔒 ' : '#'}${c.name}`,
      })),
      people: this.peopleIds
        .map((id) => workspace.user(id))
        .filter((user) => user !== undefined)
        .map((user) => ({ id: user.id, label: user.realName ?? user.name })),
      fileUrl: (id) => {
        const file = this.standin.file(id);
        return file ? filePath(file.id, file.name) : undefined;
      },
    };
  }

  message(message: StoredMessage): PageMessage {
    const app = this.standin.workspace.postedByApp(message);
    const cards = this.standin
      .unfurls()
      .filter((card) => card.channel === message.channel && card.ts === message.ts)
      .map((card) => renderUnfurl(card.url, card.blocks, this.context()))
      .join('');
    return {
      channel: message.channel,
      ts: message.ts,
      ...(message.threadTs ? { threadTs: message.threadTs } : {}),
      broadcast: message.replyBroadcast,
      author: app ? this.bot : this.author(message.user),
      html: renderMessageContent(message, this.context()) + cards,
      edited: message.versions.length > 1,
    };
  }

  ephemeral(ephemeral: Ephemeral): PageEphemeral {
    return {
      channel: ephemeral.channel,
      ts: ephemeral.ts,
      ...(ephemeral.threadTs ? { threadTs: ephemeral.threadTs } : {}),
      author: this.bot,
      html: renderMessageContent(ephemeral, this.context()),
    };
  }

  /** A note Slack itself shows (not the app): "… is not a valid command". */
  notice(text: string): { author: PageAuthor; html: string } {
    return {
      author: { id: 'USLACKBOT', name: 'Slackbot', bot: true },
      html: `<div class="bk-block bk-text">${mrkdwn(text, this.context())}</div>`,
    };
  }

  view(view: StoredView | undefined): PageView | null {
    if (!view) return null;
    return { ...renderView(view, this.context()), notifyOnClose: view.notify_on_close === true };
  }

  /** The modal on top of the person's stack. */
  modal(): PageView | null {
    return this.view(this.standin.views(this.me).at(-1));
  }

  home(): PageView | null {
    return this.view(this.standin.home(this.me));
  }

  snapshot(): PageSnapshot {
    const conversations = this.conversations();
    return {
      me: this.person,
      bot: this.bot,
      conversations,
      messages: conversations.flatMap((c) =>
        this.standin.workspace.allMessages(c.id).map((message) => this.message(message)),
      ),
      ephemerals: this.standin.ephemerals({ user: this.me }).map((e) => this.ephemeral(e)),
      modal: this.modal(),
      home: this.home(),
    };
  }

  private author(id: string): PageAuthor {
    const user = this.standin.workspace.user(id);
    return { id, name: user?.realName ?? user?.name ?? id, bot: user?.isBot ?? false };
  }
}
