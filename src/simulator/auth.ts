/**
 * The API gateway's authentication of `/v1/…` calls: an `X-Auth-Token` issued by the IAM endpoint (and not
 * expired) or a static one, else an AK/SK signature checked exactly as the gateway does (signer.ts).
 * Answers a reason for `APIG.0301`, never the credentials themselves.
 */
import { verifySignature } from '../dataarts/auth/signer';
import type { Iam } from './iam';

export interface AuthSettings {
  /** Access key → secret key. */
  accessKeys: Readonly<Record<string, string>>;
  staticTokens: readonly string[];
  maxSkewMs: number;
  iam: Iam;
  clock: () => number;
}

export interface SignedRequest {
  method: string;
  /** Built from the request path and its Host header. */
  url: URL;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** The raw body bytes. */
  body: Buffer;
}

/** undefined when authenticated, else the gateway's reason (e.g. `token expires`, `verify aksk signature fail`). */
export function authFailure(request: SignedRequest, settings: AuthSettings): string | undefined {
  const token = request.headers['x-auth-token'];
  if (token) return settings.iam.check(token, settings.staticTokens);
  const secretFor = (accessKey: string) =>
    Object.hasOwn(settings.accessKeys, accessKey) ? settings.accessKeys[accessKey] : undefined;
  const result = verifySignature(request, secretFor, {
    now: new Date(settings.clock()),
    maxSkewMs: settings.maxSkewMs,
  });
  return result.ok ? undefined : result.reason;
}
