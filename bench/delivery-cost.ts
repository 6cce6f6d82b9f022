/**
 * What one thread reply costs the bot: CPU and Redis requests per reply when 100 followed instances end at once.
 * The bot is `npm start`'s process on Redis (BullMQ, engine thread); every Redis connection it opens goes
 * through a counting proxy here, which counts the requests the bot sends (each write it makes to Redis: one
 * command, a pipeline or a script call, answered in one round trip). The same bot idles first for as long as the
 * delivery takes (its sweeps and watchdog go on), and that idle cost is taken off, so the figure is the replies'.
 */
import net from 'node:net';
import { DEMO_WORKSPACE, startSimulator } from '../src/simulator';
import { SlackDriver, startSlackStandin } from '../src/slack-standin';
import { BOT_TOKEN, SIGNING_SECRET } from '../test/helpers/bot';
import { spawnBot } from '../test/helpers/bot-process';
import { startRedis } from '../test/helpers/redis';
import { cpuSeconds, type Row } from './stats';

const INTERVAL_S = 5;
const CHANNELS = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Counts the commands in a client's RESP stream (arrays of bulk strings), whatever the chunks, and the round
 * trips they take: a command is one, a script call is one, and a MULTI … EXEC block (ioredis sends it in one
 * write) is one however many commands it holds.
 */
export class RespCounter {
  commands = 0;
  roundTrips = 0;
  private buffer: Buffer = Buffer.alloc(0);
  /** Bulk strings left in the current command, the bytes of the next one (-1: its header comes first). */
  private left = 0;
  private bulk = -1;
  private first = false;
  private inMulti = false;

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.bulk >= 0) {
        if (this.buffer.length < this.bulk + 2) return;
        if (this.first) this.command(this.buffer.subarray(0, this.bulk).toString('latin1').toUpperCase());
        this.first = false;
        this.buffer = this.buffer.subarray(this.bulk + 2);
        this.bulk = -1;
        this.left -= 1;
        continue;
      }
      const eol = this.buffer.indexOf('\r\n');
      if (eol < 0) return;
      const line = this.buffer.subarray(0, eol).toString('latin1');
      this.buffer = this.buffer.subarray(eol + 2);
      if (this.left === 0 && line.startsWith('*')) {
        this.left = Number(line.slice(1));
        this.first = true;
      } else if (line.startsWith('$')) this.bulk = Number(line.slice(1));
    }
  }

  private command(name: string): void {
    this.commands += 1;
    if (name === 'MULTI') {
      this.inMulti = true;
      this.roundTrips += 1;
    } else if (name === 'EXEC' || name === 'DISCARD') this.inMulti = false;
    else if (!this.inMulti) this.roundTrips += 1;
  }
}

/**
 * A TCP proxy in front of Redis that counts what the bot sends: commands, and writes (concurrent commands that
 * leave together arrive as one write: fewer than the round trips a single reply waits for, when many run at once).
 */
