/**
 * What the bot counts for Prometheus, one `Metrics` per thread (each with its own registry, so threads never
 * share prom-client's globals): DataArts requests by route template and outcome with their latency, Slack Web
 * API calls by method and outcome (429s included), following's work (sweeps, looks, announcements, drains) and
 * deliveries, and gauges read from the store and the queue on scrape. Labels are fixed words and route
 * templates only: never an id, a user, a channel or a token.
 */
import {
  AggregatorRegistry,
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  type MetricObjectWithValues,
  type MetricValue,
  Registry,
} from 'prom-client';

/** A registry's metrics as plain data, as they cross a thread's message port. */
export type MetricsSnapshot = MetricObjectWithValues<MetricValue<string>>[];

/** What following reports on scrape (see Following.stats). */
export interface FollowingStats {
  /** The store (Redis) is out of memory: nothing new can be followed or watched. */
  storeFull?: boolean;
  /** Thread replies and alerts claimed for posting and not yet confirmed. */
  markersInFlight: number;
  /** How long the oldest of them has been in flight (ms), 0 when none. */
  oldestMarkerInFlightMs: number;
  /** BullMQ's queue; absent with the in-process timers. */
  queue?: QueueStats;
}

export interface QueueStats {
  waiting: number;
  delayed: number;
  active: number;
  failed: number;
  /** How long the most overdue piece of work has been due without starting (ms), 0 when none. */
  lagMs: number;
}

