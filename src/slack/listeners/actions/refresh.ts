/** **Refresh**: fetch the instance again (in the look-up thread) and update this very message in place. */

import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { errorSentence } from '../../blocks/errors';
import { messageFields } from '../../blocks/instance-message';
import { code, type Markup, md } from '../../blocks/markup';
import { type ButtonTarget, buttonTarget, messageOf } from '../../services/buttons';
import { lookUpRefusal } from '../../services/fair-share';
import type { SlackServices } from '../../services/services';
import { slackErrorCode } from '../../web';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

export const STALE_BUTTON = md`:information_source: This button belongs to a message I can no longer read. Run ${code('/dlf-instance <job> <instance>')} again.`;

/** Why a button cannot be acted on, in words. */
export function buttonProblem(target: Exclude<ButtonTarget, { ref: unknown }>): Markup {
  switch (target.problem) {
    case 'stale':
      return STALE_BUTTON;
    case 'mismatch':
      return md`:no_entry: That button does not match the message it is on, so I did nothing. Run ${code('/dlf-instance <job> <instance>')} to post the instance again.`;
    case 'workspace':
      return md`:no_entry: That instance is in a DataArts workspace this bot may no longer use. An admin can add it to ${code('DLF_WORKSPACES')}.`;
  }
}

export function refreshAction(services: SlackServices) {
  return async ({ ack, action, body, respond }: Args): Promise<void> => {
    await ack();
    const target = await buttonTarget(services, body, action.value);
    if (!('ref' in target)) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: buttonProblem(target).text,
      });
      return;
    }
    const { channel, ts } = messageOf(body);
    const busy = await lookUpRefusal(services, body.user.id, channel);
    if (busy)
      return void (await respond({ response_type: 'ephemeral', replace_original: false, text: busy.text }));
    const followed = channel && ts ? await services.following.byMessage(channel, ts) : undefined;
    const result = await services.look.ask('render', target.ref, { subscribed: followed !== undefined });
    if (result.kind === 'failed') {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: errorSentence(result.error).text,
      });
      return;
    }
    const rendered = result.message;
    try {
      if (!channel || !ts) throw new Error('no message to update');
      await services.web.idempotent.chat.update({
        channel,
        ts,
        ...messageFields(rendered),
      });
    } catch (error) {
      // A reply made through response_url (the bot is not in the channel) is updated the same way.
      services.logger.info(
        { slackError: slackErrorCode(error) },
        'chat.update refused; replacing through response_url',
      );
      await respond({ replace_original: true, ...rendered });
    }
  };
}
