/**
 * The settings of log excerpts: whether they are on (DLF_LOG_EXCERPTS), where OBS is (OBS_ENDPOINT, else derived
 * from DLF_ENDPOINT's region), with which keys (OBS_AK/OBS_SK, else the DataArts AK/SK), how much of a tail is
 * read and what more is redacted. Problems name the setting, never a value; excerpts that cannot be on with the
 * settings given say why in one sentence (logged at start), and the bot runs without them.
 */
import { booleanSetting, type Env, intSetting, secondsSetting, setting, urlSetting } from '../config-error';
import { createAuthProvider, type DataArtsSettings } from '../dataarts/config';
import { createTransport } from '../dataarts/transport';
import { type ExcerptSettings, LogExcerpts } from './excerpts';
import { ObsLogReader, type ObsSettings } from './obs-reader';
import { parseRedactPatterns } from './redact';
import { TemporaryKeyLogReader, TemporaryKeySource } from './temporary-keys';

export interface LogSettings extends ExcerptSettings {
  /** Without keys (an IAM password for DataArts): temporary ones are asked of IAM (temporary-keys.ts). */
  obs: Omit<ObsSettings, 'accessKey' | 'secretKey'> & { accessKey?: string; secretKey?: string };
}

export type LogSettingsRead = { logs: LogSettings } | { off: string };

/** The largest tail DLF_LOG_TAIL_KB may ask for: a Slack file, not a log archive. */
const MAX_TAIL_KB = 10_240;

/**
 * The OBS endpoint of the region DLF_ENDPOINT names: `https://dayu-dlf.eu-de.otc.t-systems.com` →
 * `https://obs.eu-de.otc.t-systems.com` (Huawei Cloud and Open Telekom Cloud name their services so). Undefined
 * for a host that names no region (an address, localhost, a two-label name).
 */
export function obsEndpointFor(dataartsEndpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(dataartsEndpoint);
  } catch {
    return undefined;
  }
  const labels = url.hostname.split('.');
  if (labels.length < 4 || /^[0-9.]+$/.test(url.hostname) || url.hostname.includes(':')) return undefined;
  return `https://obs.${labels.slice(1).join('.')}`;
}

export function readLogSettings(
  env: Env,
  problems: string[],
  dataarts: DataArtsSettings | undefined,
): LogSettingsRead {
  const on = booleanSetting(env, 'DLF_LOG_EXCERPTS', problems, true);
  const tailKb = intSetting(env, 'DLF_LOG_TAIL_KB', 256, problems, 1);
  if (tailKb > MAX_TAIL_KB)
    problems.push(`DLF_LOG_TAIL_KB may be at most ${MAX_TAIL_KB} (got "${env.DLF_LOG_TAIL_KB}").`);
  const redactPatterns = parseRedactPatterns(env.DLF_LOG_REDACT, problems);
  const notFoundRetryMs = secondsSetting(env, 'DLF_LOG_RETRY_SECONDS', 20, problems, 0);
  const timeoutMs = secondsSetting(env, 'OBS_TIMEOUT_SECONDS', 10, problems, 0.5);
  const pathStyle = booleanSetting(env, 'OBS_PATH_STYLE', problems);
  const configured = urlSetting(env, 'OBS_ENDPOINT', problems);
  const accessKey = setting(env, 'OBS_AK');
  const secretKey = setting(env, 'OBS_SK');
  if ((accessKey === undefined) !== (secretKey === undefined))
    problems.push('OBS_AK and OBS_SK go together: set both (keys that may read the logs bucket) or neither.');
  if (!on) return { off: 'Log excerpts are off (DLF_LOG_EXCERPTS=false).' };
  if (!dataarts) return { off: 'Log excerpts are off: the DataArts settings are incomplete.' };
  const endpoint = configured ?? obsEndpointFor(dataarts.endpoint);
  if (!endpoint)
    return {
      off: 'Log excerpts are off: DLF_ENDPOINT names no region to find OBS by; set OBS_ENDPOINT (e.g. https://obs.eu-de.otc.t-systems.com).',
    };
  const keys =
    accessKey && secretKey
      ? { accessKey, secretKey }
      : dataarts.auth.method === 'aksk'
        ? {
            accessKey: dataarts.auth.accessKey,
            secretKey: dataarts.auth.secretKey,
            ...(dataarts.auth.securityToken ? { securityToken: dataarts.auth.securityToken } : {}),
          }
        : undefined;
  // An IAM password: temporary keys are asked of IAM with the bot's token. A fixed token: IAM is not known.
  if (!keys && dataarts.auth.method !== 'password')
    return {
      off: 'Log excerpts are off: OBS is read with an AK/SK, and DataArts is reached with a fixed IAM token (DLF_TOKEN); set OBS_AK and OBS_SK.',
    };
  return {
    logs: {
      obs: { endpoint, ...(keys ?? {}), pathStyle, timeoutMs },
      tailBytes: Math.min(tailKb, MAX_TAIL_KB) * 1024,
      redactPatterns,
      notFoundRetryMs,
    },
  };
}

/**
 * The excerpts of the settings, read with Huawei's OBS SDK: with the keys given, or (DataArts reached with an IAM
 * password) with temporary keys IAM gives for the bot's token.
 */
export function createLogExcerpts(settings: LogSettings, dataarts: DataArtsSettings): LogExcerpts {
  const { accessKey, secretKey, ...obs } = settings.obs;
  if (accessKey && secretKey)
    return new LogExcerpts(new ObsLogReader({ ...obs, accessKey, secretKey }), settings);
  const auth = createAuthProvider(dataarts, createTransport());
  const iamEndpoint = dataarts.auth.method === 'password' ? dataarts.auth.iamEndpoint : '';
  const source = new TemporaryKeySource({
    iamEndpoint,
    token: async () => {
      const headers = await auth.authorize({ method: 'POST', url: new URL(iamEndpoint), headers: {} });
      return headers['X-Auth-Token'] ?? '';
    },
    timeoutMs: obs.timeoutMs,
  });
  return new LogExcerpts(new TemporaryKeyLogReader(source, obs), settings);
}
