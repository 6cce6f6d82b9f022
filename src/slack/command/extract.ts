/**
 * Finds a job name and instance id in text people paste: a DataArts console link, Slack link markup,
 * `job_batch 34765`, `job_batch/34765`, `job_batch #34765`, or "job job_batch instance 34765 failed".
 *
 * Linear in the text, and reads at most MAX_TEXT characters of it: the text is split into tokens once and the
 * forms are matched on tokens with a fixed lookahead, so no input (a letter, 40,000 spaces, a letter) can make
 * the main thread backtrack. Whatever it finds passes the same validation as every other way in (refs.ts).
 */
import { isInstanceId, isJobName, type RefProblem, refProblem } from '../../dataarts/refs';

export interface InstanceRefGuess {
  job?: string;
  instanceId?: string;
  workspace?: string;
  /** A link named a workspace (or job) that is not a valid id: nothing is looked up. */
  problem?: RefProblem;
}

/** A message longer than this is read up to here: alerts and questions name their instance early. */
export const MAX_TEXT = 4_000;

const JOB_KEYS = ['jobName', 'job_name', 'jobname', 'job'];
const INSTANCE_KEYS = ['instanceId', 'instance_id', 'instanceid', 'instance'];
const WORKSPACE_KEYS = ['workspace', 'workspaceId', 'workspace_id'];

/** Slack wraps links as <https://x|label> or <https://x>; a pasted link may also be bare. */
export function unwrapSlackLinks(text: string): string {
  return text.replace(/<(https?:\/\/[^>|]+)(?:\|[^>]*)?>/g, '$1');
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

/**
 * Job, instance and workspace from a console link's query and hash fragment (which may hold its own query).
 * An invalid job, instance id or workspace in the link is reported as `problem`, never passed on (nor dropped:
 * `instanceId=-0` left out would have meant the job's latest instance).
 */
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
  const workspace = firstParam(params, WORKSPACE_KEYS);
  if (!job && !instanceId) return undefined;
  const problem = refProblem({ job, instanceId, workspace });
  if (problem) return { problem };
  return { job, instanceId, ...(workspace ? { workspace } : {}) };
}

interface Token {
  /** A word (letters, digits, `_`, `.`, `-`) or one punctuation character. */
  text: string;
  word: boolean;
  /** White space came right before it (or it starts the text). */
  spaced: boolean;
  /** Preceded by the start, white space, `(`, a quote or a backtick: where a job name may begin. */
  opens: boolean;
}

/** A word, a run of white space, or one other character: each piece is matched once, left to right. */
const PIECE = /([\p{L}\p{N}_.-]+)|(\s+)|([\s\S])/gu;
const OPENERS = new Set(['(', '`', '"', "'"]);
const QUOTES = new Set(['`', '"', "'"]);

/** One pass over the text. */
export function tokens(text: string): Token[] {
  const out: Token[] = [];
  let spaced = true;
  let opens = true;
  for (const [, word, space, other] of text.matchAll(PIECE)) {
    if (space) {
      spaced = true;
      opens = true;
    } else {
      out.push({ text: (word ?? other)!, word: !!word, spaced, opens });
      opens = !word && OPENERS.has(other!);
      spaced = false;
    }
  }
  return out;
}

const NOT_JOBS = new Set(['instance', 'job', 'run', 'id', 'the', 'of', 'for']);
const DIGITS = /^\d+$/;

const isKeyword = (token: Token | undefined, ...keywords: string[]) =>
  !!token?.word && keywords.includes(token.text.toLowerCase());
const isPunct = (token: Token | undefined, ...chars: string[]) =>
  !!token && !token.word && chars.includes(token.text);
const isDigits = (token: Token | undefined) => !!token?.word && DIGITS.test(token.text);

function jobCandidate(token: Token | undefined): string | undefined {
  if (!token?.word || DIGITS.test(token.text) || NOT_JOBS.has(token.text.toLowerCase())) return undefined;
  return isJobName(token.text) ? token.text : undefined;
}

