/**
 * At most `concurrency` tasks at once and at most `waiting` more in line; a task beyond that is not run at all
 * (the caller says it is busy). Work whose memory grows with its input (a Timeline of a 14 MiB instance) is
 * bounded by the line, not by how many people press at once.
 */
export type Gated<T> = { ran: true; value: T } | { ran: false };

export class Gate {
  private running = 0;
  private readonly line: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly waiting: number,
  ) {}

  /** Tasks running now and waiting in line. */
  get size(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.line.length };
  }

  async run<T>(task: () => Promise<T>): Promise<Gated<T>> {
    if (this.running < this.concurrency) this.running += 1;
    else if (this.line.length < this.waiting) await new Promise<void>((resolve) => this.line.push(resolve));
    else return { ran: false };
    try {
      return { ran: true, value: await task() };
    } finally {
      // The place passes straight to the next in line (running stays the same), or is given up.
      const next = this.line.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
