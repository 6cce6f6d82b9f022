import { createHash } from 'node:crypto';
import {
  canonicalRequest,
  canonicalUri,
  parseAuthorization,
  signature,
  signRequest,
  stringToSign,
  verifySignature,
} from '../../../src/dataarts/auth/signer';

const A = { accessKey: 'QTWAOYTTINDUT2QVKYUC', secretKey: 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc' };
const DATE_A = new Date(Date.UTC(2019, 10, 15, 3, 36, 55)); // 20191115T033655Z

function sigOf(headers: Record<string, string>): string {
  return parseAuthorization(headers.Authorization!)!.signature;
}

describe('SDK-HMAC-SHA256 signer: published vectors', () => {
  test('vector A (Huawei signing guide)', () => {
    const url = new URL(
      'https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
    );
    const { canonical } = canonicalRequest({
      method: 'GET',
      url,
      signedHeaders: {
        'content-type': 'application/json',
        host: 'service.region.example.com',
        'x-sdk-date': '20191115T033655Z',
      },
    });
    expect(createHash('sha256').update(canonical).digest('hex')).toBe(
      'b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a',
    );
    const headers = signRequest(
      { method: 'GET', url, headers: { 'Content-Type': 'application/json' } },
      A,
      DATE_A,
    );
    expect(headers.Authorization).toBe(
      'SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe',
    );
    expect(headers['X-Sdk-Date']).toBe('20191115T033655Z');
    expect(headers.Host).toBe('service.region.example.com');
  });

  test('vector A with an explicit :443 port changes the canonical hash', () => {
    const { canonical } = canonicalRequest({
      method: 'GET',
      url: new URL(
        'https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
      ),
      signedHeaders: {
        'content-type': 'application/json',
        host: 'service.region.example.com:443',
        'x-sdk-date': '20191115T033655Z',
      },
    });
    expect(createHash('sha256').update(canonical).digest('hex')).toMatch(/^c44bc18f.*07d6$/);
  });

  test('vector B (Go SDK signer tests)', () => {
    const creds = { accessKey: 'AccessKey', secretKey: 'SecretKey' };
    // The Go SDK signs x-sdk-date only: sign with no other header and no Host in the signed set.
    const sign = (method: string, url: string, body?: string) => {
      const { canonical } = canonicalRequest({
        method,
        url: new URL(url),
        signedHeaders: { 'x-sdk-date': '20060102T150405Z' },
        body,
      });
      return signature(creds.secretKey, stringToSign('20060102T150405Z', canonical));
    };
    expect(sign('GET', 'https://example.huaweicloud.com/path?limit=1')).toBe(
      '5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624',
    );
    expect(sign('POST', 'https://example.huaweicloud.com/path?key=value', '{"Name":"test","Id":1}\n')).toBe(
      'cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59',
    );
  });

  const DLF = 'https://dayu-dlf.eu-de.otc.t-systems.com/v1/b384b9e9ab9b4ee8994c8633aabc9505';

  test('DLF-shaped: instance list with a workspace header', () => {
    const headers = signRequest(
      {
        method: 'GET',
        url: new URL(`${DLF}/jobs/instances/detail?jobName=job_batch&limit=1&preciseQuery=true`),
        headers: { 'content-type': 'application/json', workspace: 'd1cd7861478748a6925bc02f47c69279' },
      },
      A,
      DATE_A,
    );
    expect(headers.Authorization).toContain('SignedHeaders=content-type;host;workspace;x-sdk-date,');
    expect(sigOf(headers)).toBe('0e0a8dedbcd50e0b761004a477accd7d8001e6ccc8df5b99adc2d6833d77708a');
  });

  test('DLF-shaped: stop with no body', () => {
    const headers = signRequest(
      {
        method: 'POST',
        url: new URL(`${DLF}/jobs/job_batch/instances/34765/stop`),
        headers: { 'content-type': 'application/json' },
      },
      A,
      DATE_A,
    );
    expect(sigOf(headers)).toBe('a00d6b5016843617c83d01052596112af1b5e7bfcf3bb2b112311f2c6d08f7c8');
  });

  test('DLF-shaped: run-immediate with a JSON body', () => {
    const headers = signRequest(
      {
        method: 'POST',
        url: new URL(`${DLF}/jobs/myJob/run-immediate`),
        headers: { 'content-type': 'application/json' },
        body: '{"jobParams":[{"name":"aaa","value":"111"}]}',
      },
      A,
      DATE_A,
    );
    expect(sigOf(headers)).toBe('8f01dee8f08f175de74d5d0a029bbb8b3ef504431de3b2404f1a99d6b34a1776');
  });
});

describe('canonical URI', () => {
  test('appends a slash, keeps unreserved characters, encodes the rest of each decoded segment', () => {
    expect(canonicalUri('/v1/p/jobs/job_batch/instances/34765')).toBe(
      '/v1/p/jobs/job_batch/instances/34765/',
    );
    expect(canonicalUri('/v1/p/jobs/%E6%95%B0%E6%8D%AE%20x')).toBe('/v1/p/jobs/%E6%95%B0%E6%8D%AE%20x/');
    expect(canonicalUri('/a/b/')).toBe('/a/b/');
    expect(canonicalUri("/a/it's(1)*")).toBe('/a/it%27s%281%29%2A/');
  });
});

describe('verifySignature', () => {
  const url = new URL('http://127.0.0.1:8080/v1/p/jobs/job_batch/instances/34765');
  const now = new Date('2026-01-01T00:00:00Z');
  const secretFor = (ak: string) => (ak === A.accessKey ? A.secretKey : undefined);
  const lower = (headers: Record<string, string>) =>
    Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

  test('accepts what signRequest produced, rejects tampering, skew and unknown keys', () => {
    const headers = lower(signRequest({ method: 'GET', url, headers: { workspace: 'w1' } }, A, now));
    const verify = (h: Record<string, string>, at = now, u = url) =>
      verifySignature({ method: 'GET', url: u, headers: h }, secretFor, { now: at, maxSkewMs: 15 * 60_000 });
    expect(verify(headers)).toEqual({ ok: true, accessKey: A.accessKey });
    expect(verify({ ...headers, workspace: 'w2' })).toEqual({
      ok: false,
      reason: 'verify aksk signature fail',
    });
    expect(
      verify(headers, now, new URL('http://127.0.0.1:8080/v1/p/jobs/job_batch/instances/34766')),
    ).toMatchObject({
      ok: false,
    });
    expect(verify(headers, new Date(now.getTime() + 16 * 60_000))).toEqual({
      ok: false,
      reason: 'calc ak sk signature fail:signature expired',
    });
    expect(
      verify({ ...headers, authorization: headers.authorization!.replace(A.accessKey, 'OTHER') }),
    ).toMatchObject({
      ok: false,
      reason: expect.stringContaining('access key not found'),
    });
    expect(verify({})).toEqual({ ok: false, reason: 'x-auth-token not found' });
  });
});
