/**
 * **Timeline**: the run's Gantt chart, drawn where look-ups run and uploaded into the thread of the message the
 * button sits on (an instance message or an alert). It acts on what the bot stored for that message.
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { errorSentence, isUnexpected } from '../../blocks/errors';
import { code, type Markup, md, mention } from '../../blocks/markup';
import { TIMELINES_WAITING, type TimelineResult } from '../../look-ups/timeline';
import { buttonTarget, messageOf } from '../../services/buttons';
import { lookUpRefusal } from '../../services/fair-share';
import type { SlackServices } from '../../services/services';
import { buttonProblem, STALE_BUTTON } from './refresh';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

export function timelineAction(services: SlackServices) {
  return async ({ ack, action, body, respond, context }: Args): Promise<void> => {
    await ack();
    const tell = (text: { text: string }) =>
      respond({ response_type: 'ephemeral', replace_original: false, text: text.text });
    const target = await buttonTarget(services, body, action.value);
    if (!('ref' in target)) return void (await tell(buttonProblem(target)));
    const { channel, ts } = messageOf(body);
    if (!channel || !ts) return void (await tell(STALE_BUTTON));
    const busy = await lookUpRefusal(services, body.user.id, channel);
    if (busy) return void (await tell(busy));
    // An alert in a thread (a rerun's reply) has its picture in the same thread.
    const threadTs = (body.message as { thread_ts?: string } | undefined)?.thread_ts ?? ts;
    const result = await services.look.ask('timeline', target.ref, { channel, threadTs });
    const sentence = timelineSentence(services, result, context.botUserId);
    if (sentence) await tell(sentence);
  };
}

/** What the presser is told of a Timeline that was not uploaded (nothing when it was). */
export function timelineSentence(
  services: Pick<SlackServices, 'logger'>,
  result: TimelineResult,
  botUserId: string | undefined,
): Markup | undefined {
  if (result.kind === 'refused') {
    const me = botUserId ? mention(botUserId) : md`the DLF bot`;
    return md`:information_source: I can’t upload pictures into this conversation. Invite ${me} (type ${code('/invite')} and choose it), then press *Timeline* again.`;
  }
  if (result.kind === 'busy')
    return md`:hourglass_flowing_sand: Timelines are being drawn for others right now, with ${String(TIMELINES_WAITING)} more waiting. Press *Timeline* again in a minute.`;
  if (result.kind === 'failed') {
    if (isUnexpected(result.error))
      services.logger.error({ err: result.error }, 'the timeline could not be drawn or uploaded');
    return errorSentence(result.error);
  }
  return undefined;
}
