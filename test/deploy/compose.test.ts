/**
 * compose.yaml and .env.example, checked without a container engine: the Compose Specification's JSON schema,
 * then what the bot needs of Redis, the replicas, the stop grace period, the simulator profile and the settings.
 * The schema is schema/compose-spec.json of github.com/compose-spec/compose-spec as of a08f8d5 (2025-10-28),
 * unchanged (Biome leaves it alone); Apache-2.0, test/fixtures/compose-spec.LICENSE.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { load } from 'js-yaml';
import composeSpec from '../fixtures/compose-spec.schema.json';
import {
  documentedSettings,
  durationSeconds,
  envFileEntries,
  isSecretSetting,
  PLACEHOLDER,
  ROOT,
  readRepoFile,
  STOP_BUDGET_SECONDS,
} from './deploy-files';

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  profiles?: string[];
  env_file?: string | string[];
  environment?: Record<string, string>;
  deploy?: { replicas?: number };
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { disable?: boolean };
  read_only?: boolean;
  cap_drop?: string[];
  stop_grace_period?: string;
}

interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const compose = load(readRepoFile('compose.yaml')) as Compose;
const { redis, bot, simulator } = compose.services as Record<'redis' | 'bot' | 'simulator', Service>;
const envExample = envFileEntries(readRepoFile('.env.example'));

// The schema names its meta-schema by an https URL Ajv does not know; it is plain draft-07.
const { $schema: _metaSchema, ...schema } = composeSpec;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function schemaErrors(document: unknown): string[] {
  return validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('compose.yaml', () => {
  test('is valid against the Compose Specification schema', () => {
    expect(schemaErrors(compose)).toEqual([]);
  });

  test('the schema rejects what Compose rejects', () => {
    const broken = structuredClone(compose) as unknown as {
      services: Record<string, Record<string, unknown>>;
    };
    broken.services.bot!.imagee = 'typo';
    broken.services.redis!.deploy = 3;
    expect(schemaErrors(broken)).toHaveLength(2);
  });

  test('Redis keeps everything on disk (AOF every second) and never evicts', () => {
    const args = redis!.command!.join(' ');
    expect(args).toMatch(/^redis-server /);
    expect(args).toContain('--appendonly yes');
    expect(args).toContain('--appendfsync everysec');
    expect(args).toContain('--maxmemory-policy noeviction');
    // The README asks for Redis 6.2 or newer.
    expect(Number(/^redis:(\d+)/.exec(redis!.image!)?.[1])).toBeGreaterThanOrEqual(7);
    const [volume, mountPoint] = redis!.volumes![0]!.split(':');
    expect(mountPoint).toBe('/data');
    expect(Object.keys(compose.volumes ?? {})).toContain(volume);
  });

  test('three bots, built from the Dockerfile, on that Redis once it answers', () => {
    expect(bot!.build).toBe('.');
    expect(existsSync(path.join(ROOT, 'Dockerfile'))).toBe(true);
    expect(bot!.deploy?.replicas).toBe(3);
    // .env may name another Redis; without it, this file's (Redis's own port).
    expect(bot!.environment?.REDIS_URL).toMatch(/^\$\{REDIS_URL:-redis:\/\/redis:6379\}$/);
    expect(bot!.depends_on?.redis).toEqual({ condition: 'service_healthy' });
  });

  test('each bot publishes the container port the image listens on, on loopback only', () => {
    const imagePort = /^ENV PORT=(\d+)$/m.exec(readRepoFile('Dockerfile'))?.[1];
    expect(bot!.environment?.PORT).toBeUndefined();
    expect(bot!.ports).toEqual([`127.0.0.1:3000-3002:${imagePort}`]);
  });

  test('a stop gets more time than the bot’s stop budget before SIGKILL', () => {
    expect(durationSeconds(bot!.stop_grace_period!)).toBeGreaterThan(STOP_BUDGET_SECONDS);
  });

  test('bots and simulator run read-only without capabilities', () => {
    for (const service of [bot!, simulator!]) {
      expect(service.read_only).toBe(true);
      expect(service.cap_drop).toEqual(['ALL']);
    }
  });

  test('the simulator runs from the same image, only with the `simulator` profile, reachable by the bots', () => {
    expect(simulator!.profiles).toEqual(['simulator']);
    expect(simulator!.image).toBe(bot!.image);
    expect(simulator!.command).toEqual(['node', 'dist/simulator/main.js']);
    expect(existsSync(path.join(ROOT, 'src/simulator/main.ts'))).toBe(true);
    expect(simulator!.environment).toEqual({ SIM_HOST: '0.0.0.0', SIM_PORT: '8090' });
    // The image's own health check asks the bot's /healthz.
    expect(simulator!.healthcheck).toEqual({ disable: true });
    expect(redis!.profiles).toBeUndefined();
    expect(bot!.profiles).toBeUndefined();
  });

  test('sets only settings the README documents, and no secret', () => {
    const documented = documentedSettings();
    const names = Object.values(compose.services).flatMap((service) =>
      Object.keys(service.environment ?? {}),
    );
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !documented.has(name))).toEqual([]);
    expect(names.filter(isSecretSetting)).toEqual([]);
  });
});

describe('.env.example', () => {
  test('is the bots’ env file, and the real one (.env) is git-ignored', () => {
    expect(bot!.env_file).toBe('.env');
    expect(readRepoFile('.gitignore').split('\n')).toContain('.env');
  });

  test('names only settings the README documents, with both Slack credentials and DataArts', () => {
    const documented = documentedSettings();
    const names = envExample.map(([name]) => name);
    expect(names.filter((name) => !documented.has(name))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['SLACK_BOT_TOKEN', 'DLF_ENDPOINT', 'DLF_PROJECT_ID']));
  });

  test('holds placeholders, never a value, for every secret', () => {
    const secrets = envExample.filter(([name]) => isSecretSetting(name));
    expect(secrets.length).toBeGreaterThan(0);
    for (const [name, value] of secrets) expect({ name, value }).toEqual({ name, value: PLACEHOLDER });
  });

  test('shows the simulator’s settings, which point at the compose service', () => {
    expect(readRepoFile('.env.example')).toMatch(/^# DLF_ENDPOINT=http:\/\/simulator:8090$/m);
    expect(simulator!.environment?.SIM_PORT).toBe('8090');
  });
});
