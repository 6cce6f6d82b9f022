/**
 * Cross-checks our SDK-HMAC-SHA256 signer against the official Huawei Cloud Node SDK signer
 * (`@huaweicloud/huaweicloud-sdk-core`, pinned dev dependency) on a few hundred random requests.
 *
 * Both sides are built from one random description. Generation avoids only what the SDK's own
 * interface cannot express (see `pathChar`), never a case where the two would sign differently.
 */
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';
import { parseAuthorization, signRequest } from '../../../src/dataarts/auth/signer';
import { mulberry32 } from '../../../src/support/random';

const SEED = Number(process.env.SIGNER_SEED ?? 20261125);
const CASES = 400;

const ASCII = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const UNRESERVED = '-_.~';
const RESERVED = "!$&'()*+,;=:@[]";
const UNICODE = ['数', '据', '同', '步', 'é', 'ü', 'ß', 'ø', '日本', '😀', 'Ω', 'ñ'];
/**
 * Characters a path segment may hold here. Not `/ ? # %` (they cannot sit inside one segment of the SDK's
 * `endpoint` URL), and not what legacy `url.parse` auto-escapes in the SDK (space, quotes, `<>`, backtick,
 * `{}`, `|`, `\`, `^`), nor `[]` (url.parse reads them as an IPv6 host): it would hand the SDK an already escaped path, which it then encodes again.
 */
const PATH_CHARS = [...ASCII, ...UNRESERVED, ...RESERVED.replace(/[[\]']/g, ''), ...UNICODE];
/** Query names and values go to the SDK as an object, so anything is fair, spaces and `%` included. */
const QUERY_CHARS = [
  ...PATH_CHARS,
  "'",
  ' ',
  '%',
  '/',
  '?',
  '#',
  '"',
  '<',
  '>',
  '|',
  '^',
  '[',
  ']',
  '{',
  '}',
];
const HEADERS = ['workspace', 'x-project-id', 'x-language', 'x-custom-trace'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const HOSTS = [
  'dayu-dlf.eu-de.otc.t-systems.com',
  'dayu-dlf.eu-west-101.myhuaweicloud.eu:8443',
  '127.0.0.1:8090',
];

interface Description {
  method: string;
  host: string;
  segments: string[];
  query: [string, string][];
  headers: Record<string, string>;
  body?: Record<string, unknown>;
}

function describeRandom(random: () => number): Description {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const text = (chars: readonly string[], min: number, max: number) =>
    Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, () => pick(chars)).join('');
  // A segment of dots only is a dot segment that URL normalization removes before anything is sent.
  const segment = () => text(PATH_CHARS, 1, 8).replace(/^\.+$/, (dots) => `${dots}x`);
  const segments = ['v1', ...Array.from({ length: Math.floor(random() * 6) }, segment)];
  const names = Array.from({ length: Math.floor(random() * 4) }, () => text(QUERY_CHARS, 1, 6));
  const query: [string, string][] = [];
  for (const name of names) {
    const repeats = random() < 0.2 ? 2 + Math.floor(random() * 2) : 1;
    for (let i = 0; i < repeats; i++) query.push([name, random() < 0.15 ? '' : text(QUERY_CHARS, 1, 10)]);
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const name of HEADERS)
    if (random() < 0.4) headers[name] = text([...ASCII, '-', ' ', '.'], 1, 12).trim() || 'x';
  const body =
    random() < 0.4
      ? {
          name: text([...ASCII, ...UNICODE, ' '], 0, 12),
          id: Math.floor(random() * 1e6),
          flag: random() < 0.5,
        }
      : undefined;
  return { method: pick(METHODS), host: pick(HOSTS), segments, query, headers, body };
}

const AK = 'QTWAOYTTINDUT2QVKYUC';
const SK = 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc';
const DATE = new Date(Date.UTC(2026, 10, 25, 3, 36, 55));

function ours(d: Description): string {
  const url = new URL(`https://${d.host}/${d.segments.map(encodeURIComponent).join('/')}`);
  for (const [name, value] of d.query) url.searchParams.append(name, value);
  const headers = signRequest(
    {
      method: d.method,
      url,
      headers: d.headers,
      body: d.body === undefined ? undefined : JSON.stringify(d.body),
    },
    { accessKey: AK, secretKey: SK },
    DATE,
  );
  return headers.Authorization!;
}

function official(d: Description): string {
  const queryParams: Record<string, string | string[]> = {};
  for (const [name, value] of d.query) {
    const previous = queryParams[name];
    queryParams[name] =
      previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  const signed = AKSKSigner.sign(
    {
      endpoint: `https://${d.host}/${d.segments.join('/')}`,
      method: d.method,
      headers: { ...d.headers, 'X-Sdk-Date': '20261125T033655Z' },
      queryParams,
      data: d.body,
    } as unknown as Parameters<typeof AKSKSigner.sign>[0],
    new BasicCredentials().withAk(AK).withSk(SK),
  ) as Record<string, string>;
  return signed.Authorization!;
}

describe('our signer agrees with the official Huawei Cloud SDK signer', () => {
  test(`${CASES} random requests (seed ${SEED}; set SIGNER_SEED to vary)`, () => {
    const random = mulberry32(SEED);
    let compared = 0;
    for (let i = 0; i < CASES; i++) {
      const description = describeRandom(random);
      const mine = ours(description);
      const theirs = official(description);
      if (mine !== theirs) {
        throw new Error(
          `case ${i} (seed ${SEED}) differs:\n${JSON.stringify(description, null, 2)}\nours:     ${mine}\nofficial: ${theirs}`,
        );
      }
      compared += 1;
    }
    expect(compared).toBe(CASES);
  });

  test.each([
    [
      'a DLF instance detail with a workspace header',
      {
        segments: ['v1', 'b384b9e9ab9b4ee8994c8633aabc9505', 'jobs', 'job_batch', 'instances', '34765'],
        headers: { 'content-type': 'application/json', workspace: 'd1cd7861478748a6925bc02f47c69279' },
      },
    ],
    ['a Unicode job name', { segments: ['v1', 'p', 'jobs', '数据同步_daily', 'instances', '1001'] }],
    [
      'a repeated query name',
      {
        segments: ['v1', 'p', 'jobs', 'instances', 'detail'],
        query: [
          ['status', 'running'],
          ['status', 'fail'],
          ['jobName', 'a b'],
        ] as [string, string][],
      },
    ],
  ])('%s', (_name, partial) => {
    const description: Description = {
      method: 'GET',
      host: HOSTS[0]!,
      query: [],
      headers: { 'content-type': 'application/json' },
      ...partial,
    };
    const mine = ours(description);
    expect(parseAuthorization(mine)).toBeDefined();
    expect(mine).toBe(official(description));
  });
});
