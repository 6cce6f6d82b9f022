/**
 * What people see of the writes to DataArts (stop, rerun, run now): the buttons with their confirmation dialogs,
 * a command's ephemeral confirmation, the refusal naming who may, the note in the instance's thread and the
 * sentences for each outcome. Pure: our words and escaped data in, Block Kit out.
 */
import type { ActionsBlock, Button, ConfirmationDialog, KnownBlock } from '@slack/types';
import type { OperatorDecision, OperatorEntry } from '../../access/operators';
import { type JobInstance, type JobParam, statusText } from '../../dataarts/model';
import { ACTIONS } from '../ids';
import {
  code,
  groupMention,
  join,
  type Markup,
  md,
  mention,
  mrkdwn,
  plain,
  truncate,
  truncateMarkup,
} from './markup';

export type Operation = 'stop' | 'rerun' | 'run';

/** The statuses each button appears in (DataArts allows a retry after these three ends). */
const STOPPABLE = new Set(['waiting', 'running']);
const RERUNNABLE = new Set(['success', 'fail', 'manual-stop']);

export function canStop(status: string): boolean {
  return STOPPABLE.has(status);
}

export function canRerun(status: string): boolean {
  return RERUNNABLE.has(status);
}

const LABEL: Record<Operation, string> = { stop: 'Stop', rerun: 'Rerun', run: 'Run now' };

/** The Block Kit confirm dialog of a button: names the job and the instance, within Slack's lengths. */
export function confirmDialog(operation: Operation, job: string, instanceId?: string): ConfirmationDialog {
  const what = md`*${truncate(job, 120)}*${instanceId ? ` #${instanceId}` : ''}`;
  const text = {
    stop: md`Stop ${what} in DataArts? Its running nodes are stopped and the instance ends as stopped.`,
    rerun: md`Run ${what} again in DataArts? The same instance runs again from the start.`,
    run: md`Start a new instance of ${what} in DataArts now?`,
  }[operation];
  return {
    title: plain(operation === 'run' ? 'Run this job now?' : `${LABEL[operation]} this instance?`),
    text: mrkdwn(truncateMarkup(text, 300)),
    confirm: plain(LABEL[operation]),
    deny: plain('Cancel'),
    ...(operation === 'stop' ? { style: 'danger' as const } : {}),
  };
}

function button(operation: 'stop' | 'rerun', instance: JobInstance, value: string): Button {
  return {
    type: 'button',
    action_id: ACTIONS[operation],
    text: plain(LABEL[operation]),
    value,
    ...(operation === 'stop' ? { style: 'danger' as const } : {}),
    confirm: confirmDialog(operation, instance.jobName, instance.instanceId),
  };
}

/** **Stop** while the instance waits or runs, **Rerun** once it has ended; nothing otherwise. */
export function operationButtons(instance: JobInstance, value: string): Button[] {
  const status = statusText(instance.status);
  if (canStop(status)) return [button('stop', instance, value)];
  if (canRerun(status)) return [button('rerun', instance, value)];
  return [];
}

/** The Rerun button of an end reply (a failure). */
export function rerunBlock(instance: JobInstance, value: string): ActionsBlock {
  return { type: 'actions', block_id: 'reply_actions', elements: [button('rerun', instance, value)] };
}

/** What a command asked for, before anyone presses its confirmation's button. */
export interface OperationRequest {
  operation: Operation;
  job: string;
  /** stop and rerun. */
  instanceId?: string;
  workspace?: string;
  /** run: the job parameters given. */
  params?: JobParam[];
}

function what(request: OperationRequest): Markup {
  return md`*${truncate(request.job, 128)}*${request.instanceId ? ` #${request.instanceId}` : ''}`;
}

/** The ephemeral answer to `stop`, `rerun` and `run`: what will happen, the button that does it, and Cancel. */
export function renderConfirmation(
  request: OperationRequest,
  token: string,
): { text: string; blocks: KnownBlock[] } {
  const where = request.workspace ? md` (workspace ${code(request.workspace)})` : md``;
  const params = (request.params ?? []).map(
    (param) => md`${code(`${param.name}=${truncate(param.value, 200)}`)}`,
  );
  const sentence = {
    stop: md`:octagonal_sign: This will stop ${what(request)}${where} in DataArts: its running nodes are stopped.`,
    rerun: md`:repeat: This will run ${what(request)}${where} again in DataArts, and I will reply in its thread when it ends.`,
    run: md`:arrow_forward: This will start a new instance of ${what(request)}${where} in DataArts now${params.length > 0 ? md` with ${join(params, ', ')}` : ''}, post it here and reply in its thread when it ends.`,
  }[request.operation];
  return {
    text: truncateMarkup(sentence, 2_900).text,
    blocks: [
      { type: 'section', text: mrkdwn(truncateMarkup(sentence, 2_900)) },
      {
        type: 'actions',
        block_id: 'operation_confirmation',
        elements: [
          {
            type: 'button',
            action_id: ACTIONS.confirmOperation,
            text: plain(LABEL[request.operation]),
            value: token,
            style: request.operation === 'stop' ? 'danger' : 'primary',
          },
          { type: 'button', action_id: ACTIONS.cancelOperation, text: plain('Cancel'), value: token },
        ],
      },
    ],
  };
}

