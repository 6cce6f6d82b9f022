/** The log of every call the stand-in received (Web API and response URLs), each also announced on the feed. */
import type { Feed } from './feed';
import type { RecordedCall, StandinFault } from './model';

export class CallLog {
  private readonly recorded: RecordedCall[] = [];

  constructor(
    private readonly clock: () => number,
    private readonly feed: Feed,
  ) {}

  start(method: string, args: Record<string, unknown>, tokenOk: boolean, fault?: StandinFault): RecordedCall {
    const call: RecordedCall = { method, args, tokenOk, at: this.clock(), delivery: 'pending' };
    if (fault) call.fault = fault;
    this.recorded.push(call);
    return call;
  }

  /** Records the answer decided and how far it got (announced again when a held-back answer goes out). */
  settle(
    call: RecordedCall,
    status: number,
    response: Record<string, unknown>,
    delivery: RecordedCall['delivery'],
  ): void {
    Object.assign(call, { status, response, delivery });
    this.feed.emit({ type: 'call', call: { ...call } });
  }

  list(method?: string): RecordedCall[] {
    return method ? this.recorded.filter((call) => call.method === method) : [...this.recorded];
  }
}
