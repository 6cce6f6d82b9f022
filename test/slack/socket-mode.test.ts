import { createLogger } from '../../src/logger';
import { DEMO_SK } from '../../src/simulator';
import type { SlackStandin, SocketModeDriver, StoredMessage } from '../../src/slack-standin';
import { sleep } from '../helpers/backends';
import { BOT_TOKEN, type Harness, startSocketModeHarness } from '../helpers/bot';
import { startRedis, type TestRedis } from '../helpers/redis';

const INTERVAL_MS = 300;

let h: Harness<SocketModeDriver>;
let slack: SlackStandin;
let redis: TestRedis;
/** Everything the bot logged, at debug level (Bolt and its Socket Mode client keep to info: Bolt sets that). */
const logs: string[] = [];

beforeAll(async () => {
  redis = await startRedis();
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => logs.push(line) } });
  h = await startSocketModeHarness(
    {
      REDIS_URL: redis.url,
      DLF_POLL_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
      DLF_WATCH_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
      DLF_POLL_LOCK_SECONDS: '2',
      SLACK_API_TIMEOUT_SECONDS: '1',
    },
    logger,
  );
  slack = h.slack.standin;
});
afterAll(async () => {
  await h.close();
  await redis.stop();
});

const json = (value: unknown) => JSON.stringify(value);

async function posted(channel: string, count: number): Promise<StoredMessage> {
  return slack.waitFor(() => slack.messages(channel).length >= count && slack.messages(channel)[count - 1], {
    what: `message ${count} in ${channel}`,
  });
}

test('connects with the app-level token and calls every other method with the bot token', () => {
  expect(slack.calls('apps.connections.open').map((call) => call.tokenOk)).toEqual([true]);
  expect(slack.calls('auth.test').every((call) => call.tokenOk)).toBe(true);
  expect(slack.socketMode.openConnections()).toHaveLength(1);
});

describe('/dlf-instance', () => {
  test('job_batch 34765: acked with no payload, then the summary is posted in the channel', async () => {
    const before = slack.messages('C0GENERAL').length;
    const answer = await h.driver.command('/dlf-instance', 'job_batch 34765');
    expect(answer).toMatchObject({ status: 200, body: '' });
    const message = await posted('C0GENERAL', before + 1);
    expect(message.text).toBe('job_batch #34765: failed after 1 minute (2 nodes)');
    expect(json(message.blocks)).toContain('*error* · DWS SQL');
  });

  test('help: the usage comes back in the ack payload, only to the person who asked', async () => {
    const help = await h.driver.command('/dlf-instance', 'help');
    expect(help.json).toMatchObject({ response_type: 'ephemeral' });
    expect(help.json?.text).toContain('/dlf-instance job_batch 34765');
    const [envelope] = slack.socketMode.envelopes().slice(-1);
    expect(envelope).toMatchObject({ type: 'slash_commands', acks: [{ payload: help.json }] });
  });
});

test('Subscribe on a live run: the button is acked and the thread gets one reply when the run ends', async () => {
  const id = h.sim.simulator.startRun('socket_follow', {
    nodes: [
      { name: 'extract', type: 'CDMJob', durationMs: 1 },
      { name: 'validate', type: 'HiveSQL', durationMs: 3_600_000 },
    ],
  });
  const before = slack.messages('C0GENERAL').length;
  await h.driver.command('/dlf-instance', `socket_follow ${id}`);
  const message = await posted('C0GENERAL', before + 1);
  const press = await h.driver.blockAction({
    actionId: 'instance_subscribe',
    message: { channel: 'C0GENERAL', ts: message.ts },
  });
  expect(press.status).toBe(200);
  await slack.waitFor(() => json(message.blocks).includes('instance_unsubscribe'), {
    what: 'the Unsubscribe button',
  });
  h.sim.simulator.finish('socket_follow', id, 'fail');
  const reply = await slack.waitFor(() => slack.thread('C0GENERAL', message.ts)[0], {
    timeoutMs: 10_000,
    what: 'the thread reply',
  });
  expect(reply.text).toContain(`socket_follow #${id} failed`);
  expect(json(reply.blocks)).toContain('<@U0ALICE>');
  await sleep(INTERVAL_MS * 4);
  expect(slack.thread('C0GENERAL', message.ts)).toHaveLength(1);
});

test('global shortcut → modal → submission: errors, then the update, come back in the ack', async () => {
  await h.driver.globalShortcut('dlf_find_global');
  const modal = await slack.waitFor(() =>
    slack.views('U0ALICE').find((v) => json(v).includes('Find a DLF instance')),
  );
  const values = (job: string, instance: string) => ({
    job: { job: { type: 'plain_text_input', value: job } },
    instance: { instance: { type: 'plain_text_input', value: instance } },
    workspace: { workspace: { type: 'plain_text_input', value: null } },
    conversation: { conversation: { type: 'conversations_select', selected_conversation: 'C0GENERAL' } },
  });
  const bad = await h.driver.viewSubmission({ view: modal, values: values('job batch', 'x') });
  expect(bad.json).toMatchObject({
    response_action: 'errors',
    errors: { job: expect.any(String), instance: expect.any(String) },
  });
  const before = slack.messages('C0GENERAL').length;
  const good = await h.driver.viewSubmission({ view: modal, values: values('job_batch', '34765') });
  expect(good.json).toMatchObject({ response_action: 'update' });
  const message = await posted('C0GENERAL', before + 1);
  const permalink = `https://standin.slack.com/archives/C0GENERAL/p${message.ts.replace('.', '')}`;
  await slack.waitFor(() => slack.views('U0ALICE').find((v) => json(v).includes(permalink)));
});

