/** `/dlf-instance`: parse, acknowledge at once, then look the instance up and post it in the channel. */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { watchId } from '../../../following/model';
import { renderChannelFollows } from '../../blocks/channel-follows';
import { errorSentence, isUnexpected, notInChannelSentence } from '../../blocks/errors';
import type { Markup } from '../../blocks/markup';
import { parseCommand } from '../../command/grammar';
import { usageMessage } from '../../command/usage';
import { lookUpRefusal, watchRefusal } from '../../services/fair-share';
import { followMessage } from '../../services/follow';
import { askToConfirm } from '../../services/operate';
import type { SlackServices } from '../../services/services';
import { showInstance, workspaceRefusal } from '../../services/show';
import { unsubscribeInChannel } from '../../services/unsubscribe';
import { watchCommand } from '../../services/watch';
import { actorOf } from '../actions/operate';

type Args = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

export function dlfInstanceCommand(services: SlackServices) {
  const handle = commandHandler(services);
  return async (args: Args): Promise<void> => {
    try {
      await handle(args);
    } catch (error) {
      // Every branch has acknowledged before its first I/O, so the person can still be told.
      if (isUnexpected(error)) services.logger.error({ err: error }, '/dlf-instance failed');
      await args
        .respond({ response_type: 'ephemeral', text: errorSentence(error).text })
        .catch(() => undefined);
    }
  };
}

function commandHandler(services: SlackServices) {
  return async ({ command, ack, respond, context }: Args): Promise<void> => {
    const tell = (text: Markup) => respond({ response_type: 'ephemeral', text: text.text });
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
        const [entries, watches] = await Promise.all([
          services.following.inChannel(command.channel_id),
          services.following.watchesIn(command.channel_id),
        ]);
        await respond({ response_type: 'ephemeral', ...renderChannelFollows(entries, watches) });
        return;
      }
      case 'digest': {
        await ack();
        const busy =
          parsed.action === 'now' && (await lookUpRefusal(services, command.user_id, command.channel_id));
        if (busy) return void (await tell(busy));
        await services.digests.command(parsed, command.channel_id, command.user_id, tell);
        return;
      }
      case 'watch':
      case 'unwatch': {
        await ack();
        const full =
          parsed.kind === 'watch' &&
          (await watchRefusal(services, {
            id: watchId(command.channel_id, parsed.workspace, parsed.pattern),
            channel: command.channel_id,
            pattern: parsed.pattern,
            user: command.user_id,
          }));
        if (full) return void (await tell(full));
        await watchCommand(services, parsed, command.channel_id, command.user_id, tell);
        return;
      }
      case 'unsubscribe': {
        await ack();
        await tell(await unsubscribeInChannel(services, parsed, command.channel_id, command.user_id));
        return;
      }
      case 'stop':
      case 'rerun':
      case 'run': {
        await ack();
        const { kind, ...request } = parsed;
        const answer = await askToConfirm(
          services,
          { operation: kind, ...request },
          { channel: command.channel_id },
          actorOf(services, command, command.user_id),
        );
        await respond({ response_type: 'ephemeral', ...answer });
        return;
      }
      case 'subscribe':
      case 'show':
        break;
    }
    // Acknowledge before any DataArts call (Slack gives us 3 seconds), then let other waiting requests be
    // acknowledged before this one's work starts.
    await ack();
    const refused = workspaceRefusal(services, parsed.workspace);
    if (refused) return void (await tell(refused));
    if (parsed.kind === 'subscribe' && !services.following.available()) {
      // Nothing is posted that nobody would follow.
      return void (await tell(errorSentence(services.following.unavailableError('following'))));
    }
    // Over a fair-share limit: told so, and nothing asked of DataArts or posted.
    const busy = await lookUpRefusal(services, command.user_id, command.channel_id);
    if (busy) return void (await tell(busy));
    await new Promise((resolve) => setImmediate(resolve));
    const instance = 'instanceId' in parsed ? parsed.instanceId : parsed.instance;
    const result = await showInstance(
      services,
      { job: parsed.job, instance, workspace: parsed.workspace },
      { channel: command.channel_id },
      { followed: parsed.kind === 'subscribe' },
    );
    if (result.kind === 'failed') {
      if (isUnexpected(result.error))
        services.logger.error({ err: result.error }, '/dlf-instance look-up failed');
      await tell(errorSentence(result.error));
    } else if (result.kind === 'refused') {
      await respond({ response_type: 'in_channel', ...result.message });
      await tell(notInChannelSentence(context.botUserId));
    } else if (parsed.kind === 'subscribe') {
      await tell(
        await followMessage(services, {
          ref: { job: parsed.job, instanceId: result.facts.instanceId, workspace: parsed.workspace },
          facts: result.facts,
          channel: result.channel,
          ts: result.ts,
          user: command.user_id,
          message: result.followed,
        }),
      );
    }
  };
}
