/**
 * The message shortcut: reads a job and instance from the chosen message (a pasted alert, a question) and
 * answers in its thread; when the message does not say both, opens the modal with what it found.
 */
import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { errorSentence, notInChannelSentence } from '../../blocks/errors';
import { renderLookupModal } from '../../blocks/lookup-modal';
import { md } from '../../blocks/markup';
import { extractInstanceRef } from '../../command/extract';
import { refProblemReason } from '../../command/grammar';
import { lookUpRefusal } from '../../services/fair-share';
import type { SlackServices } from '../../services/services';
import { showInstance, workspaceRefusal } from '../../services/show';
import { tellWhereItWent } from '../views/lookup-submission';

type Args = AllMiddlewareArgs & SlackShortcutMiddlewareArgs<MessageShortcut>;

export function trackMessageShortcut(services: SlackServices) {
  return async ({ ack, shortcut, respond, context }: Args): Promise<void> => {
    await ack();
    const text = shortcut.message.text ?? '';
    const guess = extractInstanceRef(text);
    const channel = shortcut.channel.id;
    const threadTs = shortcut.message.thread_ts ?? shortcut.message_ts;
    if (guess.problem) {
      await respond({
        response_type: 'ephemeral',
        text: md`:warning: ${refProblemReason(guess.problem)}`.text,
      });
      return;
    }
    if (!guess.job || !guess.instanceId) {
      await services.web.idempotent.views.open({
        trigger_id: shortcut.trigger_id,
        view: renderLookupModal(
          {
            job: guess.job,
            instanceId: guess.instanceId,
            workspace: guess.workspace,
            conversation: channel,
            threadTs,
          },
          guess.job || guess.instanceId
            ? md`I found part of a reference in that message. Fill in the rest.`
            : md`I could not find a job and instance in that message. Which one do you mean?`,
        ),
      });
      return;
    }
    const refused =
      workspaceRefusal(services, guess.workspace) ??
      (await lookUpRefusal(services, shortcut.user.id, channel));
    if (refused) {
      await respond({ response_type: 'ephemeral', text: refused.text });
      return;
    }
    const result = await showInstance(
      services,
      { job: guess.job, instance: guess.instanceId, workspace: guess.workspace },
      { channel, threadTs },
      { permalink: true },
    );
    if (result.kind === 'failed') {
      await respond({ response_type: 'ephemeral', text: errorSentence(result.error).text });
    } else if (result.kind === 'refused') {
      await respond({ response_type: 'ephemeral', ...result.message });
      await respond({ response_type: 'ephemeral', text: notInChannelSentence(context.botUserId).text });
    } else {
      await tellWhereItWent(services, shortcut.user.id, result);
    }
  };
}
