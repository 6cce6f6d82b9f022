import { ConfigError } from '../../src/config-error';
import { dataArtsSettingsFromEnv } from '../../src/dataarts/config';

const base = {
  DLF_ENDPOINT: 'https://dayu-dlf.eu-de.otc.t-systems.com/',
  DLF_PROJECT_ID: 'b384b9e9ab9b4ee8994c8633aabc9505',
};

function problems(env: Record<string, string>): string[] {
  try {
    dataArtsSettingsFromEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('DataArts settings', () => {
  test('AK/SK, with defaults', () => {
    expect(dataArtsSettingsFromEnv({ ...base, DLF_AK: 'AK', DLF_SK: 'SK', DLF_WORKSPACE: 'w1' })).toEqual({
      endpoint: 'https://dayu-dlf.eu-de.otc.t-systems.com',
      projectId: base.DLF_PROJECT_ID,
      workspace: 'w1',
      auth: { method: 'aksk', accessKey: 'AK', secretKey: 'SK', securityToken: undefined },
      timeoutMs: 10_000,
      maxAttempts: 3,
      maxResponseBytes: 16 * 1_048_576,
    });
  });

  test('IAM password and static token', () => {
    expect(
      dataArtsSettingsFromEnv({
        ...base,
        DLF_IAM_ENDPOINT: 'https://iam.eu-de.otc.t-systems.com',
        DLF_IAM_USER: 'bot',
        DLF_IAM_PASSWORD: 'pw',
        DLF_IAM_DOMAIN: 'acme',
      }).auth,
    ).toEqual({
      method: 'password',
      iamEndpoint: 'https://iam.eu-de.otc.t-systems.com',
      domain: 'acme',
      user: 'bot',
      password: 'pw',
    });
    expect(dataArtsSettingsFromEnv({ ...base, DLF_TOKEN: 't' }).auth).toEqual({
      method: 'token',
      token: 't',
    });
  });

  test('every problem is listed, naming settings and never echoing secret values', () => {
    const found = problems({ DLF_ENDPOINT: 'ftp://x', DLF_SK: 'TOP-SECRET-SK', DLF_TIMEOUT_MS: 'soon' });
    expect(found.join('\n')).toMatch(/DLF_ENDPOINT must be an http\(s\) URL/);
    expect(found.join('\n')).toMatch(/DLF_PROJECT_ID is not set/);
    expect(found.join('\n')).toMatch(/DLF_AK \(access key ID\) is not set/);
    expect(found.join('\n')).toMatch(/DLF_TIMEOUT_MS must be a whole number/);
    expect(found.join('\n')).not.toContain('TOP-SECRET-SK');
  });

  test('no credentials, or several without DLF_AUTH', () => {
    expect(problems(base)).toEqual([expect.stringMatching(/^No DataArts credentials/)]);
    expect(problems({ ...base, DLF_AK: 'a', DLF_SK: 'b', DLF_TOKEN: 't' })).toEqual([
      expect.stringMatching(/several methods are set \(aksk, token\): choose one with DLF_AUTH/),
    ]);
    expect(
      dataArtsSettingsFromEnv({ ...base, DLF_AK: 'a', DLF_SK: 'b', DLF_TOKEN: 't', DLF_AUTH: 'token' }).auth
        .method,
    ).toBe('token');
    expect(problems({ ...base, DLF_TOKEN: 't', DLF_AUTH: 'kerberos' })).toEqual([
      expect.stringMatching(/DLF_AUTH must be one of aksk, password, token/),
    ]);
  });
});
