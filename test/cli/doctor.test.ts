/**
 * `dlf-instance doctor` end to end: the real DataArts simulator and the Slack stand-in over HTTP, and a real
 * redis-server with an ACL user and password, all on 127.0.0.1. A healthy setup, then one fault at a time, each
 * with the sentence that names its fix; no secret in any output.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Redis from 'ioredis';
import { IMPOSSIBLE_INSTANCE_ID } from '../../src/cli/doctor/dataarts';
import { type CliIo, main } from '../../src/cli/main';
import { RedisDigestStore } from '../../src/digest/store';
import { type Watch, watchId } from '../../src/following/model';
import { RedisWatchStore } from '../../src/following/watch-store';
import {
  DEMO_AK,
  DEMO_PROJECT_ID,
  DEMO_SK,
  DEMO_WORKSPACE,
  type RunningSimulator,
} from '../../src/simulator';
import { startSimulatorObs } from '../../src/simulator/node-logs';
import type { RunningObs } from '../../src/simulator/obs';
import { DEFAULT_SCOPES, type RunningStandin, startSlackStandin } from '../../src/slack-standin';
import { type LocalServer, listenLocal } from '../../src/support/http-server';
import { withSimulator } from '../helpers/dataarts';
import { freePort } from '../helpers/ports';
import { aclArgs, connectTo, type ServerProcess, startServer } from '../helpers/redis-servers';

const SLACK_TOKEN = 'xoxb-doctor-test-token-5f2a9c';
const SIGNING_SECRET = 'doctor-signing-secret-8d41e7';
const REDIS_USER = 'dlfbot';
const REDIS_SECRET = 'redis-password-c07e19';
const WRONG_SK = 'wrong-secret-key-3b6f';
const WRONG_TOKEN = 'xoxb-not-a-real-token-71c0';
const WRONG_REDIS_SECRET = 'wrong-redis-password-9a2d';
const SECRETS = [
  DEMO_SK,
  SLACK_TOKEN,
  SIGNING_SECRET,
  REDIS_SECRET,
  WRONG_SK,
  WRONG_TOKEN,
  WRONG_REDIS_SECRET,
];
const UNKNOWN_WORKSPACE = '0123456789abcdef0123456789abcdef';

let sim: RunningSimulator;
/** The simulator's OBS endpoint: failed nodes' logs. */
let obs: RunningObs;
const TOPIC = 'urn:smn:eu-de:b384b9e9ab9b4ee8994c8633aabc9505:dlf_alerts';
/** The simulator's own handler behind a gateway that can deny stop and rerun, as an IAM policy would. */
let gateway: LocalServer;
let denyWrites = false;
let slack: RunningStandin;
let redisServer: ServerProcess;
let redisPort: number;
let redisDir: string;
let redis: Redis;
let watches: RedisWatchStore;
/** Everything any run printed, for the secrets test at the end. */
const printed: string[] = [];

beforeAll(async () => {
  sim = await withSimulator();
  obs = await startSimulatorObs();
  // A failure in the last day whose log the logs line reads.
  sim.simulator.startRun('doctor_failed', {
    nodes: [{ name: 'load_orders', type: 'DWS SQL', durationMs: 1, outcome: 'fail' }],
  });
  gateway = await listenLocal(async (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://gateway');
    if (denyWrites && req.method === 'POST' && /\/instances\/[^/]+\/(stop|restart)$/.test(pathname)) {
      req.resume();
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error_code: 'DLF.6888', error_msg: 'Invalid account permissions.' }));
      return;
    }
    await sim.simulator.handle(req, res);
  });
  slack = await startSlackStandin({ botToken: SLACK_TOKEN });
  redisPort = await freePort();
  redisDir = mkdtempSync(path.join(os.tmpdir(), 'dlf-doctor-'));
  redisServer = await startServer(
    redisPort,
    [
      '--port',
      String(redisPort),
      ...aclArgs(REDIS_USER, REDIS_SECRET),
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      redisDir,
      '--maxmemory-policy',
      'noeviction',
    ],
    { username: REDIS_USER, password: REDIS_SECRET },
  );
  redis = connectTo(redisPort, { username: REDIS_USER, password: REDIS_SECRET });
  watches = new RedisWatchStore(redis);
  await watches.put(watch('C0GENERAL', 'orders_*'));
  await new RedisDigestStore(redis).put({ channel: 'G0TEAM', time: '09:00', user: 'U0ALICE', setAt: 0 });
});

afterAll(async () => {
  redis?.disconnect();
  await redisServer?.kill();
  if (redisDir) rmSync(redisDir, { recursive: true, force: true });
  await Promise.all([gateway?.close(), sim?.close(), slack?.close(), obs?.close()]);
});

