/**
 * The page's server over HTTP, without a browser: each thing a person does reaches the real bot as Slack
 * would send it, and what the bot does comes back on the event stream.
 */

import { WebClient } from '@slack/web-api';
import { silentLogger } from '../../src/logger';
import { type RunningPlayground, startPlayground, withoutPassword } from '../../src/playground/playground';
import { containing } from '../../src/slack-standin';

let playground: RunningPlayground;

beforeAll(async () => {
  playground = await startPlayground({
    port: 0,
    env: { DLF_POLL_INTERVAL_SECONDS: '0.5', DLF_WATCH_INTERVAL_SECONDS: '0.5' },
    logger: silentLogger,
  });
});

afterAll(async () => {
  await playground?.close();
});

type Answer = Record<string, unknown> & { ok: boolean };

async function post(path: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${playground.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { ...((await response.json()) as Answer), status: response.status };
}

const standin = () => playground.slack.standin;

/** Reads the event stream until `until` has seen what it waits for. */
async function readEvents(until: (event: Record<string, unknown>) => boolean, act: () => Promise<unknown>) {
  const controller = new AbortController();
  const response = await fetch(`${playground.url}/events`, { signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const seen: Record<string, unknown>[] = [];
  let buffer = '';
  let acted = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended');
      buffer += decoder.decode(value, { stream: true });
      const frames = buffer.split('\n\n');
      buffer = frames.pop() ?? '';
      for (const frame of frames) {
        if (!frame.startsWith('data: ')) continue;
        const event = JSON.parse(frame.slice(6)) as Record<string, unknown>;
        seen.push(event);
        if (until(event)) return seen;
      }
      if (!acted) {
        acted = true;
        await act();
      }
    }
  } finally {
    controller.abort();
  }
}

test('the stream starts with a snapshot, then shows what the bot posts', async () => {
  const events = await readEvents(
    (event) => event.type === 'message' && JSON.stringify(event.message).includes('Dummy_8556'),
    () => post('/api/message', { channel: 'C0GENERAL', text: '/dlf-instance job_batch 34765' }),
  );
  const snapshot = events[0] as {
    type: string;
    snapshot: { conversations: { name: string }[]; messages: unknown[] };
  };
  expect(snapshot.type).toBe('snapshot');
  expect(snapshot.snapshot.conversations.map((c) => c.name)).toEqual([
    'general',
    'dlf-alerts',
    'team-private',
    'no-bot-here',
    'private-no-bot',
    'dlf-bot',
  ]);
  expect(JSON.stringify(snapshot.snapshot.messages)).toContain('DataArts alert');
  const posted = events.at(-1) as { message: { author: { name: string; bot: boolean }; html: string } };
  expect(posted.message.author).toMatchObject({ name: 'dlf-bot', bot: true });
  expect(posted.message.html).toContain('data-action-id="instance_subscribe"');
});

test('what Slack itself answers: unknown commands, plain messages, and the command’s immediate answer', async () => {
  const unknown = await post('/api/message', { channel: 'C0GENERAL', text: '/dlf job_batch' });
  expect(JSON.stringify(unknown.notice)).toContain('is not a valid command');

  const plain = await post('/api/message', { channel: 'C0GENERAL', text: 'is a < b?' });
  expect(JSON.stringify(plain.notice)).toContain('does not read messages');
  expect(standin().messages('C0GENERAL').at(-1)).toMatchObject({ user: 'U0ALICE', text: 'is a &lt; b?' });

  // Bolt acknowledges `help` with the usage in its HTTP answer: Slack shows that only to the person.
  await post('/api/message', { channel: 'C0GENERAL', text: '/dlf-instance help' });
  expect(standin().ephemerals({ user: 'U0ALICE' }).at(-1)?.text).toContain('Usage:');
});

test('Subscribe is a real block action: an ended instance gets its final state in the thread at once', async () => {
  await post('/api/message', { channel: 'C0GENERAL', text: '/dlf-instance job_batch 34764' });
  const message = await standin().waitForMessage('C0GENERAL', { text: containing('#34764') });
  const answer = await post('/api/action', {
    channel: 'C0GENERAL',
    ts: message.ts,
    actionId: 'instance_subscribe',
    blockId: 'instance_actions',
  });
  expect(answer.ok).toBe(true);
  const [reply] = await standin().waitFor(() => {
    const replies = standin().thread('C0GENERAL', message.ts);
    return replies.length > 0 && replies;
  });
  expect(reply?.text).toContain('succeeded');
});

test('a console link typed in the message box unfurls into a live card; its Refresh is a press on the card', async () => {
  const url =
    'https://console.huaweicloud.com/dataarts/?region=eu-west-101#/dlf/monitor/instance?jobName=job_batch&instanceId=34765';
  const events = await readEvents(
    (event) => event.type === 'message' && JSON.stringify(event).includes('bk-unfurl'),
    () => post('/api/message', { channel: 'C0GENERAL', text: `is this one stuck? ${url}` }),
  );
  const shown = events.at(-1) as { message: { ts: string; html: string } };
  expect(shown.message.html).toContain('job_batch #34765');
  expect(shown.message.html).toContain('data-action-id="card_refresh"');
  const [card] = standin()
    .unfurls()
    .filter((u) => u.ts === shown.message.ts);
  expect(card).toMatchObject({ url, versions: 1 });
  const answer = await post('/api/action', {
    channel: 'C0GENERAL',
    ts: shown.message.ts,
    unfurl: url,
    actionId: 'card_refresh',
    blockId: 'card_actions',
  });
  expect(answer.ok).toBe(true);
  await standin().waitFor(() => card!.versions === 2 || undefined, { what: 'the card drawn again' });
});

test('the global shortcut opens the modal; a submission is checked by the bot, then posts', async () => {
  expect((await post('/api/shortcut')).ok).toBe(true);
  const modal = await standin().waitFor(() => standin().views('U0ALICE').at(-1));
  const snapshot = (await (await fetch(`${playground.url}/api/snapshot`)).json()) as {
    modal: { title: string; html: string };
  };
  expect(snapshot.modal.title).toBe('Find a DLF instance');

  const refused = await post('/api/view/submit', {
    viewId: modal.id,
    inputs: [{ blockId: 'conversation', actionId: 'conversation', value: 'C0GENERAL' }],
  });
  expect(refused).toMatchObject({ ok: false, errors: { job: expect.any(String) } });

  const accepted = await post('/api/view/submit', {
    viewId: modal.id,
    inputs: [
      { blockId: 'job', actionId: 'job', value: 'job_batch' },
      { blockId: 'instance', actionId: 'instance', value: '34765' },
      { blockId: 'conversation', actionId: 'conversation', value: 'G0TEAM' },
      { blockId: 'follow', actionId: 'follow', values: [] },
    ],
  });
  expect(accepted.ok).toBe(true);
  await standin().waitForMessage('G0TEAM', { text: containing('job_batch #34765') });
  expect((await post('/api/view/close', { viewId: modal.id })).ok).toBe(true);
  await standin().waitFor(() => standin().views('U0ALICE').length === 0);
});

test('the message shortcut on a pasted alert answers in its thread; App Home is published', async () => {
  const alert = standin().messages('C0ALERTS')[0]!;
  expect((await post('/api/message-shortcut', { channel: 'C0ALERTS', ts: alert.ts })).ok).toBe(true);
  await standin().waitFor(() => standin().thread('C0ALERTS', alert.ts).length > 0);

  expect((await post('/api/home')).ok).toBe(true);
  await standin().waitFor(() => standin().home('U0ALICE'));
});

test('a live demo run starts from the page; other jobs are refused', async () => {
  const started = await post('/api/live-run', { job: 'demo_daily_success' });
  expect(started).toMatchObject({
    ok: true,
    command: expect.stringMatching(/^\/dlf-instance demo_daily_success \d+$/),
  });
  expect((await post('/api/live-run', { job: 'job_batch' })).status).toBe(400);
});

test('only the page can act: other origins and non-JSON bodies are refused', async () => {
  const foreign = await post('/api/shortcut', {}, { origin: 'https://example.com' });
  expect(foreign.status).toBe(403);
  const form = await fetch(`${playground.url}/api/shortcut`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'a=1',
  });
  expect(form.status).toBe(403);
});

