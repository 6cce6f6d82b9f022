import http from 'node:http';
import net from 'node:net';
import { Writable } from 'node:stream';
import { AkSkAuth, IamPasswordAuth, StaticTokenAuth } from '../../src/dataarts/auth/providers';
import {
  ApiError,
  AuthFailedError,
  DataArtsError,
  InstanceNotFoundError,
  InvalidReferenceError,
  JobNotFoundError,
  PermissionDeniedError,
  ResponseTooLargeError,
  ThrottledError,
  UnavailableError,
  UnreadableAnswerError,
  WrongInstanceError,
} from '../../src/dataarts/errors';
import { lookupInstance, NoInstancesError } from '../../src/dataarts/lookup';
import { statusText } from '../../src/dataarts/model';
import { MAX_WINDOW_MS, windowEnding } from '../../src/dataarts/paging';
import { createTransport } from '../../src/dataarts/transport';
import { createLogger } from '../../src/logger';
import {
  BIG_INSTANCE_ID,
  DEMO_IAM_USER,
  DEMO_PROJECT_ID,
  DEMO_SK,
  DEMO_TOKEN,
  DEMO_WORKSPACE,
  type RunningSimulator,
  SCENARIOS,
} from '../../src/simulator';
import { clientFor, withSimulator } from '../helpers/dataarts';

const lastWeek = () => windowEnding(Date.now() + 60_000, MAX_WINDOW_MS);

let sim: RunningSimulator;
beforeEach(async () => {
  sim = await withSimulator();
});
afterEach(async () => {
  await sim.close();
});

async function caught(promise: Promise<unknown>): Promise<DataArtsError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DataArtsError) return error;
    throw error;
  }
  throw new Error('expected a DataArtsError');
}

