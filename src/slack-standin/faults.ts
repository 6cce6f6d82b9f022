/** Scripted faults: per method (or '*'), optionally per channel, for the next N calls or until cleared. */
import type { StandinFault } from './model';

export interface FaultRule extends StandinFault {
  /** Only calls about this conversation (the `channel` argument, or a response URL's channel). */
  channel?: string;
  /** Only the next N matching calls; unlimited when absent. */
  times?: number;
}

interface ActiveRule {
  method: string;
  channel?: string;
  fault: StandinFault;
  remaining: number;
}

export class FaultScript {
  private rules: ActiveRule[] = [];

  add(method: string, rule: FaultRule): void {
    const { channel, times, ...fault } = rule;
    this.rules.push({ method, channel, fault, remaining: times ?? Number.POSITIVE_INFINITY });
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
        (!candidate.channel || candidate.channel === channel),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule.fault;
  }
}