test('the page binds loopback only, and a Redis URL is shown without its password', () => {
  expect(new URL(playground.url).hostname).toBe('127.0.0.1');
  expect(playground.store).toBe('memory');
  expect(withoutPassword('redis://user:s3cret@redis.local:6379/0')).toBe(
    'redis://user:***@redis.local:6379/0',
  );
});

test('a file the bot shares is in the message the page gets, and the page serves its bytes', async () => {
  const bot = new WebClient(standin().botToken, {
    slackApiUrl: playground.slack.apiUrl,
    retryConfig: { retries: 0 },
  });
  const bytes = Buffer.from('\x89PNG\r\n\x1a\n not really a picture');
  const parent = await bot.chat.postMessage({ channel: 'C0GENERAL', text: 'files here' });
  const events = await readEvents(
    (event) => event.type === 'message' && JSON.stringify(event.message).includes('bk-file'),
    () =>
      bot.filesUploadV2({
        channel_id: 'C0GENERAL',
        thread_ts: parent.ts!,
        file: bytes,
        filename: 'pic.png',
        title: 'A picture',
      }),
  );
  const html = String((events.at(-1)!.message as { html: string }).html);
  const src = /<img src="([^"]+)"/.exec(html)![1]!;
  expect(src).toMatch(/^\/files\/F\w+\/pic\.png$/);
  const served = await fetch(`${playground.url}${src}`);
  expect(served.headers.get('content-type')).toBe('image/png');
  expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
  expect((await fetch(`${playground.url}/files/F0NOPE/x.png`)).status).toBe(404);
});

