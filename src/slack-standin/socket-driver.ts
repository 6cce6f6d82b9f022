/**
 * Plays Slack toward a bot in Socket Mode: the same commands, interactions and events as SlackDriver, sent as
 * envelopes on the bot's WebSocket. The ack's payload is the answer's body, as an HTTP response body would be.
 */
import { type ActorOptions, type BotAnswer, type Delivery, Driver } from './driver';

/** Over Socket Mode there is no status: 200 stands for "acknowledged", 408 for "no ack within the timeout". */
export const NOT_ACKED = 408;

export class SocketModeDriver extends Driver {
  /** The same driver acting as someone else, or elsewhere. */
  with(overrides: Partial<Pick<ActorOptions, 'user' | 'channel'>>): SocketModeDriver {
    return new SocketModeDriver({ ...this.options, ...overrides });
  }

  protected async deliver(delivery: Delivery): Promise<BotAnswer> {
    const { socketMode } = this.standin;
    const outcome =
      delivery.type === 'events_api'
        ? await socketMode.deliver({ type: delivery.type, payload: delivery.body, retry: delivery.retry })
        : await socketMode.deliver({
            type: delivery.type,
            payload: delivery.type === 'slash_commands' ? delivery.fields : delivery.payload,
          });
    if (!outcome.acked) return { status: NOT_ACKED, body: '', headers: {} };
    const { payload } = outcome.ack;
    // Bolt acks with an empty payload where an HTTP app answers with an empty body.
    const empty = !payload || Object.keys(payload).length === 0;
    return {
      status: 200,
      body: empty ? '' : JSON.stringify(payload),
      ...(empty ? {} : { json: payload }),
      headers: {},
    };
  }
}
