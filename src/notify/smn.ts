/**
 * Huawei Cloud SMN HTTP(S) subscriptions, the parts that need no server: parse a POSTed message, check that SMN
 * signed it (certificate fetched only from SMN's own host, over HTTPS, bounded and cached), refuse old, future,
 * foreign-topic and repeated messages, and read which DataArts job a notification is about. A notification is
 * only a wake-up for the sweep: nothing here trusts, keeps or logs what a message says beyond that job name.
 * The fields SMN signs, and in which order, are in the README ("DataArts notifications").
 */
import { type KeyObject, verify, X509Certificate } from 'node:crypto';
import { isJobName } from '../dataarts/refs';

export type SmnMessageType = 'SubscriptionConfirmation' | 'Notification' | 'UnsubscribeConfirmation';

/** What every SMN message carries (our names for SMN's snake_case fields). */
interface SmnMessageBase {
  signature: string;
  topicUrn: string;
  messageId: string;
  signatureVersion: 'v1';
  message: string;
  signingCertUrl: string;
  /** As sent (it is signed as text); `at` is the same instant in epoch ms. */
  timestamp: string;
  at: number;
}

export interface SmnNotification extends SmnMessageBase {
  type: 'Notification';
  /** Absent when SMN sent none or an empty one (it is then not signed). */
  subject?: string;
  unsubscribeUrl?: string;
}

export interface SmnConfirmation extends SmnMessageBase {
  type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  subscribeUrl: string;
}

export type SmnMessage = SmnNotification | SmnConfirmation;

const TYPES: readonly string[] = ['SubscriptionConfirmation', 'Notification', 'UnsubscribeConfirmation'];
const MAX_MESSAGE_BYTES = 256 * 1024;
const MAX_ID = 200;
/** `urn:smn:<region>:<project id>:<topic name>`, and a topic name may have 255 characters. */
const MAX_TOPIC_URN = 512;
const MAX_URL = 2048;
const MAX_SUBJECT = 1024;
/** RSA 4096 gives 684 base64 characters; SMN uses 2048 (344). */
const MAX_SIGNATURE = 1024;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** ISO 8601 with a zone: `2026-12-06T03:00:00Z`, fractions and `+08:00` tolerated. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const FUTURE_SLACK_MS = 5 * 60_000;

/** A JSON object (not an array, not null). */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A required string field within `max` characters, or the sentence saying why not. */
function text(body: Record<string, unknown>, key: string, max: number): string | { problem: string } {
  const value = body[key];
  if (typeof value !== 'string' || value === '') return { problem: `${key} is missing or not a string` };
  if (value.length > max) return { problem: `${key} is longer than ${max} characters` };
  return value;
}

/** An optional string field: undefined when absent, null or empty. */
function optionalText(
  body: Record<string, unknown>,
  key: string,
  max: number,
): string | undefined | { problem: string } {
  const value = body[key];
  if (value === undefined || value === null || value === '') return undefined;
  return text(body, key, max);
}

/** A POSTed SMN body, checked for shape, types and sizes; a problem sentence (never quoting the body) otherwise. */
export function parseSmnMessage(body: unknown): SmnMessage | { problem: string } {
  if (!isRecord(body)) return { problem: 'the body is not a JSON object' };
  const type = body.type;
  if (typeof type !== 'string' || !TYPES.includes(type))
    return { problem: 'type is not an SMN message type' };
  // Written `v1` in SMN's examples and `V1` in its field table; it is not signed, so either case will do.
  if (typeof body.signature_version !== 'string' || body.signature_version.toLowerCase() !== 'v1')
    return { problem: 'signature_version is not v1' };
  const fields = {
    signature: text(body, 'signature', MAX_SIGNATURE),
    topicUrn: text(body, 'topic_urn', MAX_TOPIC_URN),
    messageId: text(body, 'message_id', MAX_ID),
    message: text(body, 'message', MAX_MESSAGE_BYTES),
    signingCertUrl: text(body, 'signing_cert_url', MAX_URL),
    timestamp: text(body, 'timestamp', 40),
  };
  for (const value of Object.values(fields)) if (typeof value !== 'string') return value;
  const { signature, topicUrn, messageId, message, signingCertUrl, timestamp } = fields as Record<
    keyof typeof fields,
    string
  >;
  if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES) return { problem: 'message is larger than 256 KB' };
  if (!BASE64.test(signature)) return { problem: 'signature is not base64' };
  const at = TIMESTAMP.test(timestamp) ? Date.parse(timestamp) : Number.NaN;
  if (!Number.isFinite(at)) return { problem: 'timestamp is not an ISO 8601 time' };
  const base = {
    signature,
    topicUrn,
    messageId,
    signatureVersion: 'v1' as const,
    message,
    signingCertUrl,
    timestamp,
    at,
  };
  if (type === 'Notification') {
    const subject = optionalText(body, 'subject', MAX_SUBJECT);
    const unsubscribeUrl = optionalText(body, 'unsubscribe_url', MAX_URL);
    if (typeof subject === 'object') return subject;
    if (typeof unsubscribeUrl === 'object') return unsubscribeUrl;
    return {
      type,
      ...base,
      ...(subject === undefined ? {} : { subject }),
      ...(unsubscribeUrl === undefined ? {} : { unsubscribeUrl }),
    };
  }
  const subscribeUrl = text(body, 'subscribe_url', MAX_URL);
  if (typeof subscribeUrl !== 'string') return subscribeUrl;
  return { type: type as SmnConfirmation['type'], ...base, subscribeUrl };
}

