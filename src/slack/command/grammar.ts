/**
 * The `/dlf-instance` grammar: `<job> [<instance-id>|latest]`, `help`, `list`, `subscribe <job> <id>`,
 * `unsubscribe <job> <id>`, `--workspace <id>` anywhere. Tolerant of extra spaces, quotes, Slack link
 * markup and pasted DataArts console links. Pure: text in, a Command out.
 */
import type { JobParam } from '../../dataarts/model';
import { isInstanceId, isJobName, isWorkspaceId, type RefProblem } from '../../dataarts/refs';
import { type DailyTime, parseDailyTime } from '../../digest/schedule';
import { isJobPattern, type WatchMode } from '../../following/model';
import { code, type Markup, md } from '../blocks/markup';
import { refFromLink, unwrapSlackLinks } from './extract';

export type Command =
  | { kind: 'show'; job: string; instance: string; workspace?: string }
  | { kind: 'subscribe' | 'unsubscribe'; job: string; instanceId: string; workspace?: string }
  | { kind: 'watch'; pattern: string; mode: WatchMode; workspace?: string }
  | { kind: 'unwatch'; pattern: string; workspace?: string }
  | { kind: 'list' }
  | { kind: 'digest'; action: 'now' }
  | { kind: 'digest'; action: 'off' }
  | { kind: 'digest'; action: 'daily'; time: DailyTime }
  | { kind: 'help' }
  /** Writes to DataArts: answered with a confirmation, done only when its button is pressed. */
  | { kind: 'stop' | 'rerun'; job: string; instanceId: string; workspace?: string }
  | { kind: 'run'; job: string; params: JobParam[]; workspace?: string }
  /** `reason` quotes what was typed, escaped. */
  | { kind: 'invalid'; reason: Markup };

/** Longer than any command: refused before it is read (the tokenizer stays cheap). */
export const MAX_COMMAND_TEXT = 2_000;

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

/** The sentence for an invalid job name, instance id or workspace id, whichever way it came in. */
export function refProblemReason(problem: RefProblem): Markup {
  switch (problem.field) {
    case 'job':
      return md`${code(problem.value.slice(0, 80))} is not a job name: DataArts job names use letters, digits, ${code('_')}, ${code('.')} and ${code('-')}.`;
    case 'instance':
      return md`${code(problem.value.slice(0, 40))} is not an instance id: use the number from the DataArts console, or ${code('latest')}.`;
    case 'workspace':
      return md`${code(problem.value.slice(0, 70))} is not a workspace id: use the ${code('workspace=')} value of a DataArts console link.`;
  }
}

function checkJob(job: string): Markup | undefined {
  return isJobName(job) ? undefined : refProblemReason({ field: 'job', value: job });
}

function checkInstance(instance: string): Markup | undefined {
  return isInstanceId(instance) ? undefined : refProblemReason({ field: 'instance', value: instance });
}

const invalid = (reason: Markup): Command => ({ kind: 'invalid', reason });

/** DataArts' limits on a job parameter (run-immediate's jobParams). */
const PARAM_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_PARAM_VALUE = 1_024;
const MAX_PARAMS = 50;

