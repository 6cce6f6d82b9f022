/** Slash commands. */
import type { App } from '@slack/bolt';
import { COMMAND } from '../../ids';
import type { SlackServices } from '../../services/services';
import { dlfInstanceCommand } from './dlf-instance';

export function register(app: App, services: SlackServices): void {
  app.command(COMMAND, dlfInstanceCommand(services));
}
