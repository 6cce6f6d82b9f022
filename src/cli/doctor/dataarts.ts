/**
 * The DataArts side of the doctor: endpoint, credentials, project, then for each workspace the bot may be asked
 * about: that it answers, how its instance list pages and orders, that an instance can be read and, when
 * DLF_OPERATORS offers Stop and Rerun in Slack, whether DataArts would let the bot do them. That last one changes
 * nothing: it asks for a stop and a rerun of an instance that cannot exist (after checking that it does not) and
 * reads the refusal: "instance not found" (DLF.0137) is what a permitted call gets, 403 or DLF.6888 a denied one.
 */
import type { DataArtsApi } from '../../dataarts/api';
import type { DataArtsSettings } from '../../dataarts/config';
import {
  AuthFailedError,
  type DataArtsError,
  InstanceNotFoundError,
  isDataArtsError,
  PermissionDeniedError,
  UnavailableError,
} from '../../dataarts/errors';
import { type CallOptions, type InstancePage, statusText } from '../../dataarts/model';
import {
  InstanceList,
  LIST_AHEAD_MS,
  type ListPaging,
  MAX_WINDOW_MS,
  orderOf,
  windowEnding,
} from '../../dataarts/paging';
import type { Transport } from '../../dataarts/transport';
import { silentLogger } from '../../logger';
import { type Check, fail, listText, ok, type Report, skip } from './check';
import { type WorkspaceRef, workspaceName } from './settings';

export interface DataArtsSide {
  settings: DataArtsSettings;
  workspaces: WorkspaceRef[];
  /** DLF_OPERATORS is set: try whether stop and rerun would be allowed. */
  operators: boolean;
  transport: Transport;
  client: DataArtsApi;
}

/** What the clock check needs: whether DataArts answered, so `client.now()` is its clock and not ours. */
export interface DataArtsOutcome {
  answered: boolean;
}

/** Long's largest value: a valid instance id that no real instance has. */
export const IMPOSSIBLE_INSTANCE_ID = '9223372036854775807';
/** Rows of the page whose order is looked at (and whose first row is read). */
const SAMPLE_ROWS = 50;

export const DATAARTS_NAMES = {
  endpoint: 'DataArts endpoint',
  credentials: 'DataArts credentials',
  project: 'DataArts project',
  workspace: (ref: WorkspaceRef) => `Workspace ${ref.id ?? '(default)'}`,
  list: (ref: WorkspaceRef) => `Instance list (${workspaceName(ref)})`,
  read: (ref: WorkspaceRef) => `Read an instance (${workspaceName(ref)})`,
  write: (ref: WorkspaceRef) => `Stop and rerun (${workspaceName(ref)})`,
};

export async function checkDataArts(side: DataArtsSide, report: Report): Promise<DataArtsOutcome> {
  const { settings, client } = side;
  const reachable = await checkReachable(settings, side.transport);
  report(reachable);
  if (reachable.status !== 'ok') {
    report(skip('DataArts API', 'the endpoint did not answer.'));
    return { answered: false };
  }

  // Credentials and project: a job list without the workspace header touches nothing but the project.
  const project = await attempt(() => client.listJobs({ limit: 1 }, { workspace: '' }));
  const answered = !(project.error instanceof UnavailableError && project.error.reason !== 'server-error');
  if (project.error) {
    for (const check of explainProjectFailure(project.error, settings)) report(check);
    report(skip('Workspaces', 'the project check above failed.'));
    return { answered };
  }
  report(ok(DATAARTS_NAMES.credentials, `accepted (${authMethod(settings)})`));
  report(
    ok(DATAARTS_NAMES.project, `${settings.projectId} is a DataArts project these credentials can read`),
  );

  for (const ref of side.workspaces) {
    const jobs =
      ref.id === undefined
        ? project
        : await attempt(() => client.listJobs({ limit: 1 }, { workspace: ref.id }));
    if (jobs.error) {
      report(workspaceFailure(ref, jobs.error, settings));
      for (const name of [DATAARTS_NAMES.list(ref), DATAARTS_NAMES.read(ref), DATAARTS_NAMES.write(ref)])
        report(skip(name, 'the workspace did not answer.'));
      continue;
    }
    report(
      ok(
        DATAARTS_NAMES.workspace(ref),
        `answers (${ref.id === undefined ? "no DLF_WORKSPACE: DataArts' default workspace, no workspace header sent" : `named in ${listText(ref.from)}`}): ${count(jobs.value.total, 'batch job')}`,
      ),
    );
    await checkWorkspace(side, ref, jobs.value.jobs[0]?.name, report);
  }
  return { answered };
}

