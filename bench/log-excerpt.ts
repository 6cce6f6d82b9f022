/**
 * Log excerpts: how long after a watch alert its failed node's excerpt lands in the alert's thread. Failing runs of
 * watched jobs end at random moments; the bot (`npm start`'s process, its sweep every DLF_WATCH_INTERVAL_SECONDS)
 * posts each alert, then reads the log from the simulator's OBS endpoint (each log a 50 MB object, read as one size
 * check and one ranged GET of the tail) and posts the excerpt. End → alert is the baseline, end → excerpt the figure.
 */
import { DEMO_AK, DEMO_SK, startSimulator } from '../src/simulator';
import { resolveSimulatorLog } from '../src/simulator/node-logs';
import { startObs } from '../src/simulator/obs';
import { SlackDriver, startSlackStandin } from '../src/slack-standin';
import { BOT_TOKEN, SIGNING_SECRET } from '../test/helpers/bot';
import { spawnBot } from '../test/helpers/bot-process';
import { type Row, ratio, summarize } from './stats';

/** Each job watched in a channel of its own: alerts of one channel piling up would go out grouped, without logs. */
const channelOf = (i: number) => `C0LOGB${i}`;
const INTERVAL_S = 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (value: number) => `${(value / 1000).toFixed(2)} s`;

export async function logExcerptRows(
  options: { ends?: number } = {},
): Promise<{ rows: Row[]; results: Record<string, unknown> }> {
  const ends = options.ends ?? 30;
  const sim = await startSimulator({ seed: false });
  const slack = await startSlackStandin({ botToken: BOT_TOKEN });
  const obs = await startObs({ accessKey: DEMO_AK, secretKey: DEMO_SK, resolve: resolveSimulatorLog });
  const { standin } = slack;
  const jobs = Array.from({ length: ends }, (_, i) => `log_bench_${i}`);
  jobs.forEach((job, i) => {
    sim.simulator.addJob(job);
    standin.addChannel({ id: channelOf(i), name: `log-bench-${i}`, kind: 'public', botIsMember: true });
  });
  const bot = await spawnBot(sim, slack, {
    DLF_WATCH_INTERVAL_SECONDS: String(INTERVAL_S),
    OBS_ENDPOINT: obs.url,
    OBS_PATH_STYLE: 'true',
  });
  try {
    const driver = new SlackDriver({
      standin,
      botUrl: `http://127.0.0.1:${bot.port}/slack/events`,
      signingSecret: SIGNING_SECRET,
    });
    for (const [i, job] of jobs.entries()) {
      await driver.command('/dlf-instance', `watch ${job}`, { channel: channelOf(i) });
      await standin.waitFor(() => standin.messages(channelOf(i))[0], {
        timeoutMs: 30_000,
        what: 'a watch note',
      });
    }
    await sleep(2 * INTERVAL_S * 1000);
    const endedAt = new Map<string, { at: number; channel: string }>();
    const bytesBefore = obs.bytesServed();
    await Promise.all(
      jobs.map(async (job, i) => {
        await sleep(Math.random() * 3 * INTERVAL_S * 1000);
        const id = sim.simulator.startRun(job, {
          nodes: [{ name: 'load_big', type: 'DWS SQL', durationMs: 1, outcome: 'fail' }],
        });
        endedAt.set(`${job} #${id}`, { at: Date.now(), channel: channelOf(i) });
      }),
    );
    const alertOf = (name: string) =>
      standin.messages(endedAt.get(name)!.channel).find((m) => !m.threadTs && (m.text ?? '').includes(name));
    const excerptOf = (name: string, ts: string) =>
      standin
        .thread(endedAt.get(name)!.channel, ts)
        .find((m) => m.ts !== ts && /^Log of /.test(m.text ?? ''));
    await standin.waitFor(
      () =>
        [...endedAt.keys()].every((name) => {
          const alert = alertOf(name);
          return alert && excerptOf(name, alert.ts);
        }),
      { timeoutMs: 120_000, what: 'every alert and its excerpt' },
    );
    const toAlert: number[] = [];
    const toExcerpt: number[] = [];
    const alertToExcerpt: number[] = [];
    for (const [name, { at }] of endedAt) {
      const alert = alertOf(name)!;
      const excerpt = excerptOf(name, alert.ts)!;
      const alertAt = Number(alert.ts) * 1000;
      const excerptAt = Number(excerpt.ts) * 1000;
      toAlert.push(alertAt - at);
      toExcerpt.push(excerptAt - at);
      alertToExcerpt.push(excerptAt - alertAt);
    }
    const alert = summarize(toAlert);
    const excerpt = summarize(toExcerpt);
    const gap = summarize(alertToExcerpt);
    const bytesPerLog = (obs.bytesServed() - bytesBefore) / ends;
    const rows: Row[] = [
      {
        measured: `End → log excerpt in the alert's thread p50 / p99, ${ends} failures at random moments, 50 MB logs, sweep every ${INTERVAL_S} s`,
        value: `${seconds(excerpt.p50)} / ${seconds(excerpt.p99)}`,
        baseline: 'end → the alert itself p50 / p99',
        baselineValue: `${seconds(alert.p50)} / ${seconds(alert.p99)}`,
        ratio: ratio(excerpt.p50, alert.p50),
        target: `alert → excerpt p50 ${seconds(gap.p50)}, p99 ${seconds(gap.p99)}; ${Math.round(bytesPerLog / 1024)} KB read per log`,
      },
    ];
    return {
      rows,
      results: { logExcerpt: { ends, alert, excerpt, alertToExcerpt: gap, bytesPerLog } },
    };
  } finally {
    await bot.kill();
    await Promise.all([sim.close(), slack.close(), obs.close()]);
  }
}
