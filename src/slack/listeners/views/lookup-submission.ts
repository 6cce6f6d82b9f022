/**
 * The lookup modal's submission: validate in the modal, then show "looking up…" in it, post the instance
 * where asked, and end with where it went (its permalink) or why it could not.
 */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { errorSentence } from '../../blocks/errors';
import { readLookupSubmission } from '../../blocks/lookup-modal';
import { channelRef, code, link, type Markup, md } from '../../blocks/markup';
import { loadingModal } from '../../blocks/nodes-modal';
import { LOOKUP_INPUTS } from '../../ids';
import type { ShowResult } from '../../look-ups/instance';
import { lookUpRefusal } from '../../services/fair-share';
import { followMessage } from '../../services/follow';
import type { SlackServices } from '../../services/services';
import { showInstance } from '../../services/show';

type Args = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

function whereText(result: Extract<ShowResult, { kind: 'posted' }>): Markup {
  const where = result.permalink ? link(result.permalink, 'this message') : md`the conversation`;
  return md`:white_check_mark: Posted *${result.facts.jobName} #${result.facts.instanceId}* in ${channelRef(result.channel)}: ${where}.`;
}

/** Tells the person, only them, where the summary went: an ephemeral note there, or a DM if that fails. */
export async function tellWhereItWent(
  services: SlackServices,
  user: string,
  result: Extract<ShowResult, { kind: 'posted' }>,
): Promise<void> {
  try {
    await services.web.post.chat.postEphemeral({
      channel: result.channel,
      user,
      text: whereText(result).text,
    });
  } catch {
    await services.web.post.chat
      .postMessage({ channel: user, text: whereText(result).text })
      .catch(() => undefined);
  }
}

export function lookupSubmission(services: SlackServices) {
  return async ({ ack, view, body }: Args): Promise<void> => {
    const form = readLookupSubmission(view.state.values, view.private_metadata);
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    if (!services.access.workspaceAllowed(form.workspace)) {
      await ack({
        response_action: 'errors',
        errors: { [LOOKUP_INPUTS.workspace]: 'This bot may not use that workspace (DLF_WORKSPACES).' },
      });
      return;
    }
    await ack({
      response_action: 'update',
      view: loadingModal('Find a DLF instance', md`:hourglass_flowing_sand: Looking it up…`),
    });
    const busy = await lookUpRefusal(services, body.user.id, form.conversation);
    if (busy)
      return void (await services.web.idempotent.views.update({
        view_id: view.id,
        view: loadingModal('Find a DLF instance', busy),
      }));
    const result = await showInstance(
      services,
      { job: form.job, instance: form.instance, workspace: form.workspace },
      { channel: form.conversation, threadTs: form.threadTs },
      { followed: form.follow, permalink: true },
    );
    const followed =
      result.kind === 'posted' && form.follow
        ? await followMessage(services, {
            ref: { job: form.job, instanceId: result.facts.instanceId, workspace: form.workspace },
            facts: result.facts,
            channel: result.channel,
            ts: result.ts,
            user: body.user.id,
            message: result.followed,
          }).catch((error: unknown) => errorSentence(error))
        : undefined;
    const text =
      result.kind === 'posted'
        ? followed
          ? md`${whereText(result)}\n${followed}`
          : whereText(result)
        : result.kind === 'refused'
          ? md`:information_source: I can’t post in ${channelRef(form.conversation)} (${result.error}). Invite me there (type ${code('/invite')} and choose the DLF bot), or pick another conversation.`
          : errorSentence(result.error);
    await services.web.idempotent.views.update({
      view_id: view.id,
      view: loadingModal('Find a DLF instance', text),
    });
    if (result.kind === 'posted') await tellWhereItWent(services, body.user.id, result);
  };
}
