/**
 * `npm run playground`: the bot against the embedded DataArts simulator and Slack stand-in, with a page at
 * http://localhost:3000 (PLAYGROUND_PORT) standing in for a Slack channel. Loopback only; no account needed.
 */
import { stopOnSignal } from '../support/stop-on-signal';
import { DEFAULT_PORT, startPlayground } from './playground';

async function main(): Promise<void> {
  const raw = process.env.PLAYGROUND_PORT?.trim();
  const port = raw ? Number(raw) : DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PLAYGROUND_PORT must be a port number, 0 for any free one (got "${raw}").`);
  }
  let playground: Awaited<ReturnType<typeof startPlayground>>;
  try {
    playground = await startPlayground({ port, env: process.env });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`Port ${port} is in use. Set PLAYGROUND_PORT to another port (0 picks a free one).`);
    }
    throw error;
  }
  const { port: actual } = new URL(playground.url);
  const store =
    playground.store === 'memory'
      ? 'memory (one process; a restart forgets subscriptions)'
      : `Redis ${playground.store}`;
  process.stdout.write(
    [
      '',
      `DLF bot playground: http://localhost:${actual}  (listening on 127.0.0.1 only)`,
      '',
      `  DataArts: embedded simulator at ${playground.sim.url}`,
      `  Slack:    embedded stand-in at ${playground.slack.url}; the page is a view on it`,
      `  Bot:      the real bot at http://127.0.0.1:${playground.bot.port}/slack/events`,
      `  Store:    ${store}`,
      '',
      'Open the page and type: /dlf-instance job_batch 34765',
      'Ctrl+C stops everything.',
      '',
    ].join('\n'),
  );
  stopOnSignal().running(playground.close);
}

main().catch((error: unknown) => {
  process.stderr.write(`The playground could not start: ${(error as Error).message}\n`);
  process.exit(1);
});
