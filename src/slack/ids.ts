/** Every id Slack echoes back to us (commands, callbacks, actions) and the button value encoding. */
import { refProblem } from '../dataarts/refs';

export const COMMAND = '/dlf-instance';

export const CALLBACKS = {
  globalShortcut: 'dlf_find_global',
  messageShortcut: 'dlf_track_message',
  lookupModal: 'dlf_lookup_modal',
  nodesModal: 'dlf_nodes_modal',
} as const;

export const ACTIONS = {
  refresh: 'instance_refresh',
  subscribe: 'instance_subscribe',
  unsubscribe: 'instance_unsubscribe',
  viewNodes: 'instance_view_nodes',
  timeline: 'instance_timeline',
  /** A failed node's log (its tail, as a file in the thread). */
  log: 'instance_log',
  openConsole: 'instance_open_console',
  nodesPage: 'nodes_page',
  // Writes to DataArts (src/slack/listeners/actions/operate.ts).
  stop: 'instance_stop',
  rerun: 'instance_rerun',
  /** The buttons of a card unfurled from a console link (listeners/actions/card.ts). */
  cardRefresh: 'card_refresh',
  cardSubscribe: 'card_subscribe',
  cardTimeline: 'card_timeline',
  cardStop: 'card_stop',
  cardRerun: 'card_rerun',
  /** The Stop / Rerun / Run button of a command's ephemeral confirmation, and its Cancel. */
  confirmOperation: 'operation_confirm',
  cancelOperation: 'operation_cancel',
} as const;

/** Block and action ids of the lookup modal's inputs. */
export const LOOKUP_INPUTS = {
  job: 'job',
  instance: 'instance',
  workspace: 'workspace',
  conversation: 'conversation',
  follow: 'follow',
} as const;

/** What a button carries: enough to find the instance again. */
export interface InstanceButtonValue {
  job: string;
  instanceId: string;
  workspace?: string;
  /** Nodes modal page. */
  page?: number;
  /** A node's name (the Log buttons). */
  node?: string;
  /** Where the modal was opened from (its Log buttons upload into that message's thread). */
  channel?: string;
  ts?: string;
}

/** A node name a button may carry (DataArts names are far shorter). */
const NODE_MAX = 256;

export function encodeButtonValue(value: InstanceButtonValue): string {
  const compact: Record<string, string | number> = { j: value.job, i: value.instanceId };
  if (value.workspace) compact.w = value.workspace;
  if (value.page !== undefined) compact.p = value.page;
  if (value.node !== undefined) compact.n = value.node.slice(0, NODE_MAX);
  if (value.channel !== undefined && value.ts !== undefined) {
    compact.c = value.channel;
    compact.t = value.ts;
  }
  return JSON.stringify(compact);
}

/** Undefined for anything that is not a value we wrote (every part checked as any other way in is). */
export function decodeButtonValue(text: string | undefined): InstanceButtonValue | undefined {
  if (!text || text.length > 2_000) return undefined;
  try {
    const raw = JSON.parse(text) as Record<string, unknown>;
    if (typeof raw.j !== 'string' || typeof raw.i !== 'string') return undefined;
    if (raw.w !== undefined && typeof raw.w !== 'string') return undefined;
    if (refProblem({ job: raw.j, instanceId: raw.i, workspace: raw.w })) return undefined;
    if (raw.p !== undefined && (typeof raw.p !== 'number' || !Number.isInteger(raw.p) || raw.p < 0))
      return undefined;
    if (raw.n !== undefined && (typeof raw.n !== 'string' || raw.n === '' || raw.n.length > NODE_MAX))
      return undefined;
    const where =
      typeof raw.c === 'string' &&
      typeof raw.t === 'string' &&
      /^[CGD][A-Z0-9]{2,30}$/.test(raw.c) &&
      /^\d{1,12}\.\d{1,8}$/.test(raw.t)
        ? { channel: raw.c, ts: raw.t }
        : {};
    return {
      job: raw.j,
      instanceId: raw.i,
      workspace: raw.w,
      page: raw.p,
      ...(raw.n !== undefined ? { node: raw.n } : {}),
      ...where,
    };
  } catch {
    return undefined;
  }
}
