/** A simulator on loopback and clients pointed at it, for tests. */
import { AkSkAuth, type AuthProvider } from '../../src/dataarts/auth/providers';
import { DataArtsClient, type DataArtsClientOptions } from '../../src/dataarts/client';
import {
  DEMO_AK,
  DEMO_PROJECT_ID,
  DEMO_SK,
  type RunningSimulator,
  type SimulatorOptions,
  startSimulator,
} from '../../src/simulator';

export async function withSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ host: '127.0.0.1', port: 0, ...options });
}

export const demoAuth = (): AuthProvider => new AkSkAuth({ accessKey: DEMO_AK, secretKey: DEMO_SK });

export function clientFor(
  sim: RunningSimulator,
  overrides: Partial<DataArtsClientOptions> & { delays?: number[] } = {},
): DataArtsClient {
  const { delays, ...rest } = overrides;
  return new DataArtsClient({
    endpoint: sim.url,
    projectId: DEMO_PROJECT_ID,
    auth: demoAuth(),
    timeoutMs: 2_000,
    // Record backoff delays instead of waiting them out.
    sleep: async (ms) => {
      delays?.push(ms);
    },
    ...rest,
  });
}