/** The text SMN signs: `key\nvalue\n` for each signed field, in SMN's order. */
export function stringToSign(message: SmnMessage): string {
  // The one field that differs: a Notification signs its subject (when it has one), a confirmation its subscribe_url.
  const third: [string, string | undefined] =
    message.type === 'Notification' ? ['subject', message.subject] : ['subscribe_url', message.subscribeUrl];
  const pairs: [string, string | undefined][] = [
    ['message', message.message],
    ['message_id', message.messageId],
    third,
    ['timestamp', message.timestamp],
    ['topic_urn', message.topicUrn],
    ['type', message.type],
  ];
  return pairs
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}\n${value}\n`)
    .join('');
}

/** Why a URL from a message may not be followed, or undefined when it may (https, allowed host, no userinfo). */
function urlProblem(raw: string, hosts: readonly string[], allowHttpLoopback: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  const loopbackHttp = allowHttpLoopback && url.protocol === 'http:' && url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !loopbackHttp) return 'not https';
  if (url.username !== '' || url.password !== '') return 'has user information';
  // URL.host keeps a port only when it is not the scheme's default: a port must be in the allowed entry.
  const host = url.host.toLowerCase();
  if (!hosts.some((allowed) => allowed.toLowerCase() === host)) return 'not on an allowed SMN host';
  return undefined;
}

/** True when a SubscriptionConfirmation's `subscribe_url` may be fetched: https (or allowed loopback http) to an allowed host. */
export function subscribeUrlAllowed(
  url: string,
  hosts: readonly string[],
  allowHttpLoopback = false,
): boolean {
  return urlProblem(url, hosts, allowHttpLoopback) === undefined;
}

/** SMN's host in the DataArts endpoint's region and cloud: `dayu-dlf.eu-de.otc.t-systems.com` → `smn.eu-de.otc.t-systems.com`. */
export function smnHostsFor(dataartsEndpoint: string): string[] {
  let hostname: string;
  try {
    hostname = new URL(dataartsEndpoint.includes('://') ? dataartsEndpoint : `https://${dataartsEndpoint}`)
      .hostname;
  } catch {
    return [];
  }
  hostname = hostname.toLowerCase().replace(/\.$/, '');
  const labels = hostname.split('.');
  const isIp = /^[\d.]+$/.test(hostname) || hostname.startsWith('[') || hostname.includes(':');
  if (isIp || hostname === 'localhost' || labels.length < 3 || labels.some((label) => label === ''))
    return [];
  return [`smn.${labels.slice(1).join('.')}`];
}

/** The answer of a fetch that SigningCerts needs: status and a body stream. */
export interface CertResponse {
  ok: boolean;
  status: number;
  body: ReadableStream<Uint8Array> | null;
}

/** A `fetch`-like function (global `fetch` by default). */
export type CertFetch = (
  url: string,
  init: { signal: AbortSignal; redirect: 'error' },
) => Promise<CertResponse>;

export interface SigningCertsOptions {
  /** SMN hosts certificates may come from, e.g. `smn.eu-de.otc.t-systems.com`; a port only if in the entry. */
  hosts: readonly string[];
  fetch?: CertFetch;
  /** For tests and the simulator only: `http://127.0.0.1:<port>/…pem` passes when `127.0.0.1:<port>` is in hosts. */
  allowHttpLoopback?: boolean;
  timeoutMs?: number;
  maxEntries?: number;
  ttlMs?: number;
  /** New certificates fetched at most this often a minute (default 10). */
  fetchesPerMinute?: number;
}

/** `hash` is the digest SMN signs messages with: the certificate's own signature hash (SHA-256 in practice). */
export type CertAnswer = { ok: true; key: KeyObject; hash: string } | { ok: false; problem: string };

interface CachedCert {
  key: KeyObject;
  hash: string;
  validFrom: number;
  validTo: number;
  fetchedAt: number;
}

const MAX_CERT_BYTES = 64 * 1024;

