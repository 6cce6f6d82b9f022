import { RESPONSE_URL_TTL_MS, RESPONSE_URL_USES } from '../../src/slack-standin';
import { type Setup, section, startSetup } from './setup';

let s: Setup;
beforeEach(async () => {
  s = await startSetup();
});
afterEach(async () => {
  await s.close();
});

async function respond(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

test('in_channel posts as the app even where the bot is not a member; the default is ephemeral', async () => {
  const url = s.standin.mintResponseUrl({ channel: 'C0OUTSIDE', user: 'U0ALICE' });
  expect(url).toMatch(new RegExp(`^${s.url}/response/\\w+$`));
  expect(
    await respond(url, { response_type: 'in_channel', text: 'for all', blocks: [section('all')] }),
  ).toEqual({
    status: 200,
    json: { ok: true },
  });
  expect(s.standin.messages('C0OUTSIDE')).toMatchObject([
    { text: 'for all', user: 'response_url', blocks: [section('all')] },
  ]);
  await respond(url, { text: 'for you' });
  expect(s.standin.ephemerals()).toMatchObject([
    { channel: 'C0OUTSIDE', user: 'U0ALICE', text: 'for you', via: 'response_url' },
  ]);
  expect(s.standin.calls('response_url').map((call) => call.args.text)).toEqual(['for all', 'for you']);
});

test('replace_original and delete_original act on the message the button was on', async () => {
  const posted = await s.client.chat.postMessage({ channel: 'C0GENERAL', text: 'old' });
  const url = s.standin.mintResponseUrl({ channel: 'C0GENERAL', user: 'U0ALICE', messageTs: posted.ts });
  await respond(url, { replace_original: true, text: 'new' });
  const message = s.standin.message('C0GENERAL', posted.ts!);
  expect(message?.versions.map((v) => v.text)).toEqual(['old', 'new']);
  await respond(url, { delete_original: true });
  expect(s.standin.message('C0GENERAL', posted.ts!)).toBeUndefined();
  // Without a bound message, replace_original has nothing to replace: the answer is a new (ephemeral) one.
  const unbound = s.standin.mintResponseUrl({ channel: 'C0GENERAL', user: 'U0ALICE' });
  await respond(unbound, { replace_original: true, text: 'fresh' });
  expect(s.standin.ephemerals().map((e) => e.text)).toEqual(['fresh']);
});

test(`at most ${RESPONSE_URL_USES} uses, then 404 used_url; refused payloads do not count`, async () => {
  const url = s.standin.mintResponseUrl({ channel: 'C0GENERAL', user: 'U0ALICE' });
  expect((await respond(url, { response_type: 'ephemeral' })).json).toEqual({ ok: false, error: 'no_text' });
  for (let use = 1; use <= RESPONSE_URL_USES; use++)
    expect((await respond(url, { text: `use ${use}` })).status).toBe(200);
  expect(await respond(url, { text: 'one more' })).toEqual({
    status: 404,
    json: { ok: false, error: 'used_url' },
  });
  expect(s.standin.ephemerals()).toHaveLength(RESPONSE_URL_USES);
});

test('expired after 30 minutes; unknown ids are 404 too', async () => {
  const url = s.standin.mintResponseUrl({ channel: 'C0GENERAL', user: 'U0ALICE' });
  s.advance(RESPONSE_URL_TTL_MS + 1);
  expect(await respond(url, { text: 'late' })).toEqual({
    status: 404,
    json: { ok: false, error: 'expired_url' },
  });
  expect((await respond(`${s.url}/response/deadbeef`, { text: 'x' })).status).toBe(404);
  expect(s.standin.ephemerals()).toEqual([]);
});
