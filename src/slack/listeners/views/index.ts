/** Modal submissions. */
import type { App } from '@slack/bolt';
import { CALLBACKS } from '../../ids';
import type { SlackServices } from '../../services/services';
import { lookupSubmission } from './lookup-submission';

export function register(app: App, services: SlackServices): void {
  app.view(CALLBACKS.lookupModal, lookupSubmission(services));
}
