/** The one place where a failure becomes a sentence for the person who asked, with what to do about it. */
import { DataArtsError } from '../../dataarts/errors';
import { NoInstancesError } from '../../dataarts/lookup';
import { FollowingUnavailableError } from '../../following/service';
import { refProblemReason } from '../command/grammar';
import { code, type Markup, md, mention } from './markup';

/**
 * The sentence for a failure. Anything this does not know is "something went wrong on the bot's side"; the
 * caller logs such errors (`isUnexpected`), so the sentence can say the details are in the bot's log.
 */
export function errorSentence(error: unknown): Markup {
  if (error instanceof NoInstancesError) {
    return md`:information_source: Job ${code(error.jobName)} has no instances yet. Run it in DataArts, or check the job name.`;
  }
  if (error instanceof FollowingUnavailableError) {
    const what = error.what === 'following' ? 'Following instances' : 'Watching jobs';
    return error.reason === 'full'
      ? md`:construction: ${what} is unavailable right now: the bot’s store is full (Redis has reached its memory limit), so nothing new can be ${error.what === 'following' ? 'followed' : 'watched'}. Nothing was stored for this; what is already followed and watched goes on. Looking instances up still works; an admin can free memory or raise Redis’s maxmemory.`
      : md`:construction: ${what} is unavailable right now: the bot cannot reach its store. Looking instances up still works; try again in a few minutes.`;
  }
  if (!(error instanceof DataArtsError)) {
    return md`:warning: Something went wrong on the bot’s side; please try again in a moment. If it keeps happening, an admin can find the details in the bot’s log.`;
  }
  switch (error.kind) {
    case 'instance-not-found': {
      const { jobName, instanceId } = error as DataArtsError & { jobName: string; instanceId: string };
      return md`:mag: Job ${code(jobName)} has no instance ${code(instanceId)}. Check the id in the DataArts console, or try ${code(`/dlf-instance ${jobName} latest`)}.`;
    }
    case 'job-not-found': {
      const { jobName } = error as DataArtsError & { jobName: string };
      return md`:mag: There is no job named ${code(jobName)} in this workspace. Job names are case-sensitive; add ${code('--workspace <id>')} if it lives in another workspace.`;
    }
    case 'auth-failed':
      // The gateway's "signature expired" is a clock problem an admin can fix, not a wrong key.
      if (/expired/i.test((error as DataArtsError & { reason: string }).reason))
        return md`:alarm_clock: DataArts refused the bot’s request because its signature expired: the clock of the machine the bot runs on is off by more than 15 minutes. An admin should sync it (NTP); ${code('npx dlf-instance doctor')} shows by how much.`;
      return md`:closed_lock_with_key: DataArts rejected the bot’s credentials, so nothing can be looked up right now. An admin should check the bot’s DataArts settings (DLF_AK/DLF_SK or the IAM user) and run ${code('npx dlf-instance doctor')}.`;
    case 'permission-denied':
      return md`:no_entry: The bot’s DataArts account may not read this (no permission in this project or workspace). An admin can grant it DataArts Studio access, or check the workspace id.`;
    case 'throttled':
      return md`:hourglass: DataArts is throttling requests right now. Try again in a minute.`;
    case 'unavailable':
      return md`:cloud: DataArts is not answering (${error.message.replace(/\.$/, '')}). Try again in a few minutes; if it lasts, an admin can run ${code('npx dlf-instance doctor')}.`;
    case 'unreadable':
      return md`:warning: DataArts sent an answer the bot could not read (${(error as DataArtsError & { what: string }).what}). Try again in a moment; if it lasts, an admin can check DLF_ENDPOINT with ${code('npx dlf-instance doctor')}.`;
    case 'too-large': {
      const { limitBytes } = error as DataArtsError & { limitBytes: number };
      return md`:package: DataArts sent more than ${Math.round(limitBytes / 1_048_576)} MB for this, more than the bot reads (DLF_MAX_RESPONSE_MB). Open it in the DataArts console instead, or ask an admin to raise the limit.`;
    }
    case 'invalid-reference': {
      const { field, value } = error as DataArtsError & {
        field: 'job' | 'instance' | 'workspace';
        value: string;
      };
      return md`:warning: ${refProblemReason({ field, value })}`;
    }
    case 'wrong-instance': {
      const { asked } = error as DataArtsError & { asked: { jobName: string; instanceId: string } };
      return md`:warning: DataArts answered about another instance when asked for ${code(`${asked.jobName} #${asked.instanceId}`)}, so nothing was shown or done. Try again; if it lasts, an admin can check DLF_ENDPOINT with ${code('npx dlf-instance doctor')}.`;
    }
    case 'api-error':
      return md`:warning: DataArts answered with an error${error.code ? md` (${code(error.code)})` : ''}: ${error.message}`;
  }
}

/** True for errors whose sentence is the generic one: the caller must log them. */
export function isUnexpected(error: unknown): boolean {
  return !(
    error instanceof DataArtsError ||
    error instanceof NoInstancesError ||
    error instanceof FollowingUnavailableError
  );
}

export function notInChannelSentence(botUserId?: string): Markup {
  const me = botUserId ? mention(botUserId) : md`the DLF bot`;
  return md`:information_source: I can’t post in this conversation myself, so this summary came as a reply and won’t update or get thread replies. To follow instances here, invite ${me}: type ${code('/invite')} and choose it.`;
}
