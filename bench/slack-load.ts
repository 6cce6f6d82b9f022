/**
 * Acknowledgement and end-to-end figures: signed /dlf-instance commands at a steady rate against the bot
 * (a separate process, as `npm start` runs it) and against a bare Bolt app that only acknowledges. The load
 * generator is a process of its own too, so the simulator and stand-in here never hold up its clock.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { DEMO_AK, DEMO_PROJECT_ID, DEMO_SK, startSimulator } from '../src/simulator';
import { startSlackStandin } from '../src/slack-standin';
import { spawnNode } from '../test/helpers/spawn';
import { runLoadGenerator } from './load-generator';
import { cpuSeconds, ms, type Row, ratio, summarize } from './stats';

const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench';

interface Target {
  child: ChildProcess;
  port: number;
}

async function startProcess(script: string, env: Record<string, string>): Promise<Target> {
  const { child, ready } = await spawnNode(script, env, /"port":(\d+)|at port (\d+)/);
  return { child, port: Number(ready[1] ?? ready[2]) };
}

/** CPU seconds of the whole process and of its main thread (the rest: the look-up thread, V8's helpers). */
const cpuOf = (pid: number) => ({ all: cpuSeconds(pid), main: cpuSeconds(pid, pid) });

/** The load generator (its own process, see load-generator.ts) against `port`. */
const steady = (port: number, count: number, perSecond: number, channelPrefix: string) =>
  runLoadGenerator({ port, count, perSecond, signingSecret: SECRET, channelPrefix });

export async function slackRows(options: {
  rate: number;
  seconds: number;
}): Promise<{ rows: Row[]; results: Record<string, unknown> }> {
  const sim = await startSimulator();
  const slack = await startSlackStandin({ botToken: TOKEN });
  // At least 500 commands, so that a p99 is the fifth slowest and not one outlier.
  const count = Math.max(500, options.rate * options.seconds);
  for (let i = 0; i < count; i++)
    slack.standin.addChannel({ id: `CB${i}`, name: `bench-${i}`, kind: 'public', botIsMember: true });
  const root = path.join(__dirname, '..', '..');
  const common = { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl };
  const bot = await startProcess(path.join(root, 'dist', 'app.js'), {
    ...common,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    // For profiling (e.g. `--require` a script that starts the inspector's profiler on SIGTERM's side).
    ...(process.env.BENCH_BOT_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_BOT_NODE_OPTIONS } : {}),
    DLF_ENDPOINT: sim.url,
    DLF_PROJECT_ID: DEMO_PROJECT_ID,
    DLF_AK: DEMO_AK,
    DLF_SK: DEMO_SK,
    // One person sends every command here: what is measured is throughput, not the fair share (fair-share.ts).
    DLF_LIMIT_LOOKUPS_PER_USER_PER_MINUTE: '1000000',
  });
  const bare = await startProcess(path.join(__dirname, 'bare-bolt.js'), common);
  try {
    // Acknowledgement while DataArts takes 2 s to answer: the bot must not wait for it.
    sim.simulator.setFault('*', { latencyMs: Number(process.env.BENCH_DLF_LATENCY_MS ?? 2_000) });
    // Both warmed up alike (the JIT), so that neither's first commands are in what is compared.
    const warmUp = Math.min(count, 2 * options.rate);
    await steady(bare.port, warmUp, options.rate, 'CB');
    await steady(bot.port, warmUp, options.rate, 'CB');
    const bareCpuBefore = cpuSeconds(bare.child.pid!);
    const bareAck = summarize((await steady(bare.port, count, options.rate, 'CB')).acks);
    const bareCpuMs = ((cpuSeconds(bare.child.pid!) - bareCpuBefore) * 1000) / count;
    const botAck = summarize((await steady(bot.port, count, options.rate, 'CB')).acks);
    await slack.standin.waitFor(() => slack.standin.calls('chat.postMessage').length >= warmUp + count, {
      timeoutMs: 60_000,
    });

    // End to end with DataArts answering at once: command sent → chat.postMessage received by "Slack".
    sim.simulator.clearFaults();
    const before = slack.standin.calls('chat.postMessage').length;
    const cpuBefore = cpuOf(bot.child.pid!);
    const { sentAt } = await steady(bot.port, count, options.rate, 'CB');
    await slack.standin.waitFor(() => slack.standin.calls('chat.postMessage').length >= before + count, {
      timeoutMs: 60_000,
    });
    const cpuAfter = cpuOf(bot.child.pid!);
    const cpuMs = ((cpuAfter.all - cpuBefore.all) * 1000) / count;
    const mainCpuMs = ((cpuAfter.main - cpuBefore.main) * 1000) / count;
    const posts = slack.standin.calls('chat.postMessage').slice(before);
    const e2e = summarize(posts.map((call) => call.at - sentAt[Number(String(call.args.channel).slice(2))]!));

    // Issue 14 asks for 1.5× at 50 commands/s; the 200/s row keeps the earlier 2×.
    const ackBound = options.rate <= 50 ? 1.5 : 2;
    const rows: Row[] = [
      {
        measured: `Ack p50, ${options.rate}/s, DataArts answering in 2 s`,
        value: ms(botAck.p50),
        baseline: 'bare Bolt, ack only',
        baselineValue: ms(bareAck.p50),
        ratio: ratio(botAck.p50, bareAck.p50),
      },
      {
        measured: `Ack p99, ${options.rate}/s, DataArts answering in 2 s`,
        value: ms(botAck.p99),
        baseline: 'bare Bolt, ack only',
        baselineValue: ms(bareAck.p99),
        ratio: ratio(botAck.p99, bareAck.p99),
        target: `p99 within ${ackBound}× of bare Bolt: ${botAck.p99 <= ackBound * bareAck.p99 ? 'met' : 'NOT met'}`,
      },
      {
        measured: `Command → posted message p50 / p99 (${options.rate}/s)`,
        value: `${ms(e2e.p50)} / ${ms(e2e.p99)}`,
        baseline: 'ack p50 / p99 (bare Bolt)',
        baselineValue: `${ms(bareAck.p50)} / ${ms(bareAck.p99)}`,
        ratio: ratio(e2e.p99, bareAck.p99),
      },
      {
        measured: `Bot CPU per command, end to end, ${options.rate}/s (main thread + other threads)`,
        value: `${ms(cpuMs)} (${ms(mainCpuMs)} + ${ms(cpuMs - mainCpuMs)})`,
        baseline: 'bare Bolt, ack only',
        baselineValue: ms(bareCpuMs),
        ratio: ratio(cpuMs, bareCpuMs),
        target: `≤ 2 ms (issue 14): ${cpuMs <= 2 ? 'met' : 'NOT met'}`,
      },
    ];
    return {
      rows,
      results: {
        ack: { bot: botAck, bareBolt: bareAck },
        endToEnd: e2e,
        cpuMsPerCommand: cpuMs,
        mainThreadCpuMsPerCommand: mainCpuMs,
        bareBoltCpuMsPerCommand: bareCpuMs,
        rate: options.rate,
        commands: count,
      },
    };
  } finally {
    bot.child.kill('SIGTERM');
    bare.child.kill('SIGTERM');
    await Promise.all([sim.close(), slack.close()]);
  }
}
