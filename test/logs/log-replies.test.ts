/**
 * Failed nodes' logs in Slack, end to end: the simulator fails runs whose failed nodes' logs sit behind its OBS
 * endpoint; the bot (its OBS settings pointing there) posts each failure alert and thread reply, then the excerpt
 * in its thread, with **Full log** uploading the tail as a file. The posted text and the uploaded file are read
 * for the error line and for every secret of the log. OBS that is down, denies or has no log yet costs one
 * sentence in the thread, never the alert or the reply.
 */
import { DEMO_AK, DEMO_IAM_USER, DEMO_SK } from '../../src/simulator';
import { LOG_ERROR_LINE, LOG_SECRETS, resolveSimulatorLog } from '../../src/simulator/node-logs';
import { type RunningObs, startObs } from '../../src/simulator/obs';
import { SlackDriver, type StoredMessage } from '../../src/slack-standin';
import { startBackends } from '../helpers/backends';
import { type Harness, recorded, SIGNING_SECRET, startBotAgainst, startHarness } from '../helpers/bot';
import { spawnBot } from '../helpers/bot-process';

const INTERVAL_MS = 200;
/** The wait before the one retry of a log not found yet, as the bot is told. */
const RETRY_SECONDS = 0.3;
const TAIL_KB = 64;
/** Deadlines from the bot's own settings: a few sweeps and the retry, with room for a loaded machine. */
const DEADLINE_MS = 40 * INTERVAL_MS + RETRY_SECONDS * 1000 + 10_000;

let h: Harness;
let obs: RunningObs;
const json = (value: unknown) => JSON.stringify(value);

beforeAll(async () => {
  obs = await startObs({ accessKey: DEMO_AK, secretKey: DEMO_SK, resolve: resolveSimulatorLog });
  h = await startHarness({
    DLF_WATCH_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
    DLF_POLL_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
    OBS_ENDPOINT: obs.url,
    OBS_PATH_STYLE: 'true',
    OBS_TIMEOUT_SECONDS: '2',
    DLF_LOG_RETRY_SECONDS: String(RETRY_SECONDS),
    DLF_LOG_TAIL_KB: String(TAIL_KB),
  });
  h.slack.standin.addChannel({ id: 'C0LOGS', name: 'logs', kind: 'public', botIsMember: true });
}, 30_000);
afterEach(() => obs.setFault(undefined));
afterAll(async () => {
  await h.close();
  await obs.close();
});

/** A run of `job` failing at `node` (a node named *big* has the 50 MB log). */
function failingRun(job: string, node = 'load_orders'): string {
  return h.sim.simulator.startRun(job, {
    nodes: [
      { name: 'extract', type: 'CDMJob', durationMs: 30 },
      { name: node, type: 'DWS SQL', durationMs: 60, outcome: 'fail' },
    ],
  });
}

const bot = (messages: StoredMessage[]) => messages.filter((m) => m.user === 'U0BOT');

async function watchAndFail(job: string, node?: string): Promise<{ alert: StoredMessage; id: string }> {
  const slack = h.slack.standin;
  h.sim.simulator.addJob(job);
  const before = bot(slack.messages('C0LOGS')).length;
  await h.driver.command('/dlf-instance', `watch ${job}`, { channel: 'C0LOGS' });
  await slack.waitFor(() => bot(slack.messages('C0LOGS'))[before], { what: 'the watch note' });
  const id = failingRun(job, node);
  const alert = await slack.waitFor(
    () => bot(slack.messages('C0LOGS')).find((m) => (m.text ?? '').includes(`${job} #${id}`)),
    { what: `the alert of ${job}`, timeoutMs: DEADLINE_MS },
  );
  return { alert, id };
}

function excerptIn(channel: string, ts: string): Promise<StoredMessage> {
  const slack = h.slack.standin;
  return slack.waitFor(
    () => slack.thread(channel, ts).find((m) => m.ts !== ts && /^Log of /.test(m.text ?? '')),
    { what: 'the log excerpt in the thread', timeoutMs: DEADLINE_MS },
  );
}

function expectNoSecret(text: string): void {
  for (const secret of LOG_SECRETS) expect(text).not.toContain(secret);
}

test('a watched failure: the alert, then in its thread the excerpt with the error line and no secret; Full log uploads the redacted tail', async () => {
  const slack = h.slack.standin;
  const { alert } = await watchAndFail('log_job');
  const excerpt = await excerptIn('C0LOGS', alert.ts);
  const shown = json(excerpt.blocks);
  expect(shown).toContain(LOG_ERROR_LINE);
  expect(shown).toContain('Caused by: java.sql.SQLException');
  expect(excerpt.text).toBe('Log of load_orders');
  expectNoSecret(shown);
  expectNoSecret(excerpt.text ?? '');
  expect(excerpt.metadata?.event_type).toBe('dlf_instance');
  // The alert itself offers the log too.
  expect(json(alert.blocks)).toContain('instance_log');

  await recorded(h.bot, { channel: 'C0LOGS', ts: excerpt.ts });
  await h.driver.blockAction({ actionId: 'instance_log', message: excerpt });
  const upload = await slack.waitFor(() => slack.thread('C0LOGS', alert.ts).find((m) => m.files?.length), {
    what: 'the uploaded log',
    timeoutMs: DEADLINE_MS,
  });
  const [file] = upload.files!;
  expect(file!.name).toMatch(/^log_job-\d+-load_orders\.log$/);
  const bytes = slack.fileBytes(file!.id)!.toString('utf8');
  expect(bytes).toContain(LOG_ERROR_LINE);
  expect(bytes).toContain('[redacted]');
  expectNoSecret(bytes);
  expectNoSecret(upload.text ?? '');
}, 60_000);

