import { sign } from 'node:crypto';
import fc from 'fast-check';
import {
  type CertFetch,
  jobNamed,
  parseSmnMessage,
  SigningCerts,
  type SmnMessage,
  smnHostsFor,
  stringToSign,
  subscribeUrlAllowed,
  type VerifyDeps,
  verifySmnMessage,
} from '../../src/notify/smn';
import { startSmnTopic } from '../../src/simulator/smn';
import { SIMULATOR_SMN_CERT, SIMULATOR_SMN_KEY } from '../../src/simulator/smn-certs';
import { listenLocal } from '../../src/support/http-server';

const HOST = 'smn.eu-de.otc.t-systems.com';
const CERT_URL = `https://${HOST}/smn/SMN_eu-de_0123456789abcdef.pem`;
const TOPIC = 'urn:smn:eu-de:0605767a3300d5762fb0c0186d2f7a24:dlf-jobs';
/** After the fixture certificate's notBefore (2026-12-06T03:05:02Z). */
const NOW = Date.parse('2026-12-07T00:00:00Z');
const STAMP = '2026-12-07T00:00:00Z';

const NOTIFICATION_KEYS = ['message', 'message_id', 'subject', 'timestamp', 'topic_urn', 'type'];
const CONFIRMATION_KEYS = ['message', 'message_id', 'subscribe_url', 'timestamp', 'topic_urn', 'type'];

/**
 * The fixture key in a certificate signed with SHA-1 (`openssl req -x509 -new -key signing-key.pem -sha1`): a
 * test fixture. Huawei's sample verifies with the certificate's own algorithm; the bot never takes SHA-1.
 */
const SHA1_CERT = `-----BEGIN CERTIFICATE-----
MIIDKTCCAhGgAwIBAgIUAefGWEWqTzNe+JXBKJ23SDEK13AwDQYJKoZIhvcNAQEF
BQAwIzEhMB8GA1UEAwwYc21uLXNoYTEuc2ltdWxhdG9yLmxvY2FsMCAXDTI2MTIw
NjAzMTIxM1oYDzIxMjUwNjMwMDMxMjEzWjAjMSEwHwYDVQQDDBhzbW4tc2hhMS5z
aW11bGF0b3IubG9jYWwwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQC9
CchxA59IYld6XNRLHk3ZUZgEU6wL9nQez9s0dkBfM34qkwHFq/uUCsn64NBxcB9U
tCUnIRcTEkInTKLuVz81gTQ4dg443CL8b15gjEl8ou7nbo1uBLiOqjT+JX1PES2x
PFSnSgJqC5sERdIi4tDGb7TEAHWC3laSMiUdh/L66TsBQz1VrchYQgIhYzIE87T/
P5177f+pRnj9cgEEQ5hALWIT3OJdBjhd90oVCLWuCdv0TdGeSDuUxXcSgrMU1QfD
+Bvgs5rMhBA+6jaI0Ogcrffm2irKyz3Hoc1mMHKd7e7cevoYXWPZNTQuRhG0/9JT
4OKJLE+iyL+bUqtIeyTLAgMBAAGjUzBRMB0GA1UdDgQWBBT83wibIt00hdeKorRO
p3qfMbSIhTAfBgNVHSMEGDAWgBT83wibIt00hdeKorROp3qfMbSIhTAPBgNVHRMB
Af8EBTADAQH/MA0GCSqGSIb3DQEBBQUAA4IBAQCP0ANy//H91Zvt8zKNYK0ap0wD
a0tHdGfLoVBffi7FaMQ64guz3TthQ7MBZlg/4t1hVWp4h/9Y2ridFFKDpipzwyHL
WwSBcM4WZ36McTIKJMNtgqufmRDSRULFzXDjfGBde3hRMzAiUSX8rNPI5SdnNZA/
nRF6uqCkE0toq7S/kWIk4U/nkHf46zBg1EWUa6Y8E+m8JS9W8+W5mnbYWAhjT601
AMsIj9n5KpDT6B+G1bGTE0PyEH1zCplNI4cO5c6LT2md9EwqgyxCeI0KzttrWHeB
0aj+LEBgYDoaZXSmd6AIMJqflYcWYkM46a21mjMqKfWds9Im5xNFQiJr5G/v
-----END CERTIFICATE-----
`;

