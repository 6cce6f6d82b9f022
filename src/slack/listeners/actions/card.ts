/**
 * The buttons of a card a console link unfurled into (blocks/unfurl.ts). The card sits in someone else's message,
 * so nothing is updated or recorded there: **Refresh** draws the card again (chat.unfurl replaces it), **Subscribe**
 * posts the instance message in that message's thread and follows it, **Timeline** uploads the picture into that
 * thread, **Stop** / **Rerun** answer with the same confirmation as `/dlf-instance stop|rerun` (the write happens
 * only on its button, permission-checked, once). The instance is the one the card's link names (Slack says which
 * link the card unfurled), checked as when it was unfurled; the button's value only picks the run a job link
 * showed, and must name that job.
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ExactRef } from '../../../dataarts/lookup';
import { errorSentence, isUnexpected, notInChannelSentence } from '../../blocks/errors';
import type { Markup } from '../../blocks/markup';
import { renderUnfurlCard } from '../../blocks/unfurl';
import { decodeButtonValue } from '../../ids';
import { lookUpRefusal } from '../../services/fair-share';
import { followMessage } from '../../services/follow';
import { askToConfirm } from '../../services/operate';
import type { SlackServices } from '../../services/services';
import { showInstance } from '../../services/show';
import { consoleRef } from '../../services/unfurl';
import { sendUnfurls } from '../../unfurl-call';
import { actorOf } from './operate';
import { buttonProblem, STALE_BUTTON } from './refresh';
import { timelineSentence } from './timeline';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

interface CardPress {
  ref: ExactRef;
  /** The message the link was shared in, and the link. */
  channel: string;
  ts: string;
  url: string;
}

interface UnfurlContainer {
  is_app_unfurl?: boolean;
  app_unfurl_url?: string;
  message_ts?: string;
  channel_id?: string;
}

/** The instance and place of a press on a card, or why it acts on nothing. */
export function cardPress(
  services: Pick<SlackServices, 'unfurl' | 'access'>,
  body: BlockAction<ButtonAction>,
  value: string | undefined,
): CardPress | { problem: Markup } {
  const container = body.container as UnfurlContainer | undefined;
  const url = container?.app_unfurl_url;
  const channel = container?.channel_id;
  const ts = container?.message_ts;
  if (!container?.is_app_unfurl || !url || !channel || !ts) return { problem: STALE_BUTTON };
  const link = consoleRef(url, services.unfurl.hosts);
  if (!link) return { problem: STALE_BUTTON };
  if (!services.access.workspaceAllowed(link.workspace))
    return { problem: buttonProblem({ problem: 'workspace' }) };
  const claimed = decodeButtonValue(value);
  if (
    !claimed ||
    claimed.job !== link.job ||
    (claimed.workspace ?? undefined) !== link.workspace ||
    (link.instance !== 'latest' && claimed.instanceId !== link.instance)
  )
    return { problem: buttonProblem({ problem: 'mismatch' }) };
  const ref = {
    job: link.job,
    instanceId: claimed.instanceId,
    ...(link.workspace ? { workspace: link.workspace } : {}),
  };
  return { ref, channel, ts, url };
}

type CardAction = (
  services: SlackServices,
  press: CardPress,
  args: Args,
  tell: (text: Markup) => Promise<unknown>,
) => Promise<void>;

/** A card button: its press located and checked, the sentence for anything unexpected. */
function cardAction(services: SlackServices, what: string, run: CardAction, lookUp = true) {
  return async (args: Args): Promise<void> => {
    await args.ack();
    const tell = (text: Markup) =>
      args.respond({ response_type: 'ephemeral', replace_original: false, text: text.text });
    const press = cardPress(services, args.body, args.action.value);
    if ('problem' in press) return void (await tell(press.problem));
    try {
      if (lookUp) {
        const busy = await lookUpRefusal(services, args.body.user.id, press.channel);
        if (busy) return void (await tell(busy));
      }
      await run(services, press, args, tell);
    } catch (error) {
      if (isUnexpected(error)) services.logger.error({ err: error }, `the card's ${what} failed`);
      await tell(errorSentence(error)).catch(() => undefined);
    }
  };
}

/** **Refresh**: the card drawn again from DataArts, in place (chat.unfurl replaces the card of that link). */
const refresh: CardAction = async (services, press, _args, tell) => {
  const { ref } = press;
  let instance: Awaited<ReturnType<SlackServices['dataarts']['getInstance']>>;
  try {
    instance = await services.dataarts.getInstance(ref.job, ref.instanceId, { workspace: ref.workspace });
  } catch (error) {
    return void (await tell(errorSentence(error)));
  }
  const { blocks } = renderUnfurlCard(instance, {
    now: services.clock(),
    workspace: ref.workspace,
    operable: services.operable,
  });
  await sendUnfurls(
    (args) => services.web.idempotent.chat.unfurl(args),
    { channel: press.channel, ts: press.ts },
    { [press.url]: { blocks } },
  );
};

/** **Subscribe**: the instance message in the thread of the message the link is in, followed. */
const subscribe: CardAction = async (services, press, { body, context }, tell) => {
  if (!services.following.available())
    return void (await tell(errorSentence(services.following.unavailableError('following'))));
  const { ref } = press;
  const result = await showInstance(
    services,
    { job: ref.job, instance: ref.instanceId, workspace: ref.workspace },
    { channel: press.channel, threadTs: press.ts },
    { followed: true },
  );
  if (result.kind === 'failed') return void (await tell(errorSentence(result.error)));
  if (result.kind === 'refused') return void (await tell(notInChannelSentence(context.botUserId)));
  await tell(
    await followMessage(services, {
      ref: { ...ref, instanceId: result.facts.instanceId },
      facts: result.facts,
      channel: result.channel,
      ts: result.ts,
      user: body.user.id,
      message: result.followed,
    }),
  );
};

/** **Timeline**: the picture in the thread of the message the link is in. */
const timeline: CardAction = async (services, press, { context }, tell) => {
  const result = await services.look.ask('timeline', press.ref, {
    channel: press.channel,
    threadTs: press.ts,
  });
  const sentence = timelineSentence(services, result, context.botUserId);
  if (sentence) await tell(sentence);
};

/** **Stop** / **Rerun**: the confirmation `/dlf-instance stop|rerun` answers with; nothing is written yet. */
function operation(kind: 'stop' | 'rerun'): CardAction {
  return async (services, press, { body, respond }) => {
    const answer = await askToConfirm(
      services,
      { operation: kind, ...press.ref },
      { channel: press.channel },
      actorOf(services, body, body.user.id),
    );
    await respond({ response_type: 'ephemeral', replace_original: false, ...answer });
  };
}

export function cardActions(services: SlackServices) {
  return {
    refresh: cardAction(services, 'Refresh', refresh),
    subscribe: cardAction(services, 'Subscribe', subscribe),
    timeline: cardAction(services, 'Timeline', timeline),
    stop: cardAction(services, 'Stop', operation('stop'), false),
    rerun: cardAction(services, 'Rerun', operation('rerun'), false),
  };
}
