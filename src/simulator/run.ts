/**
 * How an instance looks at a moment, computed from the clock on every read (no timers): a live run is a
 * node plan plus a start time, and walks waiting → running → each node running then success/fail in order.
 * A failing node ends the instance `fail` and the nodes after it become `skip`. An end or pause applied
 * from outside (finish, stop, pause) is an override laid over that computed view.
 */

/** The instance as the API shows it (ids as decimal strings; json.ts writes them as exact numbers). */
export type RawNode = Record<string, unknown>;
export type RawInstance = Record<string, unknown> & { nodes: RawNode[] };

export interface NodePlan {
  name: string;
  type: string;
  durationMs: number;
  outcome?: 'success' | 'fail';
  inputRowCount?: number;
  /** Rows per second, shown once the node has ended. */
  speed?: number;
  retryTimes?: number;
}

export interface LiveRun {
  /** Before this moment the instance is `waiting`. */
  startedAt: number;
  nodes: NodePlan[];
}

export const TERMINAL_STATUSES = ['success', 'fail', 'manual-stop'] as const;
export const OVERRIDE_STATUSES = [...TERMINAL_STATUSES, 'pause', 'running-exception'] as const;
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];
export type OverrideStatus = (typeof OVERRIDE_STATUSES)[number];

export interface Override {
  status: OverrideStatus;
  at: number;
  /** When the run stopped advancing: the first override's moment (a pause, then a finish, keeps the pause's). */
  frozenAt: number;
}

export function isTerminal(status: unknown): boolean {
  return (TERMINAL_STATUSES as readonly unknown[]).includes(status);
}

/** `obs://…/error/<node>.job`, with a space in the folder as in the docs' example. */
export function failureLogPath(jobName: string, planTime: number, nodeName: string): string {
  const stamp = new Date(planTime).toISOString().replace('T', ' ').replace(/:/g, '_').replace('Z', '');
  return `obs://dlf-test-log/${jobName}/${stamp}/error/${nodeName}.job`;
}

interface Head {
  jobName: string;
  instanceId: string;
  planTime: number;
}

/**
 * The live run as it stands at `at`, before any override. Nodes are plain literals with their fields in the
 * docs' (alphabetical) order: lists and stats compute thousands of these, and spreads cost ten times more.
 */
export function liveView(head: Head, run: LiveRun, at: number): RawInstance {
  const nodes: RawNode[] = [];
  const { instanceId, planTime } = head;
  let cursor = run.startedAt;
  let state: 'done' | 'open' | 'failed' = 'done';
  for (const plan of run.nodes) {
    const nodeName = plan.name;
    const type = plan.type;
    const end = cursor + plan.durationMs;
    if (state !== 'done' || at < cursor) {
      const status = state === 'failed' ? 'skip' : 'waiting';
      nodes.push({ instanceId, nodeName, planTime, retryTimes: 0, status, type });
      if (state === 'done') state = 'open';
    } else if (at < end) {
      const inputRowCount = Math.floor(
        ((plan.inputRowCount ?? 0) * (at - cursor)) / Math.max(1, plan.durationMs),
      );
      nodes.push({
        inputRowCount,
        instanceId,
        nodeName,
        planTime,
        retryTimes: 0,
        startTime: cursor,
        status: 'running',
        type,
      });
      state = 'open';
    } else {
      const outcome = plan.outcome ?? 'success';
      const node: RawNode = { endTime: end, inputRowCount: plan.inputRowCount ?? 0, instanceId };
      if (outcome === 'fail') node.logPath = failureLogPath(head.jobName, planTime, nodeName);
      node.nodeName = nodeName;
      node.planTime = planTime;
      node.retryTimes = plan.retryTimes ?? 0;
      if (plan.speed !== undefined) node.speed = plan.speed;
      node.startTime = cursor;
      node.status = outcome;
      node.type = type;
      nodes.push(node);
      if (outcome === 'fail') state = 'failed';
      cursor = end;
    }
  }
  const waiting = at < run.startedAt;
  const status = waiting ? 'waiting' : state === 'failed' ? 'fail' : state === 'open' ? 'running' : 'success';
  const endTime = isTerminal(status) ? cursor : undefined;
  return instance(head, status, waiting ? undefined : run.startedAt, endTime, nodes);
}

const OPEN_NODE = ['running', 'pause', 'waiting'];

/**
 * The view with an outside end or pause applied, once its moment has come and unless the run ended first.
 * A pause pauses the running nodes; running-exception leaves the nodes as they are (nodes have no such
 * status); success ends every open node; fail and manual-stop end the running nodes (with none running,
 * the first waiting one) and skip the other open ones.
 */
export function withOverride(view: RawInstance, override: Override, now: number): RawInstance {
  if (now < override.at || isTerminal(view.status)) return view;
  const { status, at } = override;
  const open = view.nodes.filter((node) => OPEN_NODE.includes(String(node.status)));
  const active = open.filter((node) => node.status !== 'waiting');
  const takers = new Set(status === 'success' ? open : active.length > 0 ? active : open.slice(0, 1));
  const nodes = view.nodes.map((node): RawNode => {
    if (!open.includes(node) || status === 'running-exception') return node;
    if (status === 'pause') return node.status === 'running' ? { ...node, status: 'pause' } : node;
    if (!takers.has(node)) return { ...node, status: 'skip' };
    const logPath =
      status === 'fail'
        ? { logPath: failureLogPath(String(view.jobName), Number(view.planTime), String(node.nodeName)) }
        : {};
    return { ...node, endTime: at, ...logPath, startTime: node.startTime ?? at, status };
  });
  const startTime = view.startTime as number | undefined;
  const end = isTerminal(status)
    ? { endTime: at, ...(startTime !== undefined ? { executeTime: at - startTime } : {}) }
    : {};
  return { ...view, status, ...end, nodes };
}

/** The instance fields in the docs' order; `executeTime` is endTime − startTime in ms, as the table says. */
function instance(
  head: Head,
  status: string,
  startTime: number | undefined,
  endTime: number | undefined,
  nodes: RawNode[],
): RawInstance {
  const view: Record<string, unknown> = { jobName: head.jobName, instanceId: head.instanceId, status };
  view.planTime = head.planTime;
  if (startTime !== undefined) {
    view.startTime = startTime;
    if (endTime !== undefined) {
      view.endTime = endTime;
      view.executeTime = endTime - startTime;
    }
  }
  view.forceSuccess = false;
  view.ignoreSuccess = false;
  view.total = nodes.length;
  view.nodes = nodes;
  return view as RawInstance;
}
