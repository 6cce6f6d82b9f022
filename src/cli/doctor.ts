/**
 * `dlf-instance doctor`: checks the DataArts configuration step by step (settings, endpoint reachable,
 * credentials accepted, project and workspace valid) and says exactly what is wrong.
 */
import { ConfigError, type Env } from '../config-error';
import type { DataArtsApi } from '../dataarts/api';
import { createDataArtsClient, type DataArtsSettings, dataArtsSettingsFromEnv } from '../dataarts/config';
import { AuthFailedError, DataArtsError, PermissionDeniedError, UnavailableError } from '../dataarts/errors';
import { createTransport, type Transport } from '../dataarts/transport';

export interface CheckResult {
  ok: boolean;
  title: string;
  detail?: string;
}

export interface DoctorDeps {
  env: Env;
  transport?: Transport;
  /** For tests: build the client from settings (defaults to the real one, with one attempt per call). */
  client?: (settings: DataArtsSettings) => DataArtsApi;
}

export async function runDoctor(deps: DoctorDeps, report: (result: CheckResult) => void): Promise<boolean> {
  let settings: DataArtsSettings;
  try {
    settings = dataArtsSettingsFromEnv(deps.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    report({ ok: false, title: 'Settings', detail: error.problems.join('\n') });
    return false;
  }
  report({
    ok: true,
    title: 'Settings',
    detail: `endpoint ${settings.endpoint}, project ${settings.projectId}, ${authText(settings)}${
      settings.workspace
        ? `, workspace ${settings.workspace}`
        : ', no DLF_WORKSPACE (the default workspace is used)'
    }`,
  });

  const transport = deps.transport ?? createTransport();
  const reachable = await checkReachable(settings, transport);
  report(reachable);
  if (!reachable.ok) return false;

  const client =
    deps.client?.(settings) ??
    createDataArtsClient({ ...settings, maxAttempts: 1 }, { transport: transport });

  // Credentials and project: a job list without the workspace header touches nothing but the project.
  const project = await attempt(() => client.listJobs({ limit: 1 }, { workspace: '' }));
  if (project.error) {
    report(explainProjectFailure(project.error, settings));
    return false;
  }
  report({ ok: true, title: 'Credentials accepted' });
  report({ ok: true, title: 'Project', detail: `${settings.projectId} is a DataArts project you can read` });

  if (!settings.workspace) return true;
  const workspace = await attempt(() => client.listJobs({ limit: 1 }, { workspace: settings.workspace }));
  if (workspace.error) {
    report({
      ok: false,
      title: 'Workspace',
      detail:
        workspace.error instanceof PermissionDeniedError
          ? `DataArts refused workspace ${settings.workspace} (${workspace.error.code ?? workspace.error.httpStatus}). Check DLF_WORKSPACE: it is the workspace= value in the DataArts console URL, and the account must be a member.`
          : workspace.error.message,
    });
    return false;
  }
  report({
    ok: true,
    title: 'Workspace',
    detail: `${settings.workspace} answers (${workspace.value.total} jobs)`,
  });
  return true;
}

function authText(settings: DataArtsSettings): string {
  switch (settings.auth.method) {
    case 'aksk':
      return 'AK/SK signing';
    case 'password':
      return `IAM user ${settings.auth.user} (${settings.auth.domain}) via ${settings.auth.iamEndpoint}`;
    case 'token':
      return 'a fixed token (DLF_TOKEN)';
  }
}

async function checkReachable(settings: DataArtsSettings, transport: Transport): Promise<CheckResult> {
  try {
    const response = await transport({
      method: 'GET',
      url: new URL(settings.endpoint),
      headers: {},
      timeoutMs: settings.timeoutMs,
    });
    return {
      ok: true,
      title: 'Endpoint reachable',
      detail: `${settings.endpoint} answered HTTP ${response.status}`,
    };
  } catch (error) {
    const reason = error instanceof UnavailableError ? error.message : String(error);
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return {
      ok: false,
      title: 'Endpoint reachable',
      detail: `${reason}${cause ? ` (${cause})` : ''} Check DLF_ENDPOINT (${settings.endpoint}), DNS, and HTTPS_PROXY / NO_PROXY if you need a proxy.`,
    };
  }
}

/** The gateway's reason tells an unknown access key from a known one whose signature does not match. */
function akskHint(reason: string): string {
  const lockout = 'Five failures in a row lock the key for 5 minutes.';
  if (/access key not found/i.test(reason))
    return `DLF_AK is not an access key the gateway knows: check it (My Credentials → Access Keys). ${lockout}`;
  if (/verify aksk signature fail/i.test(reason))
    return `The gateway knows DLF_AK, but the signature does not match: DLF_SK is wrong (it must be the secret key created with DLF_AK). ${lockout}`;
  return `Check DLF_AK and DLF_SK (an access key of a user with programmatic access). ${lockout}`;
}

function explainProjectFailure(error: DataArtsError, settings: DataArtsSettings): CheckResult {
  if (error instanceof AuthFailedError) {
    const hint = /expired/i.test(error.reason)
      ? "The gateway says the signature expired: this machine's clock is off; sync it (NTP)."
      : settings.auth.method === 'aksk'
        ? akskHint(error.reason)
        : settings.auth.method === 'password'
          ? 'Check DLF_IAM_USER, DLF_IAM_PASSWORD, DLF_IAM_DOMAIN and DLF_IAM_ENDPOINT; the user needs programmatic access.'
          : 'DLF_TOKEN is not accepted (tokens last 24 hours).';
    return { ok: false, title: 'Credentials accepted', detail: `${error.message} ${hint}` };
  }
  if (error instanceof PermissionDeniedError) {
    return {
      ok: false,
      title: 'Project',
      detail: `${error.message} Check DLF_PROJECT_ID (${settings.projectId}): it must be the project of the endpoint's region, and the user needs DataArts Studio permissions there.`,
    };
  }
  if (error.code === 'APIG.0101' || error.httpStatus === 404) {
    return {
      ok: false,
      title: 'Project',
      detail: `The endpoint has no DataArts Factory API at /v1/${settings.projectId}/jobs (${error.code ?? 'HTTP 404'}). Check DLF_ENDPOINT (the dayu-dlf host of your region) and DLF_PROJECT_ID.`,
    };
  }
  return { ok: false, title: 'Project', detail: error.message };
}

async function attempt<T>(
  run: () => Promise<T>,
): Promise<{ value: T; error?: undefined } | { error: DataArtsError }> {
  try {
    return { value: await run() };
  } catch (error) {
    if (error instanceof DataArtsError) return { error };
    throw error;
  }
}
