import { type Setup, section, slackError, startSetup } from './setup';

let s: Setup;
beforeEach(async () => {
  s = await startSetup();
});
afterEach(async () => {
  await s.close();
});

describe('chat.postMessage', () => {
  test('answers like Slack, with unique increasing ts, and keeps the decoded call', async () => {
    const first = await s.client.chat.postMessage({
      channel: 'C0GENERAL',
      text: 'one',
      blocks: [section('*one*')],
    });
    const second = await s.client.chat.postMessage({ channel: 'C0GENERAL', text: 'two' });
    expect(first).toMatchObject({
      ok: true,
      channel: 'C0GENERAL',
      message: { text: 'one', user: 'U0BOT', bot_id: 'B0BOT' },
    });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(s.standin.messages('C0GENERAL').map((m) => m.text)).toEqual(['one', 'two']);
    const [call] = s.standin.calls('chat.postMessage');
    // web-api sends a form with blocks as a JSON string: recorded as objects, and never with the token.
    expect(call).toMatchObject({
      tokenOk: true,
      status: 200,
      delivery: 'answered',
      args: { blocks: [section('*one*')] },
    });
    expect(JSON.stringify(call)).not.toContain(s.standin.botToken);
  });

  test('thread replies stay out of the channel unless broadcast; a reply ts names its thread', async () => {
    const parent = await s.client.chat.postMessage({ channel: 'C0GENERAL', text: 'parent' });
    const reply = await s.client.chat.postMessage({
      channel: 'C0GENERAL',
      text: 'reply',
      thread_ts: parent.ts,
    });
    await s.client.chat.postMessage({
      channel: 'C0GENERAL',
      text: 'loud',
      thread_ts: reply.ts!,
      reply_broadcast: true,
    });
    expect(s.standin.thread('C0GENERAL', parent.ts!).map((m) => [m.text, m.replyBroadcast])).toEqual([
      ['reply', false],
      ['loud', true],
    ]);
    expect(s.standin.messages('C0GENERAL').map((m) => m.text)).toEqual(['parent', 'loud']);
    expect(
      await slackError(s.client.chat.postMessage({ channel: 'C0GENERAL', text: 'x', thread_ts: '1.000001' })),
    ).toMatchObject({
      error: 'thread_not_found',
    });
  });

  test('membership: not_in_channel for public channels unless chat:write.public; private ones are invisible', async () => {
    expect(await slackError(s.client.chat.postMessage({ channel: 'C0OUTSIDE', text: 'x' }))).toMatchObject({
      code: 'slack_webapi_platform_error',
      error: 'not_in_channel',
    });
    expect((await slackError(s.client.chat.postMessage({ channel: 'G0PRIVATE', text: 'x' }))).error).toBe(
      'channel_not_found',
    );
    expect((await slackError(s.client.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).error).toBe(
      'channel_not_found',
    );
    s.standin.addChannel({ id: 'C0OLD', name: 'old', kind: 'public', botIsMember: true, archived: true });
    expect((await slackError(s.client.chat.postMessage({ channel: 'C0OLD', text: 'x' }))).error).toBe(
      'is_archived',
    );
    expect((await s.client.chat.postMessage({ channel: 'G0TEAM', text: 'x' })).ok).toBe(true);

    const publicScope = await startSetup({ scopes: ['chat:write', 'chat:write.public'] });
    try {
      expect((await publicScope.client.chat.postMessage({ channel: 'C0OUTSIDE', text: 'x' })).ok).toBe(true);
      expect(
        (await slackError(publicScope.client.chat.postMessage({ channel: 'G0PRIVATE', text: 'x' }))).error,
      ).toBe('channel_not_found');
    } finally {
      await publicScope.close();
    }
  });

  test('a user id posts in the app DM with that person', async () => {
    const posted = await s.client.chat.postMessage({ channel: 'U0ALICE', text: 'hi' });
    expect(posted.channel).toBe('D0ALICE');
    expect(s.standin.messages('D0ALICE')[0]?.text).toBe('hi');
  });

  test('Slack limits: 50 blocks, ~12,000 characters of block text, some text, metadata shape', async () => {
    const tooMany = await slackError(
      s.client.chat.postMessage({
        channel: 'C0GENERAL',
        text: 'x',
        blocks: Array.from({ length: 51 }, () => section('b')),
      }),
    );
    expect(tooMany.error).toBe('invalid_blocks');
    const long = Array.from({ length: 5 }, () => section('x'.repeat(2_500)));
    expect(
      (await slackError(s.client.chat.postMessage({ channel: 'C0GENERAL', text: 'x', blocks: long }))).error,
    ).toBe('msg_blocks_too_long');
    expect(
      (await s.client.chat.postMessage({ channel: 'C0GENERAL', text: 'x', blocks: long.slice(0, 4) })).ok,
    ).toBe(true);
    expect((await slackError(s.client.apiCall('chat.postMessage', { channel: 'C0GENERAL' }))).error).toBe(
      'no_text',
    );
    const header = { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } };
    const refused = await s
      .clientWith({})
      .apiCall('chat.postMessage', { channel: 'C0GENERAL', text: 'x', blocks: [header] })
      .catch((e) => e.data);
    expect(refused).toMatchObject({
      error: 'invalid_blocks',
      response_metadata: {
        messages: ['[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]'],
      },
    });
    expect(
      (
        await slackError(
          s.client.apiCall('chat.postMessage', {
            channel: 'C0GENERAL',
            text: 'x',
            metadata: { event_type: 'x' },
          }),
        )
      ).error,
    ).toBe('invalid_metadata_format');
    expect(s.standin.messages('C0GENERAL')).toHaveLength(1);
  });
});

