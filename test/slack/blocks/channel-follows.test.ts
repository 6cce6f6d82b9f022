/** The channel's list (`/dlf-instance list`) and the unsubscribe sentence, as pure renderers. */
import type { Subscription, Watch } from '../../../src/following/model';
import { renderChannelFollows, unsubscribedSentence } from '../../../src/slack/blocks/channel-follows';

const subscription: Subscription = {
  job: 'job_batch',
  instanceId: '34765',
  channel: 'C0GENERAL',
  ts: '1.000001',
  user: 'U0ALICE',
  createdAt: Date.UTC(2026, 0, 2),
};
const watch: Watch = {
  id: 'w1',
  channel: 'C0GENERAL',
  pattern: 'nightly_*',
  mode: 'fail',
  user: 'U0BOB',
  createdAt: Date.UTC(2026, 0, 1),
};
const texts = (blocks: unknown[]) => JSON.stringify(blocks);

test('nothing watched or followed: both say so, with the command that would', () => {
  const { text, blocks } = renderChannelFollows([], []);
  expect(text).toBe('0 watched, 0 followed in this channel');
  expect(texts(blocks)).toContain('No job is watched in this channel');
  expect(texts(blocks)).toContain('No instance is followed in this channel');
  expect(blocks.some((block) => block.type === 'divider')).toBe(true);
});

test('watches above the divider, followed instances below, without the channel', () => {
  const { text, blocks } = renderChannelFollows([{ subscription, state: { status: 'success' } }], [watch]);
  expect(text).toBe('1 watched, 1 followed in this channel');
  const divider = blocks.findIndex((block) => block.type === 'divider');
  expect(texts(blocks.slice(0, divider))).toContain('nightly_*');
  expect(texts(blocks.slice(divider))).toContain('job_batch #34765');
  expect(texts(blocks)).not.toContain('<#C0GENERAL>');
});

test('the unsubscribe sentence counts the messages, or says none was followed', () => {
  const ref = { job: 'job_batch', instanceId: '34765' };
  expect(unsubscribedSentence(ref, 1).text).toContain('(one message)');
  expect(unsubscribedSentence(ref, 3).text).toContain('(3 messages)');
  expect(unsubscribedSentence(ref, 0).text).toContain('is not followed in this channel');
});
