/**
 * The lookup modal (global shortcut, and the message shortcut when it cannot tell): job, instance id or
 * latest, workspace, and the conversation to post to. Also reads and validates its submission.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import { isInstanceId, isJobName, isWorkspaceId } from '../../dataarts/refs';
import { CALLBACKS, LOOKUP_INPUTS } from '../ids';
import { type Markup, mrkdwn } from './markup';

export interface LookupPrefill {
  job?: string;
  instanceId?: string;
  workspace?: string;
  /** Post here by default (the message shortcut's conversation). */
  conversation?: string;
  /** Carried through the modal: post in this thread. */
  threadTs?: string;
}

export function renderLookupModal(prefill: LookupPrefill = {}, note?: Markup): ModalView {
  const blocks: KnownBlock[] = [];
  if (note) blocks.push({ type: 'context', elements: [mrkdwn(note)] });
  blocks.push(
    {
      type: 'input',
      block_id: LOOKUP_INPUTS.job,
      label: { type: 'plain_text', text: 'Job name' },
      element: {
        type: 'plain_text_input',
        action_id: LOOKUP_INPUTS.job,
        placeholder: { type: 'plain_text', text: 'job_batch' },
        ...(prefill.job ? { initial_value: prefill.job } : {}),
      },
    },
    {
      type: 'input',
      block_id: LOOKUP_INPUTS.instance,
      optional: true,
      label: { type: 'plain_text', text: 'Instance id' },
      hint: { type: 'plain_text', text: 'Leave empty (or write latest) for the newest instance.' },
      element: {
        type: 'plain_text_input',
        action_id: LOOKUP_INPUTS.instance,
        placeholder: { type: 'plain_text', text: '34765' },
        ...(prefill.instanceId ? { initial_value: prefill.instanceId } : {}),
      },
    },
    {
      type: 'input',
      block_id: LOOKUP_INPUTS.workspace,
      optional: true,
      label: { type: 'plain_text', text: 'Workspace id' },
      hint: { type: 'plain_text', text: 'Only when the job is not in the default workspace.' },
      element: {
        type: 'plain_text_input',
        action_id: LOOKUP_INPUTS.workspace,
        ...(prefill.workspace ? { initial_value: prefill.workspace } : {}),
      },
    },
    {
      type: 'input',
      block_id: LOOKUP_INPUTS.conversation,
      label: { type: 'plain_text', text: 'Post in' },
      element: {
        type: 'conversations_select',
        action_id: LOOKUP_INPUTS.conversation,
        response_url_enabled: true,
        ...(prefill.conversation
          ? { initial_conversation: prefill.conversation }
          : { default_to_current_conversation: true }),
      },
    },
    {
      type: 'input',
      block_id: LOOKUP_INPUTS.follow,
      optional: true,
      label: { type: 'plain_text', text: 'Follow' },
      element: {
        type: 'checkboxes',
        action_id: LOOKUP_INPUTS.follow,
        options: [
          {
            text: { type: 'plain_text', text: 'Reply in its thread when it finishes or fails' },
            value: 'follow',
          },
        ],
      },
    },
  );
  return {
    type: 'modal',
    callback_id: CALLBACKS.lookupModal,
    title: { type: 'plain_text', text: 'Find a DLF instance' },
    submit: { type: 'plain_text', text: 'Show' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: JSON.stringify({ threadTs: prefill.threadTs ?? null }),
    blocks,
  };
}

export type LookupSubmission =
  | {
      ok: true;
      job: string;
      instance: string;
      workspace?: string;
      conversation: string;
      threadTs?: string;
      follow: boolean;
    }
  | { ok: false; errors: Record<string, string> };

interface InputState {
  value?: string | null;
  selected_conversation?: string | null;
  selected_options?: { value: string }[];
}

type StateValues = Record<string, Record<string, InputState>>;

export function readLookupSubmission(values: StateValues, privateMetadata?: string): LookupSubmission {
  const text = (block: string) => values[block]?.[block]?.value?.trim() ?? '';
  const job = text(LOOKUP_INPUTS.job);
  const instanceText = text(LOOKUP_INPUTS.instance).replace(/^#/, '');
  const workspace = text(LOOKUP_INPUTS.workspace);
  const conversation =
    values[LOOKUP_INPUTS.conversation]?.[LOOKUP_INPUTS.conversation]?.selected_conversation ?? '';
  const errors: Record<string, string> = {};
  if (!isJobName(job)) errors[LOOKUP_INPUTS.job] = 'A job name uses letters, digits, _ . and -.';
  const instance = instanceText === '' || instanceText.toLowerCase() === 'latest' ? 'latest' : instanceText;
  if (instance !== 'latest' && !isInstanceId(instance)) {
    errors[LOOKUP_INPUTS.instance] = 'An instance id is a number, or leave it empty for the latest.';
  }
  if (workspace && !isWorkspaceId(workspace)) errors[LOOKUP_INPUTS.workspace] = 'That is not a workspace id.';
  if (!conversation) errors[LOOKUP_INPUTS.conversation] = 'Choose where to post.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  let threadTs: string | undefined;
  try {
    threadTs = (JSON.parse(privateMetadata ?? '{}') as { threadTs?: string | null }).threadTs ?? undefined;
  } catch {
    threadTs = undefined;
  }
  return {
    ok: true,
    job,
    instance,
    ...(workspace ? { workspace } : {}),
    conversation,
    ...(threadTs ? { threadTs } : {}),
    follow: (values[LOOKUP_INPUTS.follow]?.[LOOKUP_INPUTS.follow]?.selected_options ?? []).some(
      (o) => o.value === 'follow',
    ),
  };
}
