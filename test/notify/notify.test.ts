/**
 * DataArts notifications as a wake-up, end to end: the simulator's SMN topic confirms the bot's subscription and
 * publishes, signed, the ends its notification rules want to POST /dataarts/notify; the bot (sweeping only every
 * 60 s) is woken and the watched failure's alert arrives long before the next sweep. Forged, stale and replayed
 * messages are refused before they can wake anything, and post nothing.
 */
import type { RunningBot } from '../../src/app';
import { NOTIFY_PATH } from '../../src/notify/route';
import { type SimulatorNotifications, startNotificationRules } from '../../src/simulator/notifications';
import { dataartsMessage, type RunningSmnTopic, startSmnTopic } from '../../src/simulator/smn';
import type { SlackDriver, StoredMessage } from '../../src/slack-standin';
import { type Backends, startBackends } from '../helpers/backends';
import { startBotAgainst } from '../helpers/bot';

const TOPIC = 'urn:smn:eu-de:b384b9e9ab9b4ee8994c8633aabc9505:dlf_alerts';
const SWEEP_SECONDS = 60;
/** Well inside the sweep interval: an alert by then was woken, not swept. */
const WOKEN_WITHIN_MS = (SWEEP_SECONDS * 1000) / 4;

let backends: Backends;
let topic: RunningSmnTopic;
let bot: RunningBot;
let botUrl: string;
let driver: SlackDriver;
let rules: SimulatorNotifications;
const json = (value: unknown) => JSON.stringify(value);

beforeAll(async () => {
  backends = await startBackends();
  topic = await startSmnTopic({ topicUrn: TOPIC });
  const started = await startBotAgainst(backends.sim, backends.slackServer, {
    REDIS_URL: backends.redis.url,
    DLF_WATCH_INTERVAL_SECONDS: String(SWEEP_SECONDS),
    DLF_POLL_INTERVAL_SECONDS: String(SWEEP_SECONDS),
    DLF_NOTIFY_ENABLED: 'true',
    DLF_NOTIFY_TOPICS: TOPIC,
    DLF_NOTIFY_CERT_HOSTS: topic.host,
  });
  ({ bot, botUrl, driver } = started);
  rules = startNotificationRules(backends.sim.simulator, topic, [
    { endpoint: `${botUrl}${NOTIFY_PATH}`, on: ['fail'], never: /^never_/ },
  ]);
  backends.slackServer.standin.addChannel({
    id: 'C0NOTIFY',
    name: 'notify',
    kind: 'public',
    botIsMember: true,
  });
});
afterAll(async () => {
  rules.stop();
  await bot.stop();
  await topic.close();
  await backends.close();
});

const slack = () => backends.slackServer.standin;
const sim = () => backends.sim.simulator;
const listCalls = () => sim().calls.filter((call) => call.path.endsWith('/jobs/instances/detail')).length;

async function metric(outcome: string): Promise<number> {
  const text = await (await fetch(`${botUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`dlfbot_notifications_total{outcome="${outcome}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

async function watch(job: string): Promise<void> {
  sim().addJob(job);
  const before = slack().messages('C0NOTIFY').length;
  await driver.command('/dlf-instance', `watch ${job}`, { channel: 'C0NOTIFY' });
  await slack().waitFor(() => slack().messages('C0NOTIFY')[before], { what: 'the watch note' });
  // The watch's own first sweep reads the list; the next one is a minute away.
  await slack().waitFor(() => listCalls() > 0 || undefined, { what: 'the first sweep' });
}

const alertOf = (job: string, id: string): StoredMessage | undefined =>
  slack()
    .messages('C0NOTIFY')
    .find((m) => m.user === 'U0BOT' && (m.text ?? '').includes(`${job} #${id}`));

test('the subscription is confirmed by its signed link', async () => {
  const { statuses } = await topic.subscribe(`${botUrl}${NOTIFY_PATH}`);
  expect(statuses).toEqual([200]);
  expect(topic.confirmations()).toHaveLength(1);
  expect(await metric('confirmed')).toBe(1);
});

test('a signed notification of a watched failure wakes the sweep: the alert, long before the next sweep', async () => {
  await watch('notify_orders');
  const id = sim().startRun('notify_orders', {
    nodes: [{ name: 'load', type: 'DWS SQL', durationMs: 200, outcome: 'fail' }],
  });
  const started = Date.now();
  const alert = await slack().waitFor(() => alertOf('notify_orders', id), {
    what: 'the alert, woken by the notification',
    timeoutMs: WOKEN_WITHIN_MS,
  });
  expect(json(alert.blocks)).toContain('load');
  expect(Date.now() - started).toBeLessThan(WOKEN_WITHIN_MS);
  expect(await metric('woke')).toBeGreaterThanOrEqual(1);
  expect(rules.published().some((p) => p.instanceId === id)).toBe(true);
});

test('forged, stale and replayed messages are refused before they wake anything, and post nothing', async () => {
  await watch('notify_quiet');
  const endpoint = `${botUrl}${NOTIFY_PATH}`;
  const posts = slack().messages('C0NOTIFY').length;
  const before = listCalls();
  const woke = await metric('woke');
  const message = dataartsMessage({ job: 'notify_quiet', instanceId: '1', status: 'fail' });

  expect((await topic.publish(endpoint, message, { tamper: 'signature' })).statuses).toEqual([403]);
  expect((await topic.publish(endpoint, message, { tamper: 'body' })).statuses).toEqual([403]);
  const stale = await topic.publish(endpoint, message, { timestamp: Date.now() - 60 * 60_000 });
  expect(stale.statuses).toEqual([403]);
  const junk = await fetch(endpoint, { method: 'POST', body: '{"type":"Notification"}' });
  expect(junk.status).toBe(400);

  // Refused before the wake: nothing was brought forward (the wake answers only after it asked for the sweep).
  expect(await metric('woke')).toBe(woke);
  expect(await metric('signature')).toBe(2);
  expect(await metric('stale')).toBe(1);
  expect(await metric('malformed')).toBe(1);
  expect(listCalls()).toBe(before);

  // A real one wakes once; the same message again (SMN retrying, or a replay) is taken and does nothing.
  const first = await topic.publish(endpoint, message, { messageId: 'notify-replay-1' });
  expect(first.statuses).toEqual([200]);
  const again = await topic.publish(endpoint, message, { messageId: 'notify-replay-1', times: 2 });
  expect(again.statuses).toEqual([200, 200]);
  expect(await metric('woke')).toBe(woke + 1);
  expect(await metric('replayed')).toBe(2);
  expect(slack().messages('C0NOTIFY')).toHaveLength(posts);
});

test('a lost notification: the sweep is still the net (the end is alerted by the next sweep)', async () => {
  // `never_` jobs are never published; the alert then waits for the sweep (here brought forward by another
  // notification, as the next one would be in a minute).
  await watch('never_told');
  const id = sim().startRun('never_told', {
    nodes: [{ name: 'load', type: 'DWS SQL', durationMs: 100, outcome: 'fail' }],
  });
  await slack().waitFor(() => sim().instance('never_told', id)?.status === 'fail' || undefined, {
    what: 'the run to fail',
  });
  expect(rules.published().some((p) => p.instanceId === id)).toBe(false);
  await topic.publish(
    `${botUrl}${NOTIFY_PATH}`,
    dataartsMessage({ job: 'other', instanceId: '9', status: 'fail' }),
  );
  await slack().waitFor(() => alertOf('never_told', id), { what: 'the alert from the sweep' });
});