async function checkWorkspace(
  side: DataArtsSide,
  ref: WorkspaceRef,
  someJob: string | undefined,
  report: Report,
): Promise<void> {
  const { client } = side;
  const options: CallOptions = { workspace: ref.id ?? '' };
  // 7 days ending now in DataArts' clock, plus the hour ahead every window of the bot adds (paging.ts): the clock
  // estimate has whole-second Date headers behind it, and a run planned a moment ago must be in.
  const query = { ...windowEnding(client.now() + LIST_AHEAD_MS, MAX_WINDOW_MS), preciseQuery: false };

  const sample = await attempt(() =>
    client.listInstances({ ...query, limit: SAMPLE_ROWS, offset: 0 }, options),
  );
  let paging: ListPaging | undefined;
  let probeError: DataArtsError | undefined;
  if (!sample.error && sample.value.total >= 3) {
    const list = new InstanceList({ list: (q, o) => client.listInstances(q, o), logger: silentLogger });
    const probed = await attempt(() => list.probe(query, options));
    if (probed.error) probeError = probed.error;
    else paging = probed.value;
  }
  const listError = sample.error ?? probeError;
  if (listError) {
    report(deniedOrBroken(DATAARTS_NAMES.list(ref), 'list instances', listError, ref));
  } else {
    report(ok(DATAARTS_NAMES.list(ref), listDescription(sample.value!, paging)));
  }

  const row = sample.value?.instances.find((candidate) => candidate.jobName !== '');
  if (listError) report(skip(DATAARTS_NAMES.read(ref), 'the instance list did not answer.'));
  else if (!row) report(skip(DATAARTS_NAMES.read(ref), 'no instance in the last 7 days to read.'));
  else {
    const read = await attempt(() => client.getInstance(row.jobName, row.instanceId, options));
    if (read.error instanceof InstanceNotFoundError)
      report(
        skip(
          DATAARTS_NAMES.read(ref),
          `${row.jobName} #${row.instanceId} was listed but is gone now (deleted meanwhile?); run doctor again.`,
        ),
      );
    else if (read.error)
      report(deniedOrBroken(DATAARTS_NAMES.read(ref), 'read an instance', read.error, ref));
    else
      report(
        ok(
          DATAARTS_NAMES.read(ref),
          `read ${row.jobName} #${row.instanceId}: ${statusText(read.value.status)}, ${count(read.value.nodes.length, 'node')}`,
        ),
      );
  }

  const job = row?.jobName ?? someJob;
  if (!side.operators)
    report(
      skip(
        DATAARTS_NAMES.write(ref),
        'DLF_OPERATORS is not set: nobody may stop or rerun from Slack, so it is not tried.',
      ),
    );
  else if (!job) report(skip(DATAARTS_NAMES.write(ref), 'the workspace has no job to try it on.'));
  else report(await checkWrites(client, job, options, ref));
}

/**
 * Whether a stop and a rerun would be allowed, inferred from DataArts' answer to both for an instance id that
 * cannot exist: never an instance that does.
 */
