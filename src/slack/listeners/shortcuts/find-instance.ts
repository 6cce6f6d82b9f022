/** The global shortcut: opens the lookup modal. */
import type { AllMiddlewareArgs, GlobalShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { renderLookupModal } from '../../blocks/lookup-modal';
import type { SlackServices } from '../../services/services';

type Args = AllMiddlewareArgs & SlackShortcutMiddlewareArgs<GlobalShortcut>;

export function findInstanceShortcut(services: SlackServices) {
  return async ({ ack, shortcut }: Args): Promise<void> => {
    await ack();
    await services.web.idempotent.views.open({ trigger_id: shortcut.trigger_id, view: renderLookupModal() });
  };
}
