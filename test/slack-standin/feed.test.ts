import { containing, type StandinEvent } from '../../src/slack-standin';
import { type Setup, section, startSetup } from './setup';

let s: Setup;
beforeEach(async () => {
  s = await startSetup();
});
afterEach(async () => {
  await s.close();
});

test('every change and call is announced, numbered, in order; unsubscribe stops it', async () => {
  const seen: StandinEvent[] = [];
  const unsubscribe = s.standin.subscribe((event) => seen.push(event));
  const posted = await s.client.chat.postMessage({ channel: 'C0GENERAL', text: 'running' });
  await s.client.chat.update({ channel: 'C0GENERAL', ts: posted.ts!, text: 'done' });
  await s.client.chat.postEphemeral({ channel: 'C0GENERAL', user: 'U0ALICE', text: 'psst' });
  await s.client.views.open({
    trigger_id: s.standin.mintTrigger('U0ALICE'),
    view: { type: 'modal', title: { type: 'plain_text', text: 'M' }, blocks: [] },
  });
  await s.client.views.publish({ user_id: 'U0ALICE', view: { type: 'home', blocks: [section('home')] } });
  await fetch(s.standin.mintResponseUrl({ channel: 'C0GENERAL', user: 'U0ALICE' }), {
    method: 'POST',
    body: JSON.stringify({ response_type: 'in_channel', text: 'via url' }),
  });
  unsubscribe();
  await s.client.chat.postMessage({ channel: 'C0GENERAL', text: 'unseen' });

  expect(seen.map((event) => event.type)).toEqual([
    'message',
    'call',
    'message_changed',
    'call',
    'ephemeral',
    'call',
    'view_opened',
    'call',
    'home_published',
    'call',
    'message',
    'response_url',
    'call',
  ]);
  expect(seen.map((event) => event.seq)).toEqual(seen.map((_, index) => index + 1));
  const changed = seen[2];
  expect(changed?.type === 'message_changed' && [changed.previous.text, changed.message.text]).toEqual([
    'running',
    'done',
  ]);
  // Events hold copies: the first announcement still shows the message as it was posted.
  expect(seen[0]?.type === 'message' && seen[0].message.text).toBe('running');
  expect(seen.at(-2)).toMatchObject({ type: 'response_url', outcome: 'posted', status: 200 });
  expect(s.standin.feed(seen.length).map((event) => event.type)).toEqual(['message', 'call']);
});

test('the feed keeps only the most recent events for late readers', async () => {
  const small = await startSetup({ feedLimit: 3 });
  try {
    for (const text of ['a', 'b', 'c']) await small.client.chat.postMessage({ channel: 'C0GENERAL', text });
    expect(small.standin.feed().map((event) => event.seq)).toEqual([4, 5, 6]);
  } finally {
    await small.close();
  }
});

describe('waiting', () => {
  test('waitForMessage resolves as soon as a matching message exists, thread replies included', async () => {
    const parent = await s.client.chat.postMessage({ channel: 'C0GENERAL', text: 'parent' });
    setTimeout(() => {
      void s.client.chat.postMessage({
        channel: 'C0GENERAL',
        thread_ts: parent.ts!,
        text: 'job_batch #34765 succeeded',
        blocks: [section(':white_check_mark: job_batch #34765')],
      });
    }, 50);
    const reply = await s.standin.waitForMessage('C0GENERAL', {
      threadTs: parent.ts,
      text: /succeeded/,
      blocks: containing('job_batch #34765'),
    });
    expect(reply.threadTs).toBe(parent.ts);
  });

  test('on timeout it says what was there instead, field by field', async () => {
    await s.client.chat.postMessage({ channel: 'C0GENERAL', text: 'job_batch #34765 running' });
    const failure = s.standin.waitForMessage('C0GENERAL', { text: /succeeded/ }, { timeoutMs: 100 });
    await expect(failure).rejects.toThrow(
      /Timed out after 100 ms waiting for a message in C0GENERAL matching \{"text":"\/succeeded\/"\}/,
    );
    await expect(failure).rejects.toThrow('text: expected /succeeded/, got "job_batch #34765 running"');
    await expect(failure).rejects.toThrow('Last calls (1 in all): chat.postMessage(C0GENERAL) → ok');
  });

  test('waitFor takes any check and returns its value; waitForCall matches recorded calls', async () => {
    setTimeout(() => void s.client.chat.postMessage({ channel: 'C0GENERAL', text: 'later' }), 30);
    const message = await s.standin.waitFor(() => s.standin.messages('C0GENERAL')[0]);
    expect(message.text).toBe('later');
    const call = await s.standin.waitForCall('chat.postMessage', {
      args: { channel: 'C0GENERAL' },
      response: { ok: true },
    });
    expect(call.args.text).toBe('later');
    await expect(s.standin.waitFor(() => false, { timeoutMs: 50, what: 'nothing' })).rejects.toThrow(
      /waiting for nothing\.\nLast calls \(1 in all\)/,
    );
  });
});
