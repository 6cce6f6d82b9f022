/** **Refresh**: fetch the instance again and update this very message in place. */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { errorSentence } from '../../blocks/errors';
import { code, md } from '../../blocks/markup';
import { decodeButtonValue } from '../../ids';
import type { SlackServices } from '../../services/services';
import { renderFor } from '../../services/show-instance';
import { slackErrorCode } from '../../web';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

export const STALE_BUTTON = md`:information_source: This button belongs to a message I can no longer read. Run ${code('/dlf-instance <job> <instance>')} again.`;

export function refreshAction(services: SlackServices) {
  return async ({ ack, action, body, respond }: Args): Promise<void> => {
    await ack();
    const ref = decodeButtonValue(action.value);
    if (!ref) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: STALE_BUTTON.text });
      return;
    }
    const channel = body.container?.channel_id ?? body.channel?.id;
    const ts = body.container?.message_ts ?? body.message?.ts;
    let rendered: ReturnType<typeof renderFor>;
    try {
      const instance = await services.dataarts.getInstance(ref.job, ref.instanceId, {
        workspace: ref.workspace,
      });
      const followed = channel && ts ? await services.subscriptions.byMessage(channel, ts) : undefined;
      rendered = renderFor(services, instance, ref.workspace, followed !== undefined);
    } catch (error) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: errorSentence(error).text });
      return;
    }
    try {
      if (!channel || !ts) throw new Error('no message to update');
      await services.web.idempotent.chat.update({
        channel,
        ts,
        text: rendered.text,
        blocks: rendered.blocks,
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