/** Signs wire fields with the fixture key, the way SMN does (written out here, not taken from the module). */
function signWire(wire: Record<string, string>, hash = 'sha256'): Record<string, string> {
  const keys = wire.type === 'Notification' ? NOTIFICATION_KEYS : CONFIRMATION_KEYS;
  const text = keys
    .filter((key) => wire[key])
    .map((key) => `${key}\n${wire[key]}\n`)
    .join('');
  return { ...wire, signature: sign(hash, Buffer.from(text), SIMULATOR_SMN_KEY).toString('base64') };
}

function notificationWire(over: Record<string, string> = {}): Record<string, string> {
  return {
    type: 'Notification',
    topic_urn: TOPIC,
    message_id: 'a1b2c3d4e5f6',
    signature_version: 'v1',
    subject: '[job_batch] DataArts job failed',
    message: JSON.stringify({ 作业名称: 'job_batch', 作业状态: '失败', 实例ID: '34765' }),
    unsubscribe_url: `https://${HOST}/smn/subscription/unsubscribe?subscription_urn=x`,
    signing_cert_url: CERT_URL,
    timestamp: STAMP,
    ...over,
  };
}

function confirmationWire(over: Record<string, string> = {}): Record<string, string> {
  return {
    type: 'SubscriptionConfirmation',
    topic_urn: TOPIC,
    message_id: 'f0e1d2c3b4a5',
    signature_version: 'v1',
    message: 'You are invited to subscribe to topic dlf-jobs.',
    subscribe_url: `https://${HOST}/smn/subscription/confirm?token=abc`,
    signing_cert_url: CERT_URL,
    timestamp: STAMP,
    ...over,
  };
}

function parsed(body: unknown): SmnMessage {
  const message = parseSmnMessage(body);
  if ('problem' in message) throw new Error(message.problem);
  return message;
}

/** A fetch serving the fixture certificate, counting calls. */
function certFetch(pem: string = SIMULATOR_SMN_CERT): CertFetch & { calls: string[] } {
  const calls: string[] = [];
  const fetcher = async (url: string) => {
    calls.push(url);
    return new Response(pem);
  };
  return Object.assign(fetcher, { calls });
}

function deps(over: Partial<VerifyDeps> = {}, fetcher: CertFetch = certFetch()): VerifyDeps {
  const ids = new Set<string>();
  return {
    certs: new SigningCerts({ hosts: [HOST], fetch: fetcher }),
    topics: [TOPIC],
    now: NOW,
    maxAgeMs: 60 * 60_000,
    seen: async (id) => !ids.has(id) && Boolean(ids.add(id)),
    ...over,
  };
}