function watch(channel: string, pattern: string): Watch {
  return {
    id: watchId(channel, undefined, pattern),
    channel,
    pattern,
    mode: 'fail',
    user: 'U0ALICE',
    createdAt: 0,
  };
}

function baseEnv(): Record<string, string | undefined> {
  return {
    DLF_ENDPOINT: gateway.url,
    DLF_PROJECT_ID: DEMO_PROJECT_ID,
    DLF_AK: DEMO_AK,
    DLF_SK: DEMO_SK,
    DLF_WORKSPACE: DEMO_WORKSPACE,
    DLF_MAX_ATTEMPTS: '1',
    DLF_TIMEOUT_MS: '2000',
    DLF_OPERATORS: 'orders_*=S0DATAONCALL;*=U0ALICE',
    SLACK_BOT_TOKEN: SLACK_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    REDIS_USERNAME: REDIS_USER,
    REDIS_PASSWORD: REDIS_SECRET,
    OBS_ENDPOINT: obs.url,
    OBS_PATH_STYLE: 'true',
    DLF_NOTIFY_ENABLED: 'true',
    DLF_NOTIFY_TOPICS: TOPIC,
    DLF_NOTIFY_CERT_HOSTS: 'smn.eu-de.otc.t-systems.com',
  };
}

interface JsonCheck {
  name: string;
  status: 'ok' | 'fail' | 'skip';
  detail: string;
  fix: string | null;
}

async function doctor(env: Record<string, string | undefined> = {}, json = false) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    env: { ...baseEnv(), ...env },
    color: false,
    now: () => Date.now(),
  };
  const code = await main(json ? ['doctor', '--json'] : ['doctor'], io);
  const text = [...out, ...err].join('\n');
  printed.push(text);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Both forms: the text (each line and its fix) and the JSON document, which must agree. */
async function run(env: Record<string, string | undefined> = {}) {
  const text = await doctor(env);
  const json = await doctor(env, true);
  const document = JSON.parse(json.out) as { ok: boolean; checks: JsonCheck[] };
  expect(json.code).toBe(text.code);
  expect(document.ok).toBe(text.code === 0);
  const check = (name: string) => {
    const found = document.checks.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`no check "${name}" in ${document.checks.map((c) => c.name).join(', ')}`);
    return found;
  };
  return { ...text, checks: document.checks, check };
}

const workspaceChecks = (ws: string) => [
  `Workspace ${ws}`,
  `Instance list (${ws})`,
  `Read an instance (${ws})`,
  `Stop and rerun (${ws})`,
];

