/**
 * Who may write to DataArts from Slack (stop, rerun, run now): DLF_OPERATORS, `;`-separated entries
 * `[<job-glob>=]<id>[,<id>…]` where an id is a person (`U…`, `W…`) or a user group (`S…`). An entry without a
 * glob is for every job. A person may act on a job when an entry whose glob matches the job names them or a group
 * they are in. Unset, nobody may. People of another organisation never may, whatever is set (checked by the
 * caller with AccessPolicy.isExternal). Pure: the settings text in, decisions out; group members are given.
 */
import { isJobPattern, patternMatches } from '../following/model';

export interface OperatorEntry {
  /** A job name or glob (`*` alone: every job). */
  pattern: string;
  users: string[];
  groups: string[];
}

export type OperatorRules = readonly OperatorEntry[];

const USER_ID = /^[UW][A-Z0-9]{2,30}$/;
const GROUP_ID = /^S[A-Z0-9]{2,30}$/;

/** The rules, or the problems of the setting (each a sentence naming it). */
export function parseOperators(text: string): { rules: OperatorRules } | { problems: string[] } {
  const problems: string[] = [];
  const rules: OperatorEntry[] = [];
  for (const raw of text.split(';')) {
    const entry = raw.trim();
    if (!entry) continue;
    const at = entry.indexOf('=');
    const pattern = at < 0 ? '*' : entry.slice(0, at).trim();
    const ids = (at < 0 ? entry : entry.slice(at + 1))
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    if (!isJobPattern(pattern)) {
      problems.push(
        `DLF_OPERATORS: "${pattern.slice(0, 40)}" is not a job name or pattern (letters, digits, _ . - and *).`,
      );
      continue;
    }
    if (ids.length === 0) {
      problems.push(`DLF_OPERATORS: the entry for "${pattern}" names nobody.`);
      continue;
    }
    const users: string[] = [];
    const groups: string[] = [];
    for (const id of ids) {
      if (USER_ID.test(id)) users.push(id);
      else if (GROUP_ID.test(id)) groups.push(id);
      else
        problems.push(
          `DLF_OPERATORS: "${id.slice(0, 40)}" is not a Slack user (U…, W…) or user group (S…) id.`,
        );
    }
    rules.push({ pattern, users, groups });
  }
  if (problems.length > 0) return { problems };
  if (rules.length === 0) return { problems: ['DLF_OPERATORS is set but names nobody.'] };
  return { rules };
}

/**
 * Patterns that are accepted but cannot mean what they seem, each as a sentence for the start-up log and the
 * doctor: `.*` (a regular expression's "anything" is, in a glob, a dot and then anything, so `.*` alone covers no
 * job and `orders.*` covers `orders.x` but not `orders_x`), and `**` (a `*` already spans any characters).
 */
export function operatorWarnings(rules: OperatorRules): string[] {
  const warnings: string[] = [];
  for (const { pattern } of rules) {
    const shown = pattern.slice(0, 60);
    if (pattern.includes('.*'))
      warnings.push(
        `DLF_OPERATORS: "${shown}" reads like a regular expression, but patterns are globs: "." is a dot and "*" already matches anything, so it covers only job names with a dot there. Write "${globOf(pattern).slice(0, 60)}" if that is what you meant.`,
      );
    else if (pattern.includes('**'))
      warnings.push(
        `DLF_OPERATORS: "${shown}" has "**", which matches exactly what one "*" does ("${globOf(pattern).slice(0, 60)}"): write that, so the setting reads as it works.`,
      );
  }
  return warnings;
}

/** A pattern with `.*` and runs of `*` written as the glob they were likely meant as. */
function globOf(pattern: string): string {
  return pattern.replaceAll('.*', '*').replace(/\*+/g, '*');
}

/** The entries that cover a job (every one whose pattern matches it). */
export function entriesFor(rules: OperatorRules, job: string): OperatorEntry[] {
  return rules.filter((entry) => patternMatches(entry.pattern, job));
}

/** The user groups whose members must be known to decide for this job. */
export function groupsFor(rules: OperatorRules, job: string): string[] {
  return [...new Set(entriesFor(rules, job).flatMap((entry) => entry.groups))];
}

export type OperatorDecision =
  | { allowed: true }
  /** `who`: the entries covering the job, to say who may (none: nobody may act on it). */
  | { allowed: false; reason: 'nobody' | 'not-operator' | 'external'; who: OperatorEntry[] };

/**
 * Whether `user` may act on `job`. `members` holds the members of the groups of groupsFor (a group it lacks, e.g.
 * one Slack would not list, counts as empty: refused rather than allowed). `external`: the person belongs to
 * another organisation (Slack Connect), who never may.
 */
export function decide(input: {
  rules: OperatorRules | undefined;
  job: string;
  user: string;
  external: boolean;
  members: ReadonlyMap<string, ReadonlySet<string>>;
}): OperatorDecision {
  const who = input.rules ? entriesFor(input.rules, input.job) : [];
  if (input.external) return { allowed: false, reason: 'external', who };
  if (who.length === 0) return { allowed: false, reason: 'nobody', who };
  const allowed = who.some(
    (entry) =>
      entry.users.includes(input.user) ||
      entry.groups.some((group) => input.members.get(group)?.has(input.user)),
  );
  return allowed ? { allowed: true } : { allowed: false, reason: 'not-operator', who };
}
