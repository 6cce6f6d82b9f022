import type { BlockAction, ButtonAction } from '@slack/bolt';
import { messageOf } from '../../src/slack/services/buttons';

const press = (parts: {
  container?: { channel_id?: string; message_ts?: string };
  channel?: string;
  ts?: string;
}) =>
  ({
    container: parts.container,
    channel: parts.channel ? { id: parts.channel } : undefined,
    message: parts.ts ? { ts: parts.ts } : undefined,
  }) as unknown as BlockAction<ButtonAction>;

test('a press names its message once, however Slack spells it', () => {
  expect(
    messageOf(press({ container: { channel_id: 'C1', message_ts: '1.1' }, channel: 'C1', ts: '1.1' })),
  ).toEqual({ channel: 'C1', ts: '1.1' });
  expect(messageOf(press({ channel: 'C1', ts: '1.1' }))).toEqual({ channel: 'C1', ts: '1.1' });
});

test('a press whose two namings disagree (replayed as if from elsewhere) names no message', () => {
  expect(
    messageOf(press({ container: { channel_id: 'C1', message_ts: '1.1' }, channel: 'C2', ts: '1.1' })),
  ).toEqual({});
  expect(
    messageOf(press({ container: { channel_id: 'C1', message_ts: '1.1' }, channel: 'C1', ts: '2.2' })),
  ).toEqual({});
});
