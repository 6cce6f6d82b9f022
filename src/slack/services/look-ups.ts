/**
 * The work behind every look-up, wherever it runs (the look-up thread, or this thread when there is none): fetch
 * the instance from DataArts, render it, and for `show` post it where it was asked for. Results carry the
 * instance's facts, never its nodes, so they cross a thread boundary cheaply; errors come back as values so each
 * surface can tell the person its way.
 */
import type { ModalView } from '@slack/types';
import type { InstanceRef } from '../../dataarts/lookup';
import { lookupInstance } from '../../dataarts/lookup';
import type { JobInstance } from '../../dataarts/model';
import { factsOf, type InstanceFacts } from '../../following/model';
import { type JobHistory, type Slowness, slownessOf } from '../../following/usual';
import { renderInstanceMessage } from '../blocks/instance-message';
import { renderNodesModal } from '../blocks/nodes-modal';
import type { SlackWeb } from '../web';
import { type DigestPostResult, type DigestRequest, postDigest } from './digest-post';
import type { PostOutcome, PostTarget, Publisher, RenderedMessage } from './publisher';
import type { SlackServices } from './services';
import { type TimelineResult, type TimelineWhere, timelineGate, uploadTimeline } from './timeline';

/** One instance, by id. */
export interface ExactRef {
  job: string;
  instanceId: string;
  workspace?: string;
}

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

/** What listeners ask of a look-up, in whichever thread it runs. */
export interface Looker {
  /** Look up (an id or `latest`), render, post; with `followed`, also render it as followed. */
  show(ref: InstanceRef, target: PostTarget, options?: ShowOptions): Promise<ShowResult>;
  /** Look up and render the instance message, to update one in place. */
  render(ref: ExactRef, options: { subscribed: boolean }): Promise<RenderResult>;
  /** One page of "View all nodes". */
  nodes(ref: ExactRef, page: number): Promise<NodesResult>;
  /** Draw the run's timeline and upload it into a thread. */
  timeline(ref: ExactRef, where: TimelineWhere): Promise<TimelineResult>;
  /** Read, draw and post a channel's digest. */
  digest(request: DigestRequest): Promise<DigestPostResult>;
}

/** What the flows need: a part of the services, so the look-up thread can build just these. */
export type LookUpDeps = Pick<
  SlackServices,
  'dataarts' | 'clock' | 'consoleUrl' | 'operable' | 'logButtons' | 'logger' | 'timeZone'
> & {
  publisher: Publisher;
  /** Uploads the timeline. */
  web: SlackWeb;
  /** Each job's recent runs, for "slower than usual" (none without it). */
  history?: JobHistory;
  /** Timelines drawn at once (DLF_TIMELINES_AT_ONCE; 1 without it). */
  timelinesAtOnce?: number;
};

export function renderFor(
  services: Pick<SlackServices, 'clock' | 'consoleUrl' | 'operable' | 'logButtons'>,
  instance: JobInstance,
  workspace?: string,
  subscribed = false,
  slowness?: Slowness,
) {
  return renderInstanceMessage(instance, {
    now: services.clock(),
    workspace,
    consoleUrl: services.consoleUrl,
    subscribed,
    operable: services.operable,
    logs: services.logButtons,
    ...(slowness ? { slowness } : {}),
  });
}

export interface ShowOptions {
  followed?: boolean;
  /**
   * Fetch the posted message's permalink too, for a surface that links to it from elsewhere (the modal, a
   * message shortcut). A slash command's message is where the person already is: no call for a link.
   */
  permalink?: boolean;
}

export async function showInstance(
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

/** The flows on this thread (tests on the TypeScript sources, DLF_LOOKUP_THREAD=false). */
export function localLooker(deps: LookUpDeps): Looker {
  const drawing = timelineGate(deps.timelinesAtOnce);
  return {
    show: (ref, target, options) => showInstance(deps, ref, target, options),
    render: (ref, options) => renderInstance(deps, ref, options),
    nodes: (ref, page) => renderNodes(deps, ref, page),
    timeline: (ref, where) => uploadTimeline(deps, drawing, ref, where),
    digest: (request) => postDigest(deps, request),
  };
}
