/** A bot as a separate OS process (node dist/app.js, as `npm start` runs it), so a test can SIGKILL it. */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEMO_AK, DEMO_PROJECT_ID, DEMO_SK, type RunningSimulator } from '../../src/simulator';
import type { RunningStandin } from '../../src/slack-standin';
import { BOT_TOKEN, SIGNING_SECRET } from './bot';
import { spawnNode } from './spawn';

/** The repository's dist/app.js, from test/helpers (Jest) or from its compiled copy in .bench-dist/test/helpers. */
const APP = [
  path.join(__dirname, '..', '..', 'dist', 'app.js'),
  path.join(__dirname, '..', '..', '..', 'dist', 'app.js'),
].find((candidate) => existsSync(candidate))!;

export interface BotChild {
  child: ChildProcess;
  /** The HTTP port it listens on (127.0.0.1), for a driver: http://127.0.0.1:<port>/slack/events */
  port: number;
  /** What it printed until it was ready. */
  startup: string;
  /** Everything it has printed so far. */
  output(): string;
  /** SIGKILL: no cleanup, locks and in-flight work are abandoned. */
  kill(): Promise<void>;
}

export async function spawnBot(
  sim: RunningSimulator,
  slack: RunningStandin,
  env: Record<string, string>,
): Promise<BotChild> {
  const { child, ready, output } = await spawnNode(
    APP,
    {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      DLF_ENDPOINT: sim.url,
      DLF_PROJECT_ID: DEMO_PROJECT_ID,
      DLF_AK: DEMO_AK,
      DLF_SK: DEMO_SK,
      SLACK_UPDATES_PER_MINUTE: '100000',
      // Tests look up and act far faster than one person; the fair-share tests set their own limits.
      DLF_LIMIT_LOOKUPS_PER_USER_PER_MINUTE: '100000',
      DLF_LIMIT_LOOKUPS_PER_CHANNEL_PER_MINUTE: '100000',
      DLF_LIMIT_WRITES_PER_USER_PER_MINUTE: '100000',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
      ...env,
    },
    /"port":(\d+),"msg":"listening for Slack/,
  );
  return {
    child,
    port: Number(ready[1]),
    startup: ready.input,
    output,
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