function names(entry: OperatorEntry): Markup[] {
  return [...entry.groups.map(groupMention), ...entry.users.map(mention)];
}

function orList(parts: Markup[]): Markup {
  if (parts.length <= 1) return join(parts, '');
  return md`${join(parts.slice(0, -1), ', ')} or ${parts[parts.length - 1]!}`;
}

const VERB: Record<Operation, string> = { stop: 'stop', rerun: 'rerun', run: 'run' };

/** The sentence a refused person gets: why, and who may. */
export function refusalSentence(
  decision: Exclude<OperatorDecision, { allowed: true }>,
  operation: Operation,
  job: string,
  configured: boolean,
): Markup {
  const verb = VERB[operation];
  const noun = operation === 'run' ? 'jobs' : 'instances';
  if (decision.reason === 'external')
    return md`:no_entry: People of another organisation cannot stop, rerun or run DataArts jobs from this workspace.`;
  if (!configured)
    return md`:no_entry: Stopping, rerunning and running DataArts jobs from Slack is turned off. An admin can name who may in ${code('DLF_OPERATORS')}.`;
  if (decision.who.length === 0)
    return md`:no_entry: Nobody may ${verb} ${code(job)} ${noun} from Slack: no entry of ${code('DLF_OPERATORS')} covers this job.`;
  if (decision.who.length === 1) {
    const [entry] = decision.who as [OperatorEntry];
    const scope = entry.pattern === '*' ? md`${noun}` : md`${code(entry.pattern)} ${noun}`;
    return md`:no_entry: Only ${orList(names(entry))} may ${verb} ${scope}.`;
  }
  const each = decision.who.map(
    (entry) => md`${orList(names(entry))} (${entry.pattern === '*' ? 'every job' : code(entry.pattern)})`,
  );
  return md`:no_entry: Only ${orList(each)} may ${verb} ${code(job)} ${noun}.`;
}

/** The record in the instance's thread: who did what. */
export function operationNote(operation: Operation, user: string, params?: JobParam[]): Markup {
  switch (operation) {
    case 'stop':
      return md`:octagonal_sign: ${mention(user)} stopped this instance.`;
    case 'rerun':
      return md`:repeat: ${mention(user)} started a rerun of this instance; I will reply here when it ends.`;
    case 'run': {
      const given = (params ?? []).map((param) => code(`${param.name}=${truncate(param.value, 200)}`));
      return md`:arrow_forward: ${mention(user)} ran this job now${given.length > 0 ? md` with ${join(given, ', ')}` : ''}; I will reply here when it ends.`;
    }
  }
}

/** What the person who pressed is told once DataArts has done it. */
export function doneSentence(operation: Operation, job: string, instanceId: string): Markup {
  const title = md`*${truncate(job, 128)} #${instanceId}*`;
  return {
    stop: md`:octagonal_sign: Stopped ${title}; I noted it in the thread.`,
    rerun: md`:repeat: ${title} is running again; its end will be told in the thread.`,
    run: md`:arrow_forward: Started ${title}; I posted it here and will reply in its thread when it ends.`,
  }[operation];
}

/** Someone (maybe the same person, pressing twice) already did this to this very run: nothing more was sent. */
export function alreadySentence(operation: Operation, by: string | undefined): Markup {
  const who = by ? mention(by) : md`Someone`;
  return {
    stop: md`:information_source: ${who} already asked DataArts to stop this run; I sent nothing more.`,
    rerun: md`:information_source: ${who} already started a rerun of this end; I sent nothing more.`,
    run: md`:information_source: ${who} already ran this request; I sent nothing more.`,
  }[operation];
}

/** The button no longer applies: the instance moved on since the message was drawn. */
export function notApplicableSentence(
  operation: 'stop' | 'rerun',
  job: string,
  instanceId: string,
  status: string,
): Markup {
  const title = md`*${truncate(job, 128)} #${instanceId}*`;
  const now = md`it is ${code(truncate(status, 40))} now`;
  return operation === 'stop'
    ? md`:information_source: ${title} is not waiting or running any more (${now}), so there is nothing to stop. I refreshed the message.`
    : md`:information_source: ${title} has not ended (${now}), so it cannot be rerun yet. I refreshed the message.`;
}

/** DataArts said no (a wrong state, an unknown instance or job): its words, plainly. */
export function dataArtsRefusedSentence(
  operation: Operation,
  job: string,
  instanceId: string | undefined,
  reason: Markup,
): Markup {
  const title = md`*${truncate(job, 128)}${instanceId ? ` #${instanceId}` : ''}*`;
  const verb = { stop: 'stop', rerun: 'rerun', run: 'run' }[operation];
  return md`:no_entry: DataArts would not ${verb} ${title}: ${reason}`;
}

/** The write may or may not have happened (no answer): said so, with what to do. */
export function unsureSentence(operation: Operation): Markup {
  const verb = { stop: 'stop', rerun: 'rerun', run: 'run' }[operation];
  return md`:warning: DataArts did not answer whether it would ${verb} this, so it may or may not have. Press *Refresh* (or look it up again) in a minute to see; pressing again within two minutes sends nothing.`;
}
