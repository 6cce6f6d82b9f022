/**
 * `npx dlf-instance <job> [<instance>|latest] [--workspace ID] [--json]` prints an instance;
 * `npx dlf-instance doctor [--json]` checks a live setup end to end. Settings come from the environment (README).
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../config-error';
import { createDataArtsClient, dataArtsSettingsFromEnv } from '../dataarts/config';
import { DataArtsError } from '../dataarts/errors';
import { lookupInstance, NoInstancesError } from '../dataarts/lookup';
import { type JobInstance, statusText } from '../dataarts/model';
// doctor/index, not ./doctor: a dist/ built before the doctor became a folder still has a stale doctor.js.
import { runDoctor } from './doctor/index';
import { formatCheck, formatJson, secretsOf, summaryLine } from './doctor/report';
import { renderInstanceText } from './render';

const USAGE = `Usage:
  dlf-instance <job> [<instance-id> | latest] [--workspace <id>] [--json]
  dlf-instance doctor [--json]
Settings come from the environment: DLF_ENDPOINT, DLF_PROJECT_ID, DLF_WORKSPACE and credentials
(DLF_AK/DLF_SK, or DLF_IAM_USER/DLF_IAM_PASSWORD/DLF_IAM_DOMAIN/DLF_IAM_ENDPOINT, or DLF_TOKEN).
doctor checks every setting of the bot, DataArts, the bot's Redis and Slack (with SLACK_BOT_TOKEN);
--json prints one document for scripts. Exit code 0 when nothing failed, 1 otherwise.`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  color: boolean;
  now: () => number;
}

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  now: Date.now,
};

export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(argv);
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    io.out(USAGE);
    return 0;
  }
  if (parsed.command === 'doctor') return doctor(io, parsed.json);

  try {
    const client = createDataArtsClient(dataArtsSettingsFromEnv(io.env));
    const instance = await lookupInstance(client, {
      job: parsed.job,
      instance: parsed.instance,
      workspace: parsed.workspace,
    });
    io.out(parsed.json ? toJson(instance) : renderInstanceText(instance, io.now(), { color: io.color }));
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`${error.message}\nRun "dlf-instance doctor" to check the setup step by step.`);
      return 2;
    }
    if (error instanceof DataArtsError || error instanceof NoInstancesError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
}

type ParsedCli =
  | { help: true; command?: undefined }
  | { help: false; command: 'doctor'; json: boolean }
  | { help: false; command: 'show'; job: string; instance: string; workspace?: string; json: boolean };

export function parseCli(argv: string[]): ParsedCli {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      workspace: { type: 'string', short: 'w' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length === 0) return { help: true };
  if (positionals[0] === 'doctor' && positionals.length === 1) {
    if (values.workspace !== undefined)
      throw new Error('doctor checks every workspace of the settings; it takes no --workspace.');
    return { help: false, command: 'doctor', json: Boolean(values.json) };
  }
  const [job, instance = 'latest', ...extra] = positionals;
  if (extra.length > 0) throw new Error(`Unexpected argument: ${extra.join(' ')}`);
  if (instance !== 'latest' && !/^\d+$/.test(instance)) {
    throw new Error(`The instance must be a number or "latest" (got "${instance}").`);
  }
  return {
    help: false,
    command: 'show',
    job: job!,
    instance,
    workspace: values.workspace,
    json: Boolean(values.json),
  };
}

/** Our model as JSON: ids as exact decimal strings, an unknown status as its text. */
function toJson(instance: JobInstance): string {
  return JSON.stringify(instance, (key, value) => (key === 'status' ? statusText(value) : value), 2);
}

async function doctor(io: CliIo, json: boolean): Promise<number> {
  const secrets = secretsOf(io.env);
  const checks = await runDoctor({ env: io.env, now: io.now }, (check) => {
    if (!json) io.out(formatCheck(check, { color: io.color, secrets }));
  });
  io.out(json ? formatJson(checks, secrets) : `\n${summaryLine(checks)}`);
  return checks.some((check) => check.status === 'fail') ? 1 : 0;
}
