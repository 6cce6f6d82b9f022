/** Wires every listener folder into the Bolt app. */
import type { App } from '@slack/bolt';
import type { SlackServices } from '../services/services';
import * as actions from './actions';
import * as commands from './commands';
import * as events from './events';
import * as shortcuts from './shortcuts';
import * as views from './views';

export function registerListeners(app: App, services: SlackServices): void {
  for (const folder of [commands, actions, shortcuts, views, events]) folder.register(app, services);
}
