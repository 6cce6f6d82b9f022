/** **Subscribe** follows this message's instance to its end; **Unsubscribe** stops. */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { errorSentence } from '../../blocks/errors';
import type { Markup } from '../../blocks/markup';
import { buttonTarget, messageOf } from '../../services/buttons';
import { lookUpRefusal } from '../../services/fair-share';
import { followMessage, unfollowMessage } from '../../services/follow';
import type { SlackServices } from '../../services/services';
import { buttonProblem } from './refresh';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

export function subscribeAction(services: SlackServices) {
  return async ({ ack, action, body, respond }: Args): Promise<void> => {
    await ack();
    const tell = (text: Markup) =>
      respond({ response_type: 'ephemeral', replace_original: false, text: text.text });
    const target = await buttonTarget(services, body, action.value);
    const { channel, ts } = messageOf(body);
    if (!('ref' in target)) return void (await tell(buttonProblem(target)));
    if (!channel || !ts) return void (await tell(buttonProblem({ problem: 'stale' })));
    if (!services.following.available())
      return void (await tell(errorSentence(services.following.unavailableError('following'))));
    const busy = await lookUpRefusal(services, body.user.id, channel);
    if (busy) return void (await tell(busy));
    const result = await services.look.ask('render', target.ref, { subscribed: true });
    if (result.kind === 'failed') return void (await tell(errorSentence(result.error)));
    try {
      await tell(
        await followMessage(services, {
          ref: target.ref,
          facts: result.facts,
          channel,
          ts,
          user: body.user.id,
          message: result.message,
        }),
      );
    } catch (error) {
      await tell(errorSentence(error));
    }
  };
}

export function unsubscribeAction(services: SlackServices) {
  return async ({ ack, body, respond }: Args): Promise<void> => {
    await ack();
    const { channel, ts } = messageOf(body);
    const removed = channel && ts ? await unfollowMessage(services, channel, ts, body.user.id) : false;
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      text: removed
        ? ':no_bell: Stopped following; I noted it in the thread. No reply will come when it ends.'
        : ':information_source: This message was not being followed.',
    });
  };
}