describe('parseSmnMessage', () => {
  it('reads a Notification and both confirmations into our names', () => {
    const note = parsed(signWire(notificationWire()));
    expect(note).toMatchObject({
      type: 'Notification',
      topicUrn: TOPIC,
      messageId: 'a1b2c3d4e5f6',
      subject: '[job_batch] DataArts job failed',
      signingCertUrl: CERT_URL,
      timestamp: STAMP,
      at: NOW,
    });
    expect(parsed(signWire(confirmationWire()))).toMatchObject({
      type: 'SubscriptionConfirmation',
      subscribeUrl: `https://${HOST}/smn/subscription/confirm?token=abc`,
    });
    expect(parsed(signWire(confirmationWire({ type: 'UnsubscribeConfirmation' }))).type).toBe(
      'UnsubscribeConfirmation',
    );
  });

  it('accepts the longest topic URN SMN makes (a 255-character topic name)', () => {
    const urn = `urn:smn:cn-north-4:0605767a3300d5762fb0c0186d2f7a24:${'t'.repeat(255)}`;
    expect(parsed(signWire(notificationWire({ topic_urn: urn }))).topicUrn).toBe(urn);
  });

  it('takes signature_version V1 as v1 (the field table writes it so)', () => {
    expect(parsed({ ...signWire(notificationWire()), signature_version: 'V1' }).signatureVersion).toBe('v1');
  });

  it('treats an empty or null subject as absent', () => {
    expect(parsed(signWire(notificationWire({ subject: '' }))).type).toBe('Notification');
    expect('subject' in parsed({ ...signWire(notificationWire()), subject: null })).toBe(false);
  });

  it.each([
    ['not an object', 'text'],
    ['an array', []],
    ['null', null],
    ['an unknown type', { ...signWire(notificationWire()), type: 'Other' }],
    ['signature_version v2', { ...signWire(notificationWire()), signature_version: 'v2' }],
    ['no signature', { ...notificationWire() }],
    ['a number for message_id', { ...signWire(notificationWire()), message_id: 7 }],
    ['a message_id of 201 characters', signWire(notificationWire({ message_id: 'a'.repeat(201) }))],
    ['a topic_urn of 513 characters', signWire(notificationWire({ topic_urn: 'u'.repeat(513) }))],
    ['a message over 256 KB', signWire(notificationWire({ message: 'x'.repeat(256 * 1024 + 1) }))],
    ['a message over 256 KB in UTF-8', signWire(notificationWire({ message: '作'.repeat(100_000) }))],
    ['a timestamp without zone', signWire(notificationWire({ timestamp: '2026-12-07T00:00:00' }))],
    ['a timestamp that is no date', signWire(notificationWire({ timestamp: '2026-13-45T99:00:00Z' }))],
    ['a signature that is not base64', { ...signWire(notificationWire()), signature: 'not base64!' }],
    ['a subject that is not text', { ...signWire(notificationWire()), subject: ['x'] }],
    ['a confirmation without subscribe_url', signWire(confirmationWire({ subscribe_url: '' }))],
  ])('refuses %s', (_name, body) => {
    const answer = parseSmnMessage(body);
    expect(answer).toEqual({ problem: expect.any(String) });
  });

  it('never quotes the body in its problem', () => {
    const answer = parseSmnMessage({ ...signWire(notificationWire()), message_id: 'secret'.repeat(40) });
    expect(JSON.stringify(answer)).not.toContain('secret');
  });
});

describe('stringToSign', () => {
  it('is key\\nvalue\\n for message, message_id, subject, timestamp, topic_urn, type (Notification)', () => {
    const message = parsed(signWire(notificationWire({ message: 'hello' })));
    expect(stringToSign(message)).toBe(
      `message\nhello\nmessage_id\na1b2c3d4e5f6\nsubject\n[job_batch] DataArts job failed\ntimestamp\n${STAMP}\ntopic_urn\n${TOPIC}\ntype\nNotification\n`,
    );
  });

  it('leaves an empty subject out', () => {
    const message = parsed(signWire(notificationWire({ message: 'hello', subject: '' })));
    expect(stringToSign(message)).toBe(
      `message\nhello\nmessage_id\na1b2c3d4e5f6\ntimestamp\n${STAMP}\ntopic_urn\n${TOPIC}\ntype\nNotification\n`,
    );
  });

  it('signs subscribe_url in place of subject for confirmations', () => {
    const message = parsed(signWire(confirmationWire({ message: 'hi' })));
    expect(stringToSign(message)).toBe(
      `message\nhi\nmessage_id\nf0e1d2c3b4a5\nsubscribe_url\nhttps://${HOST}/smn/subscription/confirm?token=abc\ntimestamp\n${STAMP}\ntopic_urn\n${TOPIC}\ntype\nSubscriptionConfirmation\n`,
    );
  });
});

