/**
 * GET /metrics on a real bot: a look-up, a subscription to its end (its reply first refused with a 429) and a
 * watch alert, then a scrape over HTTP, parsed as Prometheus text. Then the bot as `npm start` runs it, where
 * look-ups and following's work run in worker threads, whose counts must reach the same scrape.
 */
import type { RunningSimulator } from '../src/simulator';
import { DEMO_AK, DEMO_PROJECT_ID, DEMO_SK } from '../src/simulator';
import { type RunningStandin, SlackDriver, type SlackStandin } from '../src/slack-standin';
import { type Backends, sleep, startBackends } from './helpers/backends';
import {
  BOT_TOKEN,
  type BotProcess,
  SIGNING_SECRET,
  startBotAgainst,
  startSocketModeHarness,
} from './helpers/bot';
import { type BotChild, spawnBot } from './helpers/bot-process';

const CHANNEL = 'C0GENERAL';
const USER = 'U0ALICE';

let backends: Backends;
let sim: RunningSimulator;
let slackServer: RunningStandin;
let slack: SlackStandin;

beforeAll(async () => {
  backends = await startBackends();
  ({ sim, slackServer } = backends);
  slack = slackServer.standin;
});
afterAll(async () => {
  await backends.close();
});

const env = () => ({
  REDIS_URL: backends.redis.url,
  DLF_POLL_INTERVAL_SECONDS: '0.3',
  DLF_WATCH_INTERVAL_SECONDS: '0.3',
  DLF_POLL_LOCK_SECONDS: '2',
  SLACK_API_TIMEOUT_SECONDS: '1',
});
const json = (value: unknown) => JSON.stringify(value);

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Scrape {
  contentType: string;
  text: string;
  types: Map<string, string>;
  samples: Sample[];
}

/** A scrape over HTTP, parsed: `# TYPE` lines and `name{label="value",…} number` samples. */
async function scrape(botUrl: string): Promise<Scrape> {
  const response = await fetch(`${botUrl}/metrics`);
  expect(response.status).toBe(200);
  const text = await response.text();
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    if (line === '' || line.startsWith('#')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`not a Prometheus sample: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, name, value] of (sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[name!] = value!;
    samples.push({ name: sample[1]!, labels, value: Number(sample[3]) });
  }
  return { contentType: response.headers.get('content-type') ?? '', text, types, samples };
}

/** The sum of a metric's samples whose labels include `labels`. */
function total(scraped: Scrape, name: string, labels: Record<string, string> = {}): number {
  return scraped.samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/** Scrapes until `ready` holds of a scrape (work ends a moment after Slack got its post), then returns it. */
async function scrapeWhen(botUrl: string, ready: (scraped: Scrape) => boolean): Promise<Scrape> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const scraped = await scrape(botUrl);
    if (ready(scraped) || Date.now() > deadline) return scraped;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const INSTANCE_ENDPOINT = 'GET /v1/{project}/jobs/{job}/instances/{id}';
const LIST_ENDPOINT = 'GET /v1/{project}/jobs/instances/detail';

/** What must never be in a scrape: secrets, people, channels, jobs and ids the flows carried. */
function expectNothingPrivate(scraped: Scrape, extra: string[]): void {
  for (const secret of [
    BOT_TOKEN,
    SIGNING_SECRET,
    DEMO_AK,
    DEMO_SK,
    DEMO_PROJECT_ID,
    USER,
    CHANNEL,
    ...extra,
  ])
    if (/^[0-9]+$/.test(secret))
      // An id as a whole number: its digits may turn up inside a float (a sum of 0.0205502999…) by chance.
      expect(scraped.text).not.toMatch(new RegExp(`(^|[^0-9.])${secret}($|[^0-9])`));
    else expect(scraped.text).not.toContain(secret);
  // Every label value is a fixed word, a Slack method, a route template or a number.
  for (const { labels } of scraped.samples)
    for (const value of Object.values(labels))
      expect(value).toMatch(
        /^([a-z][a-z0-9_.-]*|[A-Za-z.]+|(GET|POST) \/v1\/\{project\}[a-z/{}-]*|[0-9.e+]+|\+Inf|v?[0-9.]+)$/i,
      );
}

function longRun(job: string): string {
  return sim.simulator.startRun(job, {
    nodes: [
      { name: 'extract', type: 'CDMJob', durationMs: 1 },
      { name: 'load', type: 'DWS SQL', durationMs: 3_600_000 },
    ],
  });
}

/** Subscribes to a running instance with the command, and returns its message. */
async function subscribe(driver: SlackDriver, job: string, id: string) {
  await driver.command('/dlf-instance', `subscribe ${job} ${id}`);
  const message = await slack.waitFor(() =>
    slack.messages(CHANNEL).find((m) => json(m.blocks).includes(`${job} #${id}`)),
  );
  await slack.waitFor(() => json(message.blocks).includes('instance_unsubscribe'));
  return message;
}

