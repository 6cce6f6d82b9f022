/**
 * The load generator, as its own process so that its clock is not held up by the simulator or the Slack
 * stand-in (they share the process that starts it: the bench, the fault matrix): signed /dlf-instance
 * commands at a steady rate, each timed to its HTTP answer (the ack). Prints one JSON line {acks, sentAt}
 * and exits. runLoadGenerator() starts it and returns what it measured.
 *
 * Usage: node load-generator.js <port> <count> <perSecond> <signing secret> <channel prefix> [command text] [response_url]
 */
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import http from 'node:http';

export interface LoadResult {
  /** Milliseconds from sending command i to its HTTP answer. */
  acks: number[];
  /** Date.now() when command i was sent. */
  sentAt: number[];
}

export interface LoadOptions {
  port: number;
  count: number;
  perSecond: number;
  signingSecret: string;
  /** Command i comes from channel `${channelPrefix}${i}`. */
  channelPrefix: string;
  /** The command's text (default `job_batch 34765`: a look-up). */
  text?: string;
  /** Where the bot's answers through response_url go (default: a closed port). */
  responseUrl?: string;
}

const DEFAULT_TEXT = 'job_batch 34765';
const DEFAULT_RESPONSE_URL = 'http://127.0.0.1:9/unused';

/** Runs the load generator as its own process and returns what it measured. */
export function runLoadGenerator(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [
        __filename,
        String(options.port),
        String(options.count),
        String(options.perSecond),
        options.signingSecret,
        options.channelPrefix,
        options.text ?? DEFAULT_TEXT,
        options.responseUrl ?? DEFAULT_RESPONSE_URL,
      ],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout) as LoadResult)),
    );
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function send(
  port: number,
  secret: string,
  text: string,
  channel: string,
  responseUrl: string,
): Promise<number> {
  const body = new URLSearchParams({
    command: '/dlf-instance',
    text,
    channel_id: channel,
    user_id: 'U0BENCH',
    team_id: 'T0STANDIN',
    response_url: responseUrl,
    trigger_id: '1.2',
  }).toString();
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/slack/events',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': ts,
          'x-slack-signature': signature,
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(performance.now() - started)
            : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function steady(
  port: number,
  count: number,
  perSecond: number,
  secret: string,
  channelPrefix: string,
  text: string,
  responseUrl: string,
): Promise<LoadResult> {
  const acks: number[] = [];
  const sentAt: number[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    sentAt.push(Date.now());
    pending.push(
      send(port, secret, text, `${channelPrefix}${i}`, responseUrl).then((t) => {
        acks[i] = t;
      }),
    );
  }
  await Promise.all(pending);
  return { acks, sentAt };
}

if (require.main === module) {
  const [port, count, perSecond, secret, channelPrefix, text, responseUrl] = process.argv.slice(2);
  steady(
    Number(port),
    Number(count),
    Number(perSecond),
    secret ?? '',
    channelPrefix ?? 'C',
    text ?? DEFAULT_TEXT,
    responseUrl ?? DEFAULT_RESPONSE_URL,
  ).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      agent.destroy();
    },
    (error: unknown) => {
      process.stderr.write(`load generator failed: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