/**
 * sha*WithRSAEncryption (1.2.840.113549.1.1.x), as DER bytes in hex, and their digests. SHA-1 is left out on
 * purpose: a certificate signed with it does not make SHA-1 message signatures acceptable (SHA-256 is checked).
 */
const RSA_SIGNATURE_HASHES: Record<string, string> = {
  '2a864886f70d01010e': 'sha224',
  '2a864886f70d01010b': 'sha256',
  '2a864886f70d01010c': 'sha384',
  '2a864886f70d01010d': 'sha512',
};

/** One DER element's header at `at`: where its content starts and how long it is. */
function derElement(der: Buffer, at: number): { tag: number; start: number; length: number } {
  const tag = der[at] ?? -1;
  let length = der[at + 1] ?? 0;
  let start = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes < 1 || bytes > 4) throw new Error('unsupported DER length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + (der[start + i] ?? 0);
    start += bytes;
  }
  if (start + length > der.length) throw new Error('DER element beyond its certificate');
  return { tag, start, length };
}

/**
 * The digest of the certificate's own signature algorithm. Huawei's SMN sample verifies messages with
 * `Signature.getInstance(cert.getSigAlgName())`, so the message hash follows the certificate's; SHA-256 when
 * the algorithm is not an RSA one we know.
 */
function certificateHash(der: Buffer): string {
  try {
    // Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE { OID, … }, signature }
    const certificate = derElement(der, 0);
    const tbs = derElement(der, certificate.start);
    const algorithm = derElement(der, tbs.start + tbs.length);
    const oid = derElement(der, algorithm.start);
    if (oid.tag !== 0x06) return 'sha256';
    return RSA_SIGNATURE_HASHES[der.subarray(oid.start, oid.start + oid.length).toString('hex')] ?? 'sha256';
  } catch {
    return 'sha256';
  }
}

/** Reads at most `limit` bytes of a body; undefined when it is longer. */
async function readBounded(body: ReadableStream<Uint8Array>, limit: number): Promise<Buffer | undefined> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
}

/** SMN signing certificates by URL: fetched from allowed hosts only, bounded, cached, checked for validity at each use. */
export class SigningCerts {
  private readonly hosts: readonly string[];
  private readonly fetch: CertFetch;
  private readonly allowHttpLoopback: boolean;
  private readonly timeoutMs: number;
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly cache = new Map<string, CachedCert>();
  /** Fetches under way, so a burst of messages signed with one new certificate fetches it once. */
  private readonly pending = new Map<string, Promise<CachedCert | { problem: string }>>();
  /** When each of the last minute's fetches started: messages naming ever new `.pem` paths cost a few at most. */
  private readonly fetchedAt: number[] = [];
  private readonly fetchesPerMinute: number;

  /** Defaults: global fetch, 5 s timeout, 20 entries, 24 h. */
  constructor(options: SigningCertsOptions) {
    this.hosts = options.hosts;
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.allowHttpLoopback = options.allowHttpLoopback ?? false;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.maxEntries = options.maxEntries ?? 20;
    this.ttlMs = options.ttlMs ?? 24 * 60 * 60_000;
    this.fetchesPerMinute = options.fetchesPerMinute ?? 10;
  }

  /** Why this URL may not serve a signing certificate, or undefined when it may. */
  urlProblem(url: string): string | undefined {
    const problem = urlProblem(url, this.hosts, this.allowHttpLoopback);
    if (problem) return problem;
    return new URL(url).pathname.endsWith('.pem') ? undefined : 'not a .pem path';
  }

  /** The public key of the certificate at `url`, if it may be fetched and is valid at `now`. */
  async key(url: string, now: number): Promise<CertAnswer> {
    const problem = this.urlProblem(url);
    if (problem) return { ok: false, problem: `signing_cert_url ${problem}` };
    let cert = this.cache.get(url);
    if (cert && now - cert.fetchedAt > this.ttlMs) {
      this.cache.delete(url);
      cert = undefined;
    }
    if (!cert) {
      let fetching = this.pending.get(url);
      if (!fetching) {
        while (this.fetchedAt.length > 0 && now - (this.fetchedAt[0] ?? now) >= 60_000)
          this.fetchedAt.shift();
        if (this.fetchedAt.length >= this.fetchesPerMinute)
          return { ok: false, problem: 'too many signing certificates fetched in the last minute' };
        this.fetchedAt.push(now);
        fetching = this.load(url, now).finally(() => this.pending.delete(url));
        this.pending.set(url, fetching);
      }
      const loaded = await fetching;
      if ('problem' in loaded) return { ok: false, problem: loaded.problem };
      cert = loaded;
    }
    if (now < cert.validFrom || now > cert.validTo)
      return { ok: false, problem: 'the signing certificate is outside its validity dates' };
    return { ok: true, key: cert.key, hash: cert.hash };
  }

