/**
 * The message shortcut: reads a job and instance from the chosen message (a pasted alert, a question) and
 * answers in its thread; when the message does not say both, opens the modal with what it found.
 */
import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { errorSentence, notInChannelSentence } from '../../blocks/errors';
import { renderLookupModal } from '../../blocks/lookup-modal';
import { extractInstanceRef } from '../../command/extract';
import type { SlackServices } from '../../services/services';
import { tellWhereItWent } from '../views/lookup-submission';

type Args = AllMiddlewareArgs & SlackShortcutMiddlewareArgs<MessageShortcut>;

export function trackMessageShortcut(services: SlackServices) {
  return async ({ ack, shortcut, respond, context }: Args): Promise<void> => {
    await ack();
    const text = shortcut.message.text ?? '';
    const guess = extractInstanceRef(text);
    const channel = shortcut.channel.id;
    const threadTs = shortcut.message.thread_ts ?? shortcut.message_ts;
    if (!guess.job || !guess.instanceId) {
      await services.web.idempotent.views.open({
        trigger_id: shortcut.trigger_id,
        view: renderLookupModal(
          { ...guess, conversation: channel, threadTs },
          guess.job || guess.instanceId
            ? 'I found part of a reference in that message. Fill in the rest.'
            : 'I could not find a job and instance in that message. Which one do you mean?',
        ),
      });
      return;
    }
    const result = await services.show(
      { job: guess.job, instance: guess.instanceId, workspace: guess.workspace },
      { channel, threadTs },
    );
    if (result.kind === 'failed') {
      await respond({ response_type: 'ephemeral', text: errorSentence(result.error) });
    } else if (result.kind === 'refused') {
      await respond({ response_type: 'ephemeral', ...result.message });
      await respond({ response_type: 'ephemeral', text: notInChannelSentence(context.botUserId) });
    } else {
      await tellWhereItWent(services, shortcut.user.id, result);
    }
  };
}