describe('reading instances', () => {
  test('the reference example over AK/SK signing', async () => {
    const instance = await clientFor(sim).getInstance('job_batch', '34765');
    expect(instance).toMatchObject({ jobName: 'job_batch', instanceId: '34765', status: 'fail', total: 2 });
    expect(instance.nodes.map((node) => node.name)).toEqual(['Dummy_8556', 'error']);
    expect(sim.simulator.callsFor('job_batch', '34765')).toHaveLength(1);
  });

  test('workspace header: the configured one, or the one a call names', async () => {
    const client = clientFor(sim, { workspace: DEMO_WORKSPACE });
    await expect(client.getInstance('job_batch', '34765')).resolves.toMatchObject({ instanceId: '34765' });
    const error = await caught(client.getInstance('job_batch', '34765', { workspace: 'not-mine' }));
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error.code).toBe('DLF.6888');
  });

  test('ids above 2^53 stay exact and Unicode job names are encoded', async () => {
    const client = clientFor(sim);
    expect((await client.getInstance(SCENARIOS.bigId, BIG_INSTANCE_ID)).instanceId).toBe('9007199254740993');
    const latest = await client.latestInstance(SCENARIOS.unicode);
    expect(latest).toMatchObject({ jobName: '数据同步_daily', instanceId: '1001' });
    expect(sim.simulator.calls.at(-1)?.path).toContain('/jobs/instances/detail');
  });

  test('not found: typed errors for instance and job, both HTTP 400 from DataArts', async () => {
    const client = clientFor(sim);
    const noInstance = await caught(client.getInstance('job_batch', '1'));
    expect(noInstance).toBeInstanceOf(InstanceNotFoundError);
    expect(noInstance).toMatchObject({
      code: 'DLF.0137',
      httpStatus: 400,
      jobName: 'job_batch',
      instanceId: '1',
    });
    expect(noInstance.message).toBe('Job job_batch has no instance 1.');
    const noJob = await caught(client.getInstance('no_such_job', '1'));
    expect(noJob).toBeInstanceOf(JobNotFoundError);
    expect(noJob.message).toBe('There is no job named no_such_job.');
  });

  test('latest = greatest planTime, ties broken by the highest id; none → NoInstancesError or JobNotFound', async () => {
    const client = clientFor(sim);
    const history = await client.listInstances({ jobName: SCENARIOS.history, limit: 100, ...lastWeek() });
    const running = history.instances.find((instance) => statusText(instance.status) === 'running');
    expect(await client.latestInstance(SCENARIOS.history)).toMatchObject({ instanceId: running?.instanceId });

    sim.simulator.addJob('tied');
    // One planTime for all three (read per instance, the clock could tick between them: no tie).
    const planTime = Date.now() - 3_600_000;
    for (const id of ['900', '1000', '950']) {
      sim.simulator.setInstance({
        jobName: 'tied',
        instanceId: id,
        status: 'success',
        planTime,
        nodes: [],
      });
    }
    expect((await client.latestInstance('tied'))?.instanceId).toBe('1000');

    sim.simulator.addJob('never_ran');
    await expect(lookupInstance(client, { job: 'never_ran', instance: 'latest' })).rejects.toBeInstanceOf(
      NoInstancesError,
    );
    await expect(lookupInstance(client, { job: 'ghost', instance: 'latest' })).rejects.toBeInstanceOf(
      JobNotFoundError,
    );
  });

  test('latest reads every row of the week, whatever the order and paging', async () => {
    for (const listOffset of ['record', 'page'] as const) {
      for (const listOrder of ['newest', 'oldest', 'mixed'] as const) {
        const other = await withSimulator({ listOffset, listOrder });
        try {
          other.simulator.addJob('many');
          const start = Date.now() - 5 * 86_400_000;
          for (let i = 0; i < 1_150; i++) {
            other.simulator.setInstance({
              jobName: 'many',
              instanceId: String(1000 + ((i * 7) % 1_150)),
              status: 'success',
              planTime: start + i * 60_000,
              nodes: [],
            });
          }
          expect([
            listOffset,
            listOrder,
            (await clientFor(other).latestInstance('many'))?.instanceId,
          ]).toEqual([listOffset, listOrder, String(1000 + ((1_149 * 7) % 1_150))]);
        } finally {
          await other.close();
        }
      }
    }
  });

  test('latest looks a week further back at a time (the list takes 7 days at most)', async () => {
    sim.simulator.addJob('rare');
    sim.simulator.setInstance({
      jobName: 'rare',
      instanceId: '77',
      status: 'fail',
      planTime: Date.now() - 17 * 86_400_000,
      nodes: [],
    });
    expect((await clientFor(sim).latestInstance('rare'))?.instanceId).toBe('77');
  });

  test('precise job-name matching is the default for lists', async () => {
    const page = await clientFor(sim).listInstances({ jobName: 'demo_daily', ...lastWeek() });
    expect(page.total).toBe(0);
    const fuzzy = await clientFor(sim).listInstances({
      jobName: 'demo_daily',
      preciseQuery: false,
      ...lastWeek(),
    });
    expect(fuzzy.total).toBeGreaterThanOrEqual(2);
  });

  test('a live run advances node by node and ends in failure with a log path', async () => {
    let now = Date.now();
    await sim.close();
    sim = await withSimulator({ clock: () => now });
    const client = clientFor(sim);
    const id = await client.runJobNow(SCENARIOS.liveFail);
    expect((await client.getInstance(SCENARIOS.liveFail, id)).status).toBe('running');
    now += 60_000;
    const ended = await client.getInstance(SCENARIOS.liveFail, id);
    expect(ended.status).toBe('fail');
    const failed = ended.nodes.find((node) => node.status === 'fail');
    expect(failed?.logPath).toMatch(/^obs:\/\//);
    expect(ended.endTime).toBeDefined();
  });
});

