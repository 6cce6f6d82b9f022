/**
 * The control surface over HTTP, for tests that drive a simulator in another process. No authentication;
 * JSON in and out; instance ids are decimal strings here; errors are 400 (bad input) or 404 (unknown
 * request) with `{"error":"<sentence>"}`.
 *
 *   POST   /__sim/jobs                         {name, nodes?, workspace?, processType?}    → 201 {name}
 *   POST   /__sim/runs                         {jobName, nodes?, instanceType?, planTime?}  → 201 {instanceId}
 *   PUT    /__sim/instances                    an instance in the API's shape              → 204
 *   GET    /__sim/instances/{job}/{id}         → 200 the instance as the API shows it now
 *   POST   /__sim/instances/{job}/{id}/finish  {status: success | fail | manual-stop}      → 204
 *   POST   /__sim/instances/{job}/{id}/status  {status: those, pause or running-exception} → 204
 *   POST   /__sim/faults                       {target?: job | '*' (default), latencyMs?, status?,
 *                                               throttle?: {retryAfterSeconds}, hang?, drop?,
 *                                               oversizeBytes?, truncate?, garbage?, answerInstance?,
 *                                               times?}                                      → 204
 *   DELETE /__sim/faults                                                                    → 204
 *   GET    /__sim/calls                        → 200 {calls: [{method, path, workspace, jobName?, instanceId?,
 *                                                     limit?, offset?, minPlanTime?, maxPlanTime?, status, at}],
 *                                                     tokenRequests}
 *   DELETE /__sim/calls                                                                     → 204
 *   POST   /__sim/expire-tokens                                                             → 204
 *   GET    /__sim/clock                        → 200 {now (DataArts' clock), skewMs}
 *   POST   /__sim/clock                        {skewMs}                                    → 204
 *   GET    /__sim/workspaces/{id}/stats        → 200 {workspace, jobs, instances, byStatus: {status: count}}
 *
 * `nodes`: [{name, type, durationMs, outcome?: success | fail, inputRowCount?, speed?, retryTimes?}].
 */
import { parseJson } from '../dataarts/parse';
import type { Answer } from './answers';
import { safeDecode } from './api';
import { parseFault } from './faults';
import type { NodePlan, OverrideStatus, TerminalStatus } from './run';
import type { Simulator } from './simulator';

type Input = Record<string, unknown>;

export function answerControl(sim: Simulator, method: string, pathname: string, body: Buffer): Answer {
  const path = pathname.slice('/__sim'.length);
  try {
    const input = readInput(body);
    const stats = /^\/workspaces\/([^/]+)\/stats$/.exec(path);
    if (stats && method === 'GET') {
      const workspace = safeDecode(stats[1]!);
      const answer = sim.workspaceStats(workspace);
      return answer
        ? { status: 200, body: answer }
        : { status: 404, body: { error: `There is no workspace ${workspace}.` } };
    }
    const instance = /^\/instances\/([^/]+)\/([^/]+)(?:\/(finish|status))?$/.exec(path);
    if (instance) {
      const [, job, id, action] = instance.map((part) => part && safeDecode(part));
      return instanceRequest(sim, method, job!, id!, action, input);
    }
    switch (`${method} ${path}`) {
      case 'POST /jobs': {
        const name = text(input.name, 'name');
        const workspace = input.workspace === undefined ? undefined : text(input.workspace, 'workspace');
        const { processType } = input;
        if (processType !== undefined && processType !== 'BATCH' && processType !== 'REAL_TIME') {
          throw new Error('processType must be BATCH or REAL_TIME.');
        }
        sim.addJob(name, { nodes: nodePlans(input.nodes), workspace, processType });
        return { status: 201, body: { name } };
      }
      case 'POST /runs': {
        const instanceId = sim.startRun(text(input.jobName, 'jobName'), {
          nodes: nodePlans(input.nodes),
          instanceType: optionalNumber(input.instanceType, 'instanceType'),
          planTime: optionalNumber(input.planTime, 'planTime'),
        });
        return { status: 201, body: { instanceId } };
      }
      case 'PUT /instances':
        sim.setInstance(input);
        return { status: 204 };
      case 'POST /faults': {
        const { target = '*', ...fault } = input;
        sim.setFault(text(target, 'target'), parseFault(fault));
        return { status: 204 };
      }
      case 'DELETE /faults':
        sim.clearFaults();
        return { status: 204 };
      case 'GET /calls':
        return { status: 200, body: { calls: sim.calls, tokenRequests: sim.iam.requests } };
      case 'DELETE /calls':
        sim.resetCalls();
        return { status: 204 };
      case 'POST /expire-tokens':
        sim.expireTokens();
        return { status: 204 };
      case 'GET /clock':
        return { status: 200, body: { now: sim.clock(), skewMs: sim.skewMs } };
      case 'POST /clock': {
        const { skewMs } = input;
        if (typeof skewMs !== 'number' || !Number.isInteger(skewMs)) {
          throw new Error('skewMs must be a whole number of milliseconds.');
        }
        sim.setSkew(skewMs);
        return { status: 204 };
      }
    }
  } catch (error) {
    return { status: 400, body: { error: (error as Error).message } };
  }
  return unknownRequest(method, pathname);
}

