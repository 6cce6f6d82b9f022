/**
 * An instance looked up, rendered and (for `show`) posted where it was asked for; a page of its nodes for the
 * modal. Results carry the instance's facts, never its nodes, so they cross the thread boundary cheaply; errors
 * come back as values so each surface can tell the person its way.
 */
import type { ModalView } from '@slack/types';
import { type ExactRef, type InstanceRef, lookupInstance } from '../../dataarts/lookup';
import type { JobInstance } from '../../dataarts/model';
import { factsOf, type InstanceFacts } from '../../following/model';
import { type Slowness, slownessOf } from '../../following/usual';
import { renderInstanceMessage } from '../blocks/instance-message';
import { renderNodesModal } from '../blocks/nodes-modal';
import type { PostOutcome, PostTarget, RenderedMessage } from '../publisher';
import type { LookUpDeps } from './deps';

export type ShowResult =
  | {
      kind: 'posted';
      facts: InstanceFacts;
      channel: string;
      ts: string;
      permalink?: string;
      /** With `followed` asked: the message as it reads once followed (to update it in place). */
      followed?: RenderedMessage;
    }
  /** Slack would not let the bot post there; the rendered message is returned for a response_url reply. */
  | { kind: 'refused'; facts: InstanceFacts; message: RenderedMessage; error: string }
  | { kind: 'failed'; error: unknown };

export type RenderResult =
  | { kind: 'rendered'; facts: InstanceFacts; message: RenderedMessage }
  | { kind: 'failed'; error: unknown };

export type NodesResult = { kind: 'view'; view: ModalView } | { kind: 'failed'; error: unknown };

export interface ShowOptions {
  followed?: boolean;
  /**
   * Fetch the posted message's permalink too, for a surface that links to it from elsewhere (the modal, a
   * message shortcut). A slash command's message is where the person already is: no call for a link.
   */
  permalink?: boolean;
}

/** The instance message as it reads now, with the settings that shape it (buttons, console link). */
export function renderFor(
  deps: Pick<LookUpDeps, 'clock' | 'consoleUrl' | 'operable' | 'logButtons'>,
  instance: JobInstance,
  workspace?: string,
  subscribed = false,
  slowness?: Slowness,
): RenderedMessage {
  return renderInstanceMessage(instance, {
    now: deps.clock(),
    workspace,
    consoleUrl: deps.consoleUrl,
    subscribed,
    operable: deps.operable,
    logs: deps.logButtons,
    ...(slowness ? { slowness } : {}),
  });
}

/** Look up (an id or `latest`), render and post the instance message; with `followed`, render it followed too. */
export async function postInstanceMessage(
  deps: LookUpDeps,
  ref: InstanceRef,
  target: PostTarget,
  options: ShowOptions = {},
): Promise<ShowResult> {
  let instance: JobInstance;
  try {
    instance = await lookupInstance(deps.dataarts, ref);
  } catch (error) {
    return { kind: 'failed', error };
  }
  const slowness = await slownessOf(deps.history, instance, { workspace: ref.workspace, now: deps.clock() });
  const message = renderFor(deps, instance, ref.workspace, false, slowness);
  let outcome: PostOutcome;
  try {
    outcome = await deps.publisher.post(target, message, { permalink: options.permalink });
  } catch (error) {
    deps.logger.error({ err: error, channel: target.channel }, 'posting an instance message failed');
    return { kind: 'failed', error };
  }
  const facts = factsOf(instance);
  if (outcome.kind === 'refused') return { kind: 'refused', facts, message, error: outcome.error };
  return {
    kind: 'posted',
    facts,
    channel: outcome.channel,
    ts: outcome.ts,
    permalink: outcome.permalink,
    ...(options.followed ? { followed: renderFor(deps, instance, ref.workspace, true, slowness) } : {}),
  };
}

/** Look up and render the instance message, to update one in place. */
export async function renderInstance(
  deps: LookUpDeps,
  ref: ExactRef,
  options: { subscribed: boolean },
): Promise<RenderResult> {
  try {
    const instance = await deps.dataarts.getInstance(ref.job, ref.instanceId, { workspace: ref.workspace });
    const slowness = await slownessOf(deps.history, instance, {
      workspace: ref.workspace,
      now: deps.clock(),
    });
    return {
      kind: 'rendered',
      facts: factsOf(instance),
      message: renderFor(deps, instance, ref.workspace, options.subscribed, slowness),
    };
  } catch (error) {
    return { kind: 'failed', error };
  }
}

/** One page of "View all nodes". */
export async function renderNodes(deps: LookUpDeps, ref: ExactRef, page: number): Promise<NodesResult> {
  try {
    const instance = await deps.dataarts.getInstance(ref.job, ref.instanceId, { workspace: ref.workspace });
    return {
      kind: 'view',
      view: renderNodesModal(instance, page, {
        now: deps.clock(),
        workspace: ref.workspace,
        logs: deps.logButtons,
      }),
    };
  } catch (error) {
    return { kind: 'failed', error };
  }
}
