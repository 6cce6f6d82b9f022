/** The stand-in's event feed: every change to its model and every call, numbered, for tests and a live page. */
import type { Ephemeral, MessageSnapshot, RecordedCall, StoredView } from './model';

export type ViewEventType = 'view_opened' | 'view_pushed' | 'view_updated' | 'view_closed' | 'home_published';

export type StandinEventBody =
  | { type: 'call'; call: RecordedCall }
  | { type: 'message'; message: MessageSnapshot }
  | { type: 'message_changed'; message: MessageSnapshot; previous: MessageSnapshot }
  | { type: 'message_deleted'; channel: string; ts: string }
  | { type: 'ephemeral'; ephemeral: Ephemeral }
  /** chat.unfurl attached (or replaced) the card of a link: of a posted message, or in someone's composer. */
  | { type: 'unfurl'; channel?: string; ts?: string; url: string }
  | { type: ViewEventType; user: string; view: StoredView }
  | {
      type: 'response_url';
      channel: string;
      user: string;
      payload: Record<string, unknown>;
      status: number;
      /** posted | ephemeral | replaced | deleted, or why it was refused. */
      outcome: string;
    };

export type StandinEvent = StandinEventBody & { seq: number; at: number };

/** Called synchronously for each event; it must not throw (it runs inside the stand-in's request handling). */
export type StandinListener = (event: StandinEvent) => void;

export class Feed {
  private readonly listeners = new Set<StandinListener>();
  private readonly history: StandinEvent[] = [];
  private seq = 0;

  constructor(
    private readonly clock: () => number,
    /** Events kept for late readers (a page opened after the fact); older ones are forgotten. */
    private readonly limit: number,
  ) {}

  emit(body: StandinEventBody): void {
    this.seq += 1;
    const event: StandinEvent = { ...body, seq: this.seq, at: this.clock() };
    this.history.push(event);
    if (this.history.length > this.limit) this.history.shift();
    for (const listener of this.listeners) listener(event);
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: StandinListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** The kept events with a sequence number above `afterSeq`, oldest first. */
  since(afterSeq = 0): StandinEvent[] {
    return this.history.filter((event) => event.seq > afterSeq);
  }
}
