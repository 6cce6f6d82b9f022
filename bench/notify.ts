/**
 * Ends in seconds: end → watch alert and end → thread reply, with DataArts notifications (the simulator's SMN
 * topic publishing each end to POST /dataarts/notify at once) beside the sweep alone, in one run, at the default
 * sweep interval (10 s). Each failing run is of a job watched in a channel of its own (no storm grouping) and is
 * followed by a message of its own (subscribed before it ends); the runs end at random moments over three
 * intervals. The bot is `npm start`'s process, on Redis (BullMQ), its engine in its own thread.
 */
import { DEMO_WORKSPACE, startSimulator } from '../src/simulator';
import { startNotificationRules } from '../src/simulator/notifications';
import { startSmnTopic } from '../src/simulator/smn';
import { SlackDriver, startSlackStandin } from '../src/slack-standin';
import { BOT_TOKEN, SIGNING_SECRET } from '../test/helpers/bot';
import { spawnBot } from '../test/helpers/bot-process';
import { startRedis } from '../test/helpers/redis';
import { type Row, ratio, summarize } from './stats';

const TOPIC = 'urn:smn:eu-de:b384b9e9ab9b4ee8994c8633aabc9505:dlf_bench';
const INTERVAL_S = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (value: number) => `${(value / 1000).toFixed(2)} s`;

interface Delays {
  alert: ReturnType<typeof summarize>;
  reply: ReturnType<typeof summarize>;
  missing: number;
}

async function measure(notifications: boolean, ends: number): Promise<Delays> {
  const redis = await startRedis();
  const sim = await startSimulator({ seed: false });
  const slack = await startSlackStandin({ botToken: BOT_TOKEN });
  const topic = await startSmnTopic({ topicUrn: TOPIC });
  const { standin } = slack;
  const jobs = Array.from({ length: ends }, (_, i) => `notify_bench_${i}`);
  jobs.forEach((job, i) => {
    sim.simulator.addJob(job);
    standin.addChannel({ id: `C0NB${i}`, name: `nb-${i}`, kind: 'public', botIsMember: true });
  });
  const bot = await spawnBot(sim, slack, {
    REDIS_URL: redis.url,
    DLF_WATCH_INTERVAL_SECONDS: String(INTERVAL_S),
    DLF_WORKSPACE: DEMO_WORKSPACE,
    ...(notifications
      ? { DLF_NOTIFY_ENABLED: 'true', DLF_NOTIFY_TOPICS: TOPIC, DLF_NOTIFY_CERT_HOSTS: topic.host }
      : {}),
  });
  const rules = notifications
    ? startNotificationRules(sim.simulator, topic, [
        { endpoint: `http://127.0.0.1:${bot.port}/dataarts/notify`, on: ['fail'] },
      ])
    : undefined;
  try {
    const driver = new SlackDriver({
      standin,
      botUrl: `http://127.0.0.1:${bot.port}/slack/events`,
      signingSecret: SIGNING_SECRET,
    });
    // Each run: watched in its channel, and followed there by a message of its own, before it ends.
    const runs: { job: string; id: string; channel: string; message: string }[] = [];
    for (const [i, job] of jobs.entries()) {
      const channel = `C0NB${i}`;
      await driver.command('/dlf-instance', `watch ${job}`, { channel });
      await standin.waitFor(() => standin.messages(channel)[0], { timeoutMs: 30_000, what: 'a watch note' });
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
    await sleep(2 * INTERVAL_S * 1000);
    const endedAt = new Map<string, number>();
    await Promise.all(
      runs.map(async (run) => {
        await sleep(Math.random() * 3 * INTERVAL_S * 1000);
        sim.simulator.finish(run.job, run.id, 'fail');
        endedAt.set(run.id, Date.now());
      }),
    );
    const alertOf = (run: (typeof runs)[number]) =>
      standin
        .messages(run.channel)
        .find((m) => !m.threadTs && m.ts !== run.message && (m.text ?? '').includes(`#${run.id}`));
    const replyOf = (run: (typeof runs)[number]) =>
      standin.thread(run.channel, run.message).find((m) => m.ts !== run.message && m.user === 'U0BOT');
    await standin
      .waitFor(() => runs.every((run) => alertOf(run) && replyOf(run)), {
        timeoutMs: 4 * INTERVAL_S * 1000,
        what: 'every alert and reply',
      })
      .catch(() => undefined);
    const alerts: number[] = [];
    const replies: number[] = [];
    let missing = 0;
    for (const run of runs) {
      const at = endedAt.get(run.id)!;
      const alert = alertOf(run);
      const reply = replyOf(run);
      if (alert) alerts.push(Number(alert.ts) * 1000 - at);
      if (reply) replies.push(Number(reply.ts) * 1000 - at);
      missing += (alert ? 0 : 1) + (reply ? 0 : 1);
    }
    return { alert: summarize(alerts), reply: summarize(replies), missing };
  } finally {
    rules?.stop();
    await bot.kill();
    await Promise.all([sim.close(), slack.close(), topic.close()]);
    await redis.stop();
  }
}

export async function notifyRows(
  options: { ends?: number } = {},
): Promise<{ rows: Row[]; results: Record<string, unknown> }> {
  const ends = options.ends ?? 20;
  const swept = await measure(false, ends);
  const woken = await measure(true, ends);
  const pair = (d: ReturnType<typeof summarize>) => `${seconds(d.p50)} / ${seconds(d.p99)}`;
  const rows: Row[] = [
    {
      measured: `End → thread reply p50 / p99 with notifications, ${ends} failures at random moments, sweep every ${INTERVAL_S} s`,
      value: pair(woken.reply),
      baseline: 'the sweep alone',
      baselineValue: pair(swept.reply),
      ratio: ratio(woken.reply.p50, swept.reply.p50),
      target: `p50 ≤ 1.5 s, p99 ≤ 3 s: ${woken.reply.p50 <= 1_500 && woken.reply.p99 <= 3_000 ? 'met' : 'NOT met'}; sweep alone p50 ≤ ${INTERVAL_S / 2 + 0.5} s, p99 ≤ ${INTERVAL_S + 1} s: ${swept.reply.p50 <= (INTERVAL_S / 2 + 0.5) * 1000 && swept.reply.p99 <= (INTERVAL_S + 1) * 1000 ? 'met' : 'NOT met'}`,
    },
    {
      measured:
        'End → watch alert p50 / p99 with notifications, same ends (each job watched in its own channel)',
      value: pair(woken.alert),
      baseline: 'the sweep alone',
      baselineValue: pair(swept.alert),
      ratio: ratio(woken.alert.p50, swept.alert.p50),
      target: `p50 ≤ 2 s: ${woken.alert.p50 <= 2_000 ? 'met' : 'NOT met'}; missing ${woken.missing} / ${swept.missing}`,
    },
  ];
  return { rows, results: { notify: { ends, woken, swept } } };
}
