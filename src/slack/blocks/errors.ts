/** The one place where a failure becomes a sentence for the person who asked, with what to do about it. */
import { DataArtsError } from '../../dataarts/errors';
import { NoInstancesError } from '../../dataarts/lookup';
import { code } from './format';

export function errorSentence(error: unknown): string {
  if (error instanceof NoInstancesError) {
    return `:information_source: Job ${code(error.jobName)} has no instances yet. Run it in DataArts, or check the job name.`;
  }
  if (!(error instanceof DataArtsError)) {
    return ':warning: Something went wrong on the bot’s side. It has been logged; please try again in a moment.';
  }
  switch (error.kind) {
    case 'instance-not-found': {
      const { jobName, instanceId } = error as DataArtsError & { jobName: string; instanceId: string };
      return `:mag: Job ${code(jobName)} has no instance ${code(instanceId)}. Check the id in the DataArts console, or try \`/dlf-instance ${jobName} latest\`.`;
    }
    case 'job-not-found': {
      const { jobName } = error as DataArtsError & { jobName: string };
      return `:mag: There is no job named ${code(jobName)} in this workspace. Job names are case-sensitive; add \`--workspace <id>\` if it lives in another workspace.`;
    }
    case 'auth-failed':
      return ':closed_lock_with_key: DataArts rejected the bot’s credentials, so nothing can be looked up right now. An admin should check the bot’s DataArts settings (DLF_AK/DLF_SK or the IAM user) and run `npx dlf-instance doctor`.';
    case 'permission-denied':
      return ':no_entry: The bot’s DataArts account may not read this (no permission in this project or workspace). An admin can grant it DataArts Studio access, or check the workspace id.';
    case 'throttled':
      return ':hourglass: DataArts is throttling requests right now. Try again in a minute.';
    case 'unavailable':
      return `:cloud: DataArts is not answering (${error.message.replace(/\.$/, '')}). Try again in a few minutes; if it lasts, an admin can run \`npx dlf-instance doctor\`.`;
    case 'api-error':
      return `:warning: DataArts answered with an error${error.code ? ` (${code(error.code)})` : ''}: ${error.message}`;
  }
}

export function notInChannelSentence(botUserId?: string): string {
  const me = botUserId ? `<@${botUserId}>` : 'the DLF bot';
  return `:information_source: I can’t post in this conversation myself, so this summary came as a reply and won’t update or get thread replies. To follow instances here, invite ${me}: type \`/invite\` and choose it.`;
}
