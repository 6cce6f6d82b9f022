/**
 * Writing to DataArts from Slack: stop, rerun and run now. The one place that decides, at the moment of the write,
 * whether this person may (DLF_OPERATORS, never someone of another organisation), makes the write once however
 * often it is asked (a mark per action and run; a command's confirmation taken once), says DataArts' refusals
 * plainly, and records what was done: a note in the instance message's thread, a log line, the message updated
 * in place, and a rerun or a new run followed to its end. It acts on what the bot stored, never on a button's value.
 */

import { randomBytes } from 'node:crypto';
import { decide, groupsFor } from '../../access/operators';
import { ApiError, DataArtsError } from '../../dataarts/errors';
import type { ExactRef } from '../../dataarts/lookup';
import { type JobInstance, statusText } from '../../dataarts/model';
import { isRetryable } from '../../dataarts/retry';
import { factsOf, type InstanceFacts, instanceKey, rowSignature } from '../../following/model';
import { errorSentence, isUnexpected, notInChannelSentence } from '../blocks/errors';
import { messageFields } from '../blocks/instance-message';
import { type Markup, md } from '../blocks/markup';
import {
  alreadySentence,
  canRerun,
  canStop,
  dataArtsRefusedSentence,
  doneSentence,
  notApplicableSentence,
  type Operation,
  type OperationRequest,
  operationNote,
  refusalSentence,
  renderConfirmation,
  unsureSentence,
} from '../blocks/operations';
import { writeRefusal } from './fair-share';
import type { SlackServices } from './services';
import { showInstance, workspaceRefusal } from './show';
import { postThreadNote } from './thread-note';

/** Who presses or types, as the request says (checked by the signature Bolt verified). */
export interface Actor {
  user: string;
  team?: string;
  /** Of another organisation (Slack Connect): never allowed to write. */
  external: boolean;
}

export interface OnMessage {
  channel: string;
  ts: string;
}

type Tell = (text: Markup) => Promise<unknown>;

/** A run is stopped (or an end rerun) once; the mark outlives any double click or Slack retry. */
const CLAIM_SECONDS = 86_400;
/** No answer from DataArts: pressing again is a no-op this long, then allowed (the state may not have changed). */
const UNSURE_SECONDS = 120;
/** How long a command's confirmation can be pressed. */
const PENDING_SECONDS = 15 * 60;

/**
 * The refusal sentence for this person and job, or undefined when they may. Asked at the moment of the write,
 * with the user groups' members read afresh (`fresh: false` only where nothing is written yet).
 */
export async function refusal(
  services: SlackServices,
  operation: Operation,
  job: string,
  actor: Actor,
  options: { fresh?: boolean } = {},
): Promise<Markup | undefined> {
  const { rules, groups } = services.operations;
  const needed = rules ? groupsFor(rules, job) : [];
  const fresh = options.fresh ?? true;
  const members = new Map(
    await Promise.all(needed.map(async (group) => [group, await groups.members(group, { fresh })] as const)),
  );
  const decision = decide({ rules, job, user: actor.user, external: actor.external, members });
  return decision.allowed ? undefined : refusalSentence(decision, operation, job, rules !== undefined);
}

function logOperation(
  services: SlackServices,
  actor: Actor,
  operation: Operation,
  ref: { job: string; instanceId?: string; workspace?: string },
  outcome: string,
): void {
  services.logger.info(
    {
      user: actor.user,
      team: actor.team,
      action: operation,
      job: ref.job,
      instanceId: ref.instanceId,
      ...(ref.workspace ? { workspace: ref.workspace } : {}),
      outcome,
    },
    'operation',
  );
}

/** DataArts surely did not act: it answered no, or was never reached (the client's own rule for retrying writes). */
function surelyNotDone(error: unknown): boolean {
  if (!(error instanceof DataArtsError)) return false;
  if (error.kind === 'unavailable') return isRetryable(error, 'POST');
  return error.kind !== 'unreadable' && error.kind !== 'too-large';
}

