/** DLF_OPERATORS: the parser (every problem named) and the decision (users, groups, globs, outsiders). */
import {
  decide,
  groupsFor,
  type OperatorRules,
  operatorWarnings,
  parseOperators,
} from '../../src/access/operators';
import { configFromEnv } from '../../src/config';
import { ConfigError } from '../../src/config-error';

function rules(text: string): OperatorRules {
  const parsed = parseOperators(text);
  if (!('rules' in parsed)) throw new Error(parsed.problems.join(' '));
  return parsed.rules;
}

describe('parseOperators', () => {
  test('entries with and without a glob, users and groups, spaces tolerated', () => {
    expect(rules(' orders_*=S0DATAONCALL, U0ANN ; *=U0LEAD;W0ORG ')).toEqual([
      { pattern: 'orders_*', users: ['U0ANN'], groups: ['S0DATAONCALL'] },
      { pattern: '*', users: ['U0LEAD'], groups: [] },
      { pattern: '*', users: ['W0ORG'], groups: [] },
    ]);
  });

  test('every problem is named', () => {
    const parsed = parseOperators('orders/*=U0A;x=;y=alice,C0CHANNEL');
    expect(parsed).toEqual({
      problems: [
        'DLF_OPERATORS: "orders/*" is not a job name or pattern (letters, digits, _ . - and *).',
        'DLF_OPERATORS: the entry for "x" names nobody.',
        'DLF_OPERATORS: "alice" is not a Slack user (U…, W…) or user group (S…) id.',
        'DLF_OPERATORS: "C0CHANNEL" is not a Slack user (U…, W…) or user group (S…) id.',
      ],
    });
    expect(parseOperators(' ; ')).toEqual({ problems: ['DLF_OPERATORS is set but names nobody.'] });
  });

  test('the bot refuses to start on a bad value, and reads a good one', () => {
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      DLF_ENDPOINT: 'https://dayu-dlf.eu-de.otc.t-systems.com',
      DLF_PROJECT_ID: 'p',
      DLF_TOKEN: 't',
    };
    expect(() => configFromEnv({ ...env, DLF_OPERATORS: 'alice' })).toThrow(ConfigError);
    expect(configFromEnv(env).operators).toBeUndefined();
    expect(configFromEnv({ ...env, DLF_OPERATORS: 'U0LEAD' }).operators).toEqual([
      { pattern: '*', users: ['U0LEAD'], groups: [] },
    ]);
    expect(configFromEnv({ ...env, DLF_OPERATORS: 'U0LEAD' }).warnings).toEqual([]);
    expect(configFromEnv({ ...env, DLF_OPERATORS: '.*=U0LEAD' }).warnings).toHaveLength(1);
  });

  test('patterns that cannot mean what they seem are accepted with a warning saying what they do', () => {
    const [regex, dotted, doubled, ...rest] = operatorWarnings(
      rules('.*=U0LEAD; orders.*=U0ANN; **=S0OPS; orders_*=U0ANN; *=U0LEAD'),
    );
    expect(rest).toEqual([]);
    expect(regex).toBe(
      'DLF_OPERATORS: ".*" reads like a regular expression, but patterns are globs: "." is a dot and "*" already matches anything, so it covers only job names with a dot there. Write "*" if that is what you meant.',
    );
    expect(dotted).toContain('Write "orders*" if that is what you meant.');
    expect(doubled).toBe(
      'DLF_OPERATORS: "**" has "**", which matches exactly what one "*" does ("*"): write that, so the setting reads as it works.',
    );
  });
});

describe('decide', () => {
  const set = rules('orders_*=S0ONCALL;*=U0LEAD');
  const members = new Map([['S0ONCALL', new Set(['U0BOB'])]]);
  const ask = (job: string, user: string, external = false, rulesGiven: OperatorRules | undefined = set) =>
    decide({ rules: rulesGiven, job, user, external, members });

  test('a group member for the jobs of its glob, the lead for every job', () => {
    expect(ask('orders_daily', 'U0BOB')).toEqual({ allowed: true });
    expect(ask('orders_daily', 'U0LEAD')).toEqual({ allowed: true });
    expect(ask('billing', 'U0LEAD')).toEqual({ allowed: true });
    expect(ask('billing', 'U0BOB')).toMatchObject({ allowed: false, reason: 'not-operator' });
    expect(groupsFor(set, 'orders_daily')).toEqual(['S0ONCALL']);
    expect(groupsFor(set, 'billing')).toEqual([]);
  });

  test('refused: not named, a group Slack did not list, nobody covering the job, unset, outsiders', () => {
    expect(ask('orders_daily', 'U0ALICE')).toMatchObject({ allowed: false, reason: 'not-operator' });
    expect(
      decide({ rules: set, job: 'orders_daily', user: 'U0BOB', external: false, members: new Map() }),
    ).toMatchObject({ allowed: false });
    expect(ask('x', 'U0LEAD', false, rules('orders_*=U0LEAD'))).toMatchObject({ reason: 'nobody', who: [] });
    expect(
      decide({ rules: undefined, job: 'orders_daily', user: 'U0LEAD', external: false, members }),
    ).toMatchObject({ reason: 'nobody' });
    expect(ask('orders_daily', 'U0LEAD', true)).toMatchObject({ allowed: false, reason: 'external' });
  });
});