describe('what the client refuses to send', () => {
  test('a job name, instance id or workspace that could change the path or a header never leaves', async () => {
    const client = clientFor(sim);
    const refused: [Promise<unknown>, string][] = [
      [client.getInstance('..', '34765'), 'job'],
      [client.getInstance('.', '34765'), 'job'],
      [client.getInstance('a/b', '34765'), 'job'],
      [client.getInstance('job_batch', '..'), 'instance'],
      [client.getInstance('job_batch', '1/../2'), 'instance'],
      [client.stopInstance('..', '1'), 'job'],
      [client.restartInstance('job_batch', '.'), 'instance'],
      [client.runJobNow('..'), 'job'],
      [client.getJob('..'), 'job'],
      [client.getInstance('job_batch', '34765', { workspace: 'w1\r\nX-Injected: 1' }), 'workspace'],
      [client.getInstance('job_batch', '34765', { workspace: '../..' }), 'workspace'],
    ];
    for (const [call, field] of refused) {
      const error = await caught(call);
      expect(error).toBeInstanceOf(InvalidReferenceError);
      expect((error as InvalidReferenceError).field).toBe(field);
    }
    expect(sim.simulator.calls).toEqual([]);
  });
});

describe('answers the client will not hold', () => {
  /** A server that streams `megabytes` of a JSON instance (optionally declaring its length) and counts what it sent. */
  async function streaming(megabytes: number, declareLength: boolean) {
    let sent = 0;
    const chunk = Buffer.alloc(65_536, ' ');
    const server = http.createServer((_req, res) => {
      const total = megabytes * 1_048_576;
      res.writeHead(200, {
        'content-type': 'application/json',
        ...(declareLength ? { 'content-length': String(total) } : {}),
      });
      const pump = () => {
        while (sent < total) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => undefined);
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      sent: () => sent,
      close: () => new Promise((resolve) => server.close(resolve)),
    };
  }

  test('a 60 MB answer stops being read at the cap: ResponseTooLargeError, the rest never sent', async () => {
    const big = await streaming(60, false);
    try {
      const client = clientFor(sim, { endpoint: big.url, maxResponseBytes: 1_048_576 });
      const error = await caught(client.getInstance('job_batch', '34765'));
      expect(error).toBeInstanceOf(ResponseTooLargeError);
      // The connection was closed once the cap passed: far less than the 60 MB went out.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(big.sent()).toBeLessThan(20 * 1_048_576);
    } finally {
      await big.close();
    }
  });

  test('a declared length above the cap is refused before reading the body', async () => {
    const big = await streaming(60, true);
    try {
      const client = clientFor(sim, { endpoint: big.url, maxResponseBytes: 1_048_576 });
      expect(await caught(client.getInstance('job_batch', '34765'))).toBeInstanceOf(ResponseTooLargeError);
    } finally {
      await big.close();
    }
  });

  test('a truncated answer is UnreadableAnswerError (not a crash, not a retry storm)', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"jobName":"job_batch","instanceId":34765,"nodes":[{"nodeName":"a"');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const logged: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        logged.push(JSON.parse(String(chunk)));
        done();
      },
    });
    try {
      const client = clientFor(sim, {
        endpoint: `http://127.0.0.1:${port}`,
        logger: createLogger({ level: 'warn', destination }),
      });
      expect(await caught(client.getInstance('job_batch', '34765'))).toBeInstanceOf(UnreadableAnswerError);
      // An admin can find it: one line naming the route, never the text.
      expect(logged).toEqual([
        expect.objectContaining({
          msg: 'DataArts sent an answer the bot could not read',
          route: 'jobs/{job}/instances/{id}',
        }),
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

test('an answer about another instance than the one asked is refused (nothing shown, nothing done on it)', async () => {
  const answered: string[] = [];
  const server = http.createServer((req, res) => {
    answered.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    // Asked for #55029, DataArts answers about #55030; asked for another job's #7, about job_batch's.
    res.end(
      req.url?.includes('/instances/55029')
        ? '{"jobName":"job_batch","instanceId":55030,"status":"running","nodes":[]}'
        : '{"jobName":"job_batch","instanceId":7,"status":"running","nodes":[]}',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  try {
    const client = clientFor(sim, { endpoint: `http://127.0.0.1:${port}` });
    const wrongId = await caught(client.getInstance('job_batch', '55029'));
    expect(wrongId).toBeInstanceOf(WrongInstanceError);
    expect(wrongId.message).toBe('DataArts answered about job_batch #55030 when asked for job_batch #55029.');
    expect(await caught(client.getInstance('other_job', '7'))).toBeInstanceOf(WrongInstanceError);
    // Leading zeros are the same id.
    expect((await client.getInstance('job_batch', '007')).instanceId).toBe('7');
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('what DataArts answers is checked', () => {
  const running = (job: string) =>
    sim.simulator.startRun(job, { nodes: [{ name: 'load', type: 'HiveSQL', durationMs: 3_600_000 }] });

  test('a read answered about another instance (the answerInstance fault) is refused; #B is never touched', async () => {
    const client = clientFor(sim);
    const a = running('checked_job');
    const b = running('checked_job');
    sim.simulator.setFault('checked_job', { answerInstance: b });
    const error = await caught(client.getInstance('checked_job', a));
    expect(error).toBeInstanceOf(WrongInstanceError);
    expect(error.message).toBe(`DataArts answered about checked_job #${b} when asked for checked_job #${a}.`);
    expect(sim.simulator.callsFor('checked_job').map((call) => [call.method, call.instanceId])).toEqual([
      ['GET', a],
    ]);
    sim.simulator.clearFaults();
    expect((await client.getInstance('checked_job', b)).status).toBe('running');
  });

  test('a planTime of 1e20 and an end in microseconds: left out and named, the rest read', async () => {
    const now = Date.now();
    sim.simulator.setInstance({
      jobName: 'odd_times',
      instanceId: '61001',
      status: 'success',
      planTime: 1e20,
      startTime: now - 60_000,
      endTime: now * 1000,
      nodes: [{ nodeName: 'load', status: 'success', type: 'Dummy', startTime: now - 60_000, endTime: now }],
    });
    const instance = await clientFor(sim).getInstance('odd_times', '61001');
    expect(instance).toMatchObject({ startTime: now - 60_000, oddTimes: ['planTime', 'endTime'] });
    expect([instance.planTime, instance.endTime]).toEqual([undefined, undefined]);
    expect(instance.nodes[0]).toMatchObject({ startTime: now - 60_000, endTime: now });
  });
});

describe('writes', () => {
  test('stop a running instance, restart it, run a job now', async () => {
    const client = clientFor(sim);
    const id = await client.runJobNow(SCENARIOS.liveSuccess, [{ name: 'day', value: '2026-11-25' }]);
    await client.stopInstance(SCENARIOS.liveSuccess, id);
    expect((await client.getInstance(SCENARIOS.liveSuccess, id)).status).toBe('manual-stop');
    await client.restartInstance(SCENARIOS.liveSuccess, id);
    expect((await client.getInstance(SCENARIOS.liveSuccess, id)).status).toBe('running');
    const stopAgain = await caught(client.restartInstance(SCENARIOS.liveSuccess, id));
    expect(stopAgain).toBeInstanceOf(ApiError);
    expect(stopAgain.code).toBe('DLF.3051');
  });

  test('POSTs are not retried on 5xx or timeouts, but are on 429', async () => {
    const delays: number[] = [];
    const client = clientFor(sim, { delays });
    sim.simulator.setFault(SCENARIOS.liveSuccess, { status: 500, times: 1 });
    await expect(client.runJobNow(SCENARIOS.liveSuccess)).rejects.toBeInstanceOf(UnavailableError);
    expect(sim.simulator.callsFor(SCENARIOS.liveSuccess)).toHaveLength(1);

    sim.simulator.resetCalls();
    sim.simulator.setFault(SCENARIOS.liveSuccess, { throttle: { retryAfterSeconds: 2 }, times: 1 });
    await expect(client.runJobNow(SCENARIOS.liveSuccess)).resolves.toMatch(/^\d+$/);
    expect(sim.simulator.callsFor(SCENARIOS.liveSuccess)).toHaveLength(2);
    expect(delays.at(-1)).toBeGreaterThanOrEqual(2000);
  });
});

describe('faults and retries (GET)', () => {
  test('a 500 and a dropped connection are retried with backoff', async () => {
    const delays: number[] = [];
    const client = clientFor(sim, { delays });
    sim.simulator.setFault('job_batch', { status: 500, times: 1 });
    await expect(client.getInstance('job_batch', '34765')).resolves.toBeDefined();
    sim.simulator.setFault('job_batch', { drop: true, times: 1 });
    await expect(client.getInstance('job_batch', '34765')).resolves.toBeDefined();
    expect(sim.simulator.callsFor('job_batch')).toHaveLength(4);
    expect(delays).toHaveLength(2);
  });

  test('429 APIG.0308 honours Retry-After; too long a Retry-After gives up at once', async () => {
    const delays: number[] = [];
    const client = clientFor(sim, { delays });
    sim.simulator.setFault('*', { throttle: { retryAfterSeconds: 3 }, times: 1 });
    await expect(client.getInstance('job_batch', '34765')).resolves.toBeDefined();
    expect(delays[0]).toBeGreaterThanOrEqual(3000);

    sim.simulator.setFault('*', { throttle: { retryAfterSeconds: 600 } });
    const error = await caught(client.getInstance('job_batch', '34765'));
    expect(error).toBeInstanceOf(ThrottledError);
    expect(error).toMatchObject({ code: 'APIG.0308', retryAfterMs: 600_000 });
  });

  test('a hanging request times out and is retried; persistent failure ends in UnavailableError', async () => {
    const client = clientFor(sim, { timeoutMs: 200 });
    sim.simulator.setFault('job_batch', { hang: true, times: 1 });
    await expect(client.getInstance('job_batch', '34765')).resolves.toBeDefined();

    sim.simulator.setFault('job_batch', { hang: true });
    const error = await caught(client.getInstance('job_batch', '34765'));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error).toMatchObject({ reason: 'timeout' });
    expect(sim.simulator.callsFor('job_batch')).toHaveLength(2 + 3);
  });

  test('latency alone is not an error', async () => {
    sim.simulator.setFault('*', { latencyMs: 150 });
    const started = Date.now();
    await clientFor(sim).getInstance('job_batch', '34765');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  test('an unreachable endpoint is UnavailableError(network)', async () => {
    const port = sim.url.split(':').at(-1);
    await sim.close();
    const error = await caught(
      clientFor(sim, { endpoint: `http://127.0.0.1:${port}` }).getInstance('job_batch', '1'),
    );
    expect(error).toMatchObject({ kind: 'unavailable', reason: 'network' });
    sim = await withSimulator();
  });
});

describe('authentication', () => {
  test('wrong AK/SK: AuthFailedError with the gateway reason, never the secret', async () => {
    const secret = 'THE-WRONG-BUT-SECRET-SK';
    const error = await caught(
      clientFor(sim, {
        auth: new AkSkAuth({ accessKey: 'SIMULATORACCESSKEY01', secretKey: secret }),
      }).getInstance('job_batch', '34765'),
    );
    expect(error).toBeInstanceOf(AuthFailedError);
    expect(error).toMatchObject({ code: 'APIG.0301', httpStatus: 401, reason: 'verify aksk signature fail' });
    expect(JSON.stringify({ message: error.message, error })).not.toContain(secret);
    expect(sim.simulator.calls).toHaveLength(1);
  });

  test('a skewed clock is reported as the gateway says it', async () => {
    const skewed = new AkSkAuth(
      { accessKey: 'SIMULATORACCESSKEY01', secretKey: DEMO_SK },
      () => Date.now() - 3_600_000,
    );
    const error = await caught(clientFor(sim, { auth: skewed }).getInstance('job_batch', '34765'));
    expect(error).toMatchObject({
      kind: 'auth-failed',
      reason: 'calc ak sk signature fail:signature expired',
    });
  });

  test('a static token', async () => {
    await expect(
      clientFor(sim, { auth: new StaticTokenAuth(DEMO_TOKEN) }).getInstance('job_batch', '34765'),
    ).resolves.toBeDefined();
    const error = await caught(
      clientFor(sim, { auth: new StaticTokenAuth('nope') }).getInstance('job_batch', '34765'),
    );
    expect(error).toMatchObject({ kind: 'auth-failed', reason: 'token invalid' });
  });

  function iamAuth(password = DEMO_IAM_USER.password) {
    return new IamPasswordAuth({
      iamEndpoint: sim.url,
      domain: DEMO_IAM_USER.domain,
      user: DEMO_IAM_USER.name,
      password,
      projectId: DEMO_PROJECT_ID,
      transport: createTransport(),
      timeoutMs: 2_000,
    });
  }

  test('IAM password: one token for concurrent calls, cached, and one re-authentication after a 401', async () => {
    const client = clientFor(sim, { auth: iamAuth() });
    await Promise.all(Array.from({ length: 5 }, () => client.getInstance('job_batch', '34765')));
    await client.getInstance('job_batch', '34765');
    expect(sim.simulator.iam.requests).toBe(1);

    sim.simulator.expireTokens();
    await expect(client.getInstance('job_batch', '34765')).resolves.toBeDefined();
    expect(sim.simulator.iam.requests).toBe(2);
    // The expired attempt, then the retry with the new token.
    expect(sim.simulator.calls.slice(-2).map((call) => call.status)).toEqual([401, 200]);
  });

  test('IAM password: a wrong password is AuthFailedError without the password, asked once', async () => {
    const password = 'Wrong-Password-Do-Not-Log';
    const error = await caught(clientFor(sim, { auth: iamAuth(password) }).getInstance('job_batch', '34765'));
    expect(error).toBeInstanceOf(AuthFailedError);
    expect(error.message).toContain('IAM refused user dlf_bot');
    expect(JSON.stringify({ message: error.message, error })).not.toContain(password);
    expect(sim.simulator.iam.requests).toBe(1);
  });
});

describe('proxy', () => {
  let proxy: net.Server;
  let tunnels: string[];
  const open = new Set<net.Socket>();
  const saved = { ...process.env };

  beforeEach(async () => {
    tunnels = [];
    // A minimal CONNECT proxy on loopback that records where it tunnels to.
    proxy = http.createServer();
    proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      open.add(socket);
      const upstream = net.connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    process.env = { ...saved };
    // Tunnels outlive their request (keep-alive): end them so close() need not wait for idle timeouts.
    for (const socket of open) socket.destroy();
    await new Promise((resolve) => proxy.close(resolve));
  });

  test('HTTP(S)_PROXY is honoured and NO_PROXY bypasses it', async () => {
    const { port } = proxy.address() as net.AddressInfo;
    for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy']) {
      delete process.env[name];
    }
    process.env.HTTP_PROXY = `http://127.0.0.1:${port}`;
    const viaProxy = clientFor(sim, { transport: createTransport() });
    await viaProxy.getInstance('job_batch', '34765');
    expect(tunnels).toEqual([new URL(sim.url).host]);

    process.env.NO_PROXY = '127.0.0.1';
    const direct = clientFor(sim, { transport: createTransport() });
    await direct.getInstance('job_batch', '34765');
    expect(tunnels).toHaveLength(1);
  });
});

describe("DataArts' clock", () => {
  test('estimated from its Date headers to well under a second, even when it runs minutes apart from ours', async () => {
    const skewed = await withSimulator({ skewMs: 180_000 });
    try {
      const client = clientFor(skewed);
      expect(Math.abs(client.now() - Date.now())).toBeLessThan(50);
      for (let i = 0; i < 20; i++) {
        await client.listJobs({ limit: 1 });
        await new Promise((resolve) => setTimeout(resolve, 37));
      }
      // The header has whole seconds; answers at different points of the second narrow the estimate.
      expect(Math.abs(client.now() - (Date.now() + 180_000))).toBeLessThan(200);
    } finally {
      await skewed.close();
    }
  });
});
