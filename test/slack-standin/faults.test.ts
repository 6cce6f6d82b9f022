import { type Setup, slackError, startSetup } from './setup';

let s: Setup;
beforeEach(async () => {
  s = await startSetup();
});
afterEach(async () => {
  await s.close();
});

test('rateLimited: HTTP 429 with Retry-After, surfaced as a rate-limited error; nothing is posted', async () => {
  s.standin.fail('chat.postMessage', { times: 1, rateLimited: { retryAfterSeconds: 7 } });
  const client = s.clientWith({ rejectRateLimitedCalls: true });
  expect(await slackError(client.chat.postMessage({ channel: 'C0GENERAL', text: 'x' }))).toMatchObject({
    code: 'slack_webapi_rate_limited_error',
    retryAfter: 7,
  });
  expect(s.standin.messages('C0GENERAL')).toEqual([]);
  expect(s.standin.calls('chat.postMessage')[0]).toMatchObject({
    status: 429,
    fault: { rateLimited: { retryAfterSeconds: 7 } },
  });
  // `times: 1`: the next call goes through.
  expect((await client.chat.postMessage({ channel: 'C0GENERAL', text: 'x' })).ok).toBe(true);
});

test('error: a Slack error for one channel only, until cleared; nothing is applied', async () => {
  s.standin.fail('chat.postMessage', { channel: 'C0GENERAL', error: 'is_archived' });
  expect((await slackError(s.client.chat.postMessage({ channel: 'C0GENERAL', text: 'x' }))).error).toBe(
    'is_archived',
  );
  expect((await slackError(s.client.chat.postMessage({ channel: 'C0GENERAL', text: 'y' }))).error).toBe(
    'is_archived',
  );
  expect((await s.client.chat.postMessage({ channel: 'G0TEAM', text: 'elsewhere' })).ok).toBe(true);
  expect(s.standin.messages('C0GENERAL')).toEqual([]);
  s.standin.clearFaults();
  expect((await s.client.chat.postMessage({ channel: 'C0GENERAL', text: 'z' })).ok).toBe(true);
});

test("'*' matches every method", async () => {
  s.standin.fail('*', { times: 2, error: 'fatal_error' });
  expect((await slackError(s.client.auth.test())).error).toBe('fatal_error');
  expect((await slackError(s.client.chat.postMessage({ channel: 'C0GENERAL', text: 'x' }))).error).toBe(
    'fatal_error',
  );
  expect((await s.client.auth.test()).ok).toBe(true);
});

test('delayMs: the answer comes late but normal', async () => {
  s.standin.fail('chat.update', { delayMs: 300 });
  const posted = await s.client.chat.postMessage({ channel: 'C0GENERAL', text: 'x' });
  const started = Date.now();
  expect((await s.client.chat.update({ channel: 'C0GENERAL', ts: posted.ts!, text: 'y' })).ok).toBe(true);
  expect(Date.now() - started).toBeGreaterThanOrEqual(290);
});

test('acceptThenDrop: the message IS posted, but the client gets no answer (the lost response)', async () => {
  s.standin.fail('chat.postMessage', { times: 1, acceptThenDrop: true });
  const metadata = { event_type: 'dlf_notice', event_payload: { k: 'key-1' } };
  expect(
    (await slackError(s.client.chat.postMessage({ channel: 'C0GENERAL', text: 'lost', metadata }))).code,
  ).toBe('slack_webapi_request_error');
  expect(s.standin.messages('C0GENERAL')).toMatchObject([{ text: 'lost', metadata }]);
  expect(s.standin.calls('chat.postMessage')[0]).toMatchObject({
    delivery: 'dropped',
    response: { ok: true },
  });
});

test('acceptThenDelayMs: applied at once, answered late; a client that gave up sees an error', async () => {
  s.standin.fail('chat.postMessage', { times: 2, acceptThenDelayMs: 400 });
  const impatient = s.clientWith({ timeout: 100 });
  expect((await slackError(impatient.chat.postMessage({ channel: 'C0GENERAL', text: 'first' }))).code).toBe(
    'slack_webapi_request_error',
  );
  expect(s.standin.messages('C0GENERAL').map((m) => m.text)).toEqual(['first']);
  const started = Date.now();
  const patient = await s.client.chat.postMessage({ channel: 'C0GENERAL', text: 'second' });
  expect(patient.ok).toBe(true);
  expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  await s.standin.waitForCall('chat.postMessage', { args: { text: 'first' }, delivery: 'dropped' });
});

test('response URLs take faults too: a dropped answer after the reply was shown', async () => {
  const url = s.standin.mintResponseUrl({ channel: 'C0GENERAL', user: 'U0ALICE' });
  s.standin.fail('response_url', { channel: 'C0GENERAL', times: 1, acceptThenDrop: true });
  await expect(
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hi' }),
    }),
  ).rejects.toThrow();
  expect(s.standin.ephemerals({ user: 'U0ALICE' })).toMatchObject([{ text: 'hi', via: 'response_url' }]);
});

test('overRate: only calls over the rate get the fault, counted per channel over the last second', async () => {
  s.standin.fail('chat.postMessage', { overRate: { perSecond: 2 }, rateLimited: { retryAfterSeconds: 1 } });
  const client = s.clientWith({ rejectRateLimitedCalls: true });
  const post = (channel: string) => client.chat.postMessage({ channel, text: 'x' });
  expect((await post('C0GENERAL')).ok).toBe(true);
  expect((await post('C0GENERAL')).ok).toBe(true);
  expect(await slackError(post('C0GENERAL'))).toMatchObject({ retryAfter: 1 });
  // Another channel has its own count.
  expect((await post('G0TEAM')).ok).toBe(true);
  s.advance(999);
  expect(await slackError(post('C0GENERAL'))).toMatchObject({ retryAfter: 1 });
  s.advance(2);
  expect((await post('C0GENERAL')).ok).toBe(true);
  expect(s.standin.messages('C0GENERAL')).toHaveLength(3);
  expect(s.standin.calls('chat.postMessage').filter((call) => call.status === 429)).toHaveLength(2);
});
