/** A real Bolt 5 app in HTTP mode against the stand-in and driver: the stand-in is only useful if Bolt accepts it. */
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { SlackDriver } from '../../src/slack-standin';
import { type Setup, section, startSetup, TOKEN } from './setup';

const SECRET = 'bolt-test-signing-secret';
const modal = (title: string): ModalView => ({
  type: 'modal',
  title: { type: 'plain_text', text: title },
  blocks: [],
});

let s: Setup;
let app: App;
let driver: SlackDriver;

beforeAll(async () => {
  s = await startSetup({ clock: Date.now });
  app = new App({
    token: TOKEN,
    signingSecret: SECRET,
    clientOptions: { slackApiUrl: s.apiUrl, retryConfig: { retries: 0 } },
    // The HTTP answer waits for the listener: each driver call returns once its effects are in the stand-in.
    processBeforeResponse: true,
    logLevel: LogLevel.ERROR,
  });
  app.command('/hello', async ({ ack, respond }) => {
    await ack();
    await respond({ response_type: 'in_channel', text: 'hello, everyone' });
  });
  app.action('open_details', async ({ ack, body, client }) => {
    await ack();
    await client.views.open({
      trigger_id: (body as { trigger_id: string }).trigger_id,
      view: modal('Details'),
    });
  });
  app.event('app_home_opened', async ({ event, client }) => {
    await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: [section('Welcome')] } });
  });
  const server = await app.start(0);
  const { port } = server.address() as AddressInfo;
  driver = new SlackDriver({
    standin: s.standin,
    botUrl: `http://127.0.0.1:${port}/slack/events`,
    signingSecret: SECRET,
  });
});
afterAll(async () => {
  await app.stop();
  await s.close();
});

test('Bolt checks its token with auth.test, and respond() goes through the minted response_url', async () => {
  const answer = await driver.command('/hello', '', { channel: 'C0OUTSIDE' });
  expect(answer.status).toBe(200);
  expect(s.standin.calls('auth.test')).toMatchObject([{ tokenOk: true, response: { ok: true } }]);
  expect(s.standin.messages('C0OUTSIDE')).toMatchObject([{ text: 'hello, everyone', user: 'response_url' }]);
});

test('a button opens a modal with the trigger_id of the press', async () => {
  const posted = await s.client.chat.postMessage({
    channel: 'C0GENERAL',
    text: 'x',
    blocks: [
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: 'open_details', text: { type: 'plain_text', text: 'Details' } },
        ],
      },
    ],
  });
  expect(
    (
      await driver.blockAction({
        actionId: 'open_details',
        message: { channel: 'C0GENERAL', ts: posted.ts! },
      })
    ).status,
  ).toBe(200);
  expect(s.standin.views('U0ALICE')).toMatchObject([{ title: { text: 'Details' } }]);
});

test('app_home_opened publishes the Home tab', async () => {
  expect(
    (await driver.event('app_home_opened', { user: 'U0BOB', channel: 'D0BOB', tab: 'home' })).status,
  ).toBe(200);
  expect(s.standin.home('U0BOB')?.blocks).toEqual([section('Welcome')]);
});