test('a followed instance that fails: the thread reply, then the excerpt under it', async () => {
  const slack = h.slack.standin;
  h.sim.simulator.addJob('log_followed');
  const id = h.sim.simulator.startRun('log_followed', {
    nodes: [{ name: 'slow_fail', type: 'DWS SQL', durationMs: 1_500, outcome: 'fail' }],
  });
  const before = slack.messages('C0GENERAL').length;
  await h.driver.command('/dlf-instance', `subscribe log_followed ${id}`);
  const message = await slack.waitFor(() => slack.messages('C0GENERAL')[before], { what: 'the message' });
  const reply = await slack.waitFor(
    () =>
      slack.thread('C0GENERAL', message.ts).find((m) => /failed/i.test(m.text ?? '') && m.ts !== message.ts),
    { what: 'the end reply', timeoutMs: DEADLINE_MS },
  );
  const excerpt = await excerptIn('C0GENERAL', message.ts);
  expect(Number(excerpt.ts)).toBeGreaterThan(Number(reply.ts));
  expect(json(excerpt.blocks)).toContain(LOG_ERROR_LINE);
  expectNoSecret(json(excerpt.blocks));
}, 60_000);

test('a 50 MB log costs one size check and one ranged read of the tail', async () => {
  const requestsBefore = obs.requests().length;
  const bytesBefore = obs.bytesServed();
  const { alert } = await watchAndFail('log_big', 'load_big');
  const excerpt = await excerptIn('C0LOGS', alert.ts);
  expect(json(excerpt.blocks)).toContain(LOG_ERROR_LINE);
  const requests = obs.requests().slice(requestsBefore);
  expect(requests.map((r) => r.method)).toEqual(['HEAD', 'GET']);
  expect(requests[1]!.range).toBe(`bytes=${50 * 1024 * 1024 - TAIL_KB * 1024}-${50 * 1024 * 1024 - 1}`);
  expect(obs.bytesServed() - bytesBefore).toBeLessThanOrEqual(TAIL_KB * 1024);
}, 60_000);

test.each([
  ['down', { kind: 'down' } as const, /OBS did not answer/],
  ['denied', { kind: 'denied' } as const, /obs:object:GetObject on the bucket dlf-test-log/],
  ['missing (asked twice)', { kind: 'missing' } as const, /not in OBS yet/],
])(
  'OBS %s: the alert still arrives, and its thread says so in one sentence',
  async (_, fault, sentence) => {
    obs.setFault(fault);
    const job = `log_${fault.kind}`;
    const requestsBefore = obs.requests().length;
    const { alert } = await watchAndFail(job);
    const note = await excerptIn('C0LOGS', alert.ts);
    expect(note.text).toMatch(sentence);
    expect(json(note.blocks)).not.toContain('Full log');
    if (fault.kind === 'missing')
      // Not there yet: asked once more after the delay, then said.
      expect(
        obs
          .requests()
          .slice(requestsBefore)
          .filter((r) => r.method === 'HEAD'),
      ).toHaveLength(2);
  },
  60_000,
);

test('Log on an instance message and in View all nodes: the file in the message’s thread', async () => {
  const slack = h.slack.standin;
  h.sim.simulator.addJob('log_lookup');
  const id = failingRun('log_lookup');
  await slack.waitFor(() => h.sim.simulator.instance('log_lookup', id)?.status === 'fail' || undefined, {
    what: 'the run to fail',
    timeoutMs: DEADLINE_MS,
  });
  const before = slack.messages('C0GENERAL').length;
  await h.driver.command('/dlf-instance', `log_lookup ${id}`);
  const message = await slack.waitFor(() => slack.messages('C0GENERAL')[before], { what: 'the message' });
  await recorded(h.bot, message);
  const uploads = slack.files().length;
  await h.driver.blockAction({ actionId: 'instance_log', message });
  await slack.waitFor(() => slack.files().length === uploads + 1 || undefined, { what: 'the upload' });
  expect(slack.thread('C0GENERAL', message.ts).some((m) => m.files?.length)).toBe(true);

  await h.driver.blockAction({ actionId: 'instance_view_nodes', message });
  const view = await slack.waitFor(
    () => slack.views('U0ALICE').find((v) => json(v.blocks).includes('instance_log')),
    { what: 'the modal with a Log button' },
  );
  await h.driver.viewAction({ view, actionId: 'instance_log' });
  await slack.waitFor(() => slack.files().length === uploads + 2 || undefined, { what: 'the second upload' });
  const files = slack.thread('C0GENERAL', message.ts).filter((m) => m.files?.length);
  expect(files).toHaveLength(2);
  for (const upload of files) expectNoSecret(slack.fileBytes(upload.files![0]!.id)!.toString('utf8'));
}, 60_000);

