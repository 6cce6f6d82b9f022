/**
 * Watching jobs, end to end: `/dlf-instance watch`, the sweep of the instance list, the channel's alerts (one per
 * end, storms grouped, reruns and recoveries in the earlier alert's thread), across processes, over Redis.
 */
import { DEMO_WORKSPACE, type RunningSimulator, startSimulator } from '../../src/simulator';
import type { RunningStandin, SlackStandin, StoredMessage } from '../../src/slack-standin';
import { type Backends, sleep, startBackends } from '../helpers/backends';
import { type BotProcess, startBotAgainst } from '../helpers/bot';
import { spawnBot } from '../helpers/bot-process';

const INTERVAL_MS = 300;
const json = (value: unknown) => JSON.stringify(value);

let backends: Backends;
let sim: RunningSimulator;
let slackServer: RunningStandin;
let slack: SlackStandin;
const bots: BotProcess[] = [];

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: backends.redis.url,
    DLF_WATCH_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
    DLF_POLL_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
    DLF_POLL_LOCK_SECONDS: '2',
    SLACK_API_TIMEOUT_SECONDS: '1',
    ...extra,
  };
}

async function bot(extra: Record<string, string> = {}): Promise<BotProcess> {
  const started = await startBotAgainst(sim, slackServer, env(extra));
  bots.push(started);
  return started;
}

beforeAll(async () => {
  backends = await startBackends();
  ({ sim, slackServer } = backends);
  slack = slackServer.standin;
  for (const [id, name] of [
    ['C0OPS', 'data-ops'],
    ['C0ORDERS', 'orders'],
    ['C0STORM', 'storm'],
  ] as const)
    slack.addChannel({ id, name, kind: 'public', botIsMember: true });
});
afterAll(async () => {
  for (const process of bots.splice(0)) await process.bot.stop();
  await backends.close();
});

/** A run of `job` that fails at its second node after `ms`, or succeeds. */
function run(job: string, outcome: 'fail' | 'success', ms = 200): string {
  return sim.simulator.startRun(job, {
    nodes: [
      { name: 'extract', type: 'CDMJob', durationMs: 50 },
      { name: 'load_orders', type: 'DWS SQL', durationMs: ms, outcome },
    ],
  });
}

const topLevel = (channel: string) => slack.messages(channel).filter((m) => m.user === 'U0BOT');

/** The bot's top-level messages in a channel that are not the watch notes. */
const alerts = (channel: string) =>
  topLevel(channel).filter((m) => !/watching|stopped watching/.test(m.text ?? ''));

async function watch(process: BotProcess, channel: string, text: string): Promise<StoredMessage> {
  const before = topLevel(channel).length;
  await process.driver.command('/dlf-instance', text, { channel });
  return slack.waitFor(() => topLevel(channel)[before], { what: `the note for "${text}"` });
}

describe('watch and unwatch', () => {
  test('a watch is confirmed in the channel (who, what it will post); list shows it; unwatch is noted too', async () => {
    const process = bots[0] ?? (await bot());
    sim.simulator.addJob('note_job');
    const note = await watch(process, 'C0GENERAL', 'watch note_job');
    expect(note.text).toBe(':eyes: <@U0ALICE> is now watching `note_job` here.');
    expect(json(note.blocks)).toContain('every failure');
    await process.driver.command('/dlf-instance', 'list', { channel: 'C0GENERAL' });
    const list = await slack.waitFor(() =>
      slack.ephemerals().find((e) => json(e).includes('Watched in this channel')),
    );
    expect(json(list)).toContain('`note_job` · failures');
    const again = await watch(process, 'C0GENERAL', 'watch note_job --on end');
    expect(again.text).toContain('changed the watch on `note_job`');
    const removed = await watch(process, 'C0GENERAL', 'unwatch note_job');
    expect(removed.text).toBe(
      ':no_bell: <@U0ALICE> stopped watching `note_job` here. Nothing more will be posted for it.',
    );
  });

  test('a plain job name that does not exist gets the usual sentence, and nothing is watched', async () => {
    const process = bots[0] ?? (await bot());
    const before = topLevel('C0GENERAL').length;
    await process.driver.command('/dlf-instance', 'watch no_such_job_here');
    await slack.waitFor(() =>
      slack.ephemerals().find((e) => /There is no job named `no_such_job_here`/.test(e.text ?? '')),
    );
    expect(topLevel('C0GENERAL')).toHaveLength(before);
  });
});

