/** Button handlers of the instance message and the nodes modal. */
import type { App } from '@slack/bolt';
import { ACTIONS } from '../../ids';
import type { SlackServices } from '../../services/services';
import { cardActions } from './card';
import { logAction } from './log';
import { nodesPageAction, viewNodesAction } from './nodes';
import { cancelOperationAction, confirmOperationAction, operationAction } from './operate';
import { refreshAction } from './refresh';
import { subscribeAction, unsubscribeAction } from './subscribe';
import { timelineAction } from './timeline';

export function register(app: App, services: SlackServices): void {
  app.action(ACTIONS.refresh, refreshAction(services));
  app.action(ACTIONS.viewNodes, viewNodesAction(services));
  app.action(new RegExp(`^${ACTIONS.nodesPage}_`), nodesPageAction(services));
  app.action(ACTIONS.subscribe, subscribeAction(services));
  app.action(ACTIONS.unsubscribe, unsubscribeAction(services));
  app.action(ACTIONS.stop, operationAction(services, 'stop'));
  app.action(ACTIONS.rerun, operationAction(services, 'rerun'));
  app.action(ACTIONS.confirmOperation, confirmOperationAction(services));
  app.action(ACTIONS.cancelOperation, cancelOperationAction(services));
  app.action(ACTIONS.timeline, timelineAction(services));
  app.action(ACTIONS.log, logAction(services));
  const card = cardActions(services);
  app.action(ACTIONS.cardRefresh, card.refresh);
  app.action(ACTIONS.cardSubscribe, card.subscribe);
  app.action(ACTIONS.cardTimeline, card.timeline);
  app.action(ACTIONS.cardStop, card.stop);
  app.action(ACTIONS.cardRerun, card.rerun);
  // A URL button still sends an action; Slack wants it acknowledged.
  app.action(ACTIONS.openConsole, async ({ ack }) => {
    await ack();
  });
}
