/** Starts a Node script as its own process and waits for a line that says it is ready (tests and bench). */
import { type ChildProcess, spawn } from 'node:child_process';

export interface Spawned {
  child: ChildProcess;
  /** The match of the ready pattern. */
  ready: RegExpExecArray;
  /** Everything it has printed so far (stdout and stderr). */
  output(): string;
}

export async function spawnNode(
  script: string,
  env: Record<string, string | undefined>,
  readyPattern: RegExp,
  timeoutMs = 15_000,
): Promise<Spawned> {
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      const match = readyPattern.exec(output);
      if (match) {
        clearInterval(timer);
        resolve(match);
      } else if (child.exitCode !== null || Date.now() - started > timeoutMs) {
        clearInterval(timer);
        child.kill('SIGKILL');
        reject(new Error(`${script} did not start:\n${output.slice(-2000)}`));
      }
    }, 20);
  });
  return { child, ready, output: () => output };
}
