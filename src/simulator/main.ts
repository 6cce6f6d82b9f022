/** `npm run simulator`: the DataArts simulator on loopback, printing the settings that point the bot at it. */
import { DEMO_AK, DEMO_PROJECT_ID, DEMO_SK, DEMO_WORKSPACE, SCENARIOS, startSimulator } from './index';

async function main(): Promise<void> {
  const host = process.env.SIM_HOST ?? '127.0.0.1';
  const port = Number(process.env.SIM_PORT ?? 8090);
  const running = await startSimulator({ host, port });
  // The printed credentials are the simulator's public demo values, not secrets.
  process.stdout.write(
    [
      `DataArts simulator listening on ${running.url}`,
      '',
      'Point the bot or the CLI at it with:',
      `  DLF_ENDPOINT=${running.url}`,
      `  DLF_PROJECT_ID=${DEMO_PROJECT_ID}`,
      `  DLF_WORKSPACE=${DEMO_WORKSPACE}`,
      `  DLF_AK=${DEMO_AK}`,
      `  DLF_SK=${DEMO_SK}`,
      '',
      `Jobs: ${Object.values(SCENARIOS).join(', ')}`,
      'Try: npx dlf-instance job_batch 34765',
      '',
    ].join('\n'),
  );
  const stop = () => {
    void running.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`The simulator could not start: ${(error as Error).message}\n`);
  process.exit(1);
});
