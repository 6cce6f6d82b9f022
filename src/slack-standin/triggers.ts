/** trigger_id: minted for each interaction, redeemable once by views.open/push within a few seconds. */
import { randomBytes } from 'node:crypto';

export type TriggerError = 'invalid_trigger_id' | 'expired_trigger_id' | 'exchanged_trigger_id';

export class Triggers {
  private readonly issued = new Map<string, { user: string; at: number; used: boolean }>();
  private counter = 0;

  constructor(
    private readonly clock: () => number,
    private readonly ttlMs: number,
  ) {}

  /** Shaped like Slack's ("13345224609.738474920.8088930838d88f008e0"), bound to the person who acted. */
  mint(user: string): string {
    this.counter += 1;
    const id = `${Math.floor(this.clock() / 1000)}.${this.counter}.${randomBytes(10).toString('hex')}`;
    this.issued.set(id, { user, at: this.clock(), used: false });
    return id;
  }

  /** The person the trigger belongs to, or why it cannot open a view. */
  redeem(id: string | undefined): { user: string } | { error: TriggerError } {
    const trigger = id ? this.issued.get(id) : undefined;
    if (!trigger) return { error: 'invalid_trigger_id' };
    if (this.clock() - trigger.at > this.ttlMs) return { error: 'expired_trigger_id' };
    if (trigger.used) return { error: 'exchanged_trigger_id' };
    trigger.used = true;
    return { user: trigger.user };
  }
}