test('as `npm start` runs it, on Redis with the engine thread: the watch alert, then its excerpt, once', async () => {
  const backends = await startBackends();
  const logs = await startObs({ accessKey: DEMO_AK, secretKey: DEMO_SK, resolve: resolveSimulatorLog });
  const { sim, slackServer } = backends;
  const slack = slackServer.standin;
  slack.addChannel({ id: 'C0ENGINE', name: 'engine', kind: 'public', botIsMember: true });
  const child = await spawnBot(sim, slackServer, {
    REDIS_URL: backends.redis.url,
    DLF_WATCH_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
    OBS_ENDPOINT: logs.url,
    OBS_PATH_STYLE: 'true',
  });
  try {
    const driver = new SlackDriver({
      standin: slack,
      botUrl: `http://127.0.0.1:${child.port}/slack/events`,
      signingSecret: SIGNING_SECRET,
      channel: 'C0ENGINE',
    });
    sim.simulator.addJob('log_engine');
    await driver.command('/dlf-instance', 'watch log_engine');
    await slack.waitFor(() => slack.messages('C0ENGINE')[0], { what: 'the watch note' });
    const id = sim.simulator.startRun('log_engine', {
      nodes: [{ name: 'load_orders', type: 'DWS SQL', durationMs: 50, outcome: 'fail' }],
    });
    const alert = await slack.waitFor(
      () => slack.messages('C0ENGINE').find((m) => (m.text ?? '').includes(`log_engine #${id}`)),
      { what: 'the alert', timeoutMs: DEADLINE_MS },
    );
    const excerpt = await slack.waitFor(
      () => slack.thread('C0ENGINE', alert.ts).find((m) => /^Log of /.test(m.text ?? '')),
      { what: 'the excerpt', timeoutMs: DEADLINE_MS },
    );
    expect(json(excerpt.blocks)).toContain(LOG_ERROR_LINE);
    expectNoSecret(json(excerpt.blocks));
    // A few sweeps later, still one.
    await new Promise((resolve) => setTimeout(resolve, 5 * INTERVAL_MS));
    expect(slack.thread('C0ENGINE', alert.ts).filter((m) => /^Log of /.test(m.text ?? ''))).toHaveLength(1);
    expect(child.output()).not.toContain(DEMO_SK);
  } finally {
    await child.kill();
    await logs.close();
    await backends.close();
  }
}, 90_000);

test('DataArts reached with an IAM password: the log is read with temporary keys IAM gives for the bot’s token, asked once', async () => {
  const logs = await startObs({
    accessKey: DEMO_AK,
    secretKey: DEMO_SK,
    resolve: resolveSimulatorLog,
    temporaryKey: (access) => h.sim.simulator.temporaryKey(access),
  });
  const { bot, driver } = await startBotAgainst(h.sim, h.slack, {
    DLF_AK: '',
    DLF_SK: '',
    DLF_IAM_ENDPOINT: h.sim.url,
    DLF_IAM_USER: DEMO_IAM_USER.name,
    DLF_IAM_PASSWORD: DEMO_IAM_USER.password,
    DLF_IAM_DOMAIN: DEMO_IAM_USER.domain,
    DLF_WATCH_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
    OBS_ENDPOINT: logs.url,
    OBS_PATH_STYLE: 'true',
  });
  try {
    const slack = h.slack.standin;
    slack.addChannel({ id: 'C0IAMLOGS', name: 'iam-logs', kind: 'public', botIsMember: true });
    const issued = h.sim.simulator.temporaryKeysIssued();
    for (const job of ['log_iam_a', 'log_iam_b']) {
      h.sim.simulator.addJob(job);
      const before = slack.messages('C0IAMLOGS').length;
      await driver.command('/dlf-instance', `watch ${job}`, { channel: 'C0IAMLOGS' });
      await slack.waitFor(() => slack.messages('C0IAMLOGS')[before], { what: 'the watch note' });
      const id = failingRun(job);
      const alert = await slack.waitFor(
        () => slack.messages('C0IAMLOGS').find((m) => (m.text ?? '').includes(`${job} #${id}`)),
        { what: `the alert of ${job}`, timeoutMs: DEADLINE_MS },
      );
      const excerpt = await excerptIn('C0IAMLOGS', alert.ts);
      expect(json(excerpt.blocks)).toContain(LOG_ERROR_LINE);
    }
    // Two logs, one pair of keys (kept until shortly before they expire).
    expect(h.sim.simulator.temporaryKeysIssued() - issued).toBe(1);
  } finally {
    await bot.stop();
    await logs.close();
  }
}, 60_000);
