/**
 * The bot's settings: environment → a typed, validated config. Every problem is reported at once,
 * naming the variable; secret values are never echoed.
 */

import { DEFAULT_LIMITS, LIMIT_SETTINGS, type LimitSettings } from './access/limits';
import { type OperatorRules, operatorWarnings, parseOperators } from './access/operators';
import type { AccessSettings } from './access/policy';
import {
  booleanSetting,
  ConfigError,
  type Env,
  intSetting,
  secondsSetting,
  setting,
  urlSetting,
} from './config-error';
import { type DataArtsSettings, readDataArtsSettings } from './dataarts/config';
import { LIST_AHEAD_MS, MAX_WINDOW_MS } from './dataarts/paging';
import { isWorkspaceId } from './dataarts/refs';
import type { FollowingSettings } from './following/service';
import { type LogSettings, readLogSettings } from './logs/config';
import { type NotifySettings, readNotifySettings } from './notify/config';
import { checkTimeZone } from './pictures/time-axis';
import { type RedisSettings, readRedisSettings } from './redis/connection';

export interface SlackSettings {
  botToken: string;
  /** HTTP mode: every request at /slack/events is verified with it. */
  signingSecret?: string;
  /** Socket Mode when set (xapp- token): no public URL needed. */
  appToken?: string;
  /** Web API base URL, e.g. https://slack.com/api/ (GovSlack and tests use another). */
  apiUrl?: string;
  /** Timeout of each Web API call. */
  timeoutMs: number;
}

export interface BotConfig {
  port: number;
  slack: SlackSettings;
  dataarts: DataArtsSettings;
  /** Template for "Open in console": {job}, {instance} and {workspace} are replaced. */
  consoleUrl?: string;
  logLevel: string;
  /** Subscriptions live in Redis when set (one server, a cluster or via Sentinel); in this process's memory otherwise. */
  redis?: RedisSettings;
  /** Following and watches: the sweep, node refreshes, retirement, the update budget, the engine's lock. */
  following: FollowingSettings & { lockMs: number };
  /** Run look-ups (DataArts, rendering, posting) in a worker thread, so acks never wait behind them. */
  lookUpThread: boolean;
  /** Run following's work (sweeps, looks, announcements, alerts) in a worker thread, when Redis is set. */
  engineThread: boolean;
  /** Who and what is served (teams, people of other organisations, DataArts workspaces). */
  access: AccessSettings;
  /** The bot's public base URL: App Home's sparklines are served from it (text sparklines without). */
  publicUrl?: string;
  /** IANA zone of the times on pictures and of the digest's schedule (DLF_TIMEZONE, default UTC). */
  timeZone: string;
  /** Timelines drawn at once in the look-up thread (DLF_TIMELINES_AT_ONCE): the memory they take is bounded by it. */
  timelinesAtOnce: number;
  /** DLF_OPERATORS: who may stop, rerun and run jobs from Slack; undefined: nobody (the buttons are hidden). */
  operators?: OperatorRules;
  /** Fair share: look-ups, writes, watches and digests one person or channel may have (DLF_LIMIT_*). */
  limits: LimitSettings;
  /** Console links from these hosts (and their subdomains) unfurl into a card (DLF_UNFURL); empty: none do. */
  unfurlHosts: string[];
  /** Failed nodes' log excerpts from OBS (DLF_LOG_EXCERPTS, OBS_*); undefined: off, and `logsOff` says why. */
  logs?: LogSettings;
  logsOff?: string;
  /** DataArts notifications (SMN) wake the sweep (DLF_NOTIFY_*); undefined: off, the sweep alone. */
  notify?: NotifySettings;
  /** Settings accepted that may not mean what they seem (logged at start, shown by the doctor). */
  warnings: string[];
}

function readLimits(env: Env, problems: string[]): LimitSettings {
  const limits = { ...DEFAULT_LIMITS };
  for (const name of Object.keys(LIMIT_SETTINGS) as (keyof LimitSettings)[])
    limits[name] = intSetting(env, LIMIT_SETTINGS[name], DEFAULT_LIMITS[name], problems, 1);
  return limits;
}

