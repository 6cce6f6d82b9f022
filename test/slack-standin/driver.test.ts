import type http from 'node:http';
import { verifySlackRequest } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { SlackDriver } from '../../src/slack-standin';
import { type LocalServer, listenLocal } from '../../src/support/http-server';
import { type Setup, section, startSetup } from './setup';

const SECRET = 'driver-test-signing-secret';

interface Received {
  headers: http.IncomingHttpHeaders;
  /** Form fields, the JSON envelope, or the parsed `payload` of an interaction. */
  body: Record<string, unknown>;
}

let s: Setup;
let bot: LocalServer;
let driver: SlackDriver;
let received: Received[];
/** What the fake bot answers (JSON), or undefined for an empty 200. */
let answer: () => Record<string, unknown> | undefined;

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeEach(async () => {
  s = await startSetup();
  received = [];
  answer = () => undefined;
  // A bot that checks signatures exactly as Bolt does, and records what Slack (the driver) sent.
  bot = await listenLocal(async (req, res) => {
    const raw = await readBody(req);
    try {
      verifySlackRequest({
        signingSecret: SECRET,
        body: raw,
        headers: {
          'x-slack-signature': String(req.headers['x-slack-signature']),
          'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']),
        },
      });
    } catch {
      res.writeHead(401);
      res.end();
      return;
    }
    const form = Object.fromEntries(new URLSearchParams(raw));
    const body =
      req.headers['content-type'] === 'application/json'
        ? JSON.parse(raw)
        : form.payload
          ? JSON.parse(form.payload)
          : form;
    received.push({ headers: req.headers, body });
    const json = answer();
    res.writeHead(200, json ? { 'content-type': 'application/json' } : {});
    res.end(json ? JSON.stringify(json) : '');
  });
  driver = new SlackDriver({ standin: s.standin, botUrl: `${bot.url}/slack/events`, signingSecret: SECRET });
});
afterEach(async () => {
  await Promise.all([bot.close(), s.close()]);
});

function last(): Received {
  const request = received.at(-1);
  if (!request) throw new Error('The bot received nothing');
  return request;
}

const responseUrl = (body: Record<string, unknown>) => String(body.response_url);

async function respond(url: string, body: unknown): Promise<number> {
  return (await fetch(url, { method: 'POST', body: JSON.stringify(body) })).status;
}

