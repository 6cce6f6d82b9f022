/** **Subscribe** follows this message's instance to its end; **Unsubscribe** stops. */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { errorSentence } from '../../blocks/errors';
import type { Markup } from '../../blocks/markup';
import { decodeButtonValue } from '../../ids';
import { followMessage, unfollowMessage } from '../../services/follow';
import type { SlackServices } from '../../services/services';
import { STALE_BUTTON } from './refresh';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

function messageOf(body: Args['body']): { channel?: string; ts?: string } {
  return {
    channel: body.container?.channel_id ?? body.channel?.id,
    ts: body.container?.message_ts ?? body.message?.ts,
  };
}

export function subscribeAction(services: SlackServices) {
  return async ({ ack, action, body, respond }: Args): Promise<void> => {
    await ack();
    const ref = decodeButtonValue(action.value);
    const { channel, ts } = messageOf(body);
    if (!ref || !channel || !ts) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: STALE_BUTTON.text });
      return;
    }
    let text: Markup;
    try {
      const instance = await services.dataarts.getInstance(ref.job, ref.instanceId, {
        workspace: ref.workspace,
      });
      text = await followMessage(services, { ref, instance, channel, ts, user: body.user.id });
    } catch (error) {
      text = errorSentence(error);
    }
    await respond({ response_type: 'ephemeral', replace_original: false, text: text.text });
  };
}

export function unsubscribeAction(services: SlackServices) {
  return async ({ ack, body, respond }: Args): Promise<void> => {
    await ack();
    const { channel, ts } = messageOf(body);
    const removed = channel && ts ? await unfollowMessage(services, channel, ts) : false;
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      text: removed
        ? ':no_bell: Stopped following. No thread reply will come.'
        : ':information_source: This message was not being followed.',
    });
  };
}
