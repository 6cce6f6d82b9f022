/**
 * Every look-up in one typed map: its arguments and its result. The look-up thread's protocol (a call is its op
 * and arguments), the worker's dispatch (`runLookUp`) and what listeners ask (`Looker`) are all derived from it,
 * so a new look-up is a line in `LookUpCalls`, one in `lookUpCalls` and its function.
 */
import type { ExactRef, InstanceRef } from '../../dataarts/lookup';
import type { PostTarget } from '../publisher';
import type { LookUpDeps } from './deps';
import { type DigestPostResult, type DigestRequest, postDigest } from './digest';
import {
  type NodesResult,
  postInstanceMessage,
  type RenderResult,
  renderInstance,
  renderNodes,
  type ShowOptions,
  type ShowResult,
} from './instance';
import { type TimelineResult, type TimelineWhere, timelineGate, uploadTimeline } from './timeline';

export interface LookUpCalls {
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

export type LookUpOp = keyof LookUpCalls;

/** One look-up as it crosses the thread boundary: which, and its arguments. */
export type LookUpCall = { [Op in LookUpOp]: { op: Op; args: Parameters<LookUpCalls[Op]> } }[LookUpOp];

/** What a look-up of `Op` answers. */
export type LookUpAnswer<Op extends LookUpOp = LookUpOp> = Awaited<ReturnType<LookUpCalls[Op]>>;

/** What listeners ask of look-ups, in whichever thread they run. */
export interface Looker {
  ask<Op extends LookUpOp>(op: Op, ...args: Parameters<LookUpCalls[Op]>): Promise<LookUpAnswer<Op>>;
}

/** The look-ups done here, with `deps`; timelines drawn at once are bounded by one gate for them all. */
export function lookUpCalls(deps: LookUpDeps): LookUpCalls {
  const drawing = timelineGate(deps.timelinesAtOnce);
  return {
    show: (ref, target, options) => postInstanceMessage(deps, ref, target, options),
    render: (ref, options) => renderInstance(deps, ref, options),
    nodes: (ref, page) => renderNodes(deps, ref, page),
    timeline: (ref, where) => uploadTimeline(deps, drawing, ref, where),
    digest: (request) => postDigest(deps, request),
  };
}

/** Runs one call: the look-up thread's answer to a message, and the main thread's when there is no such thread. */
export function runLookUp(calls: LookUpCalls, call: LookUpCall): Promise<LookUpAnswer> {
  const run = calls[call.op] as (...args: LookUpCall['args']) => Promise<LookUpAnswer>;
  return run(...call.args);
}

/** A Looker whose every call goes through `send`: to the look-up thread, or straight to runLookUp here. */
export function lookerThrough(send: (call: LookUpCall) => Promise<LookUpAnswer>): Looker {
  return {
    ask: <Op extends LookUpOp>(op: Op, ...args: Parameters<LookUpCalls[Op]>) =>
      send({ op, args } as LookUpCall) as Promise<LookUpAnswer<Op>>,
  };
}
