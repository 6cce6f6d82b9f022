/**
 * The log excerpt settings: OBS found from DLF_ENDPOINT's region or OBS_ENDPOINT, the DataArts AK/SK by default or
 * OBS_AK/OBS_SK, off with one sentence when they cannot work, every bad value a problem naming its setting.
 */
import { configFromEnv } from '../../src/config';
import { ConfigError } from '../../src/config-error';
import { obsEndpointFor } from '../../src/logs/config';

const BASE = {
  SLACK_BOT_TOKEN: 'xoxb-1',
  SLACK_SIGNING_SECRET: 'secret',
  DLF_ENDPOINT: 'https://dayu-dlf.eu-de.otc.t-systems.com',
  DLF_PROJECT_ID: 'p1',
  DLF_AK: 'AKAKAKAKAKAKAKAKAK01',
  DLF_SK: 'sk-secret-value',
};

function problems(env: Record<string, string>): string[] {
  try {
    configFromEnv({ ...BASE, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

test('OBS is found in the region DLF_ENDPOINT names, on either cloud; a host that names none finds nothing', () => {
  expect(obsEndpointFor('https://dayu-dlf.eu-de.otc.t-systems.com')).toBe(
    'https://obs.eu-de.otc.t-systems.com',
  );
  expect(obsEndpointFor('https://dayu-dlf.cn-north-4.myhuaweicloud.com/')).toBe(
    'https://obs.cn-north-4.myhuaweicloud.com',
  );
  expect(obsEndpointFor('http://127.0.0.1:8090')).toBeUndefined();
  expect(obsEndpointFor('http://localhost:8090')).toBeUndefined();
  expect(obsEndpointFor('not a url')).toBeUndefined();
});

test('by default excerpts are on, with the DataArts AK/SK, a 256 KB tail, virtual-host addressing', () => {
  const config = configFromEnv(BASE);
  expect(config.logs).toMatchObject({
    obs: { endpoint: 'https://obs.eu-de.otc.t-systems.com', accessKey: BASE.DLF_AK, pathStyle: false },
    tailBytes: 256 * 1024,
  });
  expect(config.logsOff).toBeUndefined();
});

test('OBS_* settings are taken; OBS_AK without OBS_SK, a huge tail, a bad pattern are problems naming the setting', () => {
  const config = configFromEnv({
    ...BASE,
    OBS_ENDPOINT: 'https://obs.example.test',
    OBS_AK: 'OBSAKOBSAKOBSAKOBS01',
    OBS_SK: 'obs-secret',
    OBS_PATH_STYLE: 'true',
    DLF_LOG_TAIL_KB: '32',
    DLF_LOG_REDACT: 'customer-[0-9]+',
  });
  expect(config.logs?.obs).toMatchObject({
    endpoint: 'https://obs.example.test',
    accessKey: 'OBSAKOBSAKOBSAKOBS01',
  });
  expect(config.logs?.tailBytes).toBe(32 * 1024);
  expect(config.logs?.redactPatterns).toHaveLength(1);
  const found = problems({ OBS_AK: 'OBSAKOBSAKOBSAKOBS01', DLF_LOG_TAIL_KB: '999999', DLF_LOG_REDACT: 'a|' });
  expect(found.join('\n')).toMatch(/OBS_AK and OBS_SK go together/);
  expect(found.join('\n')).toMatch(/DLF_LOG_TAIL_KB may be at most/);
  expect(found.join('\n')).toMatch(/DLF_LOG_REDACT: pattern 1 matches empty text/);
  expect(found.join('\n')).not.toContain('OBSAKOBSAKOBSAKOBS01');
});

test('off, with the reason: turned off, no region to find OBS by, a fixed IAM token without OBS keys; on with an IAM password', () => {
  expect(configFromEnv({ ...BASE, DLF_LOG_EXCERPTS: 'false' }).logsOff).toMatch(/DLF_LOG_EXCERPTS=false/);
  expect(configFromEnv({ ...BASE, DLF_ENDPOINT: 'http://127.0.0.1:8090' }).logsOff).toMatch(
    /set OBS_ENDPOINT/,
  );
  const token = { ...BASE, DLF_AK: '', DLF_SK: '', DLF_TOKEN: 'MIItoken' };
  expect(configFromEnv(token).logsOff).toMatch(/set OBS_AK and OBS_SK/);
  expect(configFromEnv({ ...token, OBS_AK: 'OBSAKOBSAKOBSAKOBS01', OBS_SK: 's' }).logs).toBeDefined();
  // An IAM password: on, with no keys of its own (temporary ones are asked of IAM).
  const password = configFromEnv({
    ...BASE,
    DLF_AK: '',
    DLF_SK: '',
    DLF_IAM_ENDPOINT: 'https://iam.eu-de.otc.t-systems.com',
    DLF_IAM_USER: 'bot',
    DLF_IAM_PASSWORD: 'pw',
    DLF_IAM_DOMAIN: 'acme',
  });
  expect(password.logs?.obs.accessKey).toBeUndefined();
  expect(password.logsOff).toBeUndefined();
});
