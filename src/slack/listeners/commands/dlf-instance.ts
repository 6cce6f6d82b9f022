/** `/dlf-instance`: parse, acknowledge at once, then look the instance up and post it in the channel. */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { BotUnavailableError, errorSentence, notInChannelSentence } from '../../blocks/errors';
import { code, md } from '../../blocks/markup';
import { renderSubscriptionList } from '../../blocks/subscription-list';
import { parseCommand } from '../../command/grammar';
import { usageMessage } from '../../command/usage';
import { followMessage, unfollowMessage } from '../../services/follow';
import type { SlackServices } from '../../services/services';

type Args = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

export function dlfInstanceCommand(services: SlackServices) {
  const handle = commandHandler(services);
  return async (args: Args): Promise<void> => {
    try {
      await handle(args);
    } catch (error) {
      // Every branch has acknowledged before its first I/O, so the person can still be told.
      services.logger.error({ err: error }, '/dlf-instance failed');
      await args
        .respond({ response_type: 'ephemeral', text: errorSentence(error).text })
        .catch(() => undefined);
    }
  };
}

function commandHandler(services: SlackServices) {
  return async ({ command, ack, respond, context }: Args): Promise<void> => {
    const parsed = parseCommand(command.text);
    switch (parsed.kind) {
      case 'help':
        await ack({ response_type: 'ephemeral', ...usageMessage() });
        return;
      case 'invalid':
        await ack({ response_type: 'ephemeral', ...usageMessage(parsed.reason) });
        return;
      case 'list': {
        await ack();
        const entries = await services.subscriptions.inChannel(command.channel_id);
        await respond({
          response_type: 'ephemeral',
          ...renderSubscriptionList(entries, {
            title: 'Followed in this channel',
            empty: md`:information_source: Nothing is followed in this channel. Press *Subscribe* on an instance message, or ${code('/dlf-instance subscribe <job> <instance>')}.`,
            showChannel: false,
          }),
        });
        return;
      }
      case 'unsubscribe': {
        await ack();
        const matching = (await services.subscriptions.inChannel(command.channel_id)).filter(
          ({ subscription: s }) => s.job === parsed.job && s.instanceId === parsed.instanceId,
        );
        for (const { subscription } of matching)
          await unfollowMessage(services, subscription.channel, subscription.ts);
        await respond({
          response_type: 'ephemeral',
          text: (matching.length > 0
            ? md`:no_bell: Stopped following *${parsed.job} #${parsed.instanceId}* here (${matching.length === 1 ? 'one message' : `${matching.length} messages`}).`
            : md`:information_source: *${parsed.job} #${parsed.instanceId}* is not followed in this channel.`
          ).text,
        });
        return;
      }
      case 'subscribe':
      case 'show':
        break;
    }
    // Acknowledge before any DataArts call (Slack gives us 3 seconds), then let other waiting requests be
    // acknowledged before this one's work starts.
    await ack();
    if (parsed.kind === 'subscribe' && !services.subscriptions.available()) {
      // Nothing is posted that nobody would follow.
      await respond({
        response_type: 'ephemeral',
        text: errorSentence(new BotUnavailableError('following')).text,
      });
      return;
    }
    await new Promise((resolve) => setImmediate(resolve));
    const instance = 'instanceId' in parsed ? parsed.instanceId : parsed.instance;
    const result = await services.show(
      { job: parsed.job, instance, workspace: parsed.workspace },
      { channel: command.channel_id },
    );
    if (result.kind === 'failed') {
      await respond({ response_type: 'ephemeral', text: errorSentence(result.error).text });
    } else if (result.kind === 'refused') {
      await respond({ response_type: 'in_channel', ...result.message });
      await respond({ response_type: 'ephemeral', text: notInChannelSentence(context.botUserId).text });
    } else if (parsed.kind === 'subscribe') {
      const text = await followMessage(services, {
        ref: { job: parsed.job, instanceId: result.instance.instanceId, workspace: parsed.workspace },
        instance: result.instance,
        channel: result.channel,
        ts: result.ts,
        user: command.user_id,
      });
      await respond({ response_type: 'ephemeral', text: text.text });
    }
  };
}