describe('a healthy setup', () => {
  test('every check is ok, in order, and says what it found', async () => {
    const { code, out, checks, check } = await run();
    expect(checks.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(code).toBe(0);
    expect(checks.map((c) => c.name)).toEqual([
      'Settings',
      'DataArts endpoint',
      'DataArts credentials',
      'DataArts project',
      ...workspaceChecks(DEMO_WORKSPACE),
      "Failed nodes' logs",
      'DataArts notifications',
      'Redis',
      'Slack token',
      'Slack scopes',
      'Slack timelines (files:write)',
      'Channel C0GENERAL',
      'Channel G0TEAM',
      'Clocks',
    ]);
    expect(check(`Instance list (${DEMO_WORKSPACE})`).detail).toMatch(/`offset` counts (records|pages)/);
    expect(check(`Instance list (${DEMO_WORKSPACE})`).detail).toMatch(
      /rows come (in no order|newest|oldest)/,
    );
    expect(check(`Stop and rerun (${DEMO_WORKSPACE})`).detail).toContain('inferred');
    expect(check(`Stop and rerun (${DEMO_WORKSPACE})`).detail).toContain('nothing was changed');
    expect(check('Slack token').detail).toBe('valid: bot @dlf-bot (U0BOT) in team Stand-in (T0STANDIN)');
    expect(check('Channel C0GENERAL').detail).toBe('#general holds 1 watch; the bot is a member');
    expect(check('Channel G0TEAM').detail).toBe('#team-private holds a digest; the bot is a member');
    expect(check('Redis').detail).toMatch(
      /^redis:\/\/127\.0\.0\.1:\d+ answers \(Redis [\d.]+, maxmemory-policy noeviction\)$/,
    );
    expect(check('Clocks').detail).toMatch(/^this machine's clock agrees with DataArts' .* and Slack's/);
    // The text: one line per check, marked, then the verdict.
    expect(out.split('\n').filter((line) => line.startsWith('✓ '))).toHaveLength(checks.length);
    expect(out).toContain(`✓ Instance list (${DEMO_WORKSPACE}): `);
    expect(out.split('\n').at(-1)).toBe('Everything checks out.');
  });

  test('the write check never touches a real instance: only the impossible id is stopped or rerun', async () => {
    sim.simulator.resetCalls();
    await doctor();
    const writes = sim.simulator.calls.filter((call) => call.method === 'POST');
    expect(writes.map((call) => call.path.split('/').slice(-2).join('/')).sort()).toEqual([
      `${IMPOSSIBLE_INSTANCE_ID}/restart`,
      `${IMPOSSIBLE_INSTANCE_ID}/stop`,
    ]);
    expect(writes.every((call) => call.status === 400)).toBe(true);
  });

  test('the list reading follows the simulator: pages, newest first', async () => {
    const paged = await withSimulator({ listOffset: 'page', listOrder: 'newest' });
    try {
      const { check } = await run({ DLF_ENDPOINT: paged.url });
      const detail = check(`Instance list (${DEMO_WORKSPACE})`).detail;
      expect(detail).toContain('`offset` counts pages');
      expect(detail).toContain('rows come newest first');
    } finally {
      await paged.close();
    }
  });

  test('fewer than 3 instances in 7 days: not enough to tell how offset counts', async () => {
    const quiet = await withSimulator({ seed: false });
    try {
      quiet.simulator.startRun('only_job');
      quiet.simulator.startRun('only_job');
      const { code, check } = await run({ DLF_ENDPOINT: quiet.url });
      expect(code).toBe(0);
      expect(check(`Instance list (${DEMO_WORKSPACE})`)).toMatchObject({
        status: 'ok',
        detail: expect.stringMatching(
          /^2 instances planned in the last 7 days .*not enough instances to tell how `offset` counts; too few rows to see their order/,
        ),
      });
    } finally {
      await quiet.close();
    }
  });

  test('DataArts only (no Slack, no Redis): Slack is one skipped line, the rest ok', async () => {
    const { code, checks, out } = await run({
      DLF_OPERATORS: undefined,
      SLACK_BOT_TOKEN: undefined,
      SLACK_SIGNING_SECRET: undefined,
      SLACK_API_URL: undefined,
      REDIS_URL: undefined,
      REDIS_USERNAME: undefined,
      REDIS_PASSWORD: undefined,
    });
    expect(code).toBe(0);
    expect(checks.filter((c) => c.status === 'skip').map((c) => [c.name, c.detail])).toEqual([
      [
        `Stop and rerun (${DEMO_WORKSPACE})`,
        'DLF_OPERATORS is not set: nobody may stop or rerun from Slack, so it is not tried.',
      ],
      [
        'Slack',
        'SLACK_BOT_TOKEN is not set, so there is nothing of Slack to check (the command-line tool needs only DataArts; the bot needs Slack).',
      ],
    ]);
    expect(checks.find((c) => c.name === 'Settings')?.detail).toContain('no Slack settings');
    expect(out).toContain('– Slack: skipped: SLACK_BOT_TOKEN is not set');
    expect(out.split('\n').at(-1)).toBe('Everything checks out (2 skipped, each saying why).');
  });

  test('Slack without Redis: the channels line says watches live in the bot’s memory', async () => {
    const { code, check } = await run({
      REDIS_URL: undefined,
      REDIS_USERNAME: undefined,
      REDIS_PASSWORD: undefined,
    });
    expect(code).toBe(0);
    expect(check('Channels with watches and digests')).toMatchObject({
      status: 'skip',
      detail: expect.stringContaining("watches and digests live in the running bot's memory"),
    });
  });
});

describe('played faults: the failing check and the sentence naming its fix', () => {
  test('a bad setting names the variable, and the other checks still run', async () => {
    const { code, check, out } = await run({
      DLF_TIMEZONE: 'Mars/Olympus_Mons',
      DLF_WATCH_INTERVAL_SECONDS: 'often',
    });
    expect(code).toBe(1);
    expect(check('Settings')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('DLF_TIMEZONE must be an IANA time zone'),
    });
    expect(check('Settings').detail).toContain('DLF_WATCH_INTERVAL_SECONDS must be a number of seconds');
    expect(check('DataArts project').status).toBe('ok');
    expect(check('Slack token').status).toBe('ok');
    expect(out).toContain('1 check failed: fix the first ✗ above');
  });

  test('wrong secret key', async () => {
    const { code, check } = await run({ DLF_SK: WRONG_SK });
    expect(code).toBe(1);
    expect(check('DataArts credentials')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('DLF_SK is wrong'),
    });
    expect(check('Workspaces').status).toBe('skip');
  });

  test('unknown access key', async () => {
    const { check } = await run({ DLF_AK: 'UNKNOWNACCESSKEY0001' });
    expect(check('DataArts credentials')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('DLF_AK is not an access key the gateway knows'),
    });
  });

  test('an unknown workspace in DLF_WORKSPACES', async () => {
    const { code, check } = await run({ DLF_WORKSPACES: `${DEMO_WORKSPACE},${UNKNOWN_WORKSPACE}` });
    expect(code).toBe(1);
    expect(check(`Workspace ${DEMO_WORKSPACE}`).status).toBe('ok');
    expect(check(`Workspace ${UNKNOWN_WORKSPACE}`)).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(
        `DataArts refused workspace ${UNKNOWN_WORKSPACE} (DLF.6888), named in DLF_WORKSPACES`,
      ),
      fix: expect.stringContaining(`remove ${UNKNOWN_WORKSPACE} from DLF_WORKSPACES`),
    });
    expect(check(`Instance list (${UNKNOWN_WORKSPACE})`).status).toBe('skip');
  });

  test('a wrong project id', async () => {
    const { check } = await run({ DLF_PROJECT_ID: 'ffffffffffffffffffffffffffffffff' });
    expect(check('DataArts credentials').status).toBe('ok');
    expect(check('DataArts project')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('Check DLF_PROJECT_ID (ffffffffffffffffffffffffffffffff)'),
    });
  });

  test('the endpoint is down (a closed port)', async () => {
    const { code, check } = await run({ DLF_ENDPOINT: `http://127.0.0.1:${await freePort()}` });
    expect(code).toBe(1);
    expect(check('DataArts endpoint')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('ECONNREFUSED'),
      fix: expect.stringContaining('Check DLF_ENDPOINT'),
    });
    expect(check('DataArts API').status).toBe('skip');
    // Slack and Redis are checked all the same.
    expect(check('Slack token').status).toBe('ok');
  });

  test("DataArts' clock 10 minutes off: Slack's clock tells which one is off", async () => {
    sim.simulator.setSkew(10 * 60_000);
    try {
      const withSlack = await run();
      expect(withSlack.code).toBe(1);
      expect(withSlack.check('Clocks')).toMatchObject({
        status: 'fail',
        detail: expect.stringContaining(
          "DataArts' clock is off: 10 minutes ahead of this machine's and Slack's, which agree.",
        ),
      });
      expect(withSlack.check('Clocks').detail).toContain('refuses signatures more than 15 minutes off');
      const alone = await run({ SLACK_BOT_TOKEN: undefined, SLACK_SIGNING_SECRET: undefined });
      expect(alone.check('Clocks')).toMatchObject({
        status: 'fail',
        detail: expect.stringContaining(
          "DataArts' clock is 10 minutes ahead of this machine's: one of them is off, most likely this machine's.",
        ),
        fix: expect.stringContaining("Sync this machine's clock with NTP"),
      });
    } finally {
      sim.simulator.setSkew(0);
    }
  });

  test("this machine's clock 10 minutes ahead: DataArts' and Slack's agree, so this one is off", async () => {
    const ahead = () => Date.now() + 10 * 60_000;
    const out: string[] = [];
    const env = baseEnv();
    const code = await main(['doctor', '--json'], {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
      env,
      color: false,
      now: ahead,
    });
    printed.push(out.join('\n'));
    expect(code).toBe(1);
    const clocks = (JSON.parse(out.join('\n')) as { checks: JsonCheck[] }).checks.find(
      (c) => c.name === 'Clocks',
    );
    expect(clocks).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(
        "This machine's clock is off: 10 minutes ahead of DataArts' and 10 minutes ahead of Slack's, which agree.",
      ),
      fix: expect.stringContaining("Sync this machine's clock with NTP"),
    });
  });

  test('stop and rerun denied (403 DLF.6888 on the stop and restart routes)', async () => {
    denyWrites = true;
    try {
      const { code, check } = await run();
      expect(code).toBe(1);
      expect(check(`Stop and rerun (${DEMO_WORKSPACE})`)).toMatchObject({
        status: 'fail',
        detail: expect.stringMatching(/^stop and rerun would be denied \(DLF\.6888; inferred from/),
        fix: expect.stringContaining('or unset DLF_OPERATORS'),
      });
    } finally {
      denyWrites = false;
    }
  });

  test('a bad Slack token (invalid_auth)', async () => {
    const { code, check } = await run({ SLACK_BOT_TOKEN: WRONG_TOKEN });
    expect(code).toBe(1);
    expect(check('Slack token')).toMatchObject({
      status: 'fail',
      detail: 'Slack refused SLACK_BOT_TOKEN (invalid_auth).',
      fix: expect.stringContaining('OAuth & Permissions page into SLACK_BOT_TOKEN'),
    });
    expect(check('Slack scopes').status).toBe('skip');
  });

  test('a missing scope', async () => {
    const narrow = await startSlackStandin({
      botToken: SLACK_TOKEN,
      scopes: DEFAULT_SCOPES.filter((scope) => scope !== 'usergroups:read'),
    });
    try {
      const { code, check } = await run({ SLACK_API_URL: narrow.apiUrl });
      expect(code).toBe(1);
      expect(check('Slack scopes')).toMatchObject({
        status: 'fail',
        detail: expect.stringContaining(
          'The token lacks usergroups:read (reading the members of the user groups',
        ),
        fix: expect.stringContaining('reinstall the app'),
      });
      expect(check('Slack timelines (files:write)').status).toBe('ok');
    } finally {
      await narrow.close();
    }
  });

  test('files:write missing: the timelines line says so', async () => {
    const narrow = await startSlackStandin({
      botToken: SLACK_TOKEN,
      scopes: DEFAULT_SCOPES.filter((scope) => scope !== 'files:write'),
    });
    try {
      const { code, check } = await run({ SLACK_API_URL: narrow.apiUrl });
      expect(code).toBe(1);
      expect(check('Slack scopes').status).toBe('ok');
      expect(check('Slack timelines (files:write)')).toMatchObject({
        status: 'fail',
        detail: expect.stringContaining('The token lacks files:write: the Timeline button cannot upload'),
        fix: expect.stringContaining('Add files:write'),
      });
    } finally {
      await narrow.close();
    }
  });

  test('the bot is not in a channel that holds a watch', async () => {
    const outside = watch('C0OUTSIDE', 'billing_*');
    await watches.put(outside);
    try {
      const { code, check } = await run();
      expect(code).toBe(1);
      expect(check('Channel C0OUTSIDE')).toMatchObject({
        status: 'fail',
        detail: '#no-bot-here holds 1 watch, but the bot is not a member: its alerts cannot be posted there.',
        fix: 'Invite @dlf-bot to #no-bot-here (type /invite @dlf-bot in #no-bot-here).',
      });
      expect(check('Channel C0GENERAL').status).toBe('ok');
    } finally {
      await watches.remove(outside.id);
    }
  });

  test("OBS refuses the logs: the keys' permission on the bucket is named; OBS down: OBS_ENDPOINT is", async () => {
    obs.setFault({ kind: 'denied' });
    try {
      const { code, check } = await run();
      expect(code).toBe(1);
      expect(check("Failed nodes' logs")).toMatchObject({
        status: 'fail',
        detail: expect.stringContaining('may not read bucket dlf-test-log'),
        fix: expect.stringContaining('obs:object:GetObject on bucket dlf-test-log'),
      });
      obs.setFault({ kind: 'down' });
      const down = await run();
      expect(down.check("Failed nodes' logs")).toMatchObject({
        status: 'fail',
        fix: expect.stringContaining('OBS_ENDPOINT'),
      });
    } finally {
      obs.setFault(undefined);
    }
  });

  test('a wrong Redis password', async () => {
    const { code, check } = await run({ REDIS_PASSWORD: WRONG_REDIS_SECRET });
    expect(code).toBe(1);
    expect(check('Redis')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('Check REDIS_USERNAME and REDIS_PASSWORD'),
    });
    expect(check('Channels with watches and digests').status).toBe('skip');
  });
});

test('--json: one document, checks with name, status, detail and fix', async () => {
  const { out, code } = await doctor({ SLACK_BOT_TOKEN: WRONG_TOKEN }, true);
  expect(code).toBe(1);
  const document = JSON.parse(out) as { ok: boolean; checks: JsonCheck[] };
  expect(Object.keys(document)).toEqual(['ok', 'checks']);
  expect(document.ok).toBe(false);
  for (const check of document.checks) {
    expect(Object.keys(check)).toEqual(['name', 'status', 'detail', 'fix']);
    expect(['ok', 'fail', 'skip']).toContain(check.status);
    expect(typeof check.detail).toBe('string');
    expect(check.fix === null).toBe(check.status !== 'fail');
  }
});

test('no secret appears in any output of any run above', () => {
  expect(printed.length).toBeGreaterThan(20);
  for (const text of printed) for (const secret of SECRETS) expect(text).not.toContain(secret);
});
