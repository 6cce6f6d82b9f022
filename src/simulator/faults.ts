/**
 * Fault knobs a test sets per job or for every API request: added latency, 5xx, 429, hanging and dropped
 * connections, and bodies that are too big, cut short or not JSON at all (respond.ts writes those), each
 * optionally for the next N matching requests only. Deterministic: no randomness.
 *
 * Where the docs are silent (these are faults of ours): `oversizeBytes` pads an answer whose body is a JSON
 * object to at least that many bytes and streams it chunked (no Content-Length, so a client must count as
 * it reads): an instance with `nodes` gets padding nodes (`{"nodeName":"padding","status":"skip",…}`, as
 * parsing costs most there), any other object a big unknown `padding` string field. `truncate` sends the
 * first half of the bytes (of the padded body, with both) with a Content-Length that matches, so the HTTP
 * exchange is complete and the JSON is not. `garbage` answers 200 with an HTML page whatever the request
 * (a proxy's error page). Answers without a body (204) are neither padded nor cut. `answerInstance` answers a
 * read of one instance with another of the same job (a misrouted or mixed-up answer), whatever id was asked.
 */

export interface Fault {
  /** Added before the answer (the answer itself is normal unless another knob says otherwise). */
  latencyMs?: number;
  /** Answer with this gateway error instead. */
  status?: 500 | 502 | 503 | 504;
  /** Answer 429 APIG.0308 with this `Retry-After`. */
  throttle?: { retryAfterSeconds: number };
  /** Never answer (until the simulator closes). */
  hang?: boolean;
  /** Destroy the connection without an answer. */
  drop?: boolean;
  /** Pad the JSON body to at least this many bytes, streamed. */
  oversizeBytes?: number;
  /** Send only the first half of the body's bytes: invalid JSON. */
  truncate?: boolean;
  /** Answer 200 with a body that is not JSON. */
  garbage?: boolean;
  /** Answer an instance read (GET …/instances/{id}) with this instance of the same job instead. */
  answerInstance?: string;
  /** Put this many rows no one can read (a failed row of the job asked, or `unreadable_row`, with no instanceId) at
   * the head of an instance-list answer, counted in its `total`. */
  unreadableRows?: number;
  /** Only the next N matching requests; unlimited when absent. */
  times?: number;
}

/** '*' or a job name. */
export type FaultTarget = string;

interface ActiveFault {
  target: FaultTarget;
  fault: Fault;
  remaining: number;
}

export class Faults {
  private active: ActiveFault[] = [];

  /** Replaces the fault of the same target. */
  set(target: FaultTarget, fault: Fault): void {
    this.active = this.active.filter((entry) => entry.target !== target);
    this.active.push({ target, fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.active = [];
  }

  /** The fault for a request about `jobName` (a job's own before the global one), counting one use of it. */
  take(jobName: string | undefined): Fault | undefined {
    const entry =
      this.active.find((candidate) => candidate.target === jobName && candidate.remaining > 0) ??
      this.active.find((candidate) => candidate.target === '*' && candidate.remaining > 0);
    if (!entry) return undefined;
    entry.remaining -= 1;
    return entry.fault;
  }
}

const STATUSES: readonly unknown[] = [500, 502, 503, 504];

/** A fault from untrusted JSON (the HTTP control API); throws a sentence when it is malformed. */
export function parseFault(input: Record<string, unknown>): Fault {
  const fault: Fault = {};
  for (const [knob, value] of Object.entries(input)) {
    switch (knob) {
      case 'latencyMs':
      case 'oversizeBytes':
      case 'unreadableRows':
      case 'times':
        fault[knob] = wholeNumber(value, knob);
        break;
      case 'hang':
      case 'drop':
      case 'truncate':
      case 'garbage':
        if (typeof value !== 'boolean') throw new Error(`${knob} must be true or false.`);
        fault[knob] = value;
        break;
      case 'status':
        if (!STATUSES.includes(value)) throw new Error(`status must be one of ${STATUSES.join(', ')}.`);
        fault.status = value as Fault['status'];
        break;
      case 'answerInstance':
        if (typeof value !== 'string' || !/^\d{1,30}$/.test(value))
          throw new Error('answerInstance must be an instance id (digits).');
        fault.answerInstance = value;
        break;
      case 'throttle': {
        const seconds = (value as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
        fault.throttle = { retryAfterSeconds: wholeNumber(seconds, 'throttle.retryAfterSeconds') };
        break;
      }
      default:
        throw new Error(`Unknown fault knob "${knob}".`);
    }
  }
  return fault;
}

function wholeNumber(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a whole number ≥ 0.`);
  }
  return value;
}