describe('verifySmnMessage', () => {
  it('accepts a signed Notification and a signed confirmation', async () => {
    const d = deps();
    expect(await verifySmnMessage(parsed(signWire(notificationWire())), d)).toEqual({ ok: true });
    expect(await verifySmnMessage(parsed(signWire(confirmationWire())), d)).toEqual({ ok: true });
    expect(
      await verifySmnMessage(parsed(signWire(notificationWire({ subject: '', message_id: 'other' }))), d),
    ).toEqual({ ok: true });
  });

  it('refuses another topic', async () => {
    const answer = await verifySmnMessage(
      parsed(signWire(notificationWire())),
      deps({ topics: ['urn:smn:x'] }),
    );
    expect(answer).toEqual({ ok: false, reason: 'topic' });
  });

  it('refuses a message older than maxAgeMs and one more than 5 minutes ahead', async () => {
    const old = parsed(signWire(notificationWire({ timestamp: '2026-12-06T22:59:59Z' })));
    expect(await verifySmnMessage(old, deps())).toEqual({ ok: false, reason: 'stale' });
    const ahead = parsed(signWire(notificationWire({ timestamp: '2026-12-07T00:05:01Z' })));
    expect(await verifySmnMessage(ahead, deps())).toEqual({ ok: false, reason: 'future' });
    const slightlyAhead = parsed(signWire(notificationWire({ timestamp: '2026-12-07T00:04:59Z' })));
    expect(await verifySmnMessage(slightlyAhead, deps())).toEqual({ ok: true });
  });

  it.each([
    ['a foreign host', 'https://evil.example.com/smn/cert.pem'],
    ['a host that only ends like ours', `https://x${HOST}/smn/cert.pem`],
    ['http', `http://${HOST}/smn/cert.pem`],
    ['http on loopback when not allowed', 'http://127.0.0.1:8080/smn/cert.pem'],
    ['a path not ending .pem', `https://${HOST}/smn/cert.pem.txt`],
    ['user information', `https://user:pass@${HOST}/smn/cert.pem`],
    ['a user name alone', `https://user@${HOST}/smn/cert.pem`],
    ['a port not in the host entry', `https://${HOST}:8443/smn/cert.pem`],
    ['no URL at all', 'cert.pem'],
  ])('refuses a certificate URL with %s, without fetching it', async (_name, url) => {
    const fetcher = certFetch();
    const answer = await verifySmnMessage(
      parsed(signWire(notificationWire({ signing_cert_url: url }))),
      deps({}, fetcher),
    );
    expect(answer).toEqual({ ok: false, reason: 'cert' });
    expect(fetcher.calls).toEqual([]);
  });

  it('takes the host case-insensitively and the default port as no port', async () => {
    const url = `https://SMN.EU-DE.otc.t-systems.com:443/smn/cert.pem`;
    expect(
      await verifySmnMessage(parsed(signWire(notificationWire({ signing_cert_url: url }))), deps()),
    ).toEqual({
      ok: true,
    });
  });

  it.each([
    ['an HTTP error', async () => new Response('no', { status: 500 })],
    ['a network error', async () => Promise.reject(new TypeError('fetch failed'))],
    ['a body over 64 KB', async () => new Response(`${SIMULATOR_SMN_CERT}${' '.repeat(64 * 1024)}`)],
    ['text that is no certificate', async () => new Response('-----BEGIN CERTIFICATE-----\nAAAA\n')],
  ])('refuses a certificate fetch ending in %s', async (_name, fetcher) => {
    const answer = await verifySmnMessage(parsed(signWire(notificationWire())), deps({}, fetcher));
    expect(answer).toEqual({ ok: false, reason: 'cert' });
  });

  it('refuses a certificate outside its validity dates', async () => {
    const before = Date.parse('2026-12-06T03:00:00Z');
    const early = parsed(signWire(notificationWire({ timestamp: '2026-12-06T03:00:00Z' })));
    expect(await verifySmnMessage(early, deps({ now: before }))).toEqual({ ok: false, reason: 'cert' });
    const after = Date.parse('2126-01-01T00:00:00Z');
    const late = parsed(signWire(notificationWire({ timestamp: '2126-01-01T00:00:00Z' })));
    expect(await verifySmnMessage(late, deps({ now: after }))).toEqual({ ok: false, reason: 'cert' });
  });

  it.each(['message', 'message_id', 'subject', 'timestamp', 'topic_urn'])(
    'refuses a Notification whose %s changed after signing, and never calls seen',
    async (field) => {
      const wire = signWire(notificationWire());
      const changed = field === 'timestamp' ? '2026-12-07T00:00:01Z' : `${wire[field]}x`;
      const seen = jest.fn(async () => true);
      const answer = await verifySmnMessage(
        parsed({ ...wire, [field]: changed }),
        deps({ seen, topics: [TOPIC, `${TOPIC}x`] }),
      );
      expect(answer).toEqual({ ok: false, reason: 'signature' });
      expect(seen).not.toHaveBeenCalled();
    },
  );

  it('refuses a Notification whose subject was removed, and a confirmation whose subscribe_url or type changed', async () => {
    const d = deps();
    const note = signWire(notificationWire());
    expect(await verifySmnMessage(parsed({ ...note, subject: '' }), d)).toEqual({
      ok: false,
      reason: 'signature',
    });
    const confirmation = signWire(confirmationWire());
    const moved = { ...confirmation, subscribe_url: `https://${HOST}/smn/subscription/confirm?token=abd` };
    expect(await verifySmnMessage(parsed(moved), d)).toEqual({ ok: false, reason: 'signature' });
    const retyped = { ...confirmation, type: 'UnsubscribeConfirmation' };
    expect(await verifySmnMessage(parsed(retyped), d)).toEqual({ ok: false, reason: 'signature' });
  });

  it('refuses a signature by another key and a signature of the wrong length', async () => {
    const wire = signWire(notificationWire());
    const short = { ...wire, signature: Buffer.from('abc').toString('base64') };
    expect(await verifySmnMessage(parsed(short), deps())).toEqual({ ok: false, reason: 'signature' });
    const bytes = Buffer.from(wire.signature ?? '', 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    const flipped = { ...wire, signature: bytes.toString('base64') };
    expect(await verifySmnMessage(parsed(flipped), deps())).toEqual({ ok: false, reason: 'signature' });
  });

  it('a certificate signed with SHA-1 does not make SHA-1 messages acceptable: messages are checked with SHA-256', async () => {
    const d = deps({}, certFetch(SHA1_CERT));
    expect(
      await verifySmnMessage(parsed(signWire(notificationWire({ message_id: 'a' }), 'sha1')), d),
    ).toEqual({ ok: false, reason: 'signature' });
    expect(await verifySmnMessage(parsed(signWire(notificationWire({ message_id: 'b' }))), d)).toEqual({
      ok: true,
    });
    expect(await verifySmnMessage(parsed(signWire(notificationWire(), 'sha1')), deps())).toEqual({
      ok: false,
      reason: 'signature',
    });
  });

  it('refuses the same message id the second time', async () => {
    const d = deps();
    const message = parsed(signWire(notificationWire()));
    expect(await verifySmnMessage(message, d)).toEqual({ ok: true });
    expect(await verifySmnMessage(message, d)).toEqual({ ok: false, reason: 'replay' });
  });
});

describe('SigningCerts', () => {
  it('fetches a certificate once for many messages, also when they arrive together', async () => {
    const fetcher = certFetch();
    const d = deps({}, fetcher);
    const messages = Array.from({ length: 20 }, (_, i) =>
      parsed(signWire(notificationWire({ message_id: `id-${i}` }))),
    );
    const answers = await Promise.all(messages.map((message) => verifySmnMessage(message, d)));
    expect(answers.every((answer) => answer.ok)).toBe(true);
    expect(await verifySmnMessage(parsed(signWire(notificationWire({ message_id: 'later' }))), d)).toEqual({
      ok: true,
    });
    expect(fetcher.calls).toEqual([CERT_URL]);
  });

  it('fetches again after the time to live, and keeps at most maxEntries', async () => {
    const fetcher = certFetch();
    const certs = new SigningCerts({ hosts: [HOST], fetch: fetcher, ttlMs: 1000, maxEntries: 2 });
    expect((await certs.key(CERT_URL, NOW)).ok).toBe(true);
    expect((await certs.key(CERT_URL, NOW + 500)).ok).toBe(true);
    expect(fetcher.calls).toHaveLength(1);
    expect((await certs.key(CERT_URL, NOW + 1500)).ok).toBe(true);
    expect(fetcher.calls).toHaveLength(2);
    const other = (n: number) => `https://${HOST}/smn/other-${n}.pem`;
    await certs.key(other(1), NOW + 1500);
    await certs.key(other(2), NOW + 1500);
    await certs.key(CERT_URL, NOW + 1500);
    expect(fetcher.calls).toHaveLength(5);
  });

  it('fetches at most fetchesPerMinute new certificates a minute: paths made up one after another cost no more', async () => {
    const fetcher = certFetch();
    const certs = new SigningCerts({ hosts: [HOST], fetch: fetcher, fetchesPerMinute: 3 });
    const made = (n: number) => `https://${HOST}/smn/made-up-${n}.pem`;
    for (let n = 0; n < 3; n++) expect((await certs.key(made(n), NOW)).ok).toBe(true);
    expect(await certs.key(made(3), NOW + 1_000)).toEqual({
      ok: false,
      problem: expect.stringContaining('too many'),
    });
    expect(fetcher.calls).toHaveLength(3);
    // A certificate already kept is still served; a minute later, new ones are fetched again.
    expect((await certs.key(made(0), NOW + 2_000)).ok).toBe(true);
    expect((await certs.key(made(3), NOW + 61_000)).ok).toBe(true);
    expect(fetcher.calls).toHaveLength(4);
  });

  it('does not keep a failed fetch', async () => {
    let calls = 0;
    const certs = new SigningCerts({
      hosts: [HOST],
      fetch: async () =>
        ++calls === 1 ? new Response('', { status: 503 }) : new Response(SIMULATOR_SMN_CERT),
    });
    expect(await certs.key(CERT_URL, NOW)).toEqual({ ok: false, problem: expect.stringContaining('503') });
    expect((await certs.key(CERT_URL, NOW)).ok).toBe(true);
  });

  it('fetches over loopback http only with allowHttpLoopback and the port in hosts, and gives up after its timeout', async () => {
    const topic = await startSmnTopic({ topicUrn: TOPIC });
    const hanging = await listenLocal(() => new Promise<void>(() => undefined));
    try {
      expect((await new SigningCerts({ hosts: [topic.host] }).key(topic.certUrl, NOW)).ok).toBe(false);
      expect(
        (await new SigningCerts({ hosts: ['127.0.0.1'], allowHttpLoopback: true }).key(topic.certUrl, NOW))
          .ok,
      ).toBe(false);
      const certs = new SigningCerts({ hosts: [topic.host], allowHttpLoopback: true });
      expect((await certs.key(topic.certUrl, NOW)).ok).toBe(true);
      expect(topic.certFetches()).toBe(1);
      const slowHost = new URL(hanging.url).host;
      const slow = new SigningCerts({ hosts: [slowHost], allowHttpLoopback: true, timeoutMs: 200 });
      const started = Date.now();
      expect(await slow.key(`${hanging.url}/cert.pem`, NOW)).toEqual({
        ok: false,
        problem: expect.stringContaining('timeout'),
      });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await topic.close();
      await hanging.close();
    }
  });
});

describe('jobNamed', () => {
  const note = (over: Record<string, string>) => parsed(signWire(notificationWire(over)));

  it('takes the job from the subject first', () => {
    expect(jobNamed(note({ subject: '[job_batch] DataArts job failed', message: '{}' }))).toBe('job_batch');
    expect(jobNamed(note({ subject: '[ nightly.load-2 ]', message: '{}' }))).toBe('nightly.load-2');
  });

  it('reads the Chinese sample keys, then English ones, when the subject has none', () => {
    const chinese = {
      工作空间名称: 'ws1',
      作业状态: '失败',
      作业名称: '销售_日报',
      计划时间: '2026-12-07 08:00:00',
      告警时间: '2026-12-07 08:03:12',
      作业实例ID: '34765',
      失败节点名称: 'load_orders',
      错误信息: 'Task failed: java.lang.RuntimeException',
    };
    expect(jobNamed(note({ subject: 'DataArts alarm', message: JSON.stringify(chinese) }))).toBe('销售_日报');
    expect(jobNamed(note({ subject: '', message: JSON.stringify({ jobId: '42', job_name: 'daily' }) }))).toBe(
      'daily',
    );
    expect(jobNamed(note({ subject: '', message: JSON.stringify({ JobName: 'Daily.Run' }) }))).toBe(
      'Daily.Run',
    );
    expect(
      jobNamed(note({ subject: '', message: JSON.stringify(JSON.stringify({ jobName: 'wrapped' })) })),
    ).toBe('wrapped');
  });

  it('gives undefined for names that are no job names, for confirmations, and for garbage', () => {
    expect(jobNamed(note({ subject: '[../etc]', message: '{"jobName":"a/b"}' }))).toBeUndefined();
    expect(jobNamed(note({ subject: `[${'a'.repeat(129)}]`, message: 'not json' }))).toBeUndefined();
    expect(jobNamed(note({ subject: '[..]', message: '{"jobName":".."}' }))).toBeUndefined();
    expect(jobNamed(note({ subject: '', message: '{"jobName":42,"job":null}' }))).toBeUndefined();
    expect(jobNamed(note({ subject: '', message: '[1,2,3]' }))).toBeUndefined();
    expect(jobNamed(note({ subject: '', message: '{"jobName":"x\\ny"}' }))).toBeUndefined();
    expect(jobNamed(parsed(signWire(confirmationWire())))).toBeUndefined();
  });

  it('never throws and answers only job names, for any subject and message', () => {
    const valid = /^[\p{L}\p{N}_.-]{1,128}$/u;
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300, unit: 'binary' }),
        fc.oneof(
          fc.string({ maxLength: 300, unit: 'binary' }),
          fc.json({ maxDepth: 3 }),
          fc
            .dictionary(fc.constantFrom('jobName', '作业名称', 'job', 'x'), fc.string({ unit: 'binary' }))
            .map((fields) => JSON.stringify(fields)),
        ),
        (subject, message) => {
          const name = jobNamed(note({ subject, message: message === '' ? ' ' : message }));
          return name === undefined || (valid.test(name) && name !== '.' && name !== '..');
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('smnHostsFor', () => {
  it.each([
    ['https://dayu-dlf.eu-de.otc.t-systems.com', ['smn.eu-de.otc.t-systems.com']],
    ['https://dayu-dlf.cn-north-4.myhuaweicloud.com', ['smn.cn-north-4.myhuaweicloud.com']],
    ['https://DAYU-DLF.cn-north-4.myhuaweicloud.com:443/v1/', ['smn.cn-north-4.myhuaweicloud.com']],
    ['dayu-dlf.eu-de.otc.t-systems.com', ['smn.eu-de.otc.t-systems.com']],
    ['http://127.0.0.1:8080', []],
    ['http://[::1]:8080', []],
    ['http://localhost:8080', []],
    ['https://example.com', []],
    ['not a url at all', []],
    ['', []],
  ])('%s → %j', (endpoint, hosts) => {
    expect(smnHostsFor(endpoint)).toEqual(hosts);
  });
});

describe('subscribeUrlAllowed', () => {
  const hosts = [HOST, '127.0.0.1:9999'];
  it.each([
    [`https://${HOST}/smn/subscription/confirm?token=abc`, false, true],
    [`https://${HOST.toUpperCase()}/smn/subscription/confirm?token=abc`, false, true],
    [`http://${HOST}/smn/subscription/confirm?token=abc`, true, false],
    ['https://evil.example.com/confirm', false, false],
    [`https://u:p@${HOST}/confirm`, false, false],
    [`https://${HOST}:8443/confirm`, false, false],
    ['http://127.0.0.1:9999/smn/confirm?token=abc', false, false],
    ['http://127.0.0.1:9999/smn/confirm?token=abc', true, true],
    ['http://127.0.0.1:9998/smn/confirm?token=abc', true, false],
    ['http://localhost:9999/smn/confirm?token=abc', true, false],
    ['javascript:alert(1)', true, false],
  ])('%s (loopback %s) → %s', (url, loopback, allowed) => {
    expect(subscribeUrlAllowed(url, hosts, loopback)).toBe(allowed);
  });
});
