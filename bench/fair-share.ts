/**
 * Fair share under a flood: one person sends 1,000 look-ups in 10 s (the load generator, its own process) to
 * the bot (a separate process, with the default limits) while another person looks up now and then. What the
 * flood costs (DataArts calls, channel posts) is counted against the limit; the other person's look-up time
 * (command sent → instance posted) is compared with theirs in the same run before the flood.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { DEFAULT_LIMITS } from '../src/access/limits';
import { DEMO_AK, DEMO_PROJECT_ID, DEMO_SK, startSimulator } from '../src/simulator';
import { SlackDriver, startSlackStandin } from '../src/slack-standin';
import { listenLocal } from '../src/support/http-server';
import { spawnNode } from '../test/helpers/spawn';
import { runLoadGenerator } from './load-generator';
import { ms, type Row, ratio, summarize } from './stats';

const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench';
const FLOOD = 1_000;
const FLOOD_SECONDS = 10;
/** The other person's look-ups before and during the flood (both within their own limit). */
const SAMPLES = 8;
const OTHER = { user: 'U0OTHER', channel: 'C0OTHER' };

const sleep = (msToWait: number) => new Promise((resolve) => setTimeout(resolve, msToWait));

export async function fairShareRows(): Promise<{ rows: Row[]; results: Record<string, unknown> }> {
  const sim = await startSimulator();
  const slack = await startSlackStandin({ botToken: TOKEN });
  const { standin } = slack;
  for (let i = 0; i < FLOOD; i++)
    standin.addChannel({ id: `CF${i}`, name: `flood-${i}`, kind: 'public', botIsMember: true });
  standin.addChannel({ id: OTHER.channel, name: 'other', kind: 'public', botIsMember: true });
  standin.addUser({ id: OTHER.user, name: 'other' });
  const otherJob = 'bench_other';
  const otherId = sim.simulator.startRun(otherJob, {
    nodes: [{ name: 'load', type: 'HiveSQL', durationMs: 1 }],
  });
  // The flood's answers (the sentence for each refused look-up) come here, through response_url.
  let sentences = 0;
  const answers = await listenLocal(async (req, res) => {
    for await (const _ of req);
    sentences++;
    res.writeHead(200).end('ok');
  });
  const root = path.join(__dirname, '..', '..');
  const { child, ready } = await spawnNode(
    path.join(root, 'dist', 'app.js'),
    {
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DLF_ENDPOINT: sim.url,
      DLF_PROJECT_ID: DEMO_PROJECT_ID,
      DLF_AK: DEMO_AK,
      DLF_SK: DEMO_SK,
    },
    /"port":(\d+)/,
  );
  const bot: ChildProcess = child;
  const port = Number(ready[1]);
  const driver = new SlackDriver({
    standin,
    botUrl: `http://127.0.0.1:${port}/slack/events`,
    signingSecret: SECRET,
    ...OTHER,
  });
  /** One look-up by the other person: command sent → its message posted in their channel. */
  const otherLookUp = async (): Promise<number> => {
    const before = standin.messages(OTHER.channel).length;
    const sent = Date.now();
    await driver.command('/dlf-instance', `${otherJob} ${otherId}`);
    await standin.waitFor(() => standin.messages(OTHER.channel).length > before, { timeoutMs: 30_000 });
    return (
      standin
        .calls('chat.postMessage')
        .filter((c) => c.args.channel === OTHER.channel)
        .at(-1)!.at - sent
    );
  };
  try {
    // Warm-up (the JIT, the connections, the job's history), then the baseline: no flood.
    await otherLookUp();
    const baseline: number[] = [];
    for (let i = 0; i < SAMPLES; i++) baseline.push(await otherLookUp());
    sim.simulator.resetCalls();
    const postsBefore = standin.calls('chat.postMessage').length;
    const flood = runLoadGenerator({
      port,
      count: FLOOD,
      perSecond: FLOOD / FLOOD_SECONDS,
      signingSecret: SECRET,
      channelPrefix: 'CF',
      responseUrl: `${answers.url}/answer`,
    });
    const during: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      await sleep((FLOOD_SECONDS * 1000) / (SAMPLES + 1));
      during.push(await otherLookUp());
    }
    const acks = summarize((await flood).acks);
    const limit = DEFAULT_LIMITS.lookUpsPerUserPerMinute;
    // Every refused look-up is told; wait for those answers (and any post still on its way).
    await standin
      .waitFor(() => sentences >= FLOOD - limit || undefined, { timeoutMs: 30_000 })
      .catch(() => undefined);
    await sleep(1_000);
    const floodCalls = sim.simulator.callsFor('job_batch').length;
    // Each look-up reads its instance; the job's recent runs ("slower than usual") are read once and kept.
    const instanceReads = sim.simulator.callsFor('job_batch', '34765').length;
    const floodPosts = standin
      .calls('chat.postMessage')
      .slice(postsBefore)
      .filter((c) => String(c.args.channel).startsWith('CF')).length;
    const base = summarize(baseline);
    const busy = summarize(during);
    const met = instanceReads <= limit && floodPosts <= limit && floodCalls - instanceReads <= 1;
    const rows: Row[] = [
      {
        measured: `One person's ${FLOOD} look-ups in ${FLOOD_SECONDS} s: DataArts calls (instance reads) / channel posts / sentences`,
        value: `${floodCalls} (${instanceReads}) / ${floodPosts} / ${sentences}`,
        baseline: 'the limit (DLF_LIMIT_LOOKUPS_PER_USER_PER_MINUTE)',
        baselineValue: String(limit),
        ratio: ratio(Math.max(instanceReads, floodPosts), limit),
        target: `instance reads and posts ≤ the limit, plus the job's history read once: ${met ? 'met' : 'NOT met'}`,
      },
      {
        measured: "Another person's look-up during that flood, p50 / max",
        value: `${ms(busy.p50)} / ${ms(busy.max)}`,
        baseline: 'the same look-up without the flood, p50 / max',
        baselineValue: `${ms(base.p50)} / ${ms(base.max)}`,
        ratio: ratio(busy.p50, base.p50),
        target: `flood ack p99 ${ms(acks.p99)}`,
      },
    ];
    return {
      rows,
      results: {
        fairShare: {
          flood: FLOOD,
          seconds: FLOOD_SECONDS,
          limit,
          dataartsCalls: floodCalls,
          instanceReads,
          channelPosts: floodPosts,
          sentences,
          floodAck: acks,
          otherBaseline: base,
          otherDuringFlood: busy,
        },
      },
    };
  } finally {
    bot.kill('SIGTERM');
    await Promise.all([sim.close(), slack.close(), answers.close()]);
  }
}