describe('what a watch posts', () => {
  test('fail mode and end mode in two channels: an alert naming the failed node; a recovery in its thread; an end-mode success alerted', async () => {
    const process = bots[0] ?? (await bot());
    sim.simulator.addJob('job_w');
    sim.simulator.addJob('orders_daily');
    await watch(process, 'C0OPS', 'watch job_w');
    await watch(process, 'C0ORDERS', 'watch orders_* --on end');
    const failed = run('job_w', 'fail');
    const alert = await slack.waitFor(() => alerts('C0OPS')[0], {
      what: 'the alert of job_w',
      timeoutMs: 8_000,
    });
    expect(alert.text).toContain(`job_w #${failed}: failed`);
    expect(json(alert.blocks)).toContain('load_orders');
    expect(json(alert.blocks)).toContain('obs://');
    expect(json(alert.blocks)).toContain('Watched in this channel');
    expect(alerts('C0ORDERS')).toHaveLength(0);

    run('job_w', 'success');
    const recovered = await slack.waitFor(() => slack.thread('C0OPS', alert.ts)[0], {
      what: 'the recovery reply',
      timeoutMs: 8_000,
    });
    expect(recovered.text).toMatch(/job_w\* recovered/);
    expect(recovered.text).toContain(`(this alert was #${failed})`);

    const ordered = run('orders_daily', 'success');
    const orderAlert = await slack.waitFor(() => alerts('C0ORDERS')[0], {
      what: 'the orders alert',
      timeoutMs: 8_000,
    });
    expect(orderAlert.text).toContain(`orders_daily #${ordered}: succeeded`);
    await sleep(INTERVAL_MS * 5);
    expect(alerts('C0OPS')).toHaveLength(1);
    expect(slack.thread('C0OPS', alert.ts)).toHaveLength(1);
    expect(alerts('C0ORDERS')).toHaveLength(1);
  });

  test('ends before the watch are never posted; a run that started before it and ends after it is', async () => {
    const process = bots[0] ?? (await bot());
    const early = run('job_before', 'fail', 10);
    // DataArts' Date headers have whole seconds: the bot takes an end less than a second before the watch for
    // one that may have come after it (a missed failure is worse than one alert too many).
    await sleep(1_500);
    const during = run('job_before', 'fail', 2_500);
    await watch(process, 'C0GENERAL', 'watch job_before');
    const alert = await slack.waitFor(() => alerts('C0GENERAL').find((m) => m.text?.includes('job_before')), {
      what: 'the alert of the run that ended after the watch',
      timeoutMs: 10_000,
    });
    expect(alert.text).toContain(`#${during}`);
    await sleep(INTERVAL_MS * 5);
    expect(alerts('C0GENERAL').filter((m) => m.text?.includes(`#${early}`))).toEqual([]);
  });

  test('a rerun of an announced instance that ends again is told in the first alert’s thread, not as a new alert', async () => {
    const process = bots[0] ?? (await bot());
    sim.simulator.addJob('job_rerun');
    await watch(process, 'G0TEAM', 'watch job_rerun');
    const id = run('job_rerun', 'fail', 100);
    const alert = await slack.waitFor(() => alerts('G0TEAM').find((m) => m.text?.includes('job_rerun')), {
      timeoutMs: 8_000,
    });
    await process.driver.command('/dlf-instance', 'list', { channel: 'G0TEAM' });
    sim.simulator.world.restart(sim.simulator.world.instance('job_rerun', id)!);
    const reply = await slack.waitFor(() => slack.thread('G0TEAM', alert.ts)[0], {
      what: 'the rerun told in the thread',
      timeoutMs: 8_000,
    });
    expect(reply.text).toMatch(new RegExp(`job_rerun #${id}\\* ran again and failed`));
    await sleep(INTERVAL_MS * 5);
    expect(alerts('G0TEAM').filter((m) => m.text?.includes('job_rerun'))).toHaveLength(1);
  });

  test('a storm of 50 failures under one pattern stays readable: grouped messages, never more than one post a second', async () => {
    const process = bots[0] ?? (await bot());
    for (let i = 0; i < 50; i++) sim.simulator.addJob(`storm_${String(i).padStart(2, '0')}`);
    await watch(process, 'C0STORM', 'watch storm_*');
    const ids = Array.from({ length: 50 }, (_, i) =>
      run(`storm_${String(i).padStart(2, '0')}`, 'fail', 100 + i * 20),
    );
    await slack.waitFor(
      () => {
        const listed = alerts('C0STORM')
          .map((m) => json(m.blocks))
          .join('');
        return ids.every((id) => listed.includes(`#${id}`)) || undefined;
      },
      { what: 'all 50 failures announced', timeoutMs: 30_000 },
    );
    const posted = alerts('C0STORM');
    expect(posted.length).toBeLessThan(15);
    expect(posted.some((m) => /watched runs? ended at once/.test(json(m.blocks)))).toBe(true);
    const times = posted.map((m) => Number(m.ts) * 1000);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1_000);
    // Every failure is named exactly once.
    for (const id of ids) expect(posted.filter((m) => json(m.blocks).includes(`#${id}`))).toHaveLength(1);
  }, 60_000);
});