/** Latency buckets (seconds) for calls that usually take 50–300 ms and time out at 10 s. */
const CALL_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Work (a sweep reads every page of a workspace's list) can take longer. */
const WORK_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Gauges read from Redis are read once per scrape, however many gauges show them. */
const STATS_FRESH_MS = 1_000;

const SLACK_METHOD = /^[a-zA-Z]+(\.[a-zA-Z]+)+$/;
/** Slack's error codes (`not_in_channel`, `ratelimited`…) are snake_case words. */
const SLACK_CODE = /^[a-z][a-z0-9_]{0,49}$/;

/** A Slack method name fit for a label ('other' for anything else). */
export function slackMethodLabel(method: string): string {
  return SLACK_METHOD.test(method) && method.length <= 60 ? method : 'other';
}

/** A Slack error code fit for a label ('error' for anything else). */
export function slackOutcomeLabel(code: string | undefined): string {
  return code && SLACK_CODE.test(code) ? code : 'error';
}

export class Metrics {
  readonly registry = new Registry();
  private readonly dataartsRequests: Counter<'endpoint' | 'outcome'>;
  private readonly dataartsSeconds: Histogram<'endpoint'>;
  private readonly slackCalls: Counter<'method' | 'outcome'>;
  private readonly slackSeconds: Histogram<'method'>;
  private readonly slackRateLimitedAnswers: Counter<'method'>;
  private readonly workDone: Counter<'kind' | 'outcome'>;
  private readonly workSeconds: Histogram<'kind'>;
  private readonly sweeps: Counter<'outcome'>;
  private readonly deliveries: Counter<'content' | 'outcome'>;
  private readonly paging: Gauge<'reading'>;
  private readonly rowsSetAside: Counter<'reason'>;
  private readonly refusals: Counter<'reason'>;
  private readonly notifications: Counter<'outcome'>;
  private statsSource?: () => Promise<FollowingStats>;
  private statsRead?: { at: number; stats: Promise<FollowingStats | undefined> };

  /** `process`: also Node's process metrics (CPU, memory, event loop); one thread per process reports them. */
  constructor(options: { process?: boolean } = {}) {
    const registers = [this.registry];
    if (options.process) collectDefaultMetrics({ register: this.registry });
    this.dataartsRequests = new Counter({
      name: 'dlfbot_dataarts_requests_total',
      help: 'DataArts API requests (each attempt), by route template and outcome (ok, or the error kind).',
      labelNames: ['endpoint', 'outcome'],
      registers,
    });
    this.dataartsSeconds = new Histogram({
      name: 'dlfbot_dataarts_request_duration_seconds',
      help: 'DataArts API request latency (each attempt, answer read), by route template.',
      labelNames: ['endpoint'],
      buckets: CALL_BUCKETS,
      registers,
    });
    this.slackCalls = new Counter({
      name: 'dlfbot_slack_calls_total',
      help: "Slack Web API calls, by method and outcome (ok, ratelimited, or Slack's error code).",
      labelNames: ['method', 'outcome'],
      registers,
    });
    this.slackSeconds = new Histogram({
      name: 'dlfbot_slack_call_duration_seconds',
      help: "Slack Web API call latency (with the SDK's own retries), by method.",
      labelNames: ['method'],
      buckets: CALL_BUCKETS,
      registers,
    });
    this.slackRateLimitedAnswers = new Counter({
      name: 'dlfbot_slack_rate_limited_total',
      help: 'HTTP 429 answers from Slack, by method, including those the SDK waited out and retried.',
      labelNames: ['method'],
      registers,
    });
    this.workDone = new Counter({
      name: 'dlfbot_work_total',
      help: "Following's work run in this process, by kind (sweep, poll, announce, drain) and outcome (done, again, error).",
      labelNames: ['kind', 'outcome'],
      registers,
    });
    this.workSeconds = new Histogram({
      name: 'dlfbot_work_duration_seconds',
      help: "How long each piece of following's work took, by kind.",
      labelNames: ['kind'],
      buckets: WORK_BUCKETS,
      registers,
    });
    this.sweeps = new Counter({
      name: 'dlfbot_sweeps_total',
      help: "Sweeps of a workspace's instance list, by outcome (swept, idle, failed).",
      labelNames: ['outcome'],
      registers,
    });
    this.deliveries = new Counter({
      name: 'dlfbot_deliveries_total',
      help: 'Thread replies, alerts and scheduled digests, by content (end, retired, gone, alert, alerts, again, recovered, log, digest) and outcome (sent, already, undeliverable, retry-later).',
      labelNames: ['content', 'outcome'],
      registers,
    });
    this.paging = new Gauge({
      name: 'dlfbot_dataarts_list_paging',
      help: "How the instance list's offset reads, as its answers showed (1 on the reading found: record or page; none until a window needed a second page).",
      labelNames: ['reading'],
      registers,
      aggregator: 'max',
    });
    this.rowsSetAside = new Counter({
      name: 'dlfbot_dataarts_rows_set_aside_total',
      help: 'Instance-list rows the bot cannot act on and leaves out (each sweep that sees them), by reason (job-name, instance-id; unreadable: not an object, or no instance id at all).',
      labelNames: ['reason'],
      registers,
    });
    this.refusals = new Counter({
      name: 'dlfbot_refusals_total',
      help: 'Requests refused by a fair-share limit, by reason (lookups_per_person, lookups_per_channel, writes_per_person, watches_per_channel, watch_all_per_person, digests_per_person).',
      labelNames: ['reason'],
      registers,
    });
    this.notifications = new Counter({
      name: 'dlfbot_notifications_total',
      help: 'SMN messages at POST /dataarts/notify, by outcome (woke, confirmed, unsubscribed, replayed, malformed, topic, stale, future, cert, signature, unconfirmable).',
      labelNames: ['outcome'],
      registers,
    });
    const stats = () => this.readStats();
    // Several processes read the same Redis: aggregate these with max(), not sum(), across instances.
    new Gauge({
      name: 'dlfbot_markers_in_flight',
      help: 'Thread replies and alerts claimed for posting and not yet confirmed (read from the store on scrape).',
      registers,
      async collect() {
        const read = await stats();
        if (read) this.set(read.markersInFlight);
      },
    });
    new Gauge({
      name: 'dlfbot_marker_oldest_in_flight_seconds',
      help: 'How long the oldest marker in flight has been so (0 when none).',
      registers,
      async collect() {
        const read = await stats();
        if (read) this.set(read.oldestMarkerInFlightMs / 1000);
      },
    });
    new Gauge({
      name: 'dlfbot_queue_jobs',
      help: 'Jobs in the BullMQ work queue, by state (waiting, delayed, active, failed).',
      labelNames: ['state'],
      registers,
      async collect() {
        const queue = (await stats())?.queue;
        if (!queue) return;
        for (const state of ['waiting', 'delayed', 'active', 'failed'] as const)
          this.set({ state }, queue[state]);
      },
    });
    new Gauge({
      name: 'dlfbot_store_full',
      help: "1 while the bot's Redis is out of memory (used_memory has reached maxmemory): nothing new can be followed or watched.",
      registers,
      aggregator: 'max',
      async collect() {
        const read = await stats();
        if (read) this.set(read.storeFull ? 1 : 0);
      },
    });
    new Gauge({
      name: 'dlfbot_queue_lag_seconds',
      help: 'How long the most overdue job of the work queue has been due without starting (0 when none).',
      registers,
      async collect() {
        const queue = (await stats())?.queue;
        if (queue) this.set(queue.lagMs / 1000);
      },
    });
  }

  dataartsRequest(endpoint: string, outcome: string, seconds: number): void {
    this.dataartsRequests.inc({ endpoint, outcome });
    this.dataartsSeconds.observe({ endpoint }, seconds);
  }

  slackCall(method: string, outcome: string, seconds: number): void {
    const label = slackMethodLabel(method);
    this.slackCalls.inc({ method: label, outcome });
    this.slackSeconds.observe({ method: label }, seconds);
  }

  slackRateLimited(method: string): void {
    this.slackRateLimitedAnswers.inc({ method: slackMethodLabel(method) });
  }

  work(kind: string, outcome: 'done' | 'again' | 'error', seconds: number): void {
    this.workDone.inc({ kind, outcome });
    this.workSeconds.observe({ kind }, seconds);
  }

  sweep(outcome: 'swept' | 'idle' | 'failed'): void {
    this.sweeps.inc({ outcome });
  }

  rowSetAside(reason: string, count = 1): void {
    this.rowsSetAside.inc({ reason }, count);
  }

  refusal(reason: string): void {
    this.refusals.inc({ reason });
  }

  notification(outcome: string): void {
    this.notifications.inc({ outcome });
  }

  listPaging(reading: 'record' | 'page'): void {
    this.paging.set({ reading }, 1);
    this.paging.set({ reading: reading === 'record' ? 'page' : 'record' }, 0);
  }

  delivery(content: string, outcome: string): void {
    this.deliveries.inc({ content, outcome });
  }

  /** The gauges of markers and the queue read from here on scrape (the thread that runs the work sets it). */
  observeFollowing(source: () => Promise<FollowingStats>): void {
    this.statsSource = source;
  }

  /** This thread's metrics as data (for the main thread to merge). */
  snapshot(): Promise<MetricsSnapshot> {
    return this.registry.getMetricsAsJSON();
  }

  private readStats(): Promise<FollowingStats | undefined> {
    const source = this.statsSource;
    if (!source) return Promise.resolve(undefined);
    const now = Date.now();
    if (!this.statsRead || now - this.statsRead.at > STATS_FRESH_MS) {
      // Redis unreachable: the gauges are left out of this scrape rather than failing it.
      this.statsRead = { at: now, stats: source().catch(() => undefined) };
    }
    return this.statsRead.stats;
  }
}

/** Counts that go nowhere: the default of components built without metrics (tools, tests of one part). */
export const unobserved = new Metrics();

/** Several threads' snapshots as one Prometheus text (counters and histograms summed). */
export async function mergedText(
  snapshots: MetricsSnapshot[],
): Promise<{ contentType: string; text: string }> {
  // Only the main thread has the process metrics, so those prom-client leaves out of an aggregate (the start
  // time) are exact taken from it.
  const merged = AggregatorRegistry.aggregate(
    snapshots.map((snapshot) =>
      snapshot.map((metric) =>
        (metric.aggregator as string) === 'omit' ? { ...metric, aggregator: 'first' as const } : metric,
      ),
    ),
  );
  return { contentType: merged.contentType, text: await merged.metrics() };
}
