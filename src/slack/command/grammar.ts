/**
 * The `/dlf-instance` grammar: `<job> [<instance-id>|latest]`, `help`, `list`, `subscribe <job> <id>`,
 * `unsubscribe <job> <id>`, `--workspace <id>` anywhere. Tolerant of extra spaces, quotes, Slack link
 * markup and pasted DataArts console links. Pure: text in, a Command out.
 */
import { refFromLink, unwrapSlackLinks } from './extract';

export type Command =
  | { kind: 'show'; job: string; instance: string; workspace?: string }
  | { kind: 'subscribe' | 'unsubscribe'; job: string; instanceId: string; workspace?: string }
  | { kind: 'list' }
  | { kind: 'help' }
  | { kind: 'invalid'; reason: string };

const JOB_NAME = /^[\p{L}\p{N}_.-]{1,128}$/u;
const QUOTES = /["'“”‘’„«»`]/g;

/** Splits on any white space (tabs, non-breaking spaces) but keeps a quoted phrase together. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /(["“„«])([^"”»]*)["”»]|(['‘])([^'’]*)['’]|(\S+)/gu;
  const normalized = text.replace(/[\s\u00a0\u2000-\u200b\u202f\u3000]+/gu, ' ').trim();
  for (const match of normalized.matchAll(pattern)) {
    const token = (match[2] ?? match[4] ?? match[5] ?? '').replace(QUOTES, '').trim();
    if (token) tokens.push(token);
  }
  return tokens;
}

function checkJob(job: string): string | undefined {
  if (job === '.' || job === '..' || !JOB_NAME.test(job)) {
    return `\`${job.slice(0, 80)}\` is not a job name: DataArts job names use letters, digits, \`_\`, \`.\` and \`-\`.`;
  }
  return undefined;
}

function checkInstance(instance: string): string | undefined {
  return /^\d{1,30}$/.test(instance)
    ? undefined
    : `\`${instance.slice(0, 40)}\` is not an instance id: use the number from the DataArts console, or \`latest\`.`;
}

export function parseCommand(text: string): Command {
  const tokens = tokenize(unwrapSlackLinks(text));
  let workspace: string | undefined;
  const words: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const flag = /^(?:--workspace|-w)(?:=(.*))?$/i.exec(token);
    if (flag) {
      workspace = flag[1] ?? tokens[++i];
      if (!workspace || workspace.startsWith('-'))
        return { kind: 'invalid', reason: '`--workspace` needs a workspace id after it.' };
      continue;
    }
    if (token.startsWith('--'))
      return { kind: 'invalid', reason: `Unknown option \`${token.slice(0, 40)}\`.` };
    words.push(token);
  }
  if (workspace !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(workspace)) {
    return { kind: 'invalid', reason: `\`${workspace.slice(0, 70)}\` is not a workspace id.` };
  }

  // A pasted console link stands for the job and the instance.
  const linkAt = words.findIndex((word) => /^https?:\/\//i.test(word));
  if (linkAt >= 0) {
    const ref = refFromLink(words[linkAt]!);
    if (!ref?.job)
      return {
        kind: 'invalid',
        reason:
          'That link has no job name in it. Paste the link of a job instance from the DataArts console.',
      };
    words.splice(linkAt, 1, ref.job, ...(ref.instanceId ? [ref.instanceId] : []));
    workspace ??= ref.workspace;
  }

  const [first, ...rest] = words;
  const verb = first?.toLowerCase();
  if (verb === undefined || verb === 'help' || verb === '?') {
    return rest.length === 0 ? { kind: 'help' } : { kind: 'invalid', reason: '`help` takes no arguments.' };
  }
  if (verb === 'list')
    return rest.length === 0 ? { kind: 'list' } : { kind: 'invalid', reason: '`list` takes no arguments.' };
  if (verb === 'subscribe' || verb === 'unsubscribe') {
    const [job, instance, ...extra] = rest;
    if (!job || !instance)
      return { kind: 'invalid', reason: `\`${verb}\` needs a job name and an instance id.` };
    if (extra.length > 0) return { kind: 'invalid', reason: `Too many words after \`${verb}\`.` };
    const problem = checkJob(job) ?? checkInstance(instance.replace(/^#/, ''));
    if (problem) return { kind: 'invalid', reason: problem };
    return { kind: verb, job, instanceId: instance.replace(/^#/, ''), ...(workspace ? { workspace } : {}) };
  }

  const [job, instanceWord = 'latest', ...extra] = words as [string, ...string[]];
  if (extra.length > 0) {
    return {
      kind: 'invalid',
      reason: `I expected a job name and an instance id, but got ${words.length} words.`,
    };
  }
  const instance = instanceWord.toLowerCase() === 'latest' ? 'latest' : instanceWord.replace(/^#/, '');
  const problem = checkJob(job) ?? (instance === 'latest' ? undefined : checkInstance(instance));
  if (problem) return { kind: 'invalid', reason: problem };
  return { kind: 'show', job, instance, ...(workspace ? { workspace } : {}) };
}