test('message shortcut on a pasted alert answers in its thread', async () => {
  const alert = slack.addMessage({
    channel: 'C0GENERAL',
    user: 'U0BOB',
    text: '[DLF] Job job_batch instance 34765 failed',
  });
  await h.driver.messageShortcut('dlf_track_message', { channel: 'C0GENERAL', ts: alert.ts });
  const reply = await slack.waitFor(() => slack.thread('C0GENERAL', alert.ts)[0]);
  expect(json(reply.blocks)).toContain('job_batch #34765');
});

test('App Home: an event publishes it; Slack’s redelivery of that event is acked and dropped', async () => {
  const first = await h.driver.event('app_home_opened', { user: 'U0ALICE', channel: 'D0ALICE', tab: 'home' });
  expect(json(await slack.waitFor(() => slack.home('U0ALICE')))).toContain('DataArts Factory instances');
  const publishes = slack.calls('views.publish').length;
  const again = await h.driver.event(
    'app_home_opened',
    { user: 'U0ALICE', channel: 'D0ALICE', tab: 'home' },
    { eventId: first.eventId, retry: { num: 1, reason: 'timeout' } },
  );
  expect(again.status).toBe(200);
  await slack.waitFor(() => logs.some((line) => line.includes('re-delivered a request already handled')), {
    what: 'the bot saying it dropped the redelivery',
  });
  expect(slack.calls('views.publish')).toHaveLength(publishes);
  expect(slack.socketMode.envelopes().slice(-2)).toMatchObject([
    { type: 'events_api', retryAttempt: 0 },
    { type: 'events_api', retryAttempt: 1 },
  ]);
});

test('disconnect (refresh_requested): the bot opens a new link and a command sent meanwhile is served', async () => {
  const hub = slack.socketMode;
  const [old] = hub.openConnections();
  hub.disconnect('refresh_requested');
  const before = slack.messages('C0GENERAL').length;
  // Sent at once: the stand-in holds it until the bot is connected again, as Slack queues for a reconnect.
  const answer = await h.driver.command('/dlf-instance', 'job_batch 34765');
  expect(answer.status).toBe(200);
  await posted('C0GENERAL', before + 1);
  const connections = hub.connections();
  expect(connections.find((c) => c.id === old!.id)).toMatchObject({
    disconnect: 'refresh_requested',
    closedAt: expect.any(Number),
  });
  expect(hub.openConnections()).toMatchObject([{ id: expect.any(Number) }]);
  expect(hub.openConnections()[0]!.id).not.toBe(old!.id);
  expect(hub.envelopes().at(-1)!.connection).toBe(hub.openConnections()[0]!.id);
  expect(slack.calls('apps.connections.open').map((call) => call.tokenOk)).toEqual([true, true]);
});

test('Slack unreachable when the bot reconnects: it keeps asking for a link, connects, and serves', async () => {
  const hub = slack.socketMode;
  const opens = slack.calls('apps.connections.open').length;
  // Three answers lost in a row: more than the bot's own Web API retries (2), so only the Socket Mode
  // client's own retry policy gets it through.
  slack.fail('apps.connections.open', { acceptThenDrop: true, times: 3 });
  hub.disconnect('refresh_requested');
  const before = slack.messages('C0GENERAL').length;
  expect((await h.driver.command('/dlf-instance', 'job_batch 34765')).status).toBe(200);
  await posted('C0GENERAL', before + 1);
  expect(
    slack
      .calls('apps.connections.open')
      .slice(opens)
      .map((call) => call.delivery),
  ).toEqual(['dropped', 'dropped', 'dropped', 'answered']);
  expect(hub.openConnections()).toHaveLength(1);
});

test('/healthz is served on PORT in Socket Mode', async () => {
  const health = await fetch(`${h.botUrl}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.text()).toBe('ok');
});

test('every envelope the stand-in sent was acked exactly once; no token or key reached the logs', () => {
  const envelopes = slack.socketMode.envelopes();
  expect(envelopes.length).toBeGreaterThanOrEqual(12);
  expect(envelopes.filter((envelope) => envelope.acks.length !== 1)).toEqual([]);
  expect(slack.socketMode.strayMessages()).toEqual([]);
  // Logs were captured, the Socket Mode client's warnings of the unreachable reconnect among them.
  expect(logs.some((line) => line.includes('connected to Slack in Socket Mode'))).toBe(true);
  expect(logs.some((line) => line.includes('http request failed'))).toBe(true);
  const everything = logs.join('\n');
  for (const secret of [slack.socketMode.appToken, BOT_TOKEN, DEMO_SK])
    expect(everything).not.toContain(secret);
});