function instanceRequest(
  sim: Simulator,
  method: string,
  job: string,
  id: string,
  action: string | undefined,
  input: Input,
): Answer {
  if (method === 'GET' && action === undefined) {
    const instance = sim.instance(job, id);
    return instance
      ? { status: 200, body: instance }
      : { status: 404, body: { error: `There is no instance ${id} of job ${job}.` } };
  }
  if (method === 'POST' && action === 'finish') {
    sim.finish(job, id, text(input.status, 'status') as TerminalStatus);
    return { status: 204 };
  }
  if (method === 'POST' && action === 'status') {
    sim.setInstanceStatus(job, id, text(input.status, 'status') as OverrideStatus);
    return { status: 204 };
  }
  return unknownRequest(method, `/__sim/instances/${job}/${id}${action ? `/${action}` : ''}`);
}

function unknownRequest(method: string, path: string): Answer {
  return { status: 404, body: { error: `Unknown control request: ${method} ${path}` } };
}

/** The JSON object sent (big integers kept as exact decimal strings); an empty body is `{}`. */
function readInput(body: Buffer): Input {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = parseJson(body.toString('utf8'));
  } catch {
    throw new Error('The body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('The body must be a JSON object.');
  }
  return value as Input;
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`${name} must be a non-empty string.`);
  return value;
}

function optionalNumber(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a number ≥ 0.`);
  return value;
}

function nodePlans(value: unknown): NodePlan[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new Error('nodes must be a list.');
  return value.map((node: Input | null, index): NodePlan => {
    const where = `nodes[${index}]`;
    if (typeof node !== 'object' || node === null) throw new Error(`${where} must be an object.`);
    const durationMs = optionalNumber(node.durationMs, `${where}.durationMs`);
    if (durationMs === undefined) throw new Error(`${where}.durationMs is required.`);
    const { outcome } = node;
    if (outcome !== undefined && outcome !== 'success' && outcome !== 'fail') {
      throw new Error(`${where}.outcome must be success or fail.`);
    }
    const optional = (key: 'inputRowCount' | 'speed' | 'retryTimes') => {
      const number = optionalNumber(node[key], `${where}.${key}`);
      return number === undefined ? {} : { [key]: number };
    };
    return {
      name: text(node.name, `${where}.name`),
      type: text(node.type, `${where}.type`),
      durationMs,
      ...(outcome ? { outcome } : {}),
      ...optional('inputRowCount'),
      ...optional('speed'),
      ...optional('retryTimes'),
    };
  });
}
