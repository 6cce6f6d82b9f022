/**
 * The IAM token endpoint (`POST /v3/auth/tokens`, password method, project scope; docs §1.2) and the tokens
 * it issued. Errors use Keystone's body, `{"error":{"code","message","title"}}`.
 *
 * Where the docs are silent: a body of the wrong shape is 400; a wrong user, password or domain is 401; a
 * scope other than this project (by id, or by name: the region) is 400; the gateway rejects a token it never issued
 * with "token invalid".
 */
import { randomBytes } from 'node:crypto';

export interface IamUser {
  domain: string;
  name: string;
  password: string;
}

export interface IamAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

interface TokenRequest {
  auth?: {
    identity?: {
      methods?: unknown;
      password?: { user?: { name?: unknown; password?: unknown; domain?: { name?: unknown } } };
    };
    scope?: { project?: { id?: unknown; name?: unknown } };
  };
}

export class Iam {
  private readonly issued = new Map<string, { expiresAt: number }>();
  private readonly temporary = new Map<
    string,
    { secret: string; securitytoken: string; expiresAt: number }
  >();
  /** Temporary AK/SK pairs handed out. */
  temporaryIssued = 0;
  /** Token requests received, answered or not. */
  requests = 0;

  constructor(
    private readonly settings: {
      users: readonly IamUser[];
      projectId: string;
      projectName: string;
      ttlMs: number;
      clock: () => number;
    },
  ) {}

  issue(body: unknown): IamAnswer {
    this.requests += 1;
    const { auth } = (typeof body === 'object' && body !== null ? body : {}) as TokenRequest;
    const methods = auth?.identity?.methods;
    const user = auth?.identity?.password?.user;
    const project = auth?.scope?.project;
    if (
      !Array.isArray(methods) ||
      !methods.includes('password') ||
      typeof user?.name !== 'string' ||
      typeof user.password !== 'string' ||
      typeof user.domain?.name !== 'string' ||
      typeof project !== 'object' ||
      project === null
    ) {
      return keystoneError(400, 'Bad Request', 'The request body is invalid.');
    }
    const known = this.settings.users.find(
      (candidate) =>
        candidate.name === user.name &&
        candidate.password === user.password &&
        candidate.domain === user.domain?.name,
    );
    if (!known) return keystoneError(401, 'Unauthorized', 'The username or password is wrong.');
    const { projectId, projectName, ttlMs, clock } = this.settings;
    if (project.id !== undefined ? project.id !== projectId : project.name !== projectName) {
      return keystoneError(400, 'Bad Request', 'The project in the scope does not exist.');
    }
    const token = `MIIsim${randomBytes(48).toString('base64url')}`;
    const issuedAt = clock();
    const expiresAt = issuedAt + ttlMs;
    this.issued.set(token, { expiresAt });
    return {
      status: 201,
      headers: { 'X-Subject-Token': token },
      body: {
        token: {
          expires_at: keystoneTime(expiresAt),
          methods: ['password'],
          catalog: [],
          project: { id: projectId, name: projectName, domain: { name: known.domain } },
          user: { name: known.name, domain: { name: known.domain } },
          issued_at: keystoneTime(issuedAt),
        },
      },
    };
  }

  /**
   * Temporary AK/SK for a token (`POST /v3.0/OS-CREDENTIAL/securitytokens`, token method): what OBS takes with
   * the security token. Each pair is kept for `temporaryKey` (the simulator's OBS checks signatures with it).
   */
  temporaryKeys(token: string | undefined, staticTokens: readonly string[], body: unknown): IamAnswer {
    if (!token || this.check(token, staticTokens))
      return keystoneError(401, 'Unauthorized', 'The token is invalid or has expired.');
    const identity = (
      body as { auth?: { identity?: { methods?: unknown; token?: { duration_seconds?: unknown } } } }
    )?.auth?.identity;
    if (!Array.isArray(identity?.methods) || !identity.methods.includes('token'))
      return keystoneError(400, 'Bad Request', 'The request body is invalid.');
    const seconds = Number(identity.token?.duration_seconds ?? 900);
    if (!Number.isInteger(seconds) || seconds < 900 || seconds > 86_400)
      return keystoneError(400, 'Bad Request', 'duration_seconds must be between 900 and 86400.');
    const access = `TMP${randomBytes(8).toString('hex').toUpperCase()}`.slice(0, 20);
    const secret = randomBytes(30).toString('base64url');
    const securitytoken = `gQpzaW0${randomBytes(32).toString('base64url')}`;
    const expiresAt = this.settings.clock() + seconds * 1000;
    this.temporary.set(access, { secret, securitytoken, expiresAt });
    this.temporaryIssued += 1;
    return {
      status: 201,
      headers: {},
      body: {
        credential: { access, secret, securitytoken, expires_at: new Date(expiresAt).toISOString() },
      },
    };
  }

  /** The secret and security token of a temporary access key still valid. */
  temporaryKey(access: string): { secret: string; securitytoken: string } | undefined {
    const entry = this.temporary.get(access);
    return entry && this.settings.clock() < entry.expiresAt ? entry : undefined;
  }

  /** undefined when the token is valid, else the gateway's reason. */
  check(token: string, staticTokens: readonly string[]): string | undefined {
    if (staticTokens.includes(token)) return undefined;
    const entry = this.issued.get(token);
    if (!entry) return 'token invalid';
    return this.settings.clock() >= entry.expiresAt ? 'token expires' : undefined;
  }

  expireAll(): void {
    for (const entry of this.issued.values()) entry.expiresAt = Number.NEGATIVE_INFINITY;
  }
}

/** `2019-02-13T06:52:13.855000Z`: microseconds, as in the docs. */
function keystoneTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000Z');
}

function keystoneError(code: number, title: string, message: string): IamAnswer {
  return { status: code, headers: {}, body: { error: { code, message, title } } };
}
