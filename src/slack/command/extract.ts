/**
 * Finds a job name and instance id in text people paste: a DataArts console link, Slack link markup,
 * `job_batch 34765`, `job_batch/34765`, `job_batch #34765`, or "job job_batch instance 34765 failed".
 */

export interface InstanceRefGuess {
  job?: string;
  instanceId?: string;
  workspace?: string;
}

const JOB_KEYS = ['jobName', 'job_name', 'jobname', 'job'];
const INSTANCE_KEYS = ['instanceId', 'instance_id', 'instanceid', 'instance'];
const WORKSPACE_KEYS = ['workspace', 'workspaceId', 'workspace_id'];

/** Slack wraps links as <https://x|label> or <https://x>; a pasted link may also be bare. */
export function unwrapSlackLinks(text: string): string {
  return text.replace(/<((?:https?:\/\/)[^>|]+)(?:\|[^>]*)?>/g, '$1');
}

function firstParam(params: URLSearchParams[], keys: string[]): string | undefined {
  for (const source of params) {
    for (const key of keys) {
      const value = source.get(key)?.trim();
      if (value) return value;
    }
  }
  return undefined;
}

/** Job, instance and workspace from a console link's query and hash fragment (which may hold its own query). */
export function refFromLink(link: string): InstanceRefGuess | undefined {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return undefined;
  }
  const fragment = url.hash.replace(/^#/, '');
  const params = [
    url.searchParams,
    new URLSearchParams(fragment.includes('?') ? fragment.slice(fragment.indexOf('?') + 1) : fragment),
  ];
  const job = firstParam(params, JOB_KEYS);
  const instanceId = firstParam(params, INSTANCE_KEYS);
  if (!job && !instanceId) return undefined;
  return {
    job,
    instanceId: instanceId && /^\d+$/.test(instanceId) ? instanceId : undefined,
    workspace: firstParam(params, WORKSPACE_KEYS),
  };
}

const JOB_NAME = String.raw`[\p{L}\p{N}_.-]+`;
const PATTERNS: RegExp[] = [
  new RegExp(
    String.raw`\bjob\b\s*(?:name)?\s*[:=]?\s*[\x60"']?(${JOB_NAME})[\x60"']?[\s,;]+(?:run\s+|instance\s*(?:id)?\s*[:=#]?\s*)#?(\d+)\b`,
    'iu',
  ),
  new RegExp(String.raw`(?:^|[\s(\x60"'])(${JOB_NAME})[\x60"']?\s*(?:/|#|\s)\s*#?(\d+)\b`, 'u'),
];

const NOT_JOBS = new Set(['instance', 'job', 'run', 'id', 'the', 'of', 'for']);

export function extractInstanceRef(raw: string): InstanceRefGuess {
  const text = unwrapSlackLinks(raw);
  for (const link of text.match(/https?:\/\/\S+/g) ?? []) {
    const fromLink = refFromLink(link.replace(/[)>.,;]+$/, ''));
    if (fromLink?.job && fromLink.instanceId) return fromLink;
  }
  const withoutLinks = text.replace(/https?:\/\/\S+/g, ' ');
  for (const pattern of PATTERNS) {
    const match = pattern.exec(withoutLinks);
    if (match && !NOT_JOBS.has(match[1]!.toLowerCase()) && !/^\d+$/.test(match[1]!)) {
      return { job: match[1], instanceId: match[2] };
    }
  }
  // Partial: a job-looking token after "job", or a lone long number.
  const job = /\bjob\b\s*(?:name)?\s*[:=]?\s*[\x60"']?([\p{L}\p{N}_.-]+)/iu.exec(withoutLinks)?.[1];
  const instanceId = /\b(?:instance|run)\s*(?:id)?\s*[:=#]?\s*(\d+)\b/i.exec(withoutLinks)?.[1];
  return {
    job: job && !NOT_JOBS.has(job.toLowerCase()) ? job : undefined,
    instanceId,
  };
}