/** After `job`: optional `name`, optional `:` or `=`, optional quote; the index of the job token. */
function afterJobKeyword(list: Token[], at: number): number {
  let i = at + 1;
  if (isKeyword(list[i], 'name')) i++;
  if (isPunct(list[i], ':', '=')) i++;
  if (isPunct(list[i], ...QUOTES)) i++;
  return i;
}

/** After `instance` (optional `id`, then `:`, `=` or `#`) or `run` (then white space): the digits' index. */
function instanceDigitsAt(list: Token[], at: number): number | undefined {
  let i = at + 1;
  if (isKeyword(list[at], 'run')) {
    if (!list[i]?.spaced) return undefined;
  } else {
    if (isKeyword(list[i], 'id')) i++;
    if (isPunct(list[i], ':', '=', '#')) i++;
  }
  if (isPunct(list[i], '#')) i++;
  return isDigits(list[i]) && isInstanceId(list[i]!.text) ? i : undefined;
}

/** "job <name> … instance <id>": the keyword form, as alerts write it. */
function keywordForm(list: Token[]): InstanceRefGuess | undefined {
  for (let at = 0; at < list.length; at++) {
    if (!isKeyword(list[at], 'job')) continue;
    let i = afterJobKeyword(list, at);
    const job = jobCandidate(list[i]);
    if (!job) continue;
    i++;
    if (isPunct(list[i], ...QUOTES)) i++;
    let separated = !!list[i]?.spaced;
    while (isPunct(list[i], ',', ';')) {
      separated = true;
      i++;
    }
    if (!separated || !isKeyword(list[i], 'instance', 'run')) continue;
    const idAt = instanceDigitsAt(list, i);
    if (idAt !== undefined) return { job, instanceId: list[idAt]!.text };
  }
  return undefined;
}

/** "<name> <id>", "<name>/<id>", "<name>#<id>", "<name> #<id>", with optional quotes around the name. */
function pairForm(list: Token[]): InstanceRefGuess | undefined {
  for (let at = 0; at < list.length; at++) {
    if (!list[at]!.opens) continue;
    const job = jobCandidate(list[at]);
    if (!job) continue;
    let i = at + 1;
    if (isPunct(list[i], ...QUOTES)) i++;
    if (isPunct(list[i], '/', '#')) i++;
    else if (!list[i]?.spaced) continue;
    if (isPunct(list[i], '#')) i++;
    if (isDigits(list[i]) && isInstanceId(list[i]!.text)) return { job, instanceId: list[i]!.text };
  }
  return undefined;
}

/** What is there when the text names only one of the two. */
function partial(list: Token[]): InstanceRefGuess {
  let job: string | undefined;
  let instanceId: string | undefined;
  for (let at = 0; at < list.length && (!job || !instanceId); at++) {
    if (!job && isKeyword(list[at], 'job')) {
      const word = list[afterJobKeyword(list, at)];
      if (word?.word && isJobName(word.text))
        job = NOT_JOBS.has(word.text.toLowerCase()) ? undefined : word.text;
    }
    if (!instanceId && isKeyword(list[at], 'instance', 'run')) {
      const idAt = instanceDigitsAt(list, at);
      if (idAt !== undefined) instanceId = list[idAt]!.text;
    }
  }
  return { job, instanceId };
}

const LINK = /https?:\/\/\S+/g;

export function extractInstanceRef(raw: string): InstanceRefGuess {
  const text = unwrapSlackLinks(raw.slice(0, MAX_TEXT));
  for (const link of text.match(LINK) ?? []) {
    const fromLink = refFromLink(link.replace(/[)>.,;]+$/, ''));
    if (fromLink?.problem) return fromLink;
    if (fromLink?.job && fromLink.instanceId) return fromLink;
  }
  const list = tokens(text.replace(LINK, ' '));
  return keywordForm(list) ?? pairForm(list) ?? partial(list);
}
