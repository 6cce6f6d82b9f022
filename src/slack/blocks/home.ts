/** The App Home tab: what the bot does and how to use it. */
import type { HomeView } from '@slack/types';
import { USAGE_LINES } from '../command/usage';

export function renderHome(): HomeView {
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'DataArts Factory instances' } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'Look up any DataArts Factory (DLF) batch job instance from Slack: every node’s status, type, timing, retries, rows, speed and log path, in one message you can refresh, follow and share.',
        },
      },
      { type: 'divider' },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `*Commands*\n${USAGE_LINES.map((line) => `• ${line}`).join('\n')}` },
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '*Shortcuts*\n• *Find DLF instance* (the ⚡ menu): look one up and post it where you choose.\n• *Track DLF instance* (a message’s ⋯ menu): reads a job and instance from that message, e.g. a pasted alert, and answers in its thread.',
        },
      },
    ],
  };
}
