/** Fault knobs a test sets per job or for every request: latency, 5xx, 429, hanging and dropped connections. */

export interface Fault {
  /** Added before the answer (the answer itself is normal unless another knob says otherwise). */
  latencyMs?: number;
  status?: 500 | 502 | 503 | 504;
  throttle?: { retryAfterSeconds: number };
  /** Never answer (until the simulator closes). */
  hang?: boolean;
  /** Destroy the connection without an answer. */
  drop?: boolean;
  /** Only the next N matching requests; unlimited when absent. */
  times?: number;
}

interface ActiveFault {
  target: string;
  fault: Fault;
  remaining: number;
}

export class Faults {
  private active: ActiveFault[] = [];

  /** `target` is a job name or '*' for every API request. */
  set(target: string, fault: Fault): void {
    this.active = this.active.filter((entry) => entry.target !== target);
    this.active.push({ target, fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.active = [];
  }

  /** The fault for a request about `jobName` (job-specific before global), counting one use of it. */
  take(jobName: string | undefined): Fault | undefined {
    const entry =
      this.active.find((candidate) => candidate.target === jobName && candidate.remaining > 0) ??
      this.active.find((candidate) => candidate.target === '*' && candidate.remaining > 0);
    if (!entry) return undefined;
    entry.remaining -= 1;
    return entry.fault;
  }
}