async function checkWrites(
  client: DataArtsApi,
  job: string,
  options: CallOptions,
  ref: WorkspaceRef,
): Promise<Check> {
  const name = DATAARTS_NAMES.write(ref);
  const id = IMPOSSIBLE_INSTANCE_ID;
  const exists = await attempt(() => client.getInstance(job, id, options));
  if (!exists.error)
    return skip(
      name,
      `job ${job} has an instance ${id}, so nothing was tried (the test needs an id that cannot exist).`,
    );
  if (!(exists.error instanceof InstanceNotFoundError))
    return skip(name, `could not tell: reading ${job} #${id} first got "${exists.error.message}"`);

  const answers: [action: string, error: DataArtsError | undefined][] = [];
  for (const [action, call] of [
    ['stop', () => client.stopInstance(job, id, options)],
    ['rerun', () => client.restartInstance(job, id, options)],
  ] as const) {
    const answer = await attempt(call);
    answers.push([action, answer.error]);
  }
  const how = `inferred from DataArts' answers to a stop and a rerun of ${job} #${id}, an id no instance has; nothing was changed`;
  const denied = answers.filter(([, error]) => error instanceof PermissionDeniedError);
  if (denied.length > 0) {
    const which = denied.map(([action]) => action).join(' and ');
    const codes = [...new Set(denied.map(([, error]) => error!.code ?? `HTTP ${error!.httpStatus}`))].join(
      ', ',
    );
    return fail(
      name,
      `${which} would be denied (${codes}; ${how}). DLF_OPERATORS offers Stop and Rerun in Slack, and DataArts would refuse them.`,
      `Give the DataArts user of these credentials a role that may operate jobs in ${ref.id === undefined ? 'the default workspace' : `workspace ${ref.id}`} (DataArts Studio → Workspaces → members: Developer, Operator or Admin, not Viewer), or unset DLF_OPERATORS so Slack does not offer them.`,
    );
  }
  const unclear = answers.filter(([, error]) => !(error instanceof InstanceNotFoundError));
  if (unclear.length > 0) {
    const what = unclear
      .map(([action, error]) => `${action}: ${error ? error.message : 'DataArts accepted it (204)'}`)
      .join('; ');
    return skip(name, `could not tell (${what}).`);
  }
  return ok(name, `allowed: both answered "instance not found" (DLF.0137), not 403 or DLF.6888 (${how})`);
}

function listDescription(sample: InstancePage, paging: ListPaging | undefined): string {
  const total = sample.total;
  const pagingText =
    paging === 'record'
      ? '`offset` counts records'
      : paging === 'page'
        ? '`offset` counts pages'
        : total < 3
          ? 'not enough instances to tell how `offset` counts'
          : 'the answers could not tell how `offset` counts (rows moved between the calls); the bot then reads it both ways';
  const order = orderOf(sample.instances);
  const orderText =
    order === 'unknown'
      ? 'too few rows to see their order'
      : order === 'unordered'
        ? 'rows come in no order of planTime'
        : `rows come ${order}`;
  return `${count(total, 'instance')} planned in the last 7 days (DataArts' clock); ${pagingText}; ${orderText} (the bot relies on neither)`;
}