function readOperators(env: Env, problems: string[]): OperatorRules | undefined {
  const raw = setting(env, 'DLF_OPERATORS');
  if (raw === undefined) return undefined;
  const parsed = parseOperators(raw);
  if ('problems' in parsed) problems.push(...parsed.problems);
  return 'rules' in parsed ? parsed.rules : undefined;
}

/** A list setting: items separated by commas or white space. */
function listSetting(env: Env, name: string): string[] | undefined {
  const raw = setting(env, name);
  return raw === undefined ? undefined : raw.split(/[\s,]+/).filter(Boolean);
}

function readAccess(env: Env, problems: string[], defaultWorkspace: string | undefined): AccessSettings {
  const allowedTeams = listSetting(env, 'SLACK_ALLOWED_TEAMS') ?? [];
  for (const team of allowedTeams)
    if (!/^[TE][A-Z0-9]{2,30}$/.test(team))
      problems.push(
        `SLACK_ALLOWED_TEAMS must list team (T…) or enterprise (E…) ids (got "${team.slice(0, 40)}").`,
      );
  const workspaces = listSetting(env, 'DLF_WORKSPACES');
  for (const workspace of workspaces ?? [])
    if (!isWorkspaceId(workspace))
      problems.push(`DLF_WORKSPACES must list workspace ids (got "${workspace.slice(0, 70)}").`);
  return {
    allowedTeams,
    allowExternalUsers: booleanSetting(env, 'DLF_ALLOW_EXTERNAL_USERS', problems),
    ...(workspaces ? { workspaces } : {}),
    ...(defaultWorkspace ? { defaultWorkspace } : {}),
  };
}

export const REQUIRED_SLACK_SETTINGS = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN)'];

