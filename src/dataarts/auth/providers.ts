/**
 * The three ways to authenticate to DataArts, behind one interface: AK/SK signing, an IAM password token
 * (fetched, cached until shortly before it expires, one refresh at a time), or a static token.
 */
import { AuthFailedError, UnavailableError } from '../errors';
import type { HttpRequest, Transport } from '../transport';
import { type AkSk, signRequest } from './signer';

export interface RequestToAuthorize {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

export interface AuthProvider {
  /** How this provider authenticates, for messages (never contains a secret). */
  readonly description: string;
  /** The headers to send: the request's own plus the authentication ones. */
  authorize(request: RequestToAuthorize): Promise<Record<string, string>>;
  /** After a 401: forget cached credentials. True when trying once more can help. */
  invalidate(): boolean;
  /** The secret values this provider holds, so error texts can be scrubbed of them. */
  secrets(): string[];
}

export class AkSkAuth implements AuthProvider {
  readonly description = 'AK/SK request signing';
  constructor(
    private readonly credentials: AkSk,
    private readonly clock: () => number = Date.now,
  ) {}

  async authorize(request: RequestToAuthorize): Promise<Record<string, string>> {
    return signRequest(request, this.credentials, new Date(this.clock()));
  }

  invalidate(): boolean {
    return false;
  }

  secrets(): string[] {
    return [this.credentials.secretKey, this.credentials.securityToken ?? ''].filter(Boolean);
  }
}

export class StaticTokenAuth implements AuthProvider {
  readonly description = 'a fixed IAM token (DLF_TOKEN)';
  constructor(private readonly token: string) {}

  async authorize(request: RequestToAuthorize): Promise<Record<string, string>> {
    return { ...request.headers, 'X-Auth-Token': this.token };
  }

  invalidate(): boolean {
    return false;
  }

  secrets(): string[] {
    return [this.token];
  }
}

export interface IamPasswordOptions {
  /** IAM base URL, e.g. https://iam.eu-de.otc.t-systems.com */
  iamEndpoint: string;
  domain: string;
  user: string;
  password: string;
  projectId: string;
  transport: Transport;
  timeoutMs: number;
  clock?: () => number;
  /** Refresh this long before `expires_at`. */
  refreshMarginMs?: number;
}

interface CachedToken {
  value: string;
  expiresAt: number;
}

export class IamPasswordAuth implements AuthProvider {
  readonly description: string;
  private cached?: CachedToken;
  private inFlight?: Promise<CachedToken>;
  private readonly clock: () => number;
  private readonly refreshMarginMs: number;

  constructor(private readonly options: IamPasswordOptions) {
    this.description = `an IAM token for user ${options.user} of account ${options.domain}`;
    this.clock = options.clock ?? Date.now;
    this.refreshMarginMs = options.refreshMarginMs ?? 5 * 60_000;
  }

  async authorize(request: RequestToAuthorize): Promise<Record<string, string>> {
    const token = await this.token();
    return { ...request.headers, 'X-Auth-Token': token.value };
  }

  invalidate(): boolean {
    this.cached = undefined;
    return true;
  }

  secrets(): string[] {
    return [this.options.password, this.cached?.value ?? ''].filter(Boolean);
  }

  private async token(): Promise<CachedToken> {
    if (this.cached && this.clock() < this.cached.expiresAt - this.refreshMarginMs) return this.cached;
    // One refresh in flight at a time: concurrent callers share it.
    this.inFlight ??= this.fetchToken().finally(() => {
      this.inFlight = undefined;
    });
    this.cached = await this.inFlight;
    return this.cached;
  }

  private async fetchToken(): Promise<CachedToken> {
    const { iamEndpoint, domain, user, password, projectId, transport, timeoutMs } = this.options;
    const request: HttpRequest = {
      method: 'POST',
      url: new URL('/v3/auth/tokens', iamEndpoint),
      headers: { 'Content-Type': 'application/json;charset=utf8' },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: user, password, domain: { name: domain } } },
          },
          scope: { project: { id: projectId } },
        },
      }),
      timeoutMs,
    };
    let response: Awaited<ReturnType<Transport>>;
    try {
      response = await transport(request);
    } catch (error) {
      if (error instanceof UnavailableError) {
        throw new UnavailableError(error.reason, {
          cause: error.cause,
          message: 'IAM could not be reached.',
        });
      }
      throw error;
    }
    const token = response.header('x-subject-token');
    if (response.status === 201 && token) {
      return { value: token, expiresAt: this.expiresAt(response.text) };
    }
    if (response.status === 401 || response.status === 400 || response.status === 403) {
      throw new AuthFailedError(`IAM refused user ${user} of account ${domain} for project ${projectId}`, {
        httpStatus: response.status,
      });
    }
    if (response.status >= 500 || response.status === 429) {
      throw new UnavailableError('server-error', {
        httpStatus: response.status,
        message: `IAM answered with HTTP ${response.status}.`,
      });
    }
    throw new AuthFailedError(`IAM answered HTTP ${response.status} without a token`, {
      httpStatus: response.status,
    });
  }

  /** `token.expires_at` from the body; without one, assume IAM's documented 24 hours. */
  private expiresAt(body: string): number {
    try {
      const at = Date.parse(
        (JSON.parse(body) as { token?: { expires_at?: string } }).token?.expires_at ?? '',
      );
      if (!Number.isNaN(at)) return at;
    } catch {
      // fall through
    }
    return this.clock() + 24 * 3_600_000;
  }
}