/** `stop <job> <id>`, `rerun <job> <id>`, `run <job> [name=value …]`. */
function parseOperation(verb: 'stop' | 'rerun' | 'run', rest: string[], workspace?: string): Command {
  const where = workspace ? { workspace } : {};
  if (verb === 'run') {
    const [job, ...assignments] = rest;
    if (!job)
      return invalid(md`${code('run')} needs a job name (and optionally ${code('name=value')} parameters).`);
    const problem = checkJob(job);
    if (problem) return invalid(problem);
    if (assignments.length > MAX_PARAMS) return invalid(md`At most ${MAX_PARAMS} parameters.`);
    const params: JobParam[] = [];
    for (const assignment of assignments) {
      const at = assignment.indexOf('=');
      const name = at < 0 ? '' : assignment.slice(0, at);
      const value = at < 0 ? '' : assignment.slice(at + 1);
      if (!PARAM_NAME.test(name))
        return invalid(
          md`${code(assignment.slice(0, 80))} is not a parameter: write ${code('name=value')}, the name in letters, digits, ${code('_')}, ${code('.')} and ${code('-')} (64 at most).`,
        );
      if (value.length > MAX_PARAM_VALUE)
        return invalid(
          md`The value of ${code(name)} is longer than DataArts allows (${MAX_PARAM_VALUE} characters).`,
        );
      params.push({ name, value });
    }
    return { kind: 'run', job, params, ...where };
  }
  const [job, instance, ...extra] = rest;
  if (!job || !instance) return invalid(md`${code(verb)} needs a job name and an instance id.`);
  if (extra.length > 0)
    return invalid(md`Too many words after ${code(verb)}: a job name and an instance id.`);
  const instanceId = instance.replace(/^#/, '');
  const problem = checkJob(job) ?? checkInstance(instanceId);
  if (problem) return invalid(problem);
  return { kind: verb, job, instanceId, ...where };
}

export function parseCommand(text: string): Command {
  if (text.length > MAX_COMMAND_TEXT)
    return invalid(md`That is longer than any command I know (${text.length} characters).`);
  const tokens = tokenize(unwrapSlackLinks(text));
  let workspace: string | undefined;
  let on: string | undefined;
  const words: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const flag = /^(?:--workspace|-w)(?:=(.*))?$/i.exec(token);
    if (flag) {
      workspace = flag[1] ?? tokens[++i];
      if (!workspace || workspace.startsWith('-'))
        return invalid(md`${code('--workspace')} needs a workspace id after it.`);
      continue;
    }
    const onFlag = /^--on(?:=(.*))?$/i.exec(token);
    if (onFlag) {
      on = (onFlag[1] ?? tokens[++i] ?? '').toLowerCase();
      if (on !== 'fail' && on !== 'end')
        return invalid(
          md`${code('--on')} takes ${code('fail')} (failures and runs that need attention) or ${code('end')} (every end).`,
        );
      continue;
    }
    if (token.startsWith('--')) return invalid(md`Unknown option ${code(token.slice(0, 40))}.`);
    words.push(token);
  }

  // A pasted console link stands for the job and the instance.
  const linkAt = words.findIndex((word) => /^https?:\/\//i.test(word));
  if (linkAt >= 0) {
    const ref = refFromLink(words[linkAt]!);
    if (ref?.problem) return invalid(refProblemReason(ref.problem));
    if (!ref?.job)
      return invalid(
        md`That link has no job name in it. Paste the link of a job instance from the DataArts console.`,
      );
    words.splice(linkAt, 1, ref.job, ...(ref.instanceId ? [ref.instanceId] : []));
    workspace ??= ref.workspace;
  }
  if (workspace !== undefined && !isWorkspaceId(workspace))
    return invalid(refProblemReason({ field: 'workspace', value: workspace }));

  const [first, ...rest] = words;
  const verb = first?.toLowerCase();
  if (verb === undefined || verb === 'help' || verb === '?') {
    return rest.length === 0 ? { kind: 'help' } : invalid(md`${code('help')} takes no arguments.`);
  }
  if (on !== undefined && verb !== 'watch')
    return invalid(md`${code('--on')} goes with ${code('watch')} only.`);
  if (verb === 'list')
    return rest.length === 0 ? { kind: 'list' } : invalid(md`${code('list')} takes no arguments.`);
  if (verb === 'digest') return parseDigest(rest, workspace);
  if (verb === 'watch' || verb === 'unwatch') {
    const [pattern, ...extra] = rest;
    if (!pattern)
      return invalid(
        md`${code(verb)} needs a job name or a pattern such as ${code('orders_*')} (or ${code('*')} for every job).`,
      );
    if (extra.length > 0) return invalid(md`Too many words after ${code(verb)}: one job name or pattern.`);
    if (!isJobPattern(pattern))
      return invalid(
        md`${code(pattern.slice(0, 80))} is not a job name or pattern: use letters, digits, ${code('_')}, ${code('.')}, ${code('-')} and ${code('*')} for any run of characters.`,
      );
    const where = workspace ? { workspace } : {};
    return verb === 'watch'
      ? { kind: 'watch', pattern, mode: on === 'end' ? 'end' : 'fail', ...where }
      : { kind: 'unwatch', pattern, ...where };
  }
  if (verb === 'stop' || verb === 'rerun' || verb === 'run') return parseOperation(verb, rest, workspace);
  if (verb === 'subscribe' || verb === 'unsubscribe') {
    const [job, instance, ...extra] = rest;
    if (!job || !instance) return invalid(md`${code(verb)} needs a job name and an instance id.`);
    if (extra.length > 0) return invalid(md`Too many words after ${code(verb)}.`);
    const problem = checkJob(job) ?? checkInstance(instance.replace(/^#/, ''));
    if (problem) return invalid(problem);
    return { kind: verb, job, instanceId: instance.replace(/^#/, ''), ...(workspace ? { workspace } : {}) };
  }

  const [job, instanceWord = 'latest', ...extra] = words as [string, ...string[]];
  if (extra.length > 0)
    return invalid(md`I expected a job name and an instance id, but got ${words.length} words.`);
  const instance = instanceWord.toLowerCase() === 'latest' ? 'latest' : instanceWord.replace(/^#/, '');
  const problem = checkJob(job) ?? (instance === 'latest' ? undefined : checkInstance(instance));
  if (problem) return invalid(problem);
  return { kind: 'show', job, instance, ...(workspace ? { workspace } : {}) };
}

/** `digest daily HH:MM`, `digest now`, `digest off`. */
function parseDigest(rest: string[], workspace: string | undefined): Command {
  const [action, ...args] = rest.map((word, i) => (i === 0 ? word.toLowerCase() : word));
  const forms = md`${code('digest daily 09:00')}, ${code('digest now')} or ${code('digest off')}`;
  if (workspace !== undefined)
    return invalid(
      md`A digest covers the jobs watched in the channel, in every workspace: no ${code('--workspace')}.`,
    );
  if (action === 'now' || action === 'off')
    return args.length === 0
      ? { kind: 'digest', action }
      : invalid(md`${code(`digest ${action}`)} takes nothing after it.`);
  if (action === 'daily') {
    const [when, ...extra] = args;
    if (!when) return invalid(md`${code('digest daily')} needs a time of day, such as ${code('09:00')}.`);
    const time = parseDailyTime(when);
    if (!time || extra.length > 0)
      return invalid(
        md`${code(when.slice(0, 40))} is not a time of day: use 24-hour ${code('HH:MM')}, such as ${code('09:00')} or ${code('17:30')}.`,
      );
    return { kind: 'digest', action: 'daily', time };
  }
  return invalid(
    action
      ? md`${code(action.slice(0, 40))} is not a digest form: use ${forms}.`
      : md`${code('digest')} needs a form: ${forms}.`,
  );
}
