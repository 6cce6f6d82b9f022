/** What the bots of a multi-bot test share: a private Redis, the DataArts simulator and the Slack stand-in. */
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '../../src/simulator';
import { type RunningStandin, startSlackStandin } from '../../src/slack-standin';
import { BOT_TOKEN } from './bot';
import { startRedis, type TestRedis } from './redis';

export interface Backends {
  redis: TestRedis;
  sim: RunningSimulator;
  slackServer: RunningStandin;
  close(): Promise<void>;
}

export async function startBackends(simulator: SimulatorOptions = {}): Promise<Backends> {
  const redis = await startRedis();
  const sim = await startSimulator(simulator);
  const slackServer = await startSlackStandin({ botToken: BOT_TOKEN });
  return {
    redis,
    sim,
    slackServer,
    close: async () => {
      await Promise.all([sim.close(), slackServer.close()]);
      await redis.stop();
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A running instance of `job` (made if new) that does not end by itself. */
export function longRun(sim: RunningSimulator, job: string): string {
  return sim.simulator.startRun(job, {
    nodes: [
      { name: 'extract', type: 'CDMJob', durationMs: 1 },
      { name: 'validate', type: 'HiveSQL', durationMs: 3_600_000 },
    ],
  });
}
