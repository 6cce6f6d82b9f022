/**
 * DataArts settings from the environment (DLF_*), validated, and the client they describe.
 * The authentication method is chosen by which credentials are set (or DLF_AUTH when several are).
 */
import { ConfigError, type Env, intSetting, numberSetting, setting, urlSetting } from '../config-error';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { AkSkAuth, type AuthProvider, IamPasswordAuth, StaticTokenAuth } from './auth/providers';
import { DataArtsClient } from './client';
import { isWorkspaceId } from './refs';
import { createTransport, type Transport } from './transport';

export type DataArtsAuthSettings =
  | { method: 'aksk'; accessKey: string; secretKey: string; securityToken?: string }
  | { method: 'password'; iamEndpoint: string; domain: string; user: string; password: string }
  | { method: 'token'; token: string };

export interface DataArtsSettings {
  endpoint: string;
  projectId: string;
  workspace?: string;
  auth: DataArtsAuthSettings;
  timeoutMs: number;
  maxAttempts: number;
  /** Answers larger than this are refused as they stream in. */
  maxResponseBytes: number;
}

const AUTH_METHODS = ['aksk', 'password', 'token'] as const;

/** Collects DataArts problems into `problems` (so the app can report all settings at once). */
export function readDataArtsSettings(env: Env, problems: string[]): DataArtsSettings | undefined {
  const before = problems.length;
  const endpoint = urlSetting(env, 'DLF_ENDPOINT', problems);
  if (setting(env, 'DLF_ENDPOINT') === undefined) {
    problems.push(
      'DLF_ENDPOINT is not set: the DataArts Factory API base URL, e.g. https://dayu-dlf.eu-de.otc.t-systems.com',
    );
  }
  const projectId = setting(env, 'DLF_PROJECT_ID');
  if (projectId === undefined) {
    problems.push(
      'DLF_PROJECT_ID is not set: the project ID of your region (console → My Credentials → API Credentials).',
    );
  } else if (!/^[A-Za-z0-9_-]+$/.test(projectId)) {
    problems.push('DLF_PROJECT_ID must be the project ID (letters and digits, usually 32 hex characters).');
  }
  const auth = readAuth(env, problems);
  const timeoutMs = intSetting(env, 'DLF_TIMEOUT_MS', 10_000, problems, 100);
  const maxAttempts = intSetting(env, 'DLF_MAX_ATTEMPTS', 3, problems, 1);
  const maxResponseMb = numberSetting(env, 'DLF_MAX_RESPONSE_MB', 16, problems, 0.01);
  const workspace = setting(env, 'DLF_WORKSPACE');
  if (workspace !== undefined && !isWorkspaceId(workspace))
    problems.push('DLF_WORKSPACE must be a workspace id (the workspace= value of a DataArts console link).');
  if (problems.length > before || !endpoint || !projectId || !auth) return undefined;
  return {
    endpoint,
    projectId,
    workspace,
    auth,
    timeoutMs,
    maxAttempts,
    maxResponseBytes: Math.round(maxResponseMb * 1_048_576),
  };
}

function readAuth(env: Env, problems: string[]): DataArtsAuthSettings | undefined {
  const accessKey = setting(env, 'DLF_AK');
  const secretKey = setting(env, 'DLF_SK');
  const user = setting(env, 'DLF_IAM_USER');
  const password = setting(env, 'DLF_IAM_PASSWORD');
  const token = setting(env, 'DLF_TOKEN');
  const offered = [
    accessKey || secretKey ? 'aksk' : undefined,
    user || password ? 'password' : undefined,
    token ? 'token' : undefined,
  ].filter((method) => method !== undefined);

  const chosen = setting(env, 'DLF_AUTH');
  if (chosen !== undefined && !(AUTH_METHODS as readonly string[]).includes(chosen)) {
    problems.push(`DLF_AUTH must be one of ${AUTH_METHODS.join(', ')} (got "${chosen}").`);
    return undefined;
  }
  const method = chosen ?? (offered.length === 1 ? offered[0] : undefined);
  if (method === undefined) {
    problems.push(
      offered.length === 0
        ? 'No DataArts credentials: set DLF_AK and DLF_SK (AK/SK signing), or DLF_IAM_USER, DLF_IAM_PASSWORD and DLF_IAM_DOMAIN (IAM password), or DLF_TOKEN.'
        : `Credentials for several methods are set (${offered.join(', ')}): choose one with DLF_AUTH.`,
    );
    return undefined;
  }

  if (method === 'aksk') {
    if (!accessKey) problems.push('DLF_AK (access key ID) is not set.');
    if (!secretKey) problems.push('DLF_SK (secret access key) is not set.');
    if (!accessKey || !secretKey) return undefined;
    return { method, accessKey, secretKey, securityToken: setting(env, 'DLF_SECURITY_TOKEN') };
  }
  if (method === 'password') {
    const iamEndpoint = urlSetting(env, 'DLF_IAM_ENDPOINT', problems);
    const domain = setting(env, 'DLF_IAM_DOMAIN');
    if (!setting(env, 'DLF_IAM_ENDPOINT')) {
      problems.push(
        'DLF_IAM_ENDPOINT is not set: the IAM base URL, e.g. https://iam.eu-de.otc.t-systems.com',
      );
    }
    if (!user) problems.push('DLF_IAM_USER (IAM user name) is not set.');
    if (!password) problems.push('DLF_IAM_PASSWORD is not set.');
    if (!domain) problems.push('DLF_IAM_DOMAIN (the account / domain name) is not set.');
    if (!iamEndpoint || !user || !password || !domain) return undefined;
    return { method, iamEndpoint, domain, user, password };
  }
  if (!token) {
    problems.push('DLF_TOKEN is not set.');
    return undefined;
  }
  return { method: 'token', token };
}

export function dataArtsSettingsFromEnv(env: Env): DataArtsSettings {
  const problems: string[] = [];
  const settings = readDataArtsSettings(env, problems);
  if (!settings) throw new ConfigError(problems);
  return settings;
}

export function createAuthProvider(settings: DataArtsSettings, transport: Transport): AuthProvider {
  const { auth } = settings;
  switch (auth.method) {
    case 'aksk':
      return new AkSkAuth(auth);
    case 'password':
      return new IamPasswordAuth({
        ...auth,
        projectId: settings.projectId,
        transport,
        timeoutMs: settings.timeoutMs,
      });
    case 'token':
      return new StaticTokenAuth(auth.token);
  }
}

export function createDataArtsClient(
  settings: DataArtsSettings,
  deps: { logger?: Logger; transport?: Transport; metrics?: Metrics } = {},
): DataArtsClient {
  const transport = deps.transport ?? createTransport();
  return new DataArtsClient({
    endpoint: settings.endpoint,
    projectId: settings.projectId,
    workspace: settings.workspace,
    auth: createAuthProvider(settings, transport),
    timeoutMs: settings.timeoutMs,
    maxResponseBytes: settings.maxResponseBytes,
    retry: { maxAttempts: settings.maxAttempts },
    transport,
    logger: deps.logger,
    metrics: deps.metrics,
  });
}
