/**
 * The Dockerfile and .dockerignore, checked without a container engine: Docker's syntax rules (dockerfile-utils),
 * the two stages and what each runs, the runtime user and port, and the HEALTHCHECK command run for real
 * against the bot.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import dockerignore from '@balena/dockerignore';
import { Cmd, Copy, Env, Healthcheck, Run, Stopsignal, User } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { listenLocal } from '../../src/support/http-server';
import { type Harness, startHarness } from '../helpers/bot';
import {
  dockerfileStages,
  documentedSettings,
  isSecretSetting,
  ofKind,
  ROOT,
  readRepoFile,
} from './deploy-files';

const dockerfile = readRepoFile('Dockerfile');
const [build, runtime] = dockerfileStages(dockerfile);

function words(instructions: { getArguments(): { getValue(): string }[] }[]): string[][] {
  return instructions.map((instruction) => instruction.getArguments().map((argument) => argument.getValue()));
}

function runCommands(stage = runtime!): string[] {
  return ofKind(stage, Run).map((run) => run.getArgumentsContent() ?? '');
}

function envOf(stage = runtime!): Map<string, string | null> {
  return new Map(
    ofKind(stage, Env)
      .flatMap((env) => env.getProperties())
      .map((property) => [property.getName(), property.getValue()]),
  );
}

function healthcheckCommand(): string[] {
  const [healthcheck] = ofKind(runtime!, Healthcheck);
  const content = healthcheck?.getArgumentsContent() ?? '';
  expect(content).toMatch(/^CMD \[/);
  return JSON.parse(content.slice('CMD'.length)) as string[];
}

/** Runs the image's HEALTHCHECK command as Docker would (exec form), with the container's PORT. */
function runHealthcheck(port: number): Promise<number | null> {
  const [program, ...args] = healthcheckCommand();
  expect(program).toBe('node');
  const child = spawn(process.execPath, args, { env: { PORT: String(port) }, stdio: 'ignore' });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('Dockerfile', () => {
  test('breaks none of Docker’s rules (instructions, flags, durations, signal, JSON forms)', () => {
    expect(validate(dockerfile)).toEqual([]);
  });

  test('dockerfile-utils would notice a broken instruction', () => {
    const broken = dockerfile
      .replace('--interval=15s', '--interval=15x')
      .replace('STOPSIGNAL SIGTERM', 'STOPSIGNAL');
    expect(validate(broken).map((diagnostic) => diagnostic.message)).toHaveLength(2);
  });

  test('two stages on Node 20 slim, pinned by major', () => {
    expect(dockerfileStages()).toHaveLength(2);
    expect(build!.name).toBe('build');
    for (const stage of [build!, runtime!]) {
      expect(stage.from.getImageName()).toBe('node');
      expect(stage.from.getImageTag()).toMatch(/^20-([a-z]+-)?slim$/);
    }
  });

  test('the build stage installs everything and compiles src/ to dist/', () => {
    expect(runCommands(build)).toEqual([expect.stringMatching(/^npm ci\b/), 'npm run build']);
    expect(words(ofKind(build!, Copy))).toContainEqual(['src/', 'src/']);
    // The build writes dist/app.js from src/app.ts (tsconfig.build.json: rootDir src, outDir dist).
    const buildConfig = JSON.parse(readRepoFile('tsconfig.build.json')) as { compilerOptions: object };
    expect(buildConfig.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
  });

  test('the runtime stage installs production dependencies only, without running `prepare` (the build)', () => {
    const [install, ...others] = runCommands();
    expect(others).toEqual([]);
    expect(install).toMatch(/^npm ci /);
    expect(install!.split('&&')[0]!.split(/\s+/)).toEqual(
      expect.arrayContaining(['--omit=dev', '--ignore-scripts']),
    );
    // `prepare` builds, and the build needs the development dependencies this stage leaves out.
    expect(JSON.parse(readRepoFile('package.json')).scripts.prepare).toBe('npm run build');
  });

  test('the runtime stage takes dist/ from the build stage and no sources', () => {
    const copies = ofKind(runtime!, Copy);
    const fromBuild = copies.filter((copy) => copy.getFromFlag()?.getValue() === 'build');
    expect(words(fromBuild)).toEqual([['/app/dist/', 'dist/']]);
    expect(words(copies.filter((copy) => !copy.getFromFlag()))).toEqual([
      ['package.json', 'package-lock.json', './'],
    ]);
  });

  test('runs `node dist/app.js`, as `npm start` and the Procfile do', () => {
    const cmd = ofKind(runtime!, Cmd).map((instruction) =>
      instruction.getJSONStrings().map((s) => s.getJSONValue()),
    );
    expect(cmd).toEqual([['node', 'dist/app.js']]);
    expect(JSON.parse(readRepoFile('package.json')).scripts.start).toBe('node dist/app.js');
    expect(readRepoFile('Procfile').trim()).toBe('web: node dist/app.js');
    expect(existsSync(path.join(ROOT, 'src/app.ts'))).toBe(true);
  });

  test('runs as a numeric non-root user, so Kubernetes’ runAsNonRoot can check it', () => {
    const users = words(ofKind(runtime!, User)).flat();
    expect(users).toHaveLength(1);
    const [uid, gid] = users[0]!.split(':');
    expect(Number(uid)).toBeGreaterThan(0);
    expect(Number(gid ?? uid)).toBeGreaterThan(0);
    // Set before the command, so it is the user the bot runs as.
    const position = (keyword: string) => runtime!.instructions.findIndex((i) => i.getKeyword() === keyword);
    expect(position('USER')).toBeLessThan(position('CMD'));
  });

  test('exposes the PORT it sets, and sets only documented settings, none of them secret', () => {
    const env = envOf();
    expect(env.get('PORT')).toBe('3000');
    const exposed = runtime!.instructions
      .filter((i) => i.getKeyword() === 'EXPOSE')
      .map((i) => i.getArgumentsContent());
    expect(exposed).toEqual([env.get('PORT')]);
    const documented = documentedSettings();
    for (const name of env.keys()) {
      expect({ name, documented: documented.has(name), secret: isSecretSetting(name) }).toEqual({
        name,
        documented: true,
        secret: false,
      });
    }
    expect(dockerfile).not.toMatch(/^\s*ARG\b/m);
  });

  test('stops with SIGTERM, on which the bot stops gracefully (test/app-process.test.ts)', () => {
    expect(words(ofKind(runtime!, Stopsignal))).toEqual([['SIGTERM']]);
  });

  test('the health check gives up before Docker’s timeout does', () => {
    const [healthcheck] = ofKind(runtime!, Healthcheck);
    const flags = new Map(healthcheck!.getFlags().map((flag) => [flag.getName(), flag.getValue()]));
    const timeoutMs = Number(/^(\d+)s$/.exec(flags.get('timeout') ?? '')?.[1]) * 1000;
    const ownTimeoutMs = Number(/AbortSignal\.timeout\((\d+)\)/.exec(healthcheckCommand()[2]!)?.[1]);
    expect(ownTimeoutMs).toBeLessThan(timeoutMs);
  });
});

describe('the image’s HEALTHCHECK command', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  test('passes against the bot', async () => {
    expect(await runHealthcheck(harness.bot.port!)).toBe(0);
  });

  test('fails when /healthz does not answer 200', async () => {
    const paths: string[] = [];
    const server = await listenLocal(async (req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(503);
      res.end('not ready');
    });
    try {
      expect(await runHealthcheck(Number(new URL(server.url).port))).toBe(1);
      expect(paths).toEqual(['/healthz']);
    } finally {
      await server.close();
    }
  });

  test('fails when nothing listens', async () => {
    const server = await listenLocal(async () => {});
    const port = Number(new URL(server.url).port);
    await server.close();
    expect(await runHealthcheck(port)).toBe(1);
  });

  test('fails, within its own timeout, when the bot hangs', async () => {
    const server = await listenLocal(() => new Promise(() => {}));
    try {
      expect(await runHealthcheck(Number(new URL(server.url).port))).toBe(1);
    } finally {
      await server.close();
    }
  });
});

describe('.dockerignore', () => {
  const ignore = dockerignore().add(readRepoFile('.dockerignore').split('\n'));

  test('keeps local and generated files out of the build context', () => {
    for (const file of [
      'node_modules/ioredis/package.json',
      '.git/HEAD',
      'test-output/faults.json',
      '.env',
      'dist/app.js',
    ]) {
      expect({ file, ignored: ignore.ignores(file) }).toEqual({ file, ignored: true });
    }
  });

  test('lets in everything the Dockerfile copies from the context', () => {
    const sources = [build!, runtime!]
      .flatMap((stage) => ofKind(stage, Copy).filter((copy) => !copy.getFromFlag()))
      .flatMap((copy) =>
        copy
          .getArguments()
          .slice(0, -1)
          .map((argument) => argument.getValue()),
      );
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect({ source, exists: existsSync(path.join(ROOT, source)) }).toEqual({ source, exists: true });
      const files = source.endsWith('/')
        ? readdirSync(path.join(ROOT, source), { recursive: true, withFileTypes: true })
            .filter((entry) => entry.isFile())
            .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)))
        : [source];
      expect({ source, ignored: files.filter((file) => ignore.ignores(file)) }).toEqual({
        source,
        ignored: [],
      });
    }
  });
});