/** The sentence for a write that failed, after releasing (not done) or shortening (unsure) its mark. */
async function writeFailed(
  services: SlackServices,
  operation: Operation,
  ref: { job: string; instanceId?: string },
  error: unknown,
  mark?: string,
): Promise<{ sentence: Markup; outcome: string }> {
  if (!surelyNotDone(error)) {
    if (mark) await services.operations.marks.shorten(mark, UNSURE_SECONDS);
    if (isUnexpected(error)) services.logger.error({ err: error }, 'a write to DataArts failed');
    return { sentence: unsureSentence(operation), outcome: 'unknown' };
  }
  if (mark) await services.operations.marks.release(mark);
  if (error instanceof ApiError)
    return {
      sentence: dataArtsRefusedSentence(
        operation,
        ref.job,
        ref.instanceId,
        md`${error.apiMessage || error.message}`,
      ),
      outcome: `refused-by-dataarts ${error.code ?? ''}`.trim(),
    };
  return { sentence: errorSentence(error), outcome: `failed ${(error as DataArtsError).kind}` };
}

/** Shows the instance as it is now on its message (followed or not). */
async function refreshMessage(services: SlackServices, ref: ExactRef, message: OnMessage): Promise<void> {
  const followed = await services.following.byMessage(message.channel, message.ts).catch(() => undefined);
  const result = await services.look.ask('render', ref, { subscribed: followed !== undefined });
  if (result.kind !== 'rendered') return;
  await services.web.idempotent.chat
    .update({
      channel: message.channel,
      ts: message.ts,
      ...messageFields(result.message),
    })
    .catch((error: unknown) =>
      services.logger.info(
        { err: (error as Error).message },
        'could not update a message after an operation',
      ),
    );
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A rerun keeps its instance id, so the message is followed again: its new end is told once in its thread, the
 * end it replaces never again. A watch alert whose channel still watches the job is left to the watch, which
 * tells a rerun's end in the alert's thread by itself.
 */
async function followRerun(
  services: SlackServices,
  ref: ExactRef,
  message: OnMessage,
  user: string,
  ended: JobInstance,
): Promise<void> {
  if (await services.following.alertTellsRerun(message.channel, message.ts, ref)) return;
  const before = factsOf(ended);
  let facts: InstanceFacts = before;
  // DataArts may take a moment to show the rerun; following the old end would end the subscription at once.
  for (let attempt = 0; attempt < 5 && rowSignature(facts) === rowSignature(before); attempt++) {
    if (attempt > 0) await pause(400);
    facts = factsOf(
      await services.dataarts
        .getInstance(ref.job, ref.instanceId, { workspace: ref.workspace })
        .catch(() => ended),
    );
  }
  if (rowSignature(facts) === rowSignature(before))
    services.logger.warn(
      { job: ref.job, instanceId: ref.instanceId },
      'DataArts does not show the rerun yet',
    );
  await services.following.follow(
    {
      ...ref,
      channel: message.channel,
      ts: message.ts,
      user,
      createdAt: services.clock(),
      permalink: await services.publisher.permalink(message.channel, message.ts),
    },
    facts,
    { supersedes: ended.endTime ?? statusText(ended.status) },
  );
}

/** Stop or rerun the instance a message shows, pressed on that message (or on a reply in its thread). */
export async function operateOnMessage(
  services: SlackServices,
  input: {
    operation: 'stop' | 'rerun';
    ref: ExactRef;
    message: OnMessage;
    actor: Actor;
    tell: Tell;
    /** Already counted against the person's writes (a confirmation pressed). */
    counted?: boolean;
  },
): Promise<void> {
  const { operation, ref, message, actor, tell } = input;
  const log = (outcome: string) => logOperation(services, actor, operation, ref, outcome);
  const refused = await refusal(services, operation, ref.job, actor);
  if (refused) {
    log('refused');
    return void (await tell(refused));
  }
  // Past the person's writes a minute: nothing read or written.
  const busy = input.counted ? undefined : await writeRefusal(services, actor.user);
  if (busy) {
    log('refused: limit');
    return void (await tell(busy));
  }
  let instance: JobInstance;
  try {
    instance = await services.dataarts.getInstance(ref.job, ref.instanceId, { workspace: ref.workspace });
  } catch (error) {
    log(`failed ${(error as DataArtsError).kind ?? 'unexpected'}`);
    if (isUnexpected(error))
      services.logger.error({ err: error }, 'reading an instance to operate on failed');
    return void (await tell(errorSentence(error)));
  }
  const status = statusText(instance.status);
  if (operation === 'stop' ? !canStop(status) : !canRerun(status)) {
    log(`not-applicable ${status}`);
    await refreshMessage(services, ref, message);
    return void (await tell(notApplicableSentence(operation, ref.job, ref.instanceId, status)));
  }
  // One write per action and run: the same run (status and times) gives the same mark in every process.
  const mark = `${operation}:${instanceKey(ref)}:${rowSignature(factsOf(instance))}`;
  const claimed = await services.operations.marks.claim(mark, actor.user, CLAIM_SECONDS);
  if (claimed !== true) {
    log('duplicate');
    return void (await tell(alreadySentence(operation, claimed || undefined)));
  }
  try {
    const options = { workspace: ref.workspace };
    if (operation === 'stop') await services.dataarts.stopInstance(ref.job, ref.instanceId, options);
    else await services.dataarts.restartInstance(ref.job, ref.instanceId, options);
  } catch (error) {
    const failed = await writeFailed(services, operation, ref, error, mark);
    log(failed.outcome);
    return void (await tell(failed.sentence));
  }
  log('done');
  await postThreadNote(
    services,
    { channel: message.channel, threadTs: message.ts },
    operationNote(operation, actor.user),
    'an operation',
  );
  if (operation === 'rerun') {
    try {
      await followRerun(services, ref, message, actor.user, instance);
    } catch (error) {
      services.logger.warn({ err: (error as Error).message }, 'could not follow a rerun');
      await tell(errorSentence(error));
    }
  }
  await refreshMessage(services, ref, message);
  await tell(doneSentence(operation, ref.job, ref.instanceId));
}

/** What a command's confirmation keeps server-side until its button is pressed. */
interface Pending extends OperationRequest {
  channel: string;
  user: string;
}

/**
 * `/dlf-instance stop|rerun|run …`: nothing is written yet. A person who may not act is told so now; otherwise
 * the confirmation (what will happen, the button that does it, Cancel) is the answer.
 */
export async function askToConfirm(
  services: SlackServices,
  request: OperationRequest,
  where: { channel: string },
  actor: Actor,
): Promise<{ text: string; blocks?: ReturnType<typeof renderConfirmation>['blocks'] }> {
  const refused =
    (await refusal(services, request.operation, request.job, actor, { fresh: false })) ??
    workspaceRefusal(services, request.workspace);
  if (refused) {
    logOperation(services, actor, request.operation, request, 'refused');
    return { text: refused.text };
  }
  const token = randomBytes(16).toString('hex');
  const pending: Pending = { ...request, channel: where.channel, user: actor.user };
  await services.operations.marks.putPending(token, JSON.stringify(pending), PENDING_SECONDS);
  return renderConfirmation(request, token);
}

/** The confirmation's button: the request is taken once (a second press finds nothing), then done. */
export async function confirmOperation(
  services: SlackServices,
  token: string,
  actor: Actor,
  tell: Tell,
  /** The conversation the press came from: a confirmation acts only where it was given. */
  channel: string | undefined,
): Promise<void> {
  if (!/^[0-9a-f]{32}$/.test(token))
    return void (await tell(md`:information_source: That confirmation is not one I made; nothing was sent.`));
  const raw = await services.operations.marks.takePending(token);
  if (!raw)
    return void (await tell(
      md`:information_source: This confirmation was already used or has expired; nothing more was sent to DataArts.`,
    ));
  const pending = JSON.parse(raw) as Pending;
  if (pending.user !== actor.user) {
    await services.operations.marks.putPending(token, raw, PENDING_SECONDS);
    return void (await tell(md`:no_entry: Only the person who asked can confirm this.`));
  }
  if (pending.channel !== channel) {
    await services.operations.marks.putPending(token, raw, PENDING_SECONDS);
    logOperation(services, actor, pending.operation, pending, 'refused: another conversation');
    return void (await tell(
      md`:no_entry: This confirmation was given in another conversation; nothing was sent to DataArts.`,
    ));
  }
  const refused = await refusal(services, pending.operation, pending.job, actor);
  if (refused) {
    logOperation(services, actor, pending.operation, pending, 'refused');
    return void (await tell(refused));
  }
  const busy = await writeRefusal(services, actor.user);
  if (busy) {
    // Nothing was sent; the confirmation is replaced by the sentence, so the command is typed again later.
    logOperation(services, actor, pending.operation, pending, 'refused: limit');
    return void (await tell(busy));
  }
  if (pending.operation === 'run') return runNow(services, token, raw, pending, actor, tell);
  // The record needs a message: the instance is posted here, and the operation acts from it.
  const shown = await showInstance(
    services,
    { job: pending.job, instance: pending.instanceId!, workspace: pending.workspace },
    { channel: pending.channel },
  );
  if (shown.kind === 'failed') {
    logOperation(services, actor, pending.operation, pending, 'failed');
    return void (await tell(errorSentence(shown.error)));
  }
  if (shown.kind === 'refused') return void (await tell(notInChannelSentence()));
  await operateOnMessage(services, {
    operation: pending.operation,
    ref: {
      job: pending.job,
      instanceId: shown.facts.instanceId,
      ...(pending.workspace ? { workspace: pending.workspace } : {}),
    },
    message: { channel: shown.channel, ts: shown.ts },
    actor,
    tell,
    counted: true,
  });
}

/** Run now: one run-immediate, the new instance posted here with the note in its thread, then followed. */
async function runNow(
  services: SlackServices,
  token: string,
  raw: string,
  pending: Pending,
  actor: Actor,
  tell: Tell,
): Promise<void> {
  let instanceId: string;
  try {
    instanceId = await services.dataarts.runJobNow(pending.job, pending.params, {
      workspace: pending.workspace,
    });
  } catch (error) {
    const failed = await writeFailed(services, 'run', pending, error);
    // Not run: the same confirmation may be pressed again.
    if (failed.outcome !== 'unknown') await services.operations.marks.putPending(token, raw, PENDING_SECONDS);
    logOperation(services, actor, 'run', pending, failed.outcome);
    return void (await tell(failed.sentence));
  }
  const ref: ExactRef = {
    job: pending.job,
    instanceId,
    ...(pending.workspace ? { workspace: pending.workspace } : {}),
  };
  logOperation(services, actor, 'run', ref, 'done');
  const shown = await showInstance(
    services,
    { job: ref.job, instance: instanceId, workspace: ref.workspace },
    { channel: pending.channel },
    { followed: true },
  );
  if (shown.kind !== 'posted') {
    const why = shown.kind === 'failed' ? errorSentence(shown.error) : notInChannelSentence();
    return void (await tell(
      md`:arrow_forward: Started *${ref.job} #${instanceId}*, but I could not post it here. ${why}`,
    ));
  }
  const message = { channel: shown.channel, ts: shown.ts };
  await postThreadNote(
    services,
    { channel: message.channel, threadTs: message.ts },
    operationNote('run', actor.user, pending.params),
    'an operation',
  );
  try {
    await services.following.follow(
      {
        ...ref,
        ...message,
        user: actor.user,
        createdAt: services.clock(),
        permalink: shown.permalink ?? (await services.publisher.permalink(message.channel, message.ts)),
      },
      shown.facts,
    );
    if (shown.followed)
      await services.web.idempotent.chat
        .update({ ...message, ...messageFields(shown.followed) })
        .catch(() => undefined);
  } catch (error) {
    services.logger.warn({ err: (error as Error).message }, 'could not follow a run started now');
    return void (await tell(errorSentence(error)));
  }
  await tell(doneSentence('run', ref.job, instanceId));
}