  /** Fetches and parses one certificate, and caches it (the oldest entry leaves first). */
  private async load(url: string, now: number): Promise<CachedCert | { problem: string }> {
    let pem: Buffer | undefined;
    try {
      const response = await this.fetch(url, {
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
      if (!response.ok || !response.body)
        return { problem: `the signing certificate could not be fetched (HTTP ${response.status})` };
      pem = await readBounded(response.body, MAX_CERT_BYTES);
    } catch (error) {
      // A DOMException (the timeout) need not be an Error of this realm: its name says what happened.
      const name = typeof error === 'object' && error !== null && 'name' in error ? error.name : undefined;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      return {
        problem: `the signing certificate could not be fetched (${timedOut ? 'timeout' : 'network'})`,
      };
    }
    if (!pem) return { problem: 'the signing certificate is larger than 64 KB' };
    let cert: CachedCert;
    try {
      const x509 = new X509Certificate(pem);
      const key = x509.publicKey;
      if (key.asymmetricKeyType !== 'rsa') return { problem: 'the signing certificate has no RSA key' };
      cert = {
        key,
        hash: certificateHash(x509.raw),
        validFrom: Date.parse(x509.validFrom),
        validTo: Date.parse(x509.validTo),
        fetchedAt: now,
      };
    } catch {
      return { problem: 'the signing certificate is no X.509 PEM certificate' };
    }
    if (!Number.isFinite(cert.validFrom) || !Number.isFinite(cert.validTo))
      return { problem: 'the signing certificate has unreadable validity dates' };
    this.cache.set(url, cert);
    while (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    return cert;
  }
}

export type SmnRefusal = 'topic' | 'stale' | 'future' | 'cert' | 'signature' | 'replay';

export interface VerifyDeps {
  certs: SigningCerts;
  /** Topic URNs we subscribed to; anything else is refused. */
  topics: readonly string[];
  now: number;
  maxAgeMs: number;
  /** Records a message id; true the first time. Called only for a message whose signature verified. */
  seen: (messageId: string) => Promise<boolean>;
}

/** Whether SMN sent this message for one of our topics, recently, once: cheap checks first, `seen` last. */
export async function verifySmnMessage(
  message: SmnMessage,
  deps: VerifyDeps,
): Promise<{ ok: true } | { ok: false; reason: SmnRefusal }> {
  if (!deps.topics.includes(message.topicUrn)) return { ok: false, reason: 'topic' };
  if (deps.now - message.at > deps.maxAgeMs) return { ok: false, reason: 'stale' };
  if (message.at - deps.now > FUTURE_SLACK_MS) return { ok: false, reason: 'future' };
  const cert = await deps.certs.key(message.signingCertUrl, deps.now);
  if (!cert.ok) return { ok: false, reason: 'cert' };
  let signed = false;
  try {
    signed = verify(
      cert.hash,
      Buffer.from(stringToSign(message)),
      cert.key,
      Buffer.from(message.signature, 'base64'),
    );
  } catch {
    signed = false;
  }
  if (!signed) return { ok: false, reason: 'signature' };
  if (!(await deps.seen(message.messageId))) return { ok: false, reason: 'replay' };
  return { ok: true };
}

/** Keys of the notification's JSON that may hold the job's name; `name` keys first (`jobName`, `作业名称`). */
const JOB_KEY = /job|作业/i;
const NOT_A_NAME_KEY = /id|status|state|instance|time|type|result|状态|实例|时间|类型|结果/i;
const NAME_KEY = /name|名/i;

/** The notification's JSON `message` as an object, or undefined (also for JSON in a JSON string, unwrapped once). */
function messageObject(message: string): Record<string, unknown> | undefined {
  try {
    let parsed: unknown = JSON.parse(message);
    if (typeof parsed === 'string') parsed = JSON.parse(parsed);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The DataArts job a Notification names (subject `[job]` first, then the message's job field); undefined if none is valid. */
export function jobNamed(message: SmnMessage): string | undefined {
  if (message.type !== 'Notification') return undefined;
  const bracketed = /\[([^\]]{1,200})\]/.exec(message.subject ?? '')?.[1]?.trim();
  if (bracketed !== undefined && isJobName(bracketed)) return bracketed;
  const fields = messageObject(message.message);
  if (!fields) return undefined;
  const keys = Object.keys(fields).filter((key) => JOB_KEY.test(key) && !NOT_A_NAME_KEY.test(key));
  const ranked = [...keys.filter((key) => NAME_KEY.test(key)), ...keys.filter((key) => !NAME_KEY.test(key))];
  for (const key of ranked) {
    const value = fields[key];
    if (typeof value === 'string' && isJobName(value.trim())) return value.trim();
  }
  return undefined;
}
