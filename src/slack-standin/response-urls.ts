/** response_url: minted per interaction, bound to a conversation and person, applied like Slack, 5 uses in 30 min. */
import { randomBytes } from 'node:crypto';
import type { Feed } from './feed';
import type { MessageContent } from './model';
import { messageRefusal } from './validation';
import type { Workspace } from './workspace';

export const RESPONSE_URL_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60_000;

export interface ResponseUrlBinding {
  channel: string;
  user: string;
  /** The message (or ephemeral) a button was pressed on: replace_original (and delete_original) act on it. */
  messageTs?: string;
}

export interface ResponseUrlAnswer {
  status: number;
  body: Record<string, unknown>;
  /** What happened, for the feed: posted | ephemeral | replaced | deleted, or the refusal. */
  outcome: string;
}

interface Issued extends ResponseUrlBinding {
  uses: number;
  createdAt: number;
}

function refused(status: number, error: string): ResponseUrlAnswer {
  return { status, body: { ok: false, error }, outcome: error };
}

/**
 * Answers are applied like Slack: in_channel posts as the app even where the bot is not a member, ephemeral
 * shows to the person only, replace_original / delete_original act on the bound message. At most 5 uses within
 * 30 minutes, then 404 (used_url / expired_url).
 */
export class ResponseUrls {
  private readonly issued = new Map<string, Issued>();

  constructor(
    private readonly workspace: Workspace,
    private readonly clock: () => number,
    private readonly feed: Feed,
  ) {}

  /** The id for `<url>/response/<id>`. */
  mint(binding: ResponseUrlBinding): string {
    const id = randomBytes(12).toString('hex');
    this.issued.set(id, { ...binding, uses: 0, createdAt: this.clock() });
    return id;
  }

  binding(id: string): ResponseUrlBinding | undefined {
    return this.issued.get(id);
  }

  /** Applies one POST of `payload` (already parsed JSON) and says what Slack would answer. */
  use(id: string, payload: Record<string, unknown>): ResponseUrlAnswer {
    const issued = this.issued.get(id);
    if (!issued) return refused(404, 'no_such_url');
    const answer = this.refusal(issued) ?? this.apply(issued, payload);
    if (answer.status === 200) issued.uses += 1;
    this.feed.emit({
      type: 'response_url',
      channel: issued.channel,
      user: issued.user,
      payload,
      status: answer.status,
      outcome: answer.outcome,
    });
    return answer;
  }

  private refusal(issued: Issued): ResponseUrlAnswer | undefined {
    if (this.clock() - issued.createdAt > RESPONSE_URL_TTL_MS) return refused(404, 'expired_url');
    if (issued.uses >= RESPONSE_URL_USES) return refused(404, 'used_url');
    return undefined;
  }

  private apply(issued: Issued, payload: Record<string, unknown>): ResponseUrlAnswer {
    const { workspace } = this;
    const bound = issued.messageTs ? workspace.message(issued.channel, issued.messageTs) : undefined;
    const original = bound && workspace.postedByApp(bound) ? bound : undefined;
    if (payload.delete_original === true) {
      if (!original) return refused(404, 'message_not_found');
      workspace.remove(original);
      return { status: 200, body: { ok: true }, outcome: 'deleted' };
    }
    const content = {
      text: typeof payload.text === 'string' ? payload.text : undefined,
      blocks: payload.blocks,
      attachments: payload.attachments,
    };
    const refusal = messageRefusal(content, { requireContent: true });
    if (refusal) return refused(400, refusal.error);
    const accepted = content as MessageContent;
    if (payload.replace_original === true && original) {
      workspace.edit(original, { ...accepted, metadata: original.metadata });
      return { status: 200, body: { ok: true }, outcome: 'replaced' };
    }
    // A press inside an ephemeral message: replace_original redraws that ephemeral for its person.
    const shownOnly = issued.messageTs
      ? workspace
          .ephemerals({ channel: issued.channel, user: issued.user })
          .find((e) => e.ts === issued.messageTs)
      : undefined;
    if (payload.replace_original === true && shownOnly) {
      workspace.replaceEphemeral(shownOnly, accepted);
      return { status: 200, body: { ok: true }, outcome: 'replaced' };
    }
    if (payload.response_type === 'in_channel') {
      const parent =
        typeof payload.thread_ts === 'string'
          ? workspace.message(issued.channel, payload.thread_ts)
          : undefined;
      workspace.post(issued.channel, {
        ...accepted,
        user: 'response_url',
        threadTs: parent && (parent.threadTs ?? parent.ts),
      });
      return { status: 200, body: { ok: true }, outcome: 'posted' };
    }
    workspace.addEphemeral({
      ...accepted,
      channel: issued.channel,
      user: issued.user,
      threadTs: typeof payload.thread_ts === 'string' ? payload.thread_ts : undefined,
      via: 'response_url',
    });
    return { status: 200, body: { ok: true }, outcome: 'ephemeral' };
  }
}
