/**
 * **Stop** and **Rerun** on an instance message, an alert or an end reply, and the Stop / Rerun / Run now and
 * Cancel of a command's confirmation. Thin: find what the message is about from the bot's own record, then hand
 * over to services/operate.ts, which decides and writes.
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { originOf } from '../../../access/policy';
import type { ExactRef } from '../../../dataarts/lookup';
import { errorSentence, isUnexpected } from '../../blocks/errors';
import { code, type Markup, md } from '../../blocks/markup';
import { messageOf } from '../../services/buttons';
import { type Actor, confirmOperation, type OnMessage, operateOnMessage } from '../../services/operate';
import type { SlackServices } from '../../services/services';
import { buttonProblem } from './refresh';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

export function actorOf(services: SlackServices, body: unknown, user: string): Actor {
  const origin = originOf(body);
  return { user, team: origin.userTeam ?? origin.team, external: services.access.isExternal(origin) };
}

type Located = { ref: ExactRef; message: OnMessage } | { problem: 'stale' | 'workspace' | 'unrecorded' };

/**
 * The instance message a button acts from: the message itself, or for an end reply the followed message it
 * answers (its thread's parent), each as the bot recorded it in that conversation. A write needs that record:
 * never the button's value, so a press replayed as if from another conversation (or message) finds no record
 * there and acts on nothing.
 */
async function locate(services: SlackServices, body: BlockAction<ButtonAction>): Promise<Located> {
  const { channel, ts } = messageOf(body);
  if (!channel || !ts) return { problem: 'unrecorded' };
  const parentTs = (body.message as { thread_ts?: string } | undefined)?.thread_ts;
  const at = parentTs && parentTs !== ts ? parentTs : ts;
  const record = await services.records.get(channel, at);
  if (!record?.job || !record.instanceId) return { problem: at === ts ? 'unrecorded' : 'stale' };
  if (!services.access.workspaceAllowed(record.workspace)) return { problem: 'workspace' };
  const ref = {
    job: record.job,
    instanceId: record.instanceId,
    ...(record.workspace ? { workspace: record.workspace } : {}),
  };
  return { ref, message: { channel, ts: at } };
}

const UNRECORDED = md`:no_entry: I have no record of this message in this conversation, so I acted on nothing and nothing was sent to DataArts. Post the instance here with ${code('/dlf-instance <job> <instance>')} and use its buttons.`;

function guarded(
  services: SlackServices,
  what: string,
  run: (args: Args, tell: (text: Markup) => Promise<unknown>) => Promise<void>,
) {
  return async (args: Args): Promise<void> => {
    await args.ack();
    const tell = (text: Markup) =>
      args.respond({ response_type: 'ephemeral', replace_original: false, text: text.text });
    try {
      await run(args, tell);
    } catch (error) {
      if (isUnexpected(error)) services.logger.error({ err: error }, `${what} failed`);
      await tell(errorSentence(error)).catch(() => undefined);
    }
  };
}

export function operationAction(services: SlackServices, operation: 'stop' | 'rerun') {
  return guarded(services, operation, async ({ body }, tell) => {
    const located = await locate(services, body);
    if (!('ref' in located))
      return void (await tell(
        located.problem === 'unrecorded' ? UNRECORDED : buttonProblem({ problem: located.problem }),
      ));
    await operateOnMessage(services, {
      operation,
      ref: located.ref,
      message: located.message,
      actor: actorOf(services, body, body.user.id),
      tell,
    });
  });
}

export function confirmOperationAction(services: SlackServices) {
  return guarded(services, 'a confirmed operation', async ({ action, body, respond }) => {
    // The confirmation is replaced by the outcome, so its buttons are gone.
    const tell = (text: Markup) =>
      respond({ response_type: 'ephemeral', replace_original: true, text: text.text });
    await confirmOperation(
      services,
      action.value ?? '',
      actorOf(services, body, body.user.id),
      tell,
      messageOf(body).channel,
    );
  });
}

export function cancelOperationAction(services: SlackServices) {
  return guarded(services, 'a cancelled operation', async ({ action, respond }) => {
    if (/^[0-9a-f]{32}$/.test(action.value ?? '')) await services.operations.marks.takePending(action.value!);
    await respond({
      response_type: 'ephemeral',
      replace_original: true,
      text: md`Cancelled; nothing was sent to DataArts.`.text,
    });
  });
}
