/** Button handlers of the instance message and the nodes modal. */
import type { App } from '@slack/bolt';
import { ACTIONS } from '../../ids';
import type { SlackServices } from '../../services/services';
import { NOT_YET } from '../commands/dlf-instance';
import { nodesPageAction, viewNodesAction } from './nodes';
import { refreshAction } from './refresh';

export function register(app: App, services: SlackServices): void {
  app.action(ACTIONS.refresh, refreshAction(services));
  app.action(ACTIONS.viewNodes, viewNodesAction(services));
  app.action(new RegExp(`^${ACTIONS.nodesPage}_`), nodesPageAction(services));
  // Following instances arrives with subscriptions; until then the buttons say so.
  app.action(new RegExp(`^(${ACTIONS.subscribe}|${ACTIONS.unsubscribe})$`), async ({ ack, respond }) => {
    await ack();
    await respond({ response_type: 'ephemeral', replace_original: false, text: NOT_YET });
  });
  // A URL button still sends an action; Slack wants it acknowledged.
  app.action(ACTIONS.openConsole, async ({ ack }) => {
    await ack();
  });
}
