/** The global and message shortcuts. */
import type { App } from '@slack/bolt';
import { CALLBACKS } from '../../ids';
import type { SlackServices } from '../../services/services';
import { findInstanceShortcut } from './find-instance';
import { trackMessageShortcut } from './track-message';

export function register(app: App, services: SlackServices): void {
  app.shortcut({ callback_id: CALLBACKS.globalShortcut, type: 'shortcut' }, findInstanceShortcut(services));
  app.shortcut(
    { callback_id: CALLBACKS.messageShortcut, type: 'message_action' },
    trackMessageShortcut(services),
  );
}
