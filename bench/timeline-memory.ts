/**
 * Timeline memory: Timeline pressed at once on ten instances of 14 MiB each (68,000 nodes), against the bot as
 * `npm start` runs it (its own process, the look-up thread). The bot's resident memory is sampled from /proc while
 * the ten pictures are drawn and uploaded, with DLF_TIMELINES_AT_ONCE=1 (the default) against 10 (every press read
 * and drawn at once, as before the bound) in the same run. Kubernetes' files give a pod 512 MiB.
 */
import { readFileSync } from 'node:fs';
import { startSimulator } from '../src/simulator';
import { bigInstance } from '../src/simulator/scenarios';
import { SlackDriver, type StoredMessage, startSlackStandin } from '../src/slack-standin';
import { BOT_TOKEN, SIGNING_SECRET } from '../test/helpers/bot';
import { spawnBot } from '../test/helpers/bot-process';
import { type Row, ratio } from './stats';

const CHANNEL = 'C0TIMELINE';
const NODES = 68_000;
const PRESSES = 10;
const POD_MIB = 512;

/** Resident memory of a process, MiB (Linux). */
function rssMib(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return line ? Number(line[1]) / 1024 : Number.NaN;
}

interface Peak {
  idleMib: number;
  peakMib: number;
  seconds: number;
  answerMib: number;
}

async function peakWith(atOnce: number): Promise<Peak> {
  const sim = await startSimulator({ seed: false });
  const slack = await startSlackStandin({ botToken: BOT_TOKEN });
  const { standin } = slack;
  standin.addChannel({ id: CHANNEL, name: 'timeline', kind: 'public', botIsMember: true });
  // Ten instances of one job: ten messages, a press on each.
  const ids = Array.from({ length: PRESSES }, (_, i) => String(77_001 + i));
  for (const id of ids)
    sim.simulator.setInstance({ ...bigInstance('bench_timeline', id, NODES, Date.now()) });
  const answerMib =
    JSON.stringify(bigInstance('bench_timeline', ids[0]!, NODES, Date.now())).length / 1_048_576;
  const bot = await spawnBot(sim, slack, { DLF_TIMELINES_AT_ONCE: String(atOnce) });
  try {
    const driver = new SlackDriver({
      standin,
      botUrl: `http://127.0.0.1:${bot.port}/slack/events`,
      signingSecret: SIGNING_SECRET,
      channel: CHANNEL,
    });
    const messages: StoredMessage[] = [];
    for (const [i, id] of ids.entries()) {
      await driver.command('/dlf-instance', `bench_timeline ${id}`);
      messages.push(await standin.waitFor(() => standin.messages(CHANNEL)[i], { timeoutMs: 60_000 }));
    }
    // Let the look-up's own garbage go before the presses, so the peak is theirs.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const pid = bot.child.pid!;
    const idleMib = rssMib(pid);
    let peakMib = idleMib;
    const sampler = setInterval(() => {
      peakMib = Math.max(peakMib, rssMib(pid));
    }, 10);
    const started = Date.now();
    await Promise.all(
      messages.map((message) => driver.blockAction({ actionId: 'instance_timeline', message })),
    );
    await standin
      .waitFor(
        () => messages.every((message) => standin.thread(CHANNEL, message.ts).some((m) => m.files?.length)),
        { timeoutMs: 180_000, what: 'every picture' },
      )
      .catch((error: Error) => {
        const told = standin.ephemerals().map((e) => e.text);
        throw new Error(`${error.message}\nTold: ${JSON.stringify(told)}`);
      });
    clearInterval(sampler);
    peakMib = Math.max(peakMib, rssMib(pid));
    return { idleMib, peakMib, seconds: (Date.now() - started) / 1000, answerMib };
  } finally {
    await bot.kill();
    await Promise.all([sim.close(), slack.close()]);
  }
}

export async function timelineMemoryRows(): Promise<{ rows: Row[]; results: Record<string, unknown> }> {
  const before = await peakWith(PRESSES);
  const bounded = await peakWith(1);
  const mib = (value: number) => `${Math.round(value)} MiB`;
  const rows: Row[] = [
    {
      measured: `Timeline ×${PRESSES} at once, instances of ${bounded.answerMib.toFixed(1)} MiB (${NODES.toLocaleString('en-US')} nodes): bot's peak memory (idle) / all uploaded in`,
      value: `${mib(bounded.peakMib)} (${mib(bounded.idleMib)}) / ${bounded.seconds.toFixed(1)} s`,
      baseline: `DLF_TIMELINES_AT_ONCE=${PRESSES} (all drawn at once)`,
      baselineValue: `${mib(before.peakMib)} (${mib(before.idleMib)}) / ${before.seconds.toFixed(1)} s`,
      ratio: ratio(bounded.peakMib, before.peakMib),
      target: `≤ ${POD_MIB} MiB (a pod's limit): ${bounded.peakMib <= POD_MIB ? 'met' : 'NOT met'}`,
    },
  ];
  return {
    rows,
    results: { timelineMemory: { nodes: NODES, presses: PRESSES, bounded, allAtOnce: before } },
  };
}
