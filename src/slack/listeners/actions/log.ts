/**
 * **Log** (an instance message's first failed node, or a failed node in *View all nodes*) and **Full log** (under
 * an excerpt in a thread): the node's log tail as a file in the thread of the message. In the modal, the instance
 * is the one the bot put in the view and the thread the message the modal was opened from.
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ExactRef } from '../../../dataarts/lookup';
import { errorSentence, isUnexpected } from '../../blocks/errors';
import { code, type Markup, md, mention } from '../../blocks/markup';
import { decodeButtonValue } from '../../ids';
import { buttonTarget, messageOf } from '../../services/buttons';
import { lookUpRefusal } from '../../services/fair-share';
import { uploadLog } from '../../services/log';
import type { SlackServices } from '../../services/services';
import { buttonProblem, STALE_BUTTON } from './refresh';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

const LOGS_OFF = md`:information_source: Log excerpts are off on this bot (an admin sets ${code('DLF_LOG_EXCERPTS')} and the OBS settings).`;

/** The instance, node and thread of a press: from the message's record, or from the modal the bot made. */
async function pressed(
  services: SlackServices,
  body: BlockAction<ButtonAction>,
  value: string | undefined,
): Promise<{ ref: ExactRef; node: string; channel: string; threadTs: string } | { problem: Markup }> {
  const node = decodeButtonValue(value)?.node;
  if (!node) return { problem: STALE_BUTTON };
  if (body.view) {
    const shown = decodeButtonValue(body.view.private_metadata);
    if (!shown?.channel || !shown.ts) return { problem: STALE_BUTTON };
    if (!services.access.workspaceAllowed(shown.workspace))
      return { problem: buttonProblem({ problem: 'workspace' }) };
    const ref = { job: shown.job, instanceId: shown.instanceId, workspace: shown.workspace };
    return { ref, node, channel: shown.channel, threadTs: shown.ts };
  }
  const target = await buttonTarget(services, body, value);
  if (!('ref' in target)) return { problem: buttonProblem(target) };
  const { channel, ts } = messageOf(body);
  if (!channel || !ts) return { problem: STALE_BUTTON };
  // A message in a thread (an excerpt, a rerun's reply) has its file in the same thread.
  const threadTs = (body.message as { thread_ts?: string } | undefined)?.thread_ts ?? ts;
  return { ref: target.ref, node, channel, threadTs };
}

export function logAction(services: SlackServices) {
  return async ({ ack, action, body, respond, context }: Args): Promise<void> => {
    await ack();
    const press = await pressed(services, body, action.value);
    const channel = 'channel' in press ? press.channel : messageOf(body).channel;
    // From a modal there is no message to answer under: the sentence goes to the channel, for the presser only.
    const tell = async (text: Markup) => {
      if (!body.view) {
        await respond({ response_type: 'ephemeral', replace_original: false, text: text.text });
        return;
      }
      if (channel)
        await services.web.post.chat
          .postEphemeral({ channel, user: body.user.id, text: text.text })
          .catch(() => undefined);
    };
    if ('problem' in press) return void (await tell(press.problem));
    if (!services.logs) return void (await tell(LOGS_OFF));
    const busy = await lookUpRefusal(services, body.user.id, press.channel);
    if (busy) return void (await tell(busy));
    const result = await uploadLog(
      { dataarts: services.dataarts, web: services.web, logs: services.logs, logger: services.logger },
      press.ref,
      press.node,
      { channel: press.channel, threadTs: press.threadTs },
    );
    if (result.kind === 'unavailable') return void (await tell(result.sentence));
    if (result.kind === 'refused') {
      const me = context.botUserId ? mention(context.botUserId) : md`the DLF bot`;
      return void (await tell(
        md`:information_source: I can’t upload files into this conversation. Invite ${me} (type ${code('/invite')} and choose it), then press *Log* again.`,
      ));
    }
    if (result.kind === 'failed') {
      if (isUnexpected(result.error))
        services.logger.error({ err: result.error }, 'the log could not be read or uploaded');
      await tell(errorSentence(result.error));
    }
  };
}
