/**
 * The first check: every setting of the bot, read by the bot's own loader (configFromEnv), so the doctor finds
 * exactly what `npm start` would refuse, each problem naming its variable. Then what each later check needs,
 * read by the same readers one side at a time, so a bad Slack setting does not stop the DataArts checks.
 * Without SLACK_BOT_TOKEN the Slack settings are left out (the command-line tool needs only DataArts).
 */
import { parseOperators } from '../../access/operators';
import { type BotConfig, configFromEnv } from '../../config';
import { ConfigError, type Env, secondsSetting, setting, urlSetting } from '../../config-error';
import { type DataArtsSettings, readDataArtsSettings } from '../../dataarts/config';
import { isWorkspaceId } from '../../dataarts/refs';
import type { LogSettings } from '../../logs/config';
import type { NotifySettings } from '../../notify/config';
import { describeRedis, type RedisSettings, readRedisSettings } from '../../redis/connection';
import { type Check, fail, listText, ok } from './check';

/** A workspace the bot may be asked about, and the settings that name it (none: DataArts' default one). */
export interface WorkspaceRef {
  /** Undefined: no `workspace` header, DataArts' default workspace. */
  id?: string;
  from: string[];
}

export interface SlackTarget {
  token: string;
  /** Web API base URL ending in `/` (SLACK_API_URL), or undefined for Slack's own. */
  apiUrl?: string;
  timeoutMs: number;
}

/** What the later checks work with: each side's settings, or why that side cannot be checked. */
export interface DoctorSettings {
  check: Check;
  dataarts: DataArtsSettings | { problem: string };
  workspaces: WorkspaceRef[];
  /** DLF_OPERATORS is set (and readable): stop and rerun are offered in Slack, so they are tried. */
  operators: boolean;
  slack: SlackTarget | { problem: string };
  /** Undefined: no Redis settings (watches and digests live in the running bot's memory). */
  redis: RedisSettings | { problem: string } | undefined;
  /** Failed nodes' logs, or why they are off. */
  logs: LogSettings | { off: string };
  /** DataArts notifications; undefined when off. */
  notify?: NotifySettings;
  /** DLF_WATCH_INTERVAL_SECONDS. */
  sweepSeconds: number;
}

const SETTINGS = 'Settings';

export function readSettings(env: Env): DoctorSettings {
  const token = setting(env, 'SLACK_BOT_TOKEN');
  // The bot needs Slack; the command-line tool does not. Without a token the Slack settings are not judged.
  const loaderEnv: Env = token
    ? env
    : {
        ...env,
        SLACK_BOT_TOKEN: 'xoxb-doctor-placeholder',
        ...(setting(env, 'SLACK_SIGNING_SECRET') || setting(env, 'SLACK_APP_TOKEN')
          ? {}
          : { SLACK_SIGNING_SECRET: 'doctor-placeholder' }),
      };
  let problems: string[] = [];
  let warnings: string[] = [];
  let config: BotConfig | undefined;
  try {
    config = configFromEnv(loaderEnv);
    warnings = config.warnings;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems = error.problems;
  }

  const dataartsProblems: string[] = [];
  const dataarts = readDataArtsSettings(env, dataartsProblems);
  const workspaces = workspaceRefs(env);
  const operatorsText = setting(env, 'DLF_OPERATORS');
  const operators = operatorsText !== undefined && 'rules' in parseOperators(operatorsText);
  const redisProblems: string[] = [];
  const redis = readRedisSettings(env, redisProblems);
  const slack = slackTarget(env, token);

  const summary = [
    dataarts
      ? `DataArts ${dataarts.endpoint}, project ${dataarts.projectId}, ${authText(dataarts)}`
      : undefined,
    `workspaces: ${listText(workspaces.map((ref) => ref.id ?? "DataArts' default"))}`,
    token
      ? `Slack ${setting(env, 'SLACK_APP_TOKEN') ? 'Socket Mode' : 'over HTTP'}${
          'token' in slack && slack.apiUrl ? ` at ${slack.apiUrl}` : ''
        }`
      : 'no Slack settings (the command-line tool needs none; the bot needs SLACK_BOT_TOKEN)',
    redis ? `Redis ${describeRedis(redis)}` : 'no Redis (the bot keeps everything in its memory)',
    operators ? 'DLF_OPERATORS set' : 'DLF_OPERATORS not set (nobody may stop or rerun from Slack)',
  ].filter((part) => part !== undefined);

  return {
    check:
      problems.length > 0
        ? fail(
            SETTINGS,
            problems.join('\n'),
            `Set or correct ${problems.length === 1 ? 'that setting' : 'those settings'} (README, "Configuration"), then run doctor again.`,
          )
        : warnings.length > 0
          ? fail(
              SETTINGS,
              warnings.join('\n'),
              'The bot starts with this as it is, but it will not do what it seems to: write the pattern as said, then run doctor again.',
            )
          : ok(SETTINGS, summary.join('; ')),
    dataarts: dataarts ?? { problem: 'the DataArts settings above are not usable yet' },
    workspaces,
    operators,
    slack,
    redis: redisProblems.length > 0 ? { problem: 'the Redis settings above are not usable yet' } : redis,
    logs: config?.logs ?? { off: config?.logsOff ?? 'the settings above are not usable yet.' },
    ...(config?.notify ? { notify: config.notify } : {}),
    sweepSeconds: (config?.following.sweepIntervalMs ?? 10_000) / 1000,
  };
}

/** DLF_WORKSPACE (or the default one when unset) and every id of DLF_WORKSPACES, read as config.ts reads them. */
export function workspaceRefs(env: Env): WorkspaceRef[] {
  const main = setting(env, 'DLF_WORKSPACE');
  const refs: WorkspaceRef[] = [
    main && isWorkspaceId(main) ? { id: main, from: ['DLF_WORKSPACE'] } : { from: [] },
  ];
  const listed = (setting(env, 'DLF_WORKSPACES') ?? '').split(/[\s,]+/).filter(Boolean);
  for (const id of listed) {
    if (!isWorkspaceId(id)) continue;
    const known = refs.find((ref) => ref.id === id);
    if (known) {
      if (!known.from.includes('DLF_WORKSPACES')) known.from.push('DLF_WORKSPACES');
    } else refs.push({ id, from: ['DLF_WORKSPACES'] });
  }
  return refs;
}

/** For check names: the id, or "default" for DataArts' default workspace. */
export function workspaceName(ref: WorkspaceRef): string {
  return ref.id ?? 'default';
}

function slackTarget(env: Env, token: string | undefined): SlackTarget | { problem: string } {
  if (!token) return { problem: 'SLACK_BOT_TOKEN is not set' };
  if (!token.startsWith('xoxb-')) return { problem: 'SLACK_BOT_TOKEN is not a bot token (see Settings)' };
  const problems: string[] = [];
  const apiUrl = urlSetting(env, 'SLACK_API_URL', problems);
  const timeoutMs = secondsSetting(env, 'SLACK_API_TIMEOUT_SECONDS', 10, problems, 0.5);
  if (problems.length > 0) return { problem: 'the Slack settings above are not usable yet' };
  return { token, apiUrl: apiUrl && `${apiUrl}/`, timeoutMs };
}

export function authText(settings: DataArtsSettings): string {
  switch (settings.auth.method) {
    case 'aksk':
      return 'AK/SK signing';
    case 'password':
      return `IAM user ${settings.auth.user} (${settings.auth.domain}) via ${settings.auth.iamEndpoint}`;
    case 'token':
      return 'a fixed token (DLF_TOKEN)';
  }
}
