/**
 * `npx dlf-instance <job> [<instance>|latest] [--workspace ID] [--json]` prints an instance;
 * `npx dlf-instance doctor` checks the configuration. Settings come from the environment (see README).
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../config-error';
import { createDataArtsClient, dataArtsSettingsFromEnv } from '../dataarts/config';
import { DataArtsError } from '../dataarts/errors';
import { lookupInstance, NoInstancesError } from '../dataarts/lookup';
import { type JobInstance, statusText } from '../dataarts/model';
import { runDoctor } from './doctor';
import { renderInstanceText } from './render';

const USAGE = `Usage:
  dlf-instance <job> [<instance-id> | latest] [--workspace <id>] [--json]
  dlf-instance doctor
Settings come from the environment: DLF_ENDPOINT, DLF_PROJECT_ID, DLF_WORKSPACE and credentials
(DLF_AK/DLF_SK, or DLF_IAM_USER/DLF_IAM_PASSWORD/DLF_IAM_DOMAIN/DLF_IAM_ENDPOINT, or DLF_TOKEN).`;

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
  if (parsed.command === 'doctor') return doctor(io);

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
  | { help: false; command: 'doctor' }
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
  if (positionals[0] === 'doctor' && positionals.length === 1) return { help: false, command: 'doctor' };
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

async function doctor(io: CliIo): Promise<number> {
  const ok = await runDoctor({ env: io.env }, (result) => {
    const mark = result.ok ? '✓' : '✗';
    io.out(
      `${mark} ${result.title}${result.detail ? `\n    ${result.detail.split('\n').join('\n    ')}` : ''}`,
    );
  });
  io.out(ok ? '\nEverything checks out.' : '\nFix the first ✗ above, then run doctor again.');
  return ok ? 0 : 1;
}