describe('cost and processes', () => {
  test('six watched jobs, nothing happening: at most 2 DataArts calls per sweep', async () => {
    // A workspace of its own, with six jobs and their history, and a bot that may name it.
    const workspace = '0123456789abcdef0123456789abcdef';
    const own = await startSimulator({ workspaces: [DEMO_WORKSPACE, workspace] });
    try {
      for (let i = 0; i < 6; i++) {
        own.simulator.addJob(`quiet_${i}`, { workspace });
        own.simulator.startRun(`quiet_${i}`, { nodes: [{ name: 'n', type: 'Dummy', durationMs: 1 }] });
      }
      // Its own Redis database: the other tests' bots (against another simulator) must not take its sweeps.
      const quiet = await startBotAgainst(
        own,
        slackServer,
        env({ DLF_WORKSPACES: workspace, REDIS_URL: `${backends.redis.url}/5` }),
      );
      bots.push(quiet);
      for (let i = 0; i < 6; i++)
        await watch(quiet, 'C0GENERAL', `watch quiet_${i} --workspace ${workspace}`);
      await sleep(INTERVAL_MS * 3);
      own.simulator.resetCalls();
      const started = Date.now();
      await sleep(INTERVAL_MS * 10);
      const sweeps = (Date.now() - started) / INTERVAL_MS;
      const calls = own.simulator.calls.filter((call) => call.workspace === workspace);
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.length / sweeps).toBeLessThanOrEqual(2);
      expect(calls.every((call) => call.path.endsWith('/jobs/instances/detail'))).toBe(true);
    } finally {
      await own.close();
    }
  });
});

describe('fan-out', () => {
  test('six channels watching one job: one failure, six alerts, one read of its details', async () => {
    const process = bots[0] ?? (await bot());
    sim.simulator.addJob('fan_job');
    const channels = ['C0FAN1', 'C0FAN2', 'C0FAN3', 'C0FAN4', 'C0FAN5', 'C0FAN6'];
    for (const [i, id] of channels.entries()) {
      slack.addChannel({ id, name: `fan-${i}`, kind: 'public', botIsMember: true });
      await watch(process, id, 'watch fan_*');
    }
    const failed = run('fan_job', 'fail', 50);
    for (const id of channels)
      await slack.waitFor(() => alerts(id).find((m) => m.text?.includes(`fan_job #${failed}`)), {
        what: `the alert in ${id}`,
        timeoutMs: 8_000,
      });
    const reads = sim.simulator.callsFor('fan_job', failed).filter((call) => call.method === 'GET');
    expect(reads).toHaveLength(1);
  });
});

describe('what DataArts sends that the bot cannot act on', () => {
  test('rows with no instance id or a job name no call can carry: set aside and counted, the real failure alerted', async () => {
    const process = bots[0] ?? (await bot());
    slack.addChannel({ id: 'C0ODD', name: 'odd-rows', kind: 'public', botIsMember: true });
    await watch(process, 'C0ODD', 'watch odd_*');
    // Failed, watched by the glob and listed first: a row with no instanceId (every list answer), and one whose
    // job name no request could carry. Either once blocked every alert of the channel.
    sim.simulator.setFault('*', { unreadableRows: 2 });
    const now = Date.now();
    sim.simulator.setInstance({
      jobName: 'odd_bad name',
      instanceId: '990001',
      status: 'fail',
      planTime: now,
      startTime: now,
      endTime: now + 5,
      nodes: [],
    });
    try {
      const failed = run('odd_orders', 'fail', 50);
      const alert = await slack.waitFor(() => alerts('C0ODD').find((m) => m.text?.includes(`#${failed}`)), {
        what: 'the alert of the readable failure',
        timeoutMs: 8_000,
      });
      expect(alert.text).toContain(`odd_orders #${failed}: failed`);
      const metrics = await (await fetch(`${process.botUrl}/metrics`)).text();
      expect(metrics).toMatch(/dlfbot_dataarts_rows_set_aside_total\{reason="unreadable"\} [1-9]/);
      expect(metrics).toMatch(/dlfbot_dataarts_rows_set_aside_total\{reason="job-name"\} [1-9]/);
      await sleep(INTERVAL_MS * 5);
      expect(alerts('C0ODD')).toHaveLength(1);
    } finally {
      sim.simulator.clearFaults();
    }
  });
});