describe('GET /metrics on a bot in one thread', () => {
  let front: BotProcess;
  beforeAll(async () => {
    front = await startBotAgainst(sim, slackServer, env());
  });
  afterAll(async () => {
    await front.bot.stop();
  });

  test('counts DataArts and Slack calls with latency histograms, polls, sweeps, deliveries and 429s; no secret or id in it', async () => {
    const before = await scrape(front.botUrl);
    expect(before.contentType).toMatch(/^text\/plain; version=0\.0\.4/);

    // A look-up.
    await front.driver.command('/dlf-instance', 'job_batch 34765');
    await slack.waitFor(() => slack.messages(CHANNEL).find((m) => m.text?.startsWith('job_batch #34765')));

    // A subscription to its end, whose reply Slack first refuses with a 429.
    const id = longRun('metrics_sub');
    const message = await subscribe(front.driver, 'metrics_sub', id);
    slack.fail('chat.postMessage', { channel: CHANNEL, times: 1, rateLimited: { retryAfterSeconds: 1 } });
    sim.simulator.finish('metrics_sub', id, 'fail');
    await slack.waitFor(() => slack.thread(CHANNEL, message.ts)[0], {
      timeoutMs: 10_000,
      what: 'the reply after the 429',
    });

    // A watch, and the alert of a failure.
    const watchedId = longRun('metrics_watched');
    const notes = slack.messages(CHANNEL).length;
    await front.driver.command('/dlf-instance', 'watch metrics_watch*');
    await slack.waitFor(() => slack.messages(CHANNEL)[notes], { what: 'the note of the watch' });
    // Only ends after the watch are posted, in DataArts' clock as estimated from whole-second Date headers.
    await sleep(1_500);
    sim.simulator.finish('metrics_watched', watchedId, 'fail');
    await slack.waitFor(
      () => slack.messages(CHANNEL).find((m) => m.text?.includes(`metrics_watched #${watchedId}: failed`)),
      { timeoutMs: 10_000, what: 'the alert' },
    );

    const after = await scrapeWhen(
      front.botUrl,
      (scraped) => total(scraped, 'dlfbot_work_total', { kind: 'drain', outcome: 'done' }) > 0,
    );
    // DataArts: by route template and outcome, with a latency histogram.
    expect(after.types.get('dlfbot_dataarts_request_duration_seconds')).toBe('histogram');
    const buckets = after.samples.filter(
      (s) =>
        s.name === 'dlfbot_dataarts_request_duration_seconds_bucket' &&
        s.labels.endpoint === INSTANCE_ENDPOINT,
    );
    expect(buckets.map((s) => s.labels.le)).toContain('+Inf');
    expect(buckets.length).toBeGreaterThan(5);
    const instanceCalls = { endpoint: INSTANCE_ENDPOINT, outcome: 'ok' };
    expect(total(after, 'dlfbot_dataarts_requests_total', instanceCalls)).toBeGreaterThan(
      total(before, 'dlfbot_dataarts_requests_total', instanceCalls),
    );
    expect(total(after, 'dlfbot_dataarts_requests_total', { endpoint: LIST_ENDPOINT })).toBeGreaterThan(0);
    expect(
      total(after, 'dlfbot_dataarts_request_duration_seconds_count', { endpoint: INSTANCE_ENDPOINT }),
    ).toBeGreaterThan(0);

    // Slack: by method and outcome, the 429 included.
    const posted = { method: 'chat.postMessage', outcome: 'ok' };
    expect(total(after, 'dlfbot_slack_calls_total', posted)).toBeGreaterThan(
      total(before, 'dlfbot_slack_calls_total', posted),
    );
    expect(
      total(after, 'dlfbot_slack_calls_total', { method: 'chat.postMessage', outcome: 'ratelimited' }),
    ).toBe(1);
    expect(total(after, 'dlfbot_slack_rate_limited_total', { method: 'chat.postMessage' })).toBe(1);
    expect(after.types.get('dlfbot_slack_call_duration_seconds')).toBe('histogram');

    // Following: work, sweeps, deliveries (the reply tried again after the 429, and the alert).
    expect(total(after, 'dlfbot_sweeps_total', { outcome: 'swept' })).toBeGreaterThan(0);
    expect(total(after, 'dlfbot_work_total', { kind: 'poll' })).toBeGreaterThan(0);
    expect(total(after, 'dlfbot_work_total', { kind: 'drain' })).toBeGreaterThan(0);
    expect(
      total(after, 'dlfbot_deliveries_total', { content: 'end', outcome: 'retry-later' }),
    ).toBeGreaterThanOrEqual(1);
    expect(total(after, 'dlfbot_deliveries_total', { content: 'end', outcome: 'sent' })).toBe(1);
    expect(total(after, 'dlfbot_deliveries_total', { content: 'alert', outcome: 'sent' })).toBe(1);

    // Read on scrape: markers in flight (none now) and the queue (BullMQ on Redis).
    expect(after.types.get('dlfbot_markers_in_flight')).toBe('gauge');
    expect(total(after, 'dlfbot_markers_in_flight')).toBe(0);
    expect(after.samples.some((s) => s.name === 'dlfbot_queue_jobs' && s.labels.state === 'delayed')).toBe(
      true,
    );
    expect(after.samples.some((s) => s.name === 'dlfbot_queue_lag_seconds')).toBe(true);

    // The process.
    expect(total(after, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(after.types.get('nodejs_eventloop_lag_p99_seconds')).toBe('gauge');

    expectNothingPrivate(after, ['34765', 'job_batch', 'metrics_sub', id, 'metrics_watched', watchedId]);
  });
});

describe('GET /metrics on the bot as npm start runs it (worker threads)', () => {
  let child: BotChild;
  let driver: SlackDriver;
  beforeAll(async () => {
    child = await spawnBot(sim, slackServer, env());
    driver = new SlackDriver({
      standin: slack,
      botUrl: `http://127.0.0.1:${child.port}/slack/events`,
      signingSecret: SIGNING_SECRET,
    });
  });
  afterAll(async () => {
    await child.kill();
  });

  test("the look-up thread's and the engine thread's counts reach the scrape, and the process is counted once", async () => {
    expect(child.startup).toContain('"lookUps":"worker thread"');
    expect(child.startup).toContain('"work":"engine thread"');
    const url = `http://127.0.0.1:${child.port}`;
    const postsBefore = slack.calls('chat.postMessage').length;
    // Look-ups run in the look-up thread: its DataArts and Slack calls are counted there.
    const shown = slack.messages(CHANNEL).length;
    await driver.command('/dlf-instance', 'job_batch 34765');
    await slack.waitFor(() => slack.messages(CHANNEL)[shown]?.text?.startsWith('job_batch #34765'));
    // Following's work runs in the engine thread.
    const id = longRun('metrics_threads');
    const message = await subscribe(driver, 'metrics_threads', id);
    sim.simulator.finish('metrics_threads', id, 'success');
    await slack.waitFor(() => slack.thread(CHANNEL, message.ts)[0], { timeoutMs: 10_000 });

    // The sweep delivers the reply within its own job and is counted when that job ends: wait for both.
    const scraped = await scrapeWhen(
      url,
      (scraped) =>
        total(scraped, 'dlfbot_deliveries_total', { content: 'end', outcome: 'sent' }) > 0 &&
        total(scraped, 'dlfbot_sweeps_total', { outcome: 'swept' }) > 0,
    );
    expect(
      total(scraped, 'dlfbot_dataarts_requests_total', {
        endpoint: 'GET /v1/{project}/jobs/instances/detail',
      }),
    ).toBeGreaterThan(0);
    expect(total(scraped, 'dlfbot_slack_calls_total', { method: 'chat.postMessage', outcome: 'ok' })).toBe(
      slack
        .calls('chat.postMessage')
        .slice(postsBefore)
        .filter((call) => call.response?.ok).length,
    );
    expect(total(scraped, 'dlfbot_sweeps_total', { outcome: 'swept' })).toBeGreaterThan(0);
    expect(total(scraped, 'dlfbot_deliveries_total', { content: 'end', outcome: 'sent' })).toBe(1);
    expect(scraped.samples.some((s) => s.name === 'dlfbot_queue_jobs')).toBe(true);
    // Process metrics come from one thread only: summed over three, the start time would be far in the future.
    const startedAt = total(scraped, 'process_start_time_seconds');
    expect(startedAt).toBeLessThanOrEqual(Date.now() / 1000);
    expect(startedAt).toBeGreaterThan(Date.now() / 1000 - 600);
    expectNothingPrivate(scraped, ['34765', 'job_batch', 'metrics_threads', id]);
  });
});

test('in Socket Mode, /metrics is served on PORT and counts the same; the app token is not in it', async () => {
  const h = await startSocketModeHarness();
  try {
    await h.driver.command('/dlf-instance', 'job_batch 34765');
    await h.slack.standin.waitFor(() => h.slack.standin.messages(CHANNEL)[0]);
    const scraped = await scrapeWhen(
      h.botUrl,
      (s) => total(s, 'dlfbot_slack_calls_total', { method: 'chat.postMessage', outcome: 'ok' }) > 0,
    );
    expect(total(scraped, 'dlfbot_slack_calls_total', { method: 'chat.postMessage', outcome: 'ok' })).toBe(1);
    expect(total(scraped, 'dlfbot_dataarts_requests_total', { endpoint: INSTANCE_ENDPOINT })).toBeGreaterThan(
      0,
    );
    expectNothingPrivate(scraped, [h.slack.standin.socketMode.appToken, '34765', 'job_batch']);
  } finally {
    await h.close();
  }
});