async function countingProxy(
  upstreamPort: number,
): Promise<{ port: number; requests(): number; commands(): number; roundTrips(): number; close(): void }> {
  let requests = 0;
  const counters: RespCounter[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    const counter = new RespCounter();
    counters.push(counter);
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => {
      requests += 1;
      counter.push(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    requests: () => requests,
    commands: () => counters.reduce((sum, counter) => sum + counter.commands, 0),
    roundTrips: () => counters.reduce((sum, counter) => sum + counter.roundTrips, 0),
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

export interface DeliveryCost {
  ends: number;
  replies: number;
  cpuMsPerReply: number;
  requestsPerReply: number;
  commandsPerReply: number;
  roundTripsPerReply: number;
  deliverySeconds: number;
}

export async function measureDeliveryCost(ends = 100): Promise<DeliveryCost> {
  const redis = await startRedis({ appendfsync: 'everysec' });
  const proxy = await countingProxy(redis.port);
  const sim = await startSimulator({ seed: false });
  const slack = await startSlackStandin({ botToken: BOT_TOKEN });
  const { standin } = slack;
  for (let c = 0; c < CHANNELS; c++)
    standin.addChannel({ id: `C0DC${c}`, name: `dc-${c}`, kind: 'public', botIsMember: true });
  const bot = await spawnBot(sim, slack, {
    REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
    DLF_WATCH_INTERVAL_SECONDS: String(INTERVAL_S),
    DLF_WORKSPACE: DEMO_WORKSPACE,
    DLF_LOG_EXCERPTS: 'false',
  });
  try {
    const driver = new SlackDriver({
      standin,
      botUrl: `http://127.0.0.1:${bot.port}/slack/events`,
      signingSecret: SIGNING_SECRET,
    });
    // Each job has run 10 times today (an hourly job: its usual duration is in the sweep's window), then one
    // running instance each, followed by a message of its own.
    const runs: { job: string; id: string; channel: string; message: string }[] = [];
    for (let i = 0; i < ends; i++) {
      const job = `cost_bench_${i}`;
      sim.simulator.addJob(job);
      for (let run = 0; run < 10; run++)
        sim.simulator.finish(
          job,
          sim.simulator.startRun(job, { nodes: [{ name: 'load', type: 'DWS SQL', durationMs: 1 }] }),
          'success',
        );
      const channel = `C0DC${i % CHANNELS}`;
      const id = sim.simulator.startRun(job, {
        nodes: [{ name: 'load', type: 'DWS SQL', durationMs: 3_600_000, outcome: 'fail' }],
      });
      await driver.command('/dlf-instance', `subscribe ${job} ${id}`, { channel });
      const message = await standin.waitFor(
        () => standin.messages(channel).find((m) => (m.text ?? '').includes(`#${id}`)),
        { timeoutMs: 30_000, what: 'the followed message' },
      );
      runs.push({ job, id, channel, message: message.ts });
    }
    const replyOf = (run: (typeof runs)[number]) =>
      standin.thread(run.channel, run.message).find((m) => m.ts !== run.message && m.user === 'U0BOT');
    // Settled: every follow's first look is over.
    await sleep(3 * INTERVAL_S * 1000);

    const sample = () => ({
      cpu: cpuSeconds(bot.child.pid!),
      requests: proxy.requests(),
      commands: proxy.commands(),
      roundTrips: proxy.roundTrips(),
      at: Date.now(),
    });
    // Idle: the same bot sweeping its 100 running instances, over a few intervals.
    const idleStart = sample();
    await sleep(4 * INTERVAL_S * 1000);
    const idleEnd = sample();
    const idleSeconds = (idleEnd.at - idleStart.at) / 1000;
    const idleCpuPerS = (idleEnd.cpu - idleStart.cpu) / idleSeconds;
    const idleRequestsPerS = (idleEnd.requests - idleStart.requests) / idleSeconds;
    const idleCommandsPerS = (idleEnd.commands - idleStart.commands) / idleSeconds;
    const idleRoundTripsPerS = (idleEnd.roundTrips - idleStart.roundTrips) / idleSeconds;

    const before = sample();
    for (const run of runs) sim.simulator.finish(run.job, run.id, 'fail');
    await standin
      .waitFor(() => runs.every((run) => replyOf(run)), {
        timeoutMs: 6 * INTERVAL_S * 1000,
        what: 'every reply',
      })
      .catch(() => undefined);
    // What follows the replies (the messages updated, the subscriptions let go) is part of their cost.
    await sleep(2 * INTERVAL_S * 1000);
    const after = sample();
    const seconds = (after.at - before.at) / 1000;
    const replies = runs.filter((run) => replyOf(run)).length;
    const cpu = after.cpu - before.cpu - idleCpuPerS * seconds;
    const requests = after.requests - before.requests - idleRequestsPerS * seconds;
    const commands = after.commands - before.commands - idleCommandsPerS * seconds;
    const roundTrips = after.roundTrips - before.roundTrips - idleRoundTripsPerS * seconds;
    return {
      ends,
      replies,
      cpuMsPerReply: (cpu * 1000) / Math.max(1, replies),
      requestsPerReply: requests / Math.max(1, replies),
      commandsPerReply: commands / Math.max(1, replies),
      roundTripsPerReply: roundTrips / Math.max(1, replies),
      deliverySeconds: seconds,
    };
  } finally {
    await bot.kill();
    proxy.close();
    await Promise.all([sim.close(), slack.close()]);
    await redis.stop();
  }
}

export async function deliveryCostRows(): Promise<{ rows: Row[]; results: Record<string, unknown> }> {
  const cost = await measureDeliveryCost(100);
  const rows: Row[] = [
    {
      measured: `Bot CPU per thread reply, ${cost.ends} followed instances ending at once (idle sweeping taken off)`,
      value: `${cost.cpuMsPerReply.toFixed(2)} ms`,
      baseline: 'target',
      baselineValue: '1 ms',
      ratio: `${cost.cpuMsPerReply.toFixed(2)}×`,
      target: `≤ 1 ms: ${cost.cpuMsPerReply <= 1 ? 'met' : 'NOT met'}; ${cost.replies}/${cost.ends} replies`,
    },
    {
      measured: 'Redis requests (round trips) per thread reply, same ends',
      value: cost.requestsPerReply.toFixed(1),
      baseline: 'target',
      baselineValue: '4',
      ratio: `${(cost.requestsPerReply / 4).toFixed(2)}×`,
      target: `≤ 4: ${cost.requestsPerReply <= 4 ? 'met' : 'NOT met'}`,
    },
  ];
  return { rows, results: { deliveryCost: cost } };
}

if (require.main === module)
  measureDeliveryCost(Number(process.env.BENCH_ENDS ?? 100)).then(
    (cost) => {
      process.stdout.write(`${JSON.stringify(cost)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? error}\n`);
      process.exit(1);
    },
  );
