import { signRequest } from '../../src/dataarts/auth/signer';
import {
  DEMO_AK,
  DEMO_IAM_USER,
  DEMO_PROJECT_ID,
  DEMO_PROJECT_NAME,
  DEMO_SK,
  DEMO_TOKEN,
  SCENARIOS,
} from '../../src/simulator';
import { type Harness, startHarness, T0, tokenRequest } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const INSTANCE = `/v1/${DEMO_PROJECT_ID}/jobs/job_batch/instances/34765`;

function apig401(reason: string) {
  return {
    status: 401,
    json: {
      error_code: 'APIG.0301',
      error_msg: `Incorrect IAM authentication information: ${reason}`,
      request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
    },
  };
}

/** Signs like the client does, then lets the test change the request before sending it. */
async function signed(
  options: {
    method?: string;
    path?: string;
    body?: string;
    secretKey?: string;
    accessKey?: string;
    at?: number;
    tamper?: (request: { url: URL; headers: Record<string, string>; body?: string }) => void;
  } = {},
) {
  const method = options.method ?? 'GET';
  const url = new URL(options.path ?? INSTANCE, h.sim.url);
  const headers = signRequest(
    { method, url, headers: { 'Content-Type': 'application/json' }, body: options.body },
    { accessKey: options.accessKey ?? DEMO_AK, secretKey: options.secretKey ?? DEMO_SK },
    new Date(options.at ?? h.clock.now),
  );
  const request = { url, headers, body: options.body };
  options.tamper?.(request);
  return h.raw(method, `${request.url.pathname}${request.url.search}`, {
    headers: request.headers,
    body: request.body,
  });
}

describe('AK/SK signatures', () => {
  test('accepted: GET with a query, POST with a body, a Unicode path', async () => {
    expect((await signed()).status).toBe(200);
    expect(
      (
        await signed({
          path: `/v1/${DEMO_PROJECT_ID}/jobs/instances/detail?preciseQuery=true&jobName=job_batch&limit=5&minPlanTime=1551600000000&maxPlanTime=1551700000000`,
        })
      ).json.total,
    ).toBe(2);
    const run = await signed({
      method: 'POST',
      path: `/v1/${DEMO_PROJECT_ID}/jobs/${SCENARIOS.liveSuccess}/run-immediate`,
      body: '{"jobParams":[{"name":"aaa","value":"111"}]}',
    });
    expect(run.status).toBe(200);
    const unicode = await signed({
      path: `/v1/${DEMO_PROJECT_ID}/jobs/${encodeURIComponent(SCENARIOS.unicode)}/instances/1001`,
    });
    expect(unicode.json.jobName).toBe(SCENARIOS.unicode);
  });

  test('rejected: no credentials, wrong SK, unknown AK', async () => {
    expect(await h.raw('GET', INSTANCE)).toMatchObject(apig401('x-auth-token not found'));
    expect(await signed({ secretKey: 'not-the-secret' })).toMatchObject(
      apig401('verify aksk signature fail'),
    );
    expect(await signed({ accessKey: 'UNKNOWNAK' })).toMatchObject(
      apig401('verify aksk signature fail:access key not found'),
    );
    expect(await signed({ accessKey: 'constructor' })).toMatchObject({ status: 401 });
  });

  test('rejected: a date more than 15 minutes off, either way; 15 minutes is fine', async () => {
    expect(await signed({ at: T0 - 16 * 60_000 })).toMatchObject(
      apig401('calc ak sk signature fail:signature expired'),
    );
    expect(await signed({ at: T0 + 16 * 60_000 })).toMatchObject({ status: 401 });
    expect((await signed({ at: T0 - 15 * 60_000 })).status).toBe(200);
  });

  test('rejected: tampered path, query, body or header, or signed for another host', async () => {
    const tampered = [
      signed({ tamper: (r) => (r.url.pathname = r.url.pathname.replace('34765', '34764')) }),
      signed({
        path: `/v1/${DEMO_PROJECT_ID}/jobs/instances/detail?limit=5`,
        tamper: (r) => r.url.searchParams.set('limit', '6'),
      }),
      signed({
        method: 'POST',
        path: `/v1/${DEMO_PROJECT_ID}/jobs/${SCENARIOS.liveSuccess}/run-immediate`,
        body: '{"jobParams":[]}',
        tamper: (r) => (r.body = '{"jobParams": []}'),
      }),
      signed({ tamper: (r) => (r.headers['Content-Type'] = 'text/plain') }),
      // Signed for the real gateway's host, sent to the simulator (fetch sends the real Host).
      h.raw('GET', INSTANCE, {
        headers: signRequest(
          { method: 'GET', url: new URL(INSTANCE, 'https://dayu-dlf.eu-de.otc.t-systems.com'), headers: {} },
          { accessKey: DEMO_AK, secretKey: DEMO_SK },
          new Date(h.clock.now),
        ),
      }),
    ];
    for (const reply of await Promise.all(tampered)) {
      expect(reply).toMatchObject(apig401('verify aksk signature fail'));
    }
    expect(h.sim.simulator.calls.map((call) => call.status)).toEqual([401, 401, 401, 401, 401]);
  });

  test('the wrong project id is 403 APIG.0302 once authenticated', async () => {
    const reply = await signed({
      path: '/v1/0123456789abcdef0123456789abcdef/jobs/job_batch/instances/34765',
    });
    expect(reply).toMatchObject({
      status: 403,
      json: { error_code: 'APIG.0302', request_id: expect.any(String) },
    });
  });

  test('with requireAuth false nothing is checked', async () => {
    await h.close();
    h = await startHarness({ requireAuth: false });
    expect((await h.raw('GET', INSTANCE)).status).toBe(200);
  });

  test('configured keys replace the demo ones', async () => {
    await h.close();
    h = await startHarness({ accessKeys: { OTHERAK: 'other-secret' }, maxSkewMs: 60_000 });
    expect((await signed({ accessKey: 'OTHERAK', secretKey: 'other-secret' })).status).toBe(200);
    expect((await signed()).status).toBe(401);
    expect((await signed({ accessKey: 'OTHERAK', secretKey: 'other-secret', at: T0 - 61_000 })).status).toBe(
      401,
    );
  });
});

