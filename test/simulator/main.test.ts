import { once } from 'node:events';
import path from 'node:path';
import { BUSY_WORKSPACE, DEMO_AK, DEMO_PROJECT_ID, DEMO_SK, SCENARIOS } from '../../src/simulator';
import { spawnNode } from '../helpers/spawn';

// dist/ is built by Jest's global setup, as `npm run simulator` builds it first.
const MAIN = path.join(__dirname, '../../dist/simulator/main.js');

test('npm run simulator: prints where it listens and the settings to use, serves, stops on SIGTERM', async () => {
  const { child, ready } = await spawnNode(
    MAIN,
    { SIM_PORT: '0' },
    /listening on (http:\/\/[\d.:]+)[\s\S]*Control API.*\n/,
  );
  try {
    const [printed, url] = ready;
    for (const line of [
      `DLF_ENDPOINT=${url}`,
      `DLF_PROJECT_ID=${DEMO_PROJECT_ID}`,
      `DLF_AK=${DEMO_AK}`,
      `DLF_SK=${DEMO_SK}`,
      ...Object.values(SCENARIOS),
      'SIM_LIST_OFFSET=record',
      'SIM_LIST_ORDER=mixed',
    ]) {
      expect(printed).toContain(line);
    }
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const calls = await fetch(`${url}/__sim/calls`);
    expect(await calls.json()).toEqual({ calls: [], tokenRequests: 0 });
  } finally {
    child.kill('SIGTERM');
  }
  const [code] = await once(child, 'exit');
  expect(code).toBe(0);
});

test('a bad SIM_PORT is a clear error', async () => {
  await expect(spawnNode(MAIN, { SIM_PORT: 'eighty' }, /listening/, 5_000)).rejects.toThrow(
    /SIM_PORT must be a port number/,
  );
});

test('SIM_LIST_OFFSET and SIM_LIST_ORDER: the banner says which readings the lists serve; a bad value is a clear error', async () => {
  const { child, ready } = await spawnNode(
    MAIN,
    { SIM_PORT: '0', SIM_LIST_OFFSET: 'page', SIM_LIST_ORDER: 'oldest' },
    /listening on (http:\/\/[\d.:]+)[\s\S]*Control API.*\n/,
  );
  try {
    const [printed] = ready;
    expect(printed).toMatch(/offset counts pages of limit rows \(SIM_LIST_OFFSET=page\)/);
    expect(printed).toMatch(/oldest planTime first \(SIM_LIST_ORDER=oldest\)/);
  } finally {
    child.kill('SIGTERM');
  }
  await once(child, 'exit');
  await expect(
    spawnNode(MAIN, { SIM_PORT: '0', SIM_LIST_ORDER: 'random' }, /listening/, 5_000),
  ).rejects.toThrow(/SIM_LIST_ORDER must be newest, oldest or mixed \(got "random"\)/);
});

test('SIM_BUSY=1 adds the busy workspace and says so', async () => {
  const { child, ready } = await spawnNode(
    MAIN,
    { SIM_PORT: '0', SIM_BUSY: '1' },
    /listening on (http:\/\/[\d.:]+)[\s\S]*Control API.*\n/,
  );
  try {
    const [printed, url] = ready;
    expect(printed).toContain(`Busy workspace ${BUSY_WORKSPACE}`);
    expect(printed).toMatch(/: 300 jobs/);
    const stats = await fetch(`${url}/__sim/workspaces/${BUSY_WORKSPACE}/stats`);
    expect(((await stats.json()) as { instances: number }).instances).toBeGreaterThan(10_000);
  } finally {
    child.kill('SIGTERM');
  }
  await once(child, 'exit');
});