test('a slash command is a signed form, with a response_url and trigger_id that work in the stand-in', async () => {
  const reply = await driver.command('/dlf-instance', 'job_batch 34765');
  expect(reply).toMatchObject({ status: 200, body: '' });
  const { headers, body } = last();
  expect(headers['content-type']).toBe('application/x-www-form-urlencoded');
  expect(headers['x-slack-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
  expect(body).toMatchObject({
    command: '/dlf-instance',
    text: 'job_batch 34765',
    team_id: 'T0STANDIN',
    team_domain: 'standin',
    channel_id: 'C0GENERAL',
    channel_name: 'general',
    user_id: 'U0ALICE',
    user_name: 'alice',
    api_app_id: 'A0DLFBOT',
    token: expect.any(String),
  });
  expect(responseUrl(body)).toMatch(new RegExp(`^${s.url}/response/`));
  expect(await respond(responseUrl(body), { response_type: 'in_channel', text: 'answer' })).toBe(200);
  expect(s.standin.messages('C0GENERAL')).toMatchObject([{ text: 'answer', user: 'response_url' }]);
  const modal: ModalView = { type: 'modal', title: { type: 'plain_text', text: 'M' }, blocks: [] };
  await s.client.views.open({ trigger_id: String(body.trigger_id), view: modal });
  expect(s.standin.views('U0ALICE')).toHaveLength(1);

  await driver.with({ user: 'U0BOB' }).command('/dlf-instance', 'help', { channel: 'G0TEAM' });
  expect(last().body).toMatchObject({ user_id: 'U0BOB', channel_id: 'G0TEAM', channel_name: 'privategroup' });
});

test('a button press carries the message as the stand-in holds it; its response_url acts on that message', async () => {
  const blocks = [
    section('job_batch #34765'),
    {
      type: 'actions',
      block_id: 'instance_actions',
      elements: [
        {
          type: 'button',
          action_id: 'instance_refresh',
          text: { type: 'plain_text', text: 'Refresh' },
          value: 'job_batch:34765',
        },
      ],
    },
  ] as const;
  const posted = await s.client.chat.postMessage({
    channel: 'C0GENERAL',
    text: 'job_batch #34765',
    blocks: [...blocks],
  });
  await driver.blockAction({
    actionId: 'instance_refresh',
    message: { channel: 'C0GENERAL', ts: posted.ts! },
  });
  const { headers, body } = last();
  expect(headers['content-type']).toBe('application/x-www-form-urlencoded');
  expect(body).toMatchObject({
    type: 'block_actions',
    user: { id: 'U0ALICE', username: 'alice', team_id: 'T0STANDIN' },
    team: { id: 'T0STANDIN', domain: 'standin' },
    container: { type: 'message', message_ts: posted.ts, channel_id: 'C0GENERAL', is_ephemeral: false },
    channel: { id: 'C0GENERAL', name: 'general' },
    message: { ts: posted.ts, text: 'job_batch #34765', bot_id: 'B0BOT', blocks },
    actions: [
      {
        type: 'button',
        action_id: 'instance_refresh',
        block_id: 'instance_actions',
        value: 'job_batch:34765',
        text: { type: 'plain_text', text: 'Refresh' },
        action_ts: expect.stringMatching(/^\d+\.\d{6}$/),
      },
    ],
    trigger_id: expect.any(String),
  });
  const url = responseUrl(body);

  // The flat form of the message reference still works; an element that is not there is a test mistake.
  await driver.blockAction({
    actionId: 'instance_refresh',
    channel: 'C0GENERAL',
    ts: posted.ts!,
    value: 'other',
  });
  expect(last().body).toMatchObject({ actions: [{ value: 'other' }] });
  await expect(
    driver.blockAction({ actionId: 'nope', message: { channel: 'C0GENERAL', ts: posted.ts! } }),
  ).rejects.toThrow(/no element with action_id nope/);

  // replace_original replaces the whole message: text only now, the buttons are gone.
  expect(await respond(url, { replace_original: true, text: 'refreshed' })).toBe(200);
  expect(s.standin.message('C0GENERAL', posted.ts!)).toMatchObject({ text: 'refreshed', blocks: undefined });
});

describe('modals', () => {
  const lookup: ModalView = {
    type: 'modal',
    callback_id: 'lookup',
    title: { type: 'plain_text', text: 'Find a DLF instance' },
    submit: { type: 'plain_text', text: 'Show' },
    blocks: [
      {
        type: 'input',
        block_id: 'conversation',
        label: { type: 'plain_text', text: 'Post in' },
        element: { type: 'conversations_select', action_id: 'conversation', response_url_enabled: true },
      },
      {
        type: 'actions',
        block_id: 'pages',
        elements: [
          { type: 'button', action_id: 'next', value: 'page-2', text: { type: 'plain_text', text: 'Next' } },
        ],
      },
    ],
  };
  const values = {
    conversation: { conversation: { type: 'conversations_select', selected_conversation: 'C0GENERAL' } },
  };

  async function open() {
    const opened = await s.client.views.open({ trigger_id: s.standin.mintTrigger('U0ALICE'), view: lookup });
    return s.standin.view(opened.view!.id!)!;
  }

  test('a press inside a modal names the view; a submission carries values and response_urls', async () => {
    const view = await open();
    await driver.viewAction({ actionId: 'next', view, values });
    expect(last().body).toMatchObject({
      type: 'block_actions',
      container: { type: 'view', view_id: view.id },
      view: { id: view.id, callback_id: 'lookup', state: { values } },
      actions: [{ action_id: 'next', block_id: 'pages', value: 'page-2' }],
    });

    answer = () => ({ response_action: 'errors', errors: { conversation: 'Pick one' } });
    const refused = await driver.viewSubmission({ view, values });
    expect(refused.json).toMatchObject({ response_action: 'errors' });
    const { body } = last();
    expect(body).toMatchObject({
      type: 'view_submission',
      view: { id: view.id, state: { values } },
      response_urls: [{ block_id: 'conversation', action_id: 'conversation', channel_id: 'C0GENERAL' }],
    });
    const [target] = body.response_urls as { response_url: string }[];
    expect(await respond(target!.response_url, { response_type: 'in_channel', text: 'posted here' })).toBe(
      200,
    );
    expect(s.standin.messages('C0GENERAL').map((m) => m.text)).toEqual(['posted here']);
    // Errors keep the modal as it was.
    expect(s.standin.views('U0ALICE')).toEqual([view]);
  });

  test("the bot's answer to a submission is applied like Slack: update, push, then close", async () => {
    const view = await open();
    const loading: ModalView = {
      type: 'modal',
      title: { type: 'plain_text', text: 'Looking it up' },
      blocks: [],
    };
    answer = () => ({ response_action: 'update', view: loading });
    await driver.viewSubmission({ view, values });
    expect(s.standin.views('U0ALICE')).toMatchObject([{ id: view.id, title: { text: 'Looking it up' } }]);

    answer = () => ({ response_action: 'push', view: loading });
    await driver.viewSubmission({ view, values });
    expect(s.standin.views('U0ALICE')).toHaveLength(2);

    answer = () => undefined;
    const [, top] = s.standin.views('U0ALICE');
    await driver.viewSubmission({ view: top!, values: {} });
    expect(s.standin.views('U0ALICE').map((v) => v.id)).toEqual([view.id]);

    await driver.viewClosed({ view });
    expect(last().body).toMatchObject({ type: 'view_closed', view: { id: view.id }, is_cleared: false });
    expect(s.standin.views('U0ALICE')).toEqual([]);
  });
});

test('shortcuts: global with a trigger; message shortcut with the stored message and a response_url', async () => {
  await driver.globalShortcut('dlf_find_global');
  expect(last().body).toMatchObject({
    type: 'shortcut',
    callback_id: 'dlf_find_global',
    user: { id: 'U0ALICE' },
    trigger_id: expect.any(String),
  });
  const alert = s.standin.addMessage({
    channel: 'C0GENERAL',
    user: 'U0BOB',
    text: '[DLF] job_batch 34765 failed',
  });
  await driver.messageShortcut('dlf_track_message', { channel: 'C0GENERAL', ts: alert.ts });
  const { body } = last();
  expect(body).toMatchObject({
    type: 'message_action',
    callback_id: 'dlf_track_message',
    channel: { id: 'C0GENERAL' },
    message_ts: alert.ts,
    message: { ts: alert.ts, user: 'U0BOB', text: '[DLF] job_batch 34765 failed' },
  });
  expect(body.message).not.toHaveProperty('bot_id');
  await respond(responseUrl(body), { text: 'only you' });
  expect(s.standin.ephemerals({ user: 'U0ALICE' })[0]?.text).toBe('only you');
});

test('events: a JSON envelope with an event_id; a redelivery repeats it with the retry headers', async () => {
  const first = await driver.event('app_home_opened', { user: 'U0ALICE', channel: 'D0ALICE', tab: 'home' });
  const delivery = last();
  expect(delivery.headers['content-type']).toBe('application/json');
  expect(delivery.headers['x-slack-retry-num']).toBeUndefined();
  expect(delivery.body).toMatchObject({
    type: 'event_callback',
    team_id: 'T0STANDIN',
    api_app_id: 'A0DLFBOT',
    event_id: first.eventId,
    event: { type: 'app_home_opened', user: 'U0ALICE', tab: 'home', event_ts: expect.any(String) },
    authorizations: [{ team_id: 'T0STANDIN', user_id: 'U0BOT', is_bot: true }],
  });
  expect(first.eventId).toMatch(/^Ev[0-9A-F]{10}$/);
  await driver.event(
    'app_home_opened',
    { user: 'U0ALICE' },
    { eventId: first.eventId, retry: { num: 1, reason: 'http_timeout' } },
  );
  expect(last().headers).toMatchObject({ 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
  expect(last().body.event_id).toBe(first.eventId);
});

test('a bad signature or a stale timestamp is refused by a bot that verifies like Bolt', async () => {
  expect(
    (await driver.with({ signing: { badSignature: true } }).command('/dlf-instance', 'help')).status,
  ).toBe(401);
  expect(
    (await driver.with({ signing: { ageSeconds: 6 * 60 } }).command('/dlf-instance', 'help')).status,
  ).toBe(401);
  expect(received).toEqual([]);
  expect((await driver.command('/dlf-instance', 'help')).status).toBe(200);
});
