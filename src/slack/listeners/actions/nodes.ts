/** **View all nodes** opens the paginated modal; its Previous / Next buttons turn the pages. */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { errorSentence } from '../../blocks/errors';
import { md } from '../../blocks/markup';
import { loadingModal, renderNodesModal } from '../../blocks/nodes-modal';
import { decodeButtonValue } from '../../ids';
import type { SlackServices } from '../../services/services';
import { STALE_BUTTON } from './refresh';

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

async function nodesView(services: SlackServices, value: string | undefined) {
  const ref = decodeButtonValue(value);
  if (!ref) return loadingModal('All nodes', STALE_BUTTON);
  try {
    const instance = await services.dataarts.getInstance(ref.job, ref.instanceId, {
      workspace: ref.workspace,
    });
    return renderNodesModal(instance, ref.page ?? 0, { now: services.clock(), workspace: ref.workspace });
  } catch (error) {
    return loadingModal('All nodes', errorSentence(error));
  }
}

export function viewNodesAction(services: SlackServices) {
  return async ({ ack, action, body }: Args): Promise<void> => {
    await ack();
    // The trigger lasts 3 seconds: open at once, fill in when DataArts answers.
    const opened = await services.web.idempotent.views.open({
      trigger_id: body.trigger_id,
      view: loadingModal('All nodes', md`:hourglass_flowing_sand: Fetching every node from DataArts…`),
    });
    const viewId = opened.view?.id;
    if (!viewId) return;
    await services.web.idempotent.views.update({
      view_id: viewId,
      view: await nodesView(services, action.value),
    });
  };
}

export function nodesPageAction(services: SlackServices) {
  return async ({ ack, action, body }: Args): Promise<void> => {
    await ack();
    const viewId = body.view?.id;
    if (!viewId) return;
    await services.web.idempotent.views.update({
      view_id: viewId,
      view: await nodesView(services, action.value),
    });
  };
}
