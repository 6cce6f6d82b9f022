/**
 * The bot's Slack Web API clients over their lean fetch (undici's request), against the loopback stand-in: what
 * the SDK makes of Slack's answers must be what it made of them over Node's fetch — a post, a 429 with its
 * Retry-After, a Slack error, a lost answer (never retried: it would be a second post) and a late one.
 */
import { createSlackWeb, type SlackWeb, slackErrorCode } from '../../src/slack/web';
import { type RunningStandin, startSlackStandin } from '../../src/slack-standin';
import { BOT_TOKEN } from '../helpers/bot';

let slack: RunningStandin;
let web: SlackWeb;
const CHANNEL = 'C0GENERAL';

beforeAll(async () => {
  slack = await startSlackStandin({ botToken: BOT_TOKEN });
  web = createSlackWeb({ token: BOT_TOKEN, apiUrl: slack.apiUrl, timeoutMs: 300 });
});
afterAll(() => slack.close());
afterEach(() => slack.standin.clearFaults());

const blocks = [
  { type: 'section' as const, text: { type: 'mrkdwn' as const, text: '*job_batch* #34765 · `ok`' } },
];

test('a post arrives with its blocks, and its ts comes back', async () => {
  const result = await web.post.chat.postMessage({ channel: CHANNEL, text: 'job_batch #34765', blocks });
  const stored = slack.standin.message(CHANNEL, String(result.ts));
  expect(stored?.blocks).toEqual(blocks);
  expect(slack.standin.calls('chat.postMessage').at(-1)?.tokenOk).toBe(true);
});

test("a 429 is the SDK's rate-limited error with Slack's Retry-After, not a wait", async () => {
  slack.standin.fail('chat.postMessage', { rateLimited: { retryAfterSeconds: 7 }, times: 1 });
  const error = await web.post.chat.postMessage({ channel: CHANNEL, text: 'x' }).catch((e: unknown) => e);
  expect(slackErrorCode(error)).toBe('ratelimited');
  expect(error).toMatchObject({ retryAfter: 7 });
});

test("Slack's error code comes through as the SDK's platform error", async () => {
  slack.standin.fail('chat.postMessage', { error: 'not_in_channel', times: 1 });
  const error = await web.post.chat.postMessage({ channel: CHANNEL, text: 'x' }).catch((e: unknown) => e);
  expect(slackErrorCode(error)).toBe('not_in_channel');
});

test('a lost answer is an error after one attempt: a post is never sent twice', async () => {
  const before = slack.standin.calls('chat.postMessage').length;
  slack.standin.fail('chat.postMessage', { acceptThenDrop: true, times: 1 });
  const error = await web.post.chat.postMessage({ channel: CHANNEL, text: 'x' }).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'slack_webapi_request_error' });
  expect(slack.standin.calls('chat.postMessage')).toHaveLength(before + 1);
});

test('an answer later than the timeout is given up on', async () => {
  slack.standin.fail('chat.postMessage', { acceptThenDelayMs: 2_000, times: 1 });
  const error = await web.post.chat.postMessage({ channel: CHANNEL, text: 'x' }).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'slack_webapi_request_error' });
});
