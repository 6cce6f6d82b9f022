/**
 * The notification rows of the fault matrix: DataArts notifications (SMN) wake the bots' sweeps, which run every
 * 10 s otherwise, while the notifications misbehave as a real topic may (late, twice, out of order, lost) or are
 * attacked (forged, replayed), or the bots are killed between the wake-up and the reply. Counted as the watch
 * rows count: the followed threads' end replies and one alert per failed instance, 0 missing, 0 duplicates.
 */
import { NOTIFY_PATH } from '../../src/notify/route';
import { type NotificationRule, startNotificationRules } from '../../src/simulator/notifications';
import { dataartsMessage, type RunningSmnTopic, startSmnTopic } from '../../src/simulator/smn';
import type { Bot, Harness } from './harness';
import { sleep } from './harness';
import type { RepliesOutcome, Scenario } from './scenarios';
import { failingRuns, settleRuns, watch } from './watch-scenarios';

const TOPIC = 'urn:smn:eu-de:b384b9e9ab9b4ee8994c8633aabc9505:dlf_faults';
/** Slow enough that an alert within it was woken, and the lost-notification row still ends in time. */
const SWEEP_SECONDS = 10;
const isList = (path: string) => path.endsWith('/jobs/instances/detail');

interface Notified {
  topic: RunningSmnTopic;
  bots: Bot[];
  /** Every bot's notify endpoint (SMN delivers to one URL; here, to each bot in turn). */
  endpoints: string[];
}

/**
 * Two bots with notifications on; `job` watched in one channel, 4 of its instances followed in another and 4
 * more not; the topic's `rule` publishes their ends to the first bot; `disturb` runs as they all fail.
 */
async function notifiedFailures(
  h: Harness,
  job: string,
  rule: Omit<NotificationRule, 'endpoint'>,
  disturb: (world: Notified, fail: () => void) => Promise<string>,
  timeoutMs = 30_000,
): Promise<RepliesOutcome> {
  const topic = await startSmnTopic({ topicUrn: TOPIC });
  h.onClose(() => topic.close());
  const env = {
    DLF_WATCH_INTERVAL_SECONDS: String(SWEEP_SECONDS),
    DLF_NOTIFY_ENABLED: 'true',
    DLF_NOTIFY_TOPICS: TOPIC,
    DLF_NOTIFY_CERT_HOSTS: topic.host,
  };
  const bots = await h.spawnMany(2, env);
  const endpoints = bots.map((bot) => `http://127.0.0.1:${bot.port}${NOTIFY_PATH}`);
  const rules = startNotificationRules(h.sim.simulator, topic, [{ ...rule, endpoint: endpoints[0]! }]);
  h.onClose(async () => rules.stop());
  await watch(h, bots[0]!, job);
  const runs = await failingRuns(h, bots, job);
  const note = await disturb({ topic, bots, endpoints }, runs.fail);
  const { tally, alerts } = await settleRuns(h, runs, timeoutMs);
  const { ids, followed } = runs;
  const published = rules.published().length;
  return {
    tally,
    checks: [alerts],
    notes: [
      `${ids.length} failed (${followed.length} followed), ${published} notifications published; ${note}`,
    ],
  };
}

export const NOTIFY_SCENARIOS: Scenario[] = [
  {
    id: 'N1',
    fault: 'Notifications: each delivered twice, late (0–2 s) and out of order',
    async run(h) {
      return notifiedFailures(
        h,
        'n1_twice',
        { on: ['fail'], times: 2, delayMs: [0, 2_000] },
        async (_w, fail) => {
          fail();
          return 'every end notified twice with the same message id, up to 2 s late (so out of order)';
        },
      );
    },
  },
  {
    id: 'N2',
    fault: 'Notifications: forged and replayed ones among the real ones',
    async run(h) {
      return notifiedFailures(h, 'n2_forged', { on: ['fail'] }, async ({ topic, endpoints }, fail) => {
        const forged = dataartsMessage({ job: 'n2_forged', instanceId: '1', status: 'fail' });
        const statuses: number[] = [];
        for (const endpoint of endpoints) {
          for (const tamper of ['signature', 'body'] as const)
            statuses.push(...(await topic.publish(endpoint, forged, { tamper, times: 5 })).statuses);
          statuses.push(
            ...(await topic.publish(endpoint, forged, { timestamp: Date.now() - 3_600_000, times: 5 }))
              .statuses,
          );
        }
        fail();
        // And a real message replayed ten times to each bot.
        const real = await topic.publish(endpoints[0]!, forged, { messageId: 'n2-replayed' });
        for (const endpoint of endpoints)
          statuses.push(
            ...(await topic.publish(endpoint, forged, { messageId: 'n2-replayed', times: 10 })).statuses,
          );
        const refused = statuses.filter((s) => s === 403).length;
        return `${refused} forged or stale messages refused (403), a real one (HTTP ${real.statuses[0]}) replayed ${endpoints.length * 10} times (taken, nothing done)`;
      });
    },
  },
  {
    id: 'N3',
    fault: 'Notifications: lost (never sent): the sweep is the net',
    async run(h) {
      return notifiedFailures(
        h,
        'n3_lost',
        { on: ['fail'], never: /^n3_/ },
        async (_w, fail) => {
          fail();
          return `no end notified: the sweep (every ${SWEEP_SECONDS} s) finds them`;
        },
        SWEEP_SECONDS * 1000 + 30_000,
      );
    },
  },
  {
    id: 'N4',
    fault: 'Notifications: every bot SIGKILLed between the wake-up and the reply',
    async run(h) {
      return notifiedFailures(
        h,
        'n4_killed',
        { on: ['fail'] },
        async ({ topic }, fail) => {
          // The list hangs: the woken sweep is inside it when every bot is killed.
          const since = Date.now();
          h.sim.simulator.setFault('*', { hang: true });
          fail();
          const deadline = Date.now() + 10_000;
          while (
            !h.sim.simulator.calls.some((call) => call.at >= since && isList(call.path) && call.status === 0)
          ) {
            if (Date.now() > deadline) throw new Error('no woken sweep hung on the list');
            await sleep(25);
          }
          await h.killAll();
          h.sim.simulator.clearFaults();
          await h.spawn({
            DLF_WATCH_INTERVAL_SECONDS: String(SWEEP_SECONDS),
            DLF_NOTIFY_ENABLED: 'true',
            DLF_NOTIFY_TOPICS: TOPIC,
            DLF_NOTIFY_CERT_HOSTS: topic.host,
          });
          return 'the woken sweep hung on the list, every bot SIGKILLed, one bot started after (notifications then lost: its sweep finds the ends)';
        },
        SWEEP_SECONDS * 1000 + 40_000,
      );
    },
  },
];