test('the visitor is on call: stops a live run with its button, and reruns the failed demo after confirming', async () => {
  const started = await post('/api/live-run', { job: 'demo_daily_success' });
  const command = String(started.command);
  const id = command.split(' ').pop()!;
  await post('/api/message', { channel: 'C0GENERAL', text: command });
  const message = await standin().waitForMessage('C0GENERAL', { text: containing(`#${id}`) });
  await standin().waitFor(() => JSON.stringify(message.blocks).includes('instance_stop'));
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(
    (await post('/api/action', { channel: 'C0GENERAL', ts: message.ts, actionId: 'instance_stop' })).ok,
  ).toBe(true);
  const [note] = await standin().waitFor(() => {
    const replies = standin().thread('C0GENERAL', message.ts);
    return replies.length > 0 && replies;
  });
  expect(note?.text).toBe(':octagonal_sign: <@U0ALICE> stopped this instance.');

  await post('/api/message', { channel: 'C0GENERAL', text: '/dlf-instance rerun job_batch 34765' });
  const confirmation = await standin().waitFor(() =>
    standin()
      .ephemerals({ user: 'U0ALICE' })
      .find((e) => /This will run \*job_batch\* #34765 again/.test(e.text ?? '')),
  );
  expect((await post('/api/action', { ephemeral: confirmation.ts, actionId: 'operation_confirm' })).ok).toBe(
    true,
  );
  await standin().waitFor(() =>
    standin()
      .ephemerals({ user: 'U0ALICE' })
      .find((e) => /job_batch #34765\* is running again/.test(e.text ?? '')),
  );
  expect(
    playground.sim.simulator.callsFor('job_batch', '34765').filter((c) => c.method === 'POST'),
  ).toHaveLength(1);
});
