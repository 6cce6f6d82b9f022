/**
 * A failed node's excerpt from the simulator's OBS endpoint, through the real SDK: the error lines without the
 * secrets, within Slack's limits, and one sentence for each bad case (not found yet: read again once after a delay).
 */
import { readExcerpt } from '../../src/logs/excerpts';
import { ObsLogReader } from '../../src/logs/obs-reader';
import { DEMO_AK, DEMO_SK } from '../../src/simulator';
import {
  failureLog,
  LOG_BUCKET,
  LOG_ERROR_LINE,
  LOG_SECRETS,
  startSimulatorObs,
} from '../../src/simulator/node-logs';
import { bufferObject, type RunningObs, startObs } from '../../src/simulator/obs';
import { failureLogPath } from '../../src/simulator/run';
import { logProblemSentence, renderLogExcerpt } from '../../src/slack/blocks/log-excerpt';
import { blockLimitProblems } from '../helpers/block-limits';

let obs: RunningObs;
let reader: ObsLogReader;
const settings = { tailBytes: 256 * 1024, redactPatterns: [], notFoundRetryMs: 300 };

const path = (name: string) => `obs://${LOG_BUCKET}/jobs/${name}/node.log`;

async function until(check: () => boolean, deadlineMs = 5000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

beforeAll(async () => {
  obs = await startObs({ accessKey: DEMO_AK, secretKey: DEMO_SK });
  obs.objects.set(`${LOG_BUCKET}/jobs/load/node.log`, failureLog());
  obs.objects.set(`${LOG_BUCKET}/jobs/empty/node.log`, bufferObject(Buffer.from('\n \n')));
  obs.objects.set(
    `${LOG_BUCKET}/jobs/binary/node.log`,
    bufferObject(Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0, 0xff])),
  );
  obs.objects.set(
    `${LOG_BUCKET}/jobs/escape/node.log`,
    bufferObject(Buffer.from(`ERROR \`\`\`<!here>&${'<'.repeat(3000)}\n`)),
  );
  reader = new ObsLogReader({
    endpoint: obs.url,
    accessKey: DEMO_AK,
    secretKey: DEMO_SK,
    pathStyle: true,
    timeoutMs: 2000,
  });
});
afterEach(() => obs.setFault(undefined));
afterAll(async () => {
  reader.close();
  await obs.close();
});

describe('a failed node excerpt', () => {
  it('shows the error lines and none of the secrets, within Slack limits', async () => {
    const result = await readExcerpt(reader, path('load'), settings);
    if (result.kind !== 'excerpt') throw new Error(result.kind);
    const rendered = renderLogExcerpt('load_orders', result);
    const text = JSON.stringify(rendered);
    expect(text).toContain(LOG_ERROR_LINE);
    for (const secret of LOG_SECRETS) {
      expect(text).not.toContain(secret);
      expect(result.full).not.toContain(secret);
    }
    expect(blockLimitProblems(rendered.blocks, 'message')).toEqual([]);
  });

  it('cannot be broken out of by the log, even when escaping makes it longer', async () => {
    const result = await readExcerpt(reader, path('escape'), settings);
    const { blocks } = renderLogExcerpt('n', result);
    expect(blockLimitProblems(blocks, 'message')).toEqual([]);
    const block = JSON.stringify(blocks[1]);
    expect(block).not.toContain('<!here>');
    expect((block.match(/```/g) ?? []).length).toBe(2);
  });

  it('reads once more after a delay when the log is not there yet', async () => {
    obs.setFault({ kind: 'missing' });
    const seen = obs.requests().length;
    const reading = readExcerpt(reader, path('load'), settings);
    await until(() => obs.requests().length > seen);
    obs.setFault(undefined);
    expect((await reading).kind).toBe('excerpt');
    obs.setFault({ kind: 'missing' });
    const before = obs.requests().length;
    expect(await readExcerpt(reader, path('load'), settings)).toEqual({ kind: 'not-found' });
    expect(obs.requests().length - before).toBe(2);
  });

  it('says in one sentence why a log cannot be shown', async () => {
    obs.setFault({ kind: 'denied' });
    const denied = await readExcerpt(reader, path('load'), settings);
    expect(logProblemSentence(denied)?.text).toBe(
      `The bot may not read the log: its credentials need obs:object:GetObject on the bucket ${LOG_BUCKET}.`,
    );
    obs.setFault({ kind: 'down' });
    expect(await readExcerpt(reader, path('load'), settings)).toEqual({ kind: 'unreachable' });
    obs.setFault(undefined);
    expect(await readExcerpt(reader, path('empty'), settings)).toEqual({ kind: 'empty' });
    expect(await readExcerpt(reader, path('binary'), settings)).toEqual({ kind: 'binary' });
    expect(await readExcerpt(reader, undefined, settings)).toEqual({ kind: 'no-path' });
    for (const kind of ['not-found', 'unreachable', 'empty', 'binary', 'no-path'] as const)
      expect(renderLogExcerpt('n', { kind }).text).toMatch(/^Log of n: [A-Z].+\.$/);
  });
});

describe('the OBS endpoint beside the simulator', () => {
  it('has a log for every failed node path the simulator gives, spaces and all', async () => {
    const beside = await startSimulatorObs();
    const sdk = new ObsLogReader({
      endpoint: beside.url,
      accessKey: DEMO_AK,
      secretKey: DEMO_SK,
      pathStyle: true,
      timeoutMs: 2000,
    });
    try {
      const logPath = failureLogPath('job_load', Date.UTC(2026, 11, 6, 1), 'load_orders');
      const result = await readExcerpt(sdk, logPath, settings);
      expect(result.kind === 'excerpt' && result.excerpt).toContain(LOG_ERROR_LINE);
      expect(await readExcerpt(sdk, 'obs://dlf-test-log/job_load/no-such.job', settings)).toEqual({
        kind: 'not-found',
      });
    } finally {
      sdk.close();
      await beside.close();
    }
  });
});
