/**
 * SIGTERM and SIGINT, handled the same way by every entry point (the bot, the simulator, the playground): the
 * first signal starts the stop (exit 0 once it ends, 1 if it fails or outlasts the deadline), a second one exits at
 * once. Listening can start before what it stops exists: a signal that comes while the process starts is acted on
 * as soon as it is running, instead of killing it with the default action.
 */

export interface StopOnSignal {
  /** The process is running and `stop` stops it; a signal that already came stops it now. */
  running(stop: () => Promise<unknown>): void;
}

export function stopOnSignal(
  options: {
    /** Said on stderr after the signal's name when the first one comes (e.g. what is being finished). */
    saying?: string;
    /** Whatever hangs, the process is gone this long after the first signal. */
    deadlineMs?: number;
  } = {},
): StopOnSignal {
  let signalled = false;
  let stop: (() => Promise<unknown>) | undefined;
  const stopNow = (stopping: () => Promise<unknown>) => {
    if (options.deadlineMs !== undefined) setTimeout(() => process.exit(1), options.deadlineMs).unref();
    stopping().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  const on = (signal: string) => {
    if (signalled) {
      process.stderr.write(`${signal} again: stopping now\n`);
      process.exit(1);
    }
    signalled = true;
    if (options.saying) process.stderr.write(`${signal}: ${options.saying}\n`);
    if (stop) stopNow(stop);
  };
  process.on('SIGTERM', () => on('SIGTERM'));
  process.on('SIGINT', () => on('SIGINT'));
  return {
    running: (stopping) => {
      stop = stopping;
      if (signalled) stopNow(stopping);
    },
  };
}
