/**
 * What a job name, an instance id and a workspace id may be: one check that every way in (the command, the
 * modal, the message shortcut, console links, button values) and the DataArts client itself use, so a value
 * that could change a request's path (`.`, `..`, `/`) or its headers (CR, LF) never reaches DataArts.
 */

/** DataArts job names: letters, digits, `_`, `.` and `-`, at most 128 (job details' `name`). */
const JOB_NAME = /^[\p{L}\p{N}_.-]{1,128}$/u;
/** Instance ids are Long in the API; we keep their digits. */
const INSTANCE_ID = /^\d{1,30}$/;
/** The console's `workspace=` value: 32 hex characters in practice; we accept the id characters. */
const WORKSPACE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A path segment that URL resolution would drop or climb with. */
export function isDotSegment(value: string): boolean {
  return value === '.' || value === '..';
}

export function isJobName(value: string): boolean {
  return JOB_NAME.test(value) && !isDotSegment(value);
}

export function isInstanceId(value: string): boolean {
  return INSTANCE_ID.test(value);
}

export function isWorkspaceId(value: string): boolean {
  return WORKSPACE_ID.test(value);
}

export type RefField = 'job' | 'instance' | 'workspace';

/** What was wrong, and the value as given (for the sentence; shortened there). */
export interface RefProblem {
  field: RefField;
  value: string;
}

/** The first problem of a reference, or undefined when every given part is valid. */
export function refProblem(ref: {
  job?: string;
  instanceId?: string;
  workspace?: string;
}): RefProblem | undefined {
  if (ref.job !== undefined && !isJobName(ref.job)) return { field: 'job', value: ref.job };
  if (ref.instanceId !== undefined && !isInstanceId(ref.instanceId))
    return { field: 'instance', value: ref.instanceId };
  if (ref.workspace !== undefined && !isWorkspaceId(ref.workspace))
    return { field: 'workspace', value: ref.workspace };
  return undefined;
}