describe('restarts and clocks', () => {
  test('the bot killed, a watched instance fails meanwhile, a bot started: one alert for it, none repeated', async () => {
    const process = bots[0] ?? (await bot());
    sim.simulator.addJob('job_down');
    await watch(process, 'C0GENERAL', 'watch job_down');
    const first = run('job_down', 'fail', 50);
    await slack.waitFor(() => alerts('C0GENERAL').find((m) => m.text?.includes(`job_down #${first}`)), {
      timeoutMs: 8_000,
    });
    for (const running of bots.splice(0)) await running.bot.stop();
    const child = await spawnBot(sim, slackServer, env());
    await sleep(1_000);
    await child.kill();
    const second = run('job_down', 'fail', 50);
    await sleep(1_500);
    const again = await spawnBot(sim, slackServer, env());
    try {
      await slack.waitFor(() => alerts('C0GENERAL').find((m) => m.text?.includes(`job_down #${second}`)), {
        what: 'the failure that happened while no bot ran',
        timeoutMs: 10_000,
      });
      await sleep(INTERVAL_MS * 6);
      expect(alerts('C0GENERAL').filter((m) => m.text?.includes('job_down'))).toHaveLength(2);
    } finally {
      await again.kill();
    }
  }, 60_000);

  test('a failure older than DLF_WATCH_CATCHUP_MINUTES when the bot comes back is not posted; a newer one is', async () => {
    // 9 s: wide enough for a bot process to start on a loaded machine, narrow enough for a short test.
    const catchup = env({ DLF_WATCH_CATCHUP_MINUTES: '0.15' });
    sim.simulator.addJob('job_catchup');
    const first = await spawnBot(sim, slackServer, catchup);
    const setter = await startBotAgainst(sim, slackServer, catchup);
    await watch(setter, 'C0OPS', 'watch job_catchup');
    await setter.bot.stop();
    await first.kill();
    const old = run('job_catchup', 'fail', 10);
    await sleep(10_000);
    const recent = run('job_catchup', 'fail', 10);
    const back = await spawnBot(sim, slackServer, catchup);
    try {
      await slack.waitFor(() => alerts('C0OPS').find((m) => m.text?.includes(`job_catchup #${recent}`)), {
        timeoutMs: 10_000,
      });
      await sleep(INTERVAL_MS * 5);
      expect(alerts('C0OPS').filter((m) => m.text?.includes(`#${old}`))).toEqual([]);
    } finally {
      await back.kill();
    }
  }, 60_000);

  test('DataArts’ clock three minutes ahead: ends before the watch stay unposted, ends after it are posted', async () => {
    const skewed = await startSimulator({ skewMs: 180_000 });
    try {
      skewed.simulator.addJob('job_skew');
      const early = skewed.simulator.startRun('job_skew', {
        nodes: [{ name: 'n', type: 'Dummy', durationMs: 10, outcome: 'fail' }],
      });
      const process = await startBotAgainst(skewed, slackServer, env());
      bots.push(process);
      await sleep(1_500);
      await watch(process, 'G0TEAM', 'watch job_skew');
      const late = skewed.simulator.startRun('job_skew', {
        nodes: [{ name: 'n', type: 'Dummy', durationMs: 300, outcome: 'fail' }],
      });
      await slack.waitFor(() => alerts('G0TEAM').find((m) => m.text?.includes(`job_skew #${late}`)), {
        timeoutMs: 10_000,
      });
      await sleep(INTERVAL_MS * 5);
      expect(alerts('G0TEAM').filter((m) => m.text?.includes(`#${early}`))).toEqual([]);
    } finally {
      await skewed.close();
    }
  }, 60_000);
});
