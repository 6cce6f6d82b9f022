/**
 * Huawei Cloud API gateway "SDK-HMAC-SHA256" request signing (AK/SK), as published in the
 * API Request Signing Guide and implemented by the official SDKs. Pure functions, no I/O.
 * The simulator verifies signatures with the same canonical form (see verifySignature).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const ALGORITHM = 'SDK-HMAC-SHA256';
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface AkSk {
  accessKey: string;
  secretKey: string;
  /** For temporary credentials: sent (and signed) as X-Security-Token. */
  securityToken?: string;
}

export interface RequestToSign {
  method: string;
  url: URL;
  /** Headers that will be sent. All of them are signed, as the official Node SDK does. */
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** `YYYYMMDDTHHMMSSZ` in UTC. */
export function sdkDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** RFC 3986 percent-encoding of UTF-8 bytes: unreserved characters stay, the rest become upper-case %XX. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Each path segment decoded then canonically encoded, always ending in `/` (for signing only). */
export function canonicalUri(pathname: string): string {
  const path = pathname
    .split('/')
    .map((segment) => percentEncode(safeDecode(segment)))
    .join('/');
  return path.endsWith('/') ? path : `${path}/`;
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Names sorted by code unit, a repeated name once per value with its values sorted. */
export function canonicalQuery(params: URLSearchParams): string {
  const byName = new Map<string, string[]>();
  for (const [name, value] of params) {
    const values = byName.get(name);
    if (values) values.push(value);
    else byName.set(name, [value]);
  }
  return [...byName.keys()]
    .sort(byCodeUnit)
    .flatMap((name) =>
      byName
        .get(name)!
        .sort(byCodeUnit)
        .map((value) => `${percentEncode(name)}=${percentEncode(value)}`),
    )
    .join('&');
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface CanonicalParts {
  method: string;
  url: URL;
  /** Lower-case name → value, for the signed headers only. */
  signedHeaders: Record<string, string>;
  body?: string | Uint8Array;
  /** An `X-Sdk-Content-Sha256` value, which replaces the body hash (e.g. `UNSIGNED-PAYLOAD`). */
  contentSha256?: string;
}

export function canonicalRequest(parts: CanonicalParts): { canonical: string; signedHeaderNames: string } {
  const names = Object.keys(parts.signedHeaders).sort(byCodeUnit);
  const headerBlock = names.map((name) => `${name}:${parts.signedHeaders[name]!.trim()}\n`).join('');
  const signedHeaderNames = names.join(';');
  const payloadHash =
    parts.contentSha256 ?? (parts.body && parts.body.length > 0 ? sha256Hex(parts.body) : EMPTY_BODY_SHA256);
  const canonical = [
    parts.method.toUpperCase(),
    canonicalUri(parts.url.pathname),
    canonicalQuery(parts.url.searchParams),
    headerBlock,
    signedHeaderNames,
    payloadHash,
  ].join('\n');
  return { canonical, signedHeaderNames };
}

export function stringToSign(date: string, canonical: string): string {
  return `${ALGORITHM}\n${date}\n${sha256Hex(canonical)}`;
}

export function signature(secretKey: string, toSign: string): string {
  return createHmac('sha256', Buffer.from(secretKey, 'utf8')).update(toSign).digest('hex');
}

/**
 * Returns the headers to send: the request's own headers plus `X-Sdk-Date`, `Host`,
 * `X-Security-Token` (temporary credentials) and `Authorization`.
 */
export function signRequest(request: RequestToSign, credentials: AkSk, now: Date): Record<string, string> {
  const date = sdkDate(now);
  const headers: Record<string, string> = { ...request.headers, 'X-Sdk-Date': date, Host: request.url.host };
  if (credentials.securityToken) headers['X-Security-Token'] = credentials.securityToken;

  const signedHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) signedHeaders[name.toLowerCase()] = value;
  const { canonical, signedHeaderNames } = canonicalRequest({
    method: request.method,
    url: request.url,
    signedHeaders,
    body: request.body,
    contentSha256: signedHeaders['x-sdk-content-sha256'],
  });
  const sig = signature(credentials.secretKey, stringToSign(date, canonical));
  headers.Authorization = `${ALGORITHM} Access=${credentials.accessKey}, SignedHeaders=${signedHeaderNames}, Signature=${sig}`;
  return headers;
}

export interface ParsedAuthorization {
  accessKey: string;
  signedHeaderNames: string[];
  signature: string;
}

export function parseAuthorization(value: string): ParsedAuthorization | undefined {
  const match =
    /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)$/.exec(
      value.trim(),
    );
  if (!match) return undefined;
  return {
    accessKey: match[1]!,
    signedHeaderNames: match[2]!.split(';'),
    signature: match[3]!.toLowerCase(),
  };
}

export type VerifyResult = { ok: true; accessKey: string } | { ok: false; reason: string };

/**
 * Checks a received request the way the gateway does. `headers` are the received headers with
 * lower-case names; `secretFor` returns the secret of an access key, or undefined if it is unknown.
 * Reasons mirror the gateway's `APIG.0301` texts.
 */
export function verifySignature(
  request: {
    method: string;
    url: URL;
    headers: Record<string, string | undefined>;
    body?: Uint8Array | string;
  },
  secretFor: (accessKey: string) => string | undefined,
  options: { now: Date; maxSkewMs: number },
): VerifyResult {
  const authorization = request.headers.authorization;
  if (!authorization) return { ok: false, reason: 'x-auth-token not found' };
  const parsed = parseAuthorization(authorization);
  if (!parsed) return { ok: false, reason: 'calc ak sk signature fail:authorization format error' };
  const date = request.headers['x-sdk-date'];
  if (!date || !/^\d{8}T\d{6}Z$/.test(date))
    return { ok: false, reason: 'calc ak sk signature fail:x-sdk-date error' };
  const sentAt = Date.UTC(
    +date.slice(0, 4),
    +date.slice(4, 6) - 1,
    +date.slice(6, 8),
    +date.slice(9, 11),
    +date.slice(11, 13),
    +date.slice(13, 15),
  );
  if (Math.abs(options.now.getTime() - sentAt) > options.maxSkewMs) {
    return { ok: false, reason: 'calc ak sk signature fail:signature expired' };
  }
  if (!parsed.signedHeaderNames.includes('x-sdk-date')) {
    return { ok: false, reason: 'calc ak sk signature fail:x-sdk-date not signed' };
  }
  const secret = secretFor(parsed.accessKey);
  if (secret === undefined) return { ok: false, reason: 'verify aksk signature fail:access key not found' };

  const signedHeaders: Record<string, string> = {};
  for (const name of parsed.signedHeaderNames) {
    const value = request.headers[name];
    if (value === undefined)
      return { ok: false, reason: `verify aksk signature fail:header ${name} not found` };
    signedHeaders[name] = value;
  }
  const { canonical } = canonicalRequest({
    method: request.method,
    url: request.url,
    signedHeaders,
    body: request.body,
    contentSha256: request.headers['x-sdk-content-sha256'],
  });
  const expected = Buffer.from(signature(secret, stringToSign(date, canonical)), 'utf8');
  const received = Buffer.from(parsed.signature, 'utf8');
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
    return { ok: false, reason: 'verify aksk signature fail' };
  }
  return { ok: true, accessKey: parsed.accessKey };
}