async function checkReachable(settings: DataArtsSettings, transport: Transport): Promise<Check> {
  try {
    const response = await transport({
      method: 'GET',
      url: new URL(settings.endpoint),
      headers: {},
      timeoutMs: settings.timeoutMs,
    });
    return ok(
      DATAARTS_NAMES.endpoint,
      `${settings.endpoint} answered (HTTP ${response.status}; any answer will do here)`,
    );
  } catch (error) {
    const reason = error instanceof UnavailableError ? error.message : String(error);
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return fail(
      DATAARTS_NAMES.endpoint,
      `${reason}${cause ? ` (${cause})` : ''}`,
      `Check DLF_ENDPOINT (${settings.endpoint}): the dayu-dlf host of your region, reachable from here (DNS, firewall; HTTPS_PROXY / NO_PROXY if you need a proxy).`,
    );
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

function explainProjectFailure(error: DataArtsError, settings: DataArtsSettings): Check[] {
  if (error instanceof AuthFailedError) {
    const hint = /expired/i.test(error.reason)
      ? "The gateway says the signature expired: this machine's clock is more than 15 minutes off; sync it (NTP). The Clocks line below says by how much."
      : settings.auth.method === 'aksk'
        ? akskHint(error.reason)
        : settings.auth.method === 'password'
          ? 'Check DLF_IAM_USER, DLF_IAM_PASSWORD, DLF_IAM_DOMAIN and DLF_IAM_ENDPOINT; the user needs programmatic access.'
          : 'DLF_TOKEN is not accepted (tokens last 24 hours): get a new one, or use DLF_AK/DLF_SK.';
    return [fail(DATAARTS_NAMES.credentials, error.message, hint)];
  }
  if (error instanceof PermissionDeniedError) {
    return [
      ok(
        DATAARTS_NAMES.credentials,
        `accepted (${authMethod(settings)}): the gateway went on to the project`,
      ),
      fail(
        DATAARTS_NAMES.project,
        error.message,
        `Check DLF_PROJECT_ID (${settings.projectId}): it must be the project of the endpoint's region (console → My Credentials → API Credentials), and the user needs DataArts Studio permissions there.`,
      ),
    ];
  }
  const unknown = skip(DATAARTS_NAMES.credentials, 'could not tell: the project check did not get that far.');
  if (error.code === 'APIG.0101' || error.httpStatus === 404) {
    return [
      unknown,
      fail(
        DATAARTS_NAMES.project,
        `The endpoint has no DataArts Factory API at /v1/${settings.projectId}/jobs (${error.code ?? 'HTTP 404'}).`,
        'Check DLF_ENDPOINT (the dayu-dlf host of your region) and DLF_PROJECT_ID.',
      ),
    ];
  }
  if (error instanceof UnavailableError)
    return [
      unknown,
      fail(
        DATAARTS_NAMES.project,
        error.message,
        'DataArts did not answer the first API call: try again in a minute; if it lasts, check DLF_ENDPOINT and DLF_TIMEOUT_MS.',
      ),
    ];
  return [
    unknown,
    fail(
      DATAARTS_NAMES.project,
      error.message,
      'Check DLF_ENDPOINT and DLF_PROJECT_ID, then run doctor again.',
    ),
  ];
}

function workspaceFailure(ref: WorkspaceRef, error: DataArtsError, settings: DataArtsSettings): Check {
  const name = DATAARTS_NAMES.workspace(ref);
  const where = listText(ref.from);
  if (error instanceof PermissionDeniedError)
    return fail(
      name,
      `DataArts refused workspace ${ref.id} (${error.code ?? `HTTP ${error.httpStatus}`}), named in ${where}: it is not a workspace of project ${settings.projectId}, or the DataArts user is not one of its members.`,
      `Check ${where}: use the workspace= value of a DataArts console link of that workspace, and make the user a member of it (DataArts Studio → Workspaces); or remove ${ref.id} from ${where} if the bot should not serve it.`,
    );
  return fail(name, error.message, `Run doctor again; if it lasts, check ${where} and DataArts' status.`);
}

/** A call that was refused (permissions) or failed otherwise, said for one workspace. */
function deniedOrBroken(name: string, what: string, error: DataArtsError, ref: WorkspaceRef): Check {
  if (error instanceof PermissionDeniedError)
    return fail(
      name,
      `The credentials may not ${what} in ${ref.id === undefined ? 'the default workspace' : `workspace ${ref.id}`} (${error.code ?? `HTTP ${error.httpStatus}`}).`,
      'Give the DataArts user at least a Viewer role in that workspace (DataArts Studio → Workspaces → members).',
    );
  return fail(
    name,
    error.message,
    "Run doctor again; if it lasts, check DataArts' status and DLF_TIMEOUT_MS.",
  );
}

function authMethod(settings: DataArtsSettings): string {
  switch (settings.auth.method) {
    case 'aksk':
      return 'AK/SK signing with DLF_AK';
    case 'password':
      return `IAM user ${settings.auth.user}`;
    case 'token':
      return 'DLF_TOKEN';
  }
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

async function attempt<T>(
  run: () => Promise<T>,
): Promise<{ value: T; error?: undefined } | { value?: undefined; error: DataArtsError }> {
  try {
    return { value: await run() };
  } catch (error) {
    if (isDataArtsError(error)) return { error };
    throw error;
  }
}
