/**
 * A workspace whose sweep window holds more rows than one page of the list (2,500 instances), listed oldest first,
 * under either reading of `offset` (record, the likely real one, and page): every watched failure is alerted once,
 * every followed instance gets its reply, and a quiet round costs at most 4 list calls. A sweep that read
 * `offset` as a page number against record offsets read rows 0–999, 1–1000, 2–1001 and never saw a new run.
 */
import type { SlackStandin } from '../../src/slack-standin';
import { type Backends, startBackends } from '../helpers/backends';
import { type BotProcess, startBotAgainst } from '../helpers/bot';
import { exactlyOneReply, followLongRun } from '../helpers/subscriptions';

const INTERVAL_MS = 500;
/**
 * A delivery waits for at most this many sweeps (the window is read in 3 pages a sweep). It takes 2–3 here; 30
 * once ran out in a clean-clone CI run, with the other suites' workers and their bots on the same two cores
 * (each sweep then parses 2,500 rows in a fraction of the CPU). A sweep that misreads `offset` never delivers.
 */
const SWEEPS = 60;
const ROWS = 2_500;

describe.each(['record', 'page'] as const)(
  '2,500 instances in the window, %s offsets, oldest first',
  (listOffset) => {
    let backends: Backends;
    let slack: SlackStandin;
    let bot: BotProcess;

    beforeAll(async () => {
      backends = await startBackends({ listOffset, listOrder: 'oldest' });
      slack = backends.slackServer.standin;
      slack.addChannel({ id: 'C0OPS', name: 'data-ops', kind: 'public', botIsMember: true });
      const { simulator } = backends.sim;
      simulator.addJob('filler_hourly');
      const now = Date.now();
      for (let i = 0; i < ROWS; i++)
        simulator.setInstance({
          jobName: 'filler_hourly',
          instanceId: String(100_000 + i),
          status: i % 7 === 0 ? 'fail' : 'success',
          planTime: now - 20 * 3_600_000 + i * 20_000,
          startTime: now - 20 * 3_600_000 + i * 20_000,
          endTime: now - 20 * 3_600_000 + i * 20_000 + 5_000,
          nodes: [],
        });
      bot = await startBotAgainst(backends.sim, backends.slackServer, {
        REDIS_URL: backends.redis.url,
        DLF_WATCH_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
        DLF_POLL_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
        SLACK_API_TIMEOUT_SECONDS: '1',
      });
      // The first file of a clean clone's run: everything it imports is compiled cold beside the other workers.
    }, 60_000);
    afterAll(async () => {
      await bot?.bot.stop();
      await backends?.close();
    });

    const deadline = SWEEPS * INTERVAL_MS;
    const alerts = () =>
      slack.messages('C0OPS').filter((m) => m.user === 'U0BOT' && /failed/.test(m.text ?? ''));

    test(
      'every watched failure alerted once, every followed instance replied to',
      async () => {
        const { simulator } = backends.sim;
        simulator.addJob('wf_orders');
        await bot.driver.command('/dlf-instance', 'watch wf_orders', { channel: 'C0OPS' });
        await slack.waitFor(() => slack.messages('C0OPS').find((m) => /is now watching/.test(m.text ?? '')), {
          what: 'the watch note',
        });
        const followed = [
          await followLongRun({ sim: backends.sim, slack }, bot.driver, 'followed_a'),
          await followLongRun({ sim: backends.sim, slack }, bot.driver, 'followed_b'),
        ];
        const failures = [1, 2, 3].map(() =>
          simulator.startRun('wf_orders', {
            nodes: [{ name: 'load_orders', type: 'DWS SQL', durationMs: 50, outcome: 'fail' }],
          }),
        );
        simulator.finish('followed_a', followed[0]!.id, 'success');
        simulator.finish('followed_b', followed[1]!.id, 'fail');

        await slack.waitFor(() => alerts().length >= failures.length || undefined, {
          what: 'an alert for each failure of wf_orders',
          timeoutMs: deadline,
        });
        for (const { message } of followed) await exactlyOneReply(slack, message, { timeoutMs: deadline });
        for (const id of failures)
          expect(alerts().filter((m) => (m.text ?? '').includes(`#${id}`))).toHaveLength(1);
        expect(alerts()).toHaveLength(failures.length);
        // Jest's own limit: above the three waits it holds (set-up, the alerts, the replies).
      },
      4 * deadline,
    );

    test(
      'a quiet round costs at most 4 list calls',
      async () => {
        const { simulator } = backends.sim;
        const sweepStarts = () =>
          simulator.calls.filter(
            (call) => call.path.endsWith('/jobs/instances/detail') && !call.jobName && call.offset === 0,
          );
        simulator.resetCalls();
        // Four sweeps begun: the three rounds between them are whole.
        await slack.waitFor(() => sweepStarts().length >= 4 || undefined, {
          what: 'four sweeps',
          timeoutMs: deadline,
        });
        const lists = simulator.calls.filter((call) => call.path.endsWith('/jobs/instances/detail'));
        const starts = lists.flatMap((call, i) => (!call.jobName && call.offset === 0 ? [i] : []));
        const perRound = starts.slice(1).map((start, k) => start - starts[k]!);
        expect(perRound.length).toBeGreaterThanOrEqual(3);
        for (const calls of perRound) expect(calls).toBeLessThanOrEqual(4);
        // The window's three pages, at the offsets the reading needs.
        const offsets = lists.slice(starts[0], starts[1]).map((call) => call.offset);
        expect(offsets).toEqual(listOffset === 'record' ? [0, 1_000, 2_000] : [0, 1, 2]);
      },
      2 * deadline,
    );
  },
);
