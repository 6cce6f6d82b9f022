/**
 * Which instance a button press is about. The bot acts on what it stored for the message the button sits on
 * (message-records.ts), never on the value the request carries: a signed request with an edited value cannot
 * re-point a message at another instance. For a message with no record (posted before records existed, or through
 * response_url), the value is used only if it names what the message itself shows (its header, its workspace).
 */

import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { ExactRef } from '../../dataarts/lookup';
import { decodeButtonValue } from '../ids';
import type { SlackServices } from './services';

export interface MessageRef {
  channel?: string;
  ts?: string;
}

/**
 * The message a press came from. Slack names it twice (the container, and the channel and message); a payload
 * whose two namings disagree was not made by Slack (a press replayed as if from elsewhere) and names no message.
 */
export function messageOf(body: BlockAction<ButtonAction>): MessageRef {
  const channels = [body.container?.channel_id, body.channel?.id].filter((id) => id !== undefined);
  const stamps = [body.container?.message_ts, body.message?.ts].filter((ts) => ts !== undefined);
  if (new Set(channels).size > 1 || new Set(stamps).size > 1) return {};
  return { channel: channels[0], ts: stamps[0] };
}

export type ButtonTarget = { ref: ExactRef } | { problem: 'stale' | 'mismatch' | 'workspace' };

const HEADER = /^(?::[a-z0-9_+-]+:\s+)?(.+) #(\d+)$/;

/** The job and instance a rendered instance message names in its header block. */
export function shownRef(
  blocks: unknown,
): { job: string; instanceId: string; workspace?: string } | undefined {
  if (!Array.isArray(blocks)) return undefined;
  const header = blocks.find((block) => (block as { type?: string }).type === 'header') as
    | { text?: { text?: string } }
    | undefined;
  const match = HEADER.exec(header?.text?.text ?? '');
  if (!match) return undefined;
  const context = JSON.stringify(blocks.filter((block) => (block as { type?: string }).type === 'context'));
  const workspace = / · workspace ([A-Za-z0-9_-]{1,64})/.exec(context)?.[1];
  return { job: match[1]!, instanceId: match[2]!, ...(workspace ? { workspace } : {}) };
}

export async function buttonTarget(
  services: Pick<SlackServices, 'records' | 'access'>,
  body: BlockAction<ButtonAction>,
  value: string | undefined,
): Promise<ButtonTarget> {
  const { channel, ts } = messageOf(body);
  const record = channel && ts ? await services.records.get(channel, ts) : undefined;
  let ref: ExactRef;
  if (record?.job && record.instanceId) {
    ref = {
      job: record.job,
      instanceId: record.instanceId,
      ...(record.workspace ? { workspace: record.workspace } : {}),
    };
  } else {
    const claimed = decodeButtonValue(value);
    if (!claimed) return { problem: 'stale' };
    const shown = shownRef(body.message?.blocks);
    if (
      !shown ||
      shown.job !== claimed.job ||
      shown.instanceId !== claimed.instanceId ||
      shown.workspace !== claimed.workspace
    )
      return { problem: 'mismatch' };
    ref = {
      job: claimed.job,
      instanceId: claimed.instanceId,
      ...(claimed.workspace ? { workspace: claimed.workspace } : {}),
    };
  }
  // The workspace list may have changed since the message was posted.
  if (!services.access.workspaceAllowed(ref.workspace)) return { problem: 'workspace' };
  return { ref };
}
