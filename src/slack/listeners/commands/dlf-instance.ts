/** `/dlf-instance`: parse, acknowledge at once, then look the instance up and post it in the channel. */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { errorSentence, notInChannelSentence } from '../../blocks/errors';
import { parseCommand } from '../../command/grammar';
import { usageMessage } from '../../command/usage';
import type { SlackServices } from '../../services/services';
import { showInstance } from '../../services/show-instance';

type Args = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

export const NOT_YET =
  ':construction: Following instances (subscribe, unsubscribe, list) is not available yet. For now, press *Refresh* on a message to update it.';

export function dlfInstanceCommand(services: SlackServices) {
  return async ({ command, ack, respond, context }: Args): Promise<void> => {
    const parsed = parseCommand(command.text);
    switch (parsed.kind) {
      case 'help':
        await ack({ response_type: 'ephemeral', ...usageMessage() });
        return;
      case 'invalid':
        await ack({ response_type: 'ephemeral', ...usageMessage(parsed.reason) });
        return;
      case 'list':
      case 'subscribe':
      case 'unsubscribe':
        await ack({ response_type: 'ephemeral', text: NOT_YET });
        return;
      case 'show':
        break;
    }
    // Acknowledge before any DataArts call: Slack gives us 3 seconds.
    await ack();
    const result = await showInstance(
      services,
      { job: parsed.job, instance: parsed.instance, workspace: parsed.workspace },
      { channel: command.channel_id },
    );
    if (result.kind === 'failed') {
      await respond({ response_type: 'ephemeral', text: errorSentence(result.error) });
    } else if (result.kind === 'refused') {
      await respond({ response_type: 'in_channel', ...result.message });
      await respond({ response_type: 'ephemeral', text: notInChannelSentence(context.botUserId) });
    }
  };
}