export function configFromEnv(env: Env): BotConfig {
  const problems: string[] = [];
  const botToken = setting(env, 'SLACK_BOT_TOKEN');
  const signingSecret = setting(env, 'SLACK_SIGNING_SECRET');
  const appToken = setting(env, 'SLACK_APP_TOKEN');
  if (!botToken)
    problems.push('SLACK_BOT_TOKEN is not set: the bot token (xoxb-…) from OAuth & Permissions.');
  else if (!botToken.startsWith('xoxb-'))
    problems.push('SLACK_BOT_TOKEN must be a bot token starting with xoxb-.');
  if (appToken && !appToken.startsWith('xapp-')) {
    problems.push('SLACK_APP_TOKEN must be an app-level token starting with xapp- (Socket Mode).');
  }
  if (!signingSecret && !appToken) {
    problems.push(
      'SLACK_SIGNING_SECRET is not set: Basic Information → Signing Secret (or set SLACK_APP_TOKEN for Socket Mode).',
    );
  }
  const apiUrl = urlSetting(env, 'SLACK_API_URL', problems);
  const port = intSetting(env, 'PORT', 3000, problems, 0);
  const slackTimeoutMs = secondsSetting(env, 'SLACK_API_TIMEOUT_SECONDS', 10, problems, 0.5);
  const consoleUrl = urlSetting(env, 'DLF_CONSOLE_URL', problems);
  const dataarts = readDataArtsSettings(env, problems);
  const redis = readRedisSettings(env, problems);
  const intervalMs = secondsSetting(env, 'DLF_POLL_INTERVAL_SECONDS', 30, problems, 0.1);
  const windowMs = secondsSetting(env, 'DLF_WATCH_WINDOW_HOURS', 24, problems, 0.01) * 3600;
  if (windowMs + LIST_AHEAD_MS > MAX_WINDOW_MS)
    problems.push(
      `DLF_WATCH_WINDOW_HOURS may be at most ${(MAX_WINDOW_MS - LIST_AHEAD_MS) / 3_600_000}: DataArts lists 7 days at a time, and the window reaches an hour ahead (got "${env.DLF_WATCH_WINDOW_HOURS}").`,
    );
  const following = {
    intervalMs,
    sweepIntervalMs: secondsSetting(env, 'DLF_WATCH_INTERVAL_SECONDS', 10, problems, 0.1),
    windowMs,
    maxListPages: intSetting(env, 'DLF_WATCH_MAX_PAGES', 20, problems, 1),
    catchupMs: secondsSetting(env, 'DLF_WATCH_CATCHUP_MINUTES', 60, problems, 0) * 60,
    maxAgeMs: secondsSetting(env, 'DLF_SUBSCRIPTION_MAX_AGE_HOURS', 168, problems, 0.0001) * 3600,
    maxBackoffMs: Math.max(
      intervalMs,
      secondsSetting(env, 'DLF_POLL_MAX_BACKOFF_SECONDS', 300, problems, 0.1),
    ),
    broadcastFailures: booleanSetting(env, 'DLF_BROADCAST_FAILURES', problems),
    updatesPerMinute: intSetting(env, 'SLACK_UPDATES_PER_MINUTE', 45, problems, 1),
    lockMs: secondsSetting(env, 'DLF_POLL_LOCK_SECONDS', 30, problems, 0.5),
    // Longer than any Slack call can take, so an unconfirmed reply this old is not still in flight.
    reconcileAfterMs: Math.round(slackTimeoutMs * 1.5),
  };
  const lookUpThread = booleanSetting(env, 'DLF_LOOKUP_THREAD', problems, true);
  const engineThread = booleanSetting(env, 'DLF_ENGINE_THREAD', problems, true);
  const access = readAccess(env, problems, dataarts?.workspace);
  const timeZone = readTimeZone(env, problems);
  const timelinesAtOnce = intSetting(env, 'DLF_TIMELINES_AT_ONCE', 1, problems, 1);
  const unfurl = booleanSetting(env, 'DLF_UNFURL', problems, true);
  const publicUrl = urlSetting(env, 'DLF_PUBLIC_URL', problems);
  const operators = readOperators(env, problems);
  const limits = readLimits(env, problems);
  const logs = readLogSettings(env, problems, dataarts);
  const notify = readNotifySettings(env, problems, dataarts?.endpoint ?? setting(env, 'DLF_ENDPOINT'));
  if (problems.length > 0 || !botToken || !dataarts) throw new ConfigError(problems);
  return {
    port,
    slack: {
      botToken,
      signingSecret,
      appToken,
      apiUrl: apiUrl && (apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`),
      timeoutMs: slackTimeoutMs,
    },
    dataarts,
    consoleUrl,
    logLevel: setting(env, 'LOG_LEVEL') ?? 'info',
    redis,
    following,
    lookUpThread,
    engineThread,
    access,
    ...(operators ? { operators } : {}),
    limits,
    timeZone,
    timelinesAtOnce,
    unfurlHosts: unfurl ? unfurlHostsOf(consoleUrl) : [],
    warnings: operators ? operatorWarnings(operators) : [],
    ...(publicUrl ? { publicUrl } : {}),
    ...('logs' in logs ? { logs: logs.logs } : { logsOff: logs.off }),
    ...(notify ? { notify } : {}),
  };
}

/** The consoles of Huawei Cloud and Open Telekom Cloud (manifest.yml's unfurl_domains: Slack allows five). */
export const CONSOLE_HOSTS = [
  'console.huaweicloud.com',
  'console-intl.huaweicloud.com',
  'console.otc.t-systems.com',
];

/** The host of DLF_CONSOLE_URL when it is set (the console people use), else the public consoles. */
function unfurlHostsOf(consoleUrl: string | undefined): string[] {
  if (!consoleUrl) return CONSOLE_HOSTS;
  try {
    return [new URL(consoleUrl.replaceAll(/\{[a-z]+\}/g, 'x')).hostname];
  } catch {
    return CONSOLE_HOSTS;
  }
}

function readTimeZone(env: Env, problems: string[]): string {
  const raw = setting(env, 'DLF_TIMEZONE') ?? 'UTC';
  try {
    return checkTimeZone(raw);
  } catch {
    problems.push(
      `DLF_TIMEZONE must be an IANA time zone such as Europe/Berlin or UTC (got "${raw.slice(0, 60)}").`,
    );
    return 'UTC';
  }
}
