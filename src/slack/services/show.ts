/**
 * Showing an instance where a person asked (command, modal, message shortcut): the DataArts workspace checked
 * against DLF_WORKSPACES first, the look-up run, and what the posted message shows recorded, so its buttons act on
 * that and nothing else.
 */
import type { InstanceRef } from '../../dataarts/lookup';
import { code, type Markup, md } from '../blocks/markup';
import type { ShowOptions, ShowResult } from '../look-ups/instance';
import type { PostTarget } from '../publisher';
import type { SlackServices } from './services';

/** The sentence for a workspace people may not name, or undefined when they may. */
export function workspaceRefusal(
  services: Pick<SlackServices, 'access'>,
  workspace?: string,
): Markup | undefined {
  if (services.access.workspaceAllowed(workspace)) return undefined;
  return md`:no_entry: Workspace ${code(workspace ?? '')} is not one this bot may use. An admin can add it to ${code('DLF_WORKSPACES')}.`;
}

export async function showInstance(
  services: SlackServices,
  ref: InstanceRef,
  target: PostTarget,
  options?: ShowOptions,
): Promise<ShowResult> {
  const result = await services.look.ask('show', ref, target, options);
  if (result.kind === 'posted') {
    await services.records
      .put(result.channel, result.ts, {
        job: result.facts.jobName,
        instanceId: result.facts.instanceId,
        ...(ref.workspace ? { workspace: ref.workspace } : {}),
        ...(result.permalink ? { permalink: result.permalink } : {}),
      })
      .catch((error: unknown) =>
        services.logger.warn({ err: (error as Error).message }, 'could not record a posted message'),
      );
  }
  return result;
}
