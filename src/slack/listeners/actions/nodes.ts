/** **View all nodes** opens the paginated modal; its Previous / Next buttons turn the pages. */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { ExactRef } from '../../../dataarts/lookup';
import { errorSentence } from '../../blocks/errors';
import { md } from '../../blocks/markup';
import { loadingModal } from '../../blocks/nodes-modal';
import { decodeButtonValue, encodeButtonValue } from '../../ids';
import { buttonTarget, messageOf } from '../../services/buttons';
import { lookUpRefusal } from '../../services/fair-share';
import type { SlackServices } from '../../services/services';
import { buttonProblem } from './refresh';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

/** The modal, remembering the message it was opened from: its **Log** buttons upload into that thread. */
async function nodesView(
  services: SlackServices,
  ref: ExactRef,
  page: number,
  from: { channel?: string; ts?: string },
): Promise<ModalView> {
  const result = await services.look.ask('nodes', ref, page);
  if (result.kind !== 'view') return loadingModal('All nodes', errorSentence(result.error));
  const shown = decodeButtonValue(result.view.private_metadata);
  if (!shown || !from.channel || !from.ts) return result.view;
  return {
    ...result.view,
    private_metadata: encodeButtonValue({ ...shown, channel: from.channel, ts: from.ts }),
  };
}

export function viewNodesAction(services: SlackServices) {
  return async ({ ack, action, body, respond }: Args): Promise<void> => {
    await ack();
    const busy = await lookUpRefusal(services, body.user.id, messageOf(body).channel);
    if (busy)
      return void (await respond({ response_type: 'ephemeral', replace_original: false, text: busy.text }));
    // The trigger lasts 3 seconds: open at once, fill in when DataArts answers.
    const opened = await services.web.idempotent.views.open({
      trigger_id: body.trigger_id,
      view: loadingModal('All nodes', md`:hourglass_flowing_sand: Fetching every node from DataArts…`),
    });
    const viewId = opened.view?.id;
    if (!viewId) return;
    const target = await buttonTarget(services, body, action.value);
    await services.web.idempotent.views.update({
      view_id: viewId,
      view:
        'ref' in target
          ? await nodesView(services, target.ref, 0, messageOf(body))
          : loadingModal('All nodes', buttonProblem(target)),
    });
  };
}

/** The modal's own pages: the instance is the one the bot put in the view (private_metadata), the page the button's. */
export function nodesPageAction(services: SlackServices) {
  return async ({ ack, action, body }: Args): Promise<void> => {
    await ack();
    const viewId = body.view?.id;
    if (!viewId) return;
    const shown = decodeButtonValue(body.view?.private_metadata);
    const page = decodeButtonValue(action.value)?.page ?? 0;
    const busy = await lookUpRefusal(services, body.user.id);
    const view = busy
      ? loadingModal('All nodes', busy)
      : shown && services.access.workspaceAllowed(shown.workspace)
        ? await nodesView(
            services,
            { job: shown.job, instanceId: shown.instanceId, workspace: shown.workspace },
            page,
            { channel: shown.channel, ts: shown.ts },
          )
        : loadingModal('All nodes', buttonProblem({ problem: 'stale' }));
    await services.web.idempotent.views.update({ view_id: viewId, view });
  };
}
