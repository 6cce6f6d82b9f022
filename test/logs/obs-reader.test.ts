/**
 * The OBS log reader with Huawei's SDK against the simulator's OBS endpoint on loopback: the signature is checked,
 * only the tail is read (one HEAD and one ranged GET, bytes served counted), and each bad case is one kind of
 * failure. The excerpt made from the simulator's log shows its error line and none of its secrets.
 */
import { decodeLog, pickLines } from '../../src/logs/excerpt';
import { type LogReadResult, ObsLogReader, type ObsSettings, parseObsPath } from '../../src/logs/obs-reader';
import { redact } from '../../src/logs/redact';
import { DEMO_AK, DEMO_SK } from '../../src/simulator';
import {
  bigFailureLog,
  failureLog,
  LOG_BUCKET,
  LOG_ERROR_LINE,
  LOG_SECRETS,
} from '../../src/simulator/node-logs';
import { bufferObject, type RunningObs, startObs } from '../../src/simulator/obs';

const TAIL = 256 * 1024;
let obs: RunningObs;
const readers: ObsLogReader[] = [];

function reader(overrides: Partial<ObsSettings> = {}): ObsLogReader {
  const made = new ObsLogReader({
    endpoint: obs.url,
    accessKey: DEMO_AK,
    secretKey: DEMO_SK,
    pathStyle: true,
    timeoutMs: 2000,
    ...overrides,
  });
  readers.push(made);
  return made;
}

function tailOf(result: LogReadResult): Buffer {
  if (!result.ok) throw new Error(`read failed: ${result.failure}`);
  return result.tail.bytes;
}

beforeAll(async () => {
  obs = await startObs({ accessKey: DEMO_AK, secretKey: DEMO_SK });
  obs.objects.set(`${LOG_BUCKET}/jobs/load/1/node.log`, failureLog());
  obs.objects.set(`${LOG_BUCKET}/jobs/big/1/node.log`, bigFailureLog());
  obs.objects.set(`${LOG_BUCKET}/jobs/empty/1/node.log`, bufferObject(Buffer.alloc(0)));
});
afterEach(() => obs.setFault(undefined));
afterAll(async () => {
  for (const made of readers) made.close();
  await obs.close();
});

describe('reading a node log from OBS', () => {
  it('reads a small log whole and makes an excerpt with the error and without the secrets', async () => {
    const result = await reader().readTail(`obs://${LOG_BUCKET}/jobs/load/1/node.log`, TAIL);
    expect(result.ok && result.tail.fromStart).toBe(true);
    const excerpt = redact(pickLines(decodeLog(tailOf(result), true)));
    expect(excerpt).toContain(LOG_ERROR_LINE);
    expect(excerpt).toContain('Caused by: java.sql.SQLException');
    const whole = redact(decodeLog(tailOf(result), true));
    for (const secret of LOG_SECRETS) expect(whole).not.toContain(secret);
    expect(whole).not.toContain(String.fromCharCode(27));
  });

  it('reads only the tail of a 50 MB log: one HEAD, one ranged GET, the tail bytes served', async () => {
    const before = obs.bytesServed();
    const seen = obs.requests().length;
    const heapBefore = process.memoryUsage().heapUsed;
    const result = await reader().readTail(`obs://${LOG_BUCKET}/jobs/big/1/node.log`, TAIL);
    expect(result.ok && result.tail.size).toBe(50 * 1024 * 1024);
    expect(tailOf(result).length).toBe(TAIL);
    expect(obs.bytesServed() - before).toBe(TAIL);
    const requests = obs.requests().slice(seen);
    expect(requests.map((r) => r.method)).toEqual(['HEAD', 'GET']);
    expect(requests[1]?.range).toBe(`bytes=${50 * 1024 * 1024 - TAIL}-${50 * 1024 * 1024 - 1}`);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(16 * 1024 * 1024);
    expect(redact(pickLines(decodeLog(tailOf(result), false)))).toContain(LOG_ERROR_LINE);
  });

  it('is refused with another secret key: the signature is checked', async () => {
    const result = await reader({ secretKey: 'not-the-right-secret-key-0000000000000000' }).readTail(
      `obs://${LOG_BUCKET}/jobs/load/1/node.log`,
      TAIL,
    );
    expect(result).toEqual({ ok: false, failure: 'denied', bucket: LOG_BUCKET });
  });

  it('tells each bad case apart', async () => {
    const path = `obs://${LOG_BUCKET}/jobs/load/1/node.log`;
    expect(await reader().readTail(`obs://${LOG_BUCKET}/jobs/none/node.log`, TAIL)).toMatchObject({
      failure: 'not-found',
    });
    obs.setFault({ kind: 'missing' });
    expect(await reader().readTail(path, TAIL)).toMatchObject({ failure: 'not-found' });
    obs.setFault({ kind: 'denied' });
    expect(await reader().readTail(path, TAIL)).toMatchObject({ failure: 'denied', bucket: LOG_BUCKET });
    obs.setFault({ kind: 'down' });
    expect(await reader().readTail(path, TAIL)).toMatchObject({ failure: 'unreachable' });
    obs.setFault({ kind: 'slow', ms: 3000 });
    const started = Date.now();
    expect(await reader({ timeoutMs: 500 }).readTail(path, TAIL)).toMatchObject({ failure: 'unreachable' });
    expect(Date.now() - started).toBeLessThan(2500);
    obs.setFault(undefined);
    expect(await reader().readTail('s3://elsewhere/x.log', TAIL)).toEqual({
      ok: false,
      failure: 'invalid-path',
    });
    const empty = await reader().readTail(`obs://${LOG_BUCKET}/jobs/empty/1/node.log`, TAIL);
    expect(empty.ok && empty.tail.size).toBe(0);
  });

  it('parses obs:// paths', () => {
    expect(parseObsPath('obs://my-bucket/a/b c.log')).toEqual({ bucket: 'my-bucket', key: 'a/b c.log' });
    expect(parseObsPath('obs://my-bucket/')).toBeUndefined();
  });
});