describe('tokens', () => {
  const issue = (body: unknown) =>
    h.raw('POST', '/v3/auth/tokens', { body, headers: { 'Content-Type': 'application/json' } });

  test('the password flow: 201, X-Subject-Token, expires_at in 24 h; the token opens the API until it expires', async () => {
    const issued = await issue(tokenRequest());
    expect(issued.status).toBe(201);
    const token = issued.headers.get('x-subject-token');
    expect(token).toMatch(/^MII[\w-]{40,}$/);
    expect(issued.json.token).toMatchObject({
      expires_at: '2026-11-26T08:00:00.000000Z',
      methods: ['password'],
      project: { id: DEMO_PROJECT_ID },
    });
    expect(issued.text).not.toContain(DEMO_IAM_USER.password);
    expect(issued.text).not.toContain(token);

    const withToken = { auth: { token: token! } } as const;
    expect((await h.api('GET', 'jobs/job_batch/instances/34765', withToken)).status).toBe(200);
    h.clock.now = T0 + 86_400_000 - 1;
    expect((await h.api('GET', 'jobs/job_batch/instances/34765', withToken)).status).toBe(200);
    h.clock.now = T0 + 86_400_000;
    expect(await h.api('GET', 'jobs/job_batch/instances/34765', withToken)).toMatchObject(
      apig401('token expires'),
    );
    expect(h.sim.simulator.iam.requests).toBe(1);
  });

  test('expireTokens() expires every issued token, not the static one', async () => {
    const token = (await issue(tokenRequest())).headers.get('x-subject-token')!;
    h.sim.simulator.expireTokens();
    expect(await h.api('GET', 'jobs', { auth: { token } })).toMatchObject(apig401('token expires'));
    expect((await h.api('GET', 'jobs', { auth: { token: DEMO_TOKEN } })).status).toBe(200);
    const fresh = (await issue(tokenRequest())).headers.get('x-subject-token')!;
    expect((await h.api('GET', 'jobs', { auth: { token: fresh } })).status).toBe(200);
    expect(h.sim.simulator.iam.requests).toBe(2);
  });

  test('a token never issued is refused', async () => {
    expect(await h.api('GET', 'jobs', { auth: { token: 'MIIforged' } })).toMatchObject(
      apig401('token invalid'),
    );
  });

  test('wrong password or domain: 401 with a Keystone body; no token', async () => {
    for (const changes of [{ password: 'nope' }, { domain: 'other_account' }]) {
      const refused = await issue(tokenRequest(changes));
      expect(refused).toMatchObject({
        status: 401,
        json: { error: { code: 401, message: 'The username or password is wrong.', title: 'Unauthorized' } },
      });
      expect(refused.headers.get('x-subject-token')).toBeNull();
    }
  });

  test('the scope: this project by id or by name; anything else and malformed bodies are 400', async () => {
    expect((await issue(tokenRequest({ project: { name: DEMO_PROJECT_NAME } }))).status).toBe(201);
    expect((await issue(tokenRequest({ project: { id: 'ffffffffffffffffffffffffffffffff' } }))).status).toBe(
      400,
    );
    expect((await issue(tokenRequest({ project: { name: 'eu-nl' } }))).status).toBe(400);
    for (const body of ['not json', {}, { auth: { identity: { methods: ['token'] } } }]) {
      expect(await issue(body)).toMatchObject({
        status: 400,
        json: { error: { code: 400, title: 'Bad Request' } },
      });
    }
    const { scope: _scope, ...noScope } = tokenRequest().auth;
    expect((await issue({ auth: noScope })).status).toBe(400);
    expect(h.sim.simulator.iam.requests).toBe(7);
  });
});
