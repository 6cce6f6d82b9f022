/**
 * `./run`, the README's two commands for a fresh machine, in its dry-run form (it prints each step instead of
 * running it): what it installs when redis-server, chromium or node_modules are missing, and the sentence a
 * person gets when it cannot.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');
const BASH = '/bin/bash';
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'run-script-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(BASH, [script, '--dry-run', ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
  return { status: result.status, steps: result.stderr.trim().split('\n') };
}

/** A folder on PATH holding only node: no redis-server, no sudo, no apt-get. */
function onlyNode(): string {
  const bin = path.join(scratch, 'only-node');
  if (!existsSync(bin)) {
    mkdirSync(bin);
    symlinkSync(process.execPath, path.join(bin, 'node'));
  }
  return bin;
}

const isRoot = process.getuid?.() === 0;

/** What ./run decides about this checkout's node_modules: `npm ci` when it is missing or older than the lock. */
function npmSteps(): string[] {
  const installed = path.join(ROOT, 'node_modules', '.package-lock.json');
  const stale =
    !existsSync(installed) ||
    statSync(path.join(ROOT, 'package-lock.json')).mtimeMs > statSync(installed).mtimeMs;
  return stale ? ['+ npm ci --no-audit --no-fund'] : [];
}

test('./run test on a machine with everything: npm test, nothing installed', () => {
  // The tests themselves need redis-server and chromium, and npm ci has run: nothing is missing here.
  expect(run(path.join(ROOT, 'run'), ['test'])).toEqual({ status: 0, steps: [...npmSteps(), '+ npm test'] });
});

test('./run test without redis-server and openssl: apt-get installs them as root, or the person is told how', () => {
  const { status, steps } = run(path.join(ROOT, 'run'), ['test'], { PATH: onlyNode() });
  const missing = existsSync('/usr/bin/chromium') ? 'redis-server openssl' : 'redis-server openssl chromium';
  if (isRoot) {
    expect(status).toBe(0);
    expect(steps).toEqual([
      '+ apt-get update -qq',
      `+ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing}`,
      ...npmSteps(),
      '+ npm test',
    ]);
  } else {
    expect(status).toBe(1);
    expect(steps).toEqual([
      `The tests need ${missing} and this is not root: install them (sudo apt-get install ${missing}), then run this again.`,
    ]);
  }
});

test('./run playground in a fresh checkout (no node_modules): npm ci first, then the playground', () => {
  const checkout = path.join(scratch, 'fresh');
  mkdirSync(checkout);
  copyFileSync(path.join(ROOT, 'run'), path.join(checkout, 'run'));
  writeFileSync(path.join(checkout, 'package-lock.json'), '{}');
  expect(run(path.join(checkout, 'run'), ['playground'])).toEqual({
    status: 0,
    steps: ['+ npm ci --no-audit --no-fund', '+ npm run playground'],
  });
});

test('without node, or with a wrong word, a sentence that says what to do', () => {
  const empty = path.join(scratch, 'empty');
  mkdirSync(empty);
  const noNode = run(path.join(ROOT, 'run'), ['playground'], { PATH: empty });
  expect(noNode.status).toBe(1);
  expect(noNode.steps[0]).toMatch(/^Node\.js 20\.19 or newer is needed and none is on PATH/);
  const wrong = run(path.join(ROOT, 'run'), ['deploy']);
  expect(wrong).toEqual({
    status: 1,
    steps: ['Usage: ./run [--dry-run] playground | test   (see the top of this file)'],
  });
});

test(".ci/run runs the tests with exactly the README's command", () => {
  const ci = readFileSync(path.join(ROOT, '.ci/run'), 'utf8');
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const quickStart = /## Quick start\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const commands = quickStart
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('#')[0]!.trim());
  expect(commands).toEqual(['./run playground', './run test']);
  expect(ci.split('\n')).toContain('./run test');
});
