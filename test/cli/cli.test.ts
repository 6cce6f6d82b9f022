import { type CliIo, main } from '../../src/cli/main';
import {
  DEMO_AK,
  DEMO_PROJECT_ID,
  DEMO_SK,
  DEMO_WORKSPACE,
  type RunningSimulator,
} from '../../src/simulator';
import { withSimulator } from '../helpers/dataarts';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await withSimulator();
});
afterAll(async () => {
  await sim.close();
});

async function run(argv: string[], env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    env: {
      DLF_ENDPOINT: sim.url,
      DLF_PROJECT_ID: DEMO_PROJECT_ID,
      DLF_AK: DEMO_AK,
      DLF_SK: DEMO_SK,
      DLF_MAX_ATTEMPTS: '1',
      DLF_TIMEOUT_MS: '1000',
      ...env,
    },
    color: false,
    now: () => Date.now(),
  };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('dlf-instance <job> [<instance>|latest]', () => {
  test('prints the reference instance with its nodes', async () => {
    const { code, out } = await run(['job_batch', '34765']);
    expect(code).toBe(0);
    expect(out).toContain('job_batch #34765: fail');
    expect(out).toMatch(/Dummy_8556\s+Dummy\s+success\s+6 seconds, 0 rows/);
    expect(out).toMatch(/error\s+DWS SQL\s+success/);
    expect(out).toContain('duration 1 minute');
  });

  test('latest by default, --json with exact ids, --workspace', async () => {
    const latest = await run(['big_id_job', '--json', '--workspace', DEMO_WORKSPACE]);
    expect(latest.code).toBe(0);
    expect(JSON.parse(latest.out)).toMatchObject({ instanceId: '9007199254740993', status: 'success' });
  });

  test('not found and bad input: exit codes and plain sentences', async () => {
    expect(await run(['job_batch', '1'])).toMatchObject({ code: 1, err: 'Job job_batch has no instance 1.' });
    expect(await run(['ghost'])).toMatchObject({ code: 1, err: 'There is no job named ghost.' });
    expect(await run(['job_batch', 'abc'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('must be a number or "latest"'),
    });
    expect(await run(['job_batch', '--nope'])).toMatchObject({
      code: 2,
      err: expect.stringContaining("Unknown option '--nope'"),
    });
    const unset = await run(['job_batch'], { DLF_ENDPOINT: undefined });
    expect(unset.code).toBe(2);
    expect(unset.err).toContain('DLF_ENDPOINT is not set');
    expect(unset.err).toContain('dlf-instance doctor');
    expect((await run([])).out).toContain('Usage:');
  });
});