describe('chat.update, chat.delete, chat.postEphemeral, chat.getPermalink', () => {
  test('an update replaces the content in place and keeps every version', async () => {
    const posted = await s.client.chat.postMessage({
      channel: 'C0GENERAL',
      text: 'running',
      blocks: [section('running')],
    });
    const message = s.standin.message('C0GENERAL', posted.ts!)!;
    const updated = await s.client.chat.update({ channel: 'C0GENERAL', ts: posted.ts!, text: 'done' });
    expect(updated).toMatchObject({ ok: true, ts: posted.ts, text: 'done' });
    // Blocks left out of the update are kept, as Slack does.
    expect(message).toMatchObject({ text: 'done', blocks: [section('running')] });
    expect(message.versions.map((v) => v.text)).toEqual(['running', 'done']);
    expect(
      (await slackError(s.client.chat.update({ channel: 'C0GENERAL', ts: '1.000001', text: 'x' }))).error,
    ).toBe('message_not_found');
    const person = s.standin.addMessage({ channel: 'C0GENERAL', user: 'U0ALICE', text: 'mine' });
    expect(
      (await slackError(s.client.chat.update({ channel: 'C0GENERAL', ts: person.ts, text: 'x' }))).error,
    ).toBe('cant_update_message');
    expect((await slackError(s.client.chat.delete({ channel: 'C0GENERAL', ts: person.ts }))).error).toBe(
      'cant_delete_message',
    );
    await s.client.chat.delete({ channel: 'C0GENERAL', ts: posted.ts! });
    expect(s.standin.messages('C0GENERAL')).toEqual([person]);
  });

  test('ephemerals are kept for their one reader and never shown in the channel', async () => {
    const sent = await s.client.chat.postEphemeral({
      channel: 'C0GENERAL',
      user: 'U0ALICE',
      text: 'just you',
    });
    expect(sent.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(s.standin.ephemerals({ user: 'U0ALICE' })).toMatchObject([
      { channel: 'C0GENERAL', text: 'just you', via: 'chat.postEphemeral' },
    ]);
    expect(s.standin.ephemerals({ user: 'U0BOB' })).toEqual([]);
    expect(s.standin.messages('C0GENERAL')).toEqual([]);
    expect(
      (await slackError(s.client.chat.postEphemeral({ channel: 'C0GENERAL', user: 'U0NOBODY', text: 'x' })))
        .error,
    ).toBe('user_not_in_channel');
    expect(
      (await slackError(s.client.chat.postEphemeral({ channel: 'C0OUTSIDE', user: 'U0ALICE', text: 'x' })))
        .error,
    ).toBe('not_in_channel');
  });

  test('permalinks: the archive URL, with thread_ts and cid for a reply', async () => {
    const parent = await s.client.chat.postMessage({ channel: 'C0GENERAL', text: 'p' });
    const reply = await s.client.chat.postMessage({ channel: 'C0GENERAL', text: 'r', thread_ts: parent.ts });
    const digits = (ts?: string) => ts!.replace('.', '');
    expect(
      (await s.client.chat.getPermalink({ channel: 'C0GENERAL', message_ts: parent.ts! })).permalink,
    ).toBe(`https://standin.slack.com/archives/C0GENERAL/p${digits(parent.ts)}`);
    expect(
      (await s.client.chat.getPermalink({ channel: 'C0GENERAL', message_ts: reply.ts! })).permalink,
    ).toBe(
      `https://standin.slack.com/archives/C0GENERAL/p${digits(reply.ts)}?thread_ts=${parent.ts}&cid=C0GENERAL`,
    );
    expect(
      (await slackError(s.client.chat.getPermalink({ channel: 'C0GENERAL', message_ts: '1.000001' }))).error,
    ).toBe('message_not_found');
  });
});

describe('conversations and users', () => {
  test('conversations.replies returns metadata only with include_all_metadata (to find a reply whose answer was lost)', async () => {
    const parent = await s.client.chat.postMessage({ channel: 'C0GENERAL', text: 'p' });
    const metadata = { event_type: 'dlf_notice', event_payload: { k: 'abc' } };
    const reply = await s.client.chat.postMessage({
      channel: 'C0GENERAL',
      text: 'r',
      thread_ts: parent.ts,
      metadata,
    });
    const withMetadata = await s.client.conversations.replies({
      channel: 'C0GENERAL',
      ts: parent.ts!,
      include_all_metadata: true,
    });
    expect(withMetadata.messages).toMatchObject([
      { ts: parent.ts, thread_ts: parent.ts, reply_count: 1, latest_reply: reply.ts },
      { ts: reply.ts, thread_ts: parent.ts, parent_user_id: 'U0BOT', metadata },
    ]);
    const without = await s.client.conversations.replies({ channel: 'C0GENERAL', ts: parent.ts! });
    expect(without.messages?.[1]).not.toHaveProperty('metadata');
    expect(
      (await slackError(s.client.conversations.replies({ channel: 'C0GENERAL', ts: '1.000001' }))).error,
    ).toBe('thread_not_found');
  });

  test('replies and history page with limit and cursor; history is newest first', async () => {
    const parent = await s.client.chat.postMessage({ channel: 'C0GENERAL', text: 'p' });
    for (const text of ['a', 'b', 'c'])
      await s.client.chat.postMessage({ channel: 'C0GENERAL', text, thread_ts: parent.ts });
    const first = await s.client.conversations.replies({ channel: 'C0GENERAL', ts: parent.ts!, limit: 2 });
    expect(first.messages?.map((m) => m.text)).toEqual(['p', 'a']);
    expect(first.has_more).toBe(true);
    const second = await s.client.conversations.replies({
      channel: 'C0GENERAL',
      ts: parent.ts!,
      limit: 2,
      cursor: first.response_metadata?.next_cursor,
    });
    expect(second.messages?.map((m) => m.text)).toEqual(['b', 'c']);
    expect(
      (
        await slackError(
          s.client.conversations.replies({ channel: 'C0GENERAL', ts: parent.ts!, cursor: 'bm9wZQ==' }),
        )
      ).error,
    ).toBe('invalid_cursor');
    await s.client.chat.postMessage({ channel: 'C0GENERAL', text: 'later' });
    const history = await s.client.conversations.history({ channel: 'C0GENERAL' });
    expect(history.messages?.map((m) => m.text)).toEqual(['later', 'p']);
  });

  test('scopes are checked like Slack: missing_scope names the one needed', async () => {
    const narrow = await startSetup({ scopes: ['chat:write'] });
    try {
      const parent = await narrow.client.chat.postMessage({ channel: 'C0GENERAL', text: 'p' });
      const refused = await narrow.client.conversations
        .replies({ channel: 'C0GENERAL', ts: parent.ts! })
        .catch((e) => e.data);
      expect(refused).toMatchObject({
        ok: false,
        error: 'missing_scope',
        needed: 'channels:history',
        provided: 'chat:write',
      });
    } finally {
      await narrow.close();
    }
    expect((await slackError(s.client.users.info({ user: 'U0ALICE' }))).error).toBe('missing_scope');
  });

  test('conversations.info and users.info describe the model', async () => {
    const wide = await startSetup({ scopes: ['channels:read', 'groups:read', 'users:read'] });
    try {
      expect((await wide.client.conversations.info({ channel: 'C0OUTSIDE' })).channel).toMatchObject({
        id: 'C0OUTSIDE',
        is_channel: true,
        is_private: false,
        is_member: false,
      });
      expect((await wide.client.conversations.info({ channel: 'G0TEAM' })).channel).toMatchObject({
        is_private: true,
        is_member: true,
      });
      expect((await slackError(wide.client.conversations.info({ channel: 'G0PRIVATE' }))).error).toBe(
        'channel_not_found',
      );
      expect((await wide.client.users.info({ user: 'U0ALICE' })).user).toMatchObject({
        id: 'U0ALICE',
        name: 'alice',
      });
      expect((await slackError(wide.client.users.info({ user: 'U0NOBODY' }))).error).toBe('user_not_found');
    } finally {
      await wide.close();
    }
  });
});

describe('the Web API door', () => {
  test('auth.test names the team and the bot; a wrong or missing token is refused', async () => {
    expect(await s.client.auth.test()).toMatchObject({
      ok: true,
      team_id: 'T0STANDIN',
      user_id: 'U0BOT',
      bot_id: 'B0BOT',
    });
    const { WebClient } = await import('@slack/web-api');
    const wrong = new WebClient('xoxb-wrong', { slackApiUrl: s.apiUrl, retryConfig: { retries: 0 } });
    expect((await slackError(wrong.chat.postMessage({ channel: 'C0GENERAL', text: 'x' }))).error).toBe(
      'invalid_auth',
    );
    expect(s.standin.calls('chat.postMessage')).toMatchObject([{ tokenOk: false }]);
    expect(s.standin.messages('C0GENERAL')).toEqual([]);
    const bare = await fetch(`${s.apiUrl}auth.test`, { method: 'POST' });
    expect(await bare.json()).toEqual({ ok: false, error: 'not_authed' });
  });

  test('unknown methods get unknown_method; JSON bodies work too', async () => {
    expect((await slackError(s.client.apiCall('chat.teleport', {}))).error).toBe('unknown_method');
    const answer = await fetch(`${s.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${s.standin.botToken}`,
        'content-type': 'application/json; charset=utf-8',
      },
      body: JSON.stringify({ channel: 'C0GENERAL', text: 'json', blocks: [section('j')] }),
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-accepted-oauth-scopes')).toBe('chat:write');
    expect(s.standin.messages('C0GENERAL')[0]).toMatchObject({ text: 'json', blocks: [section('j')] });
  });
});
