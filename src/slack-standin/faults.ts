/** Scripted faults: per method (or '*'), optionally per channel, for the next N calls or until cleared. */
import type { StandinFault } from './model';

export interface FaultRule extends StandinFault {
  /** Only calls about this conversation (the `channel` argument, or a response URL's channel). */
  channel?: string;
  /** Only the next N matching calls; unlimited when absent. */
  times?: number;
  /**
   * Only calls over this rate get the fault, counted per channel over the last second (Slack's
   * chat.postMessage allows about one message a second per channel): calls within it pass untouched.
   */
  overRate?: { perSecond: number };
}

interface ActiveRule {
  method: string;
  channel?: string;
  fault: StandinFault;
  remaining: number;
  perSecond?: number;
  /** With `perSecond`: when the calls let through happened, per channel ('' for none). */
  passed: Map<string, number[]>;
}

export class FaultScript {
  private rules: ActiveRule[] = [];

  constructor(private readonly clock: () => number = Date.now) {}

  add(method: string, rule: FaultRule): void {
    const { channel, times, overRate, ...fault } = rule;
    this.rules.push({
      method,
      channel,
      fault,
      remaining: times ?? Number.POSITIVE_INFINITY,
      perSecond: overRate?.perSecond,
      passed: new Map(),
    });
  }

  clear(): void {
    this.rules = [];
  }

  /** The first rule matching this call, in the order they were added, counting one use of it. */
  take(method: string, channel: string | undefined): StandinFault | undefined {
    const rule = this.rules.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (candidate.method === method || candidate.method === '*') &&
        (!candidate.channel || candidate.channel === channel) &&
        !this.withinRate(candidate, channel),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule.fault;
  }

  /** For a rate rule: true (and the call counted) when this call is within the rate, so the rule lets it pass. */
  private withinRate(rule: ActiveRule, channel: string | undefined): boolean {
    if (rule.perSecond === undefined) return false;
    const now = this.clock();
    const recent = (rule.passed.get(channel ?? '') ?? []).filter((at) => at > now - 1_000);
    const within = recent.length < rule.perSecond;
    if (within) recent.push(now);
    rule.passed.set(channel ?? '', recent);
    return within;
  }
}
