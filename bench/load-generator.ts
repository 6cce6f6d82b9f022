/**
 * The load generator, as its own process so that its clock is not held up by the simulator or the Slack
 * stand-in (they share the bench process): signed /dlf-instance commands at a steady rate, each timed to
 * its HTTP answer (the ack). Prints one JSON line {acks, sentAt} and exits.
 *
 * Usage: node load-generator.js <port> <count> <perSecond> <signing secret> <channel prefix>
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';

export interface LoadResult {
  /** Milliseconds from sending each command to its HTTP answer. */
  acks: number[];
  /** Date.now() when command i was sent. */
  sentAt: number[];
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function send(port: number, secret: string, text: string, channel: string): Promise<number> {
  const body = new URLSearchParams({
    command: '/dlf-instance',
    text,
    channel_id: channel,
    user_id: 'U0BENCH',
    team_id: 'T0STANDIN',
    response_url: 'http://127.0.0.1:9/unused',
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
      send(port, secret, 'job_batch 34765', `${channelPrefix}${i}`).then((t) => void acks.push(t)),
    );
  }
  await Promise.all(pending);
  return { acks, sentAt };
}

if (require.main === module) {
  const [port, count, perSecond, secret, channelPrefix] = process.argv.slice(2);
  steady(Number(port), Number(count), Number(perSecond), secret ?? '', channelPrefix ?? 'C').then(
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
