/** The IAM token endpoint (`POST /v3/auth/tokens`, password method, project scope) and the tokens it issued. */
import { randomBytes } from 'node:crypto';

export interface IamUser {
  domain: string;
  name: string;
  password: string;
}

export type IamAnswer = { status: number; headers: Record<string, string>; body: unknown };

export class Iam {
  private readonly issued = new Map<string, { expiresAt: number; projectId: string }>();
  requests = 0;

  constructor(
    private readonly users: IamUser[],
    private readonly projectId: string,
    private readonly ttlMs: number,
    private readonly clock: () => number,
  ) {}

  issue(body: unknown): IamAnswer {
    this.requests += 1;
    const auth = (body as { auth?: Record<string, unknown> } | undefined)?.auth as
      | {
          identity?: {
            methods?: unknown;
            password?: { user?: { name?: unknown; password?: unknown; domain?: { name?: unknown } } };
          };
          scope?: { project?: { id?: unknown; name?: unknown } };
        }
      | undefined;
    const user = auth?.identity?.password?.user;
    const methods = auth?.identity?.methods;
    if (!user || !Array.isArray(methods) || !methods.includes('password')) {
      return keystoneError(400, 'Bad Request', 'The request body is invalid.');
    }
    const known = this.users.find(
      (candidate) =>
        candidate.name === user.name &&
        candidate.password === user.password &&
        candidate.domain === user.domain?.name,
    );
    if (!known) return keystoneError(401, 'Unauthorized', 'The username or password is wrong.');
    const project = auth?.scope?.project;
    if (!project || (project.id !== this.projectId && project.name === undefined)) {
      return keystoneError(400, 'Bad Request', 'The project scope is invalid.');
    }
    const token = `MIIsim${randomBytes(48).toString('base64url')}`;
    const expiresAt = this.clock() + this.ttlMs;
    this.issued.set(token, { expiresAt, projectId: this.projectId });
    return {
      status: 201,
      headers: { 'X-Subject-Token': token },
      body: {
        token: {
          expires_at: new Date(expiresAt).toISOString().replace('Z', '000Z'),
          issued_at: new Date(this.clock()).toISOString(),
          methods: ['password'],
          project: { id: this.projectId, name: 'eu-de', domain: { name: known.domain } },
          user: { name: known.name, domain: { name: known.domain } },
          catalog: [],
        },
      },
    };
  }

  /** undefined when valid, else the gateway's reason. */
  check(token: string, staticTokens: readonly string[]): string | undefined {
    if (staticTokens.includes(token)) return undefined;
    const entry = this.issued.get(token);
    if (!entry) return 'token invalid';
    if (this.clock() >= entry.expiresAt) return 'token expires';
    return undefined;
  }

  expireAll(): void {
    for (const entry of this.issued.values()) entry.expiresAt = 0;
  }
}

function keystoneError(code: number, title: string, message: string): IamAnswer {
  return { status: code, headers: {}, body: { error: { code, message, title } } };
}
