/**
 * What Redis's refusals mean to the bot. With `maxmemory` reached and `noeviction` (the only policy BullMQ and
 * the exactly-once markers can live with), Redis refuses every command that may grow the data set with
 * "OOM command not allowed when used memory > 'maxmemory'"; deletes still work.
 */

/** True for Redis's out-of-memory refusal, however it reached us (a command, a script, an aborted MULTI). */
export function isOutOfMemory(error: unknown): boolean {
  const message = (error as { message?: unknown } | undefined)?.message;
  if (typeof message === 'string' && /\bOOM command not allowed\b/.test(message)) return true;
  // ioredis reports an aborted MULTI with the errors of its commands.
  const previous = (error as { previousErrors?: unknown } | undefined)?.previousErrors;
  return Array.isArray(previous) && previous.some((inner) => isOutOfMemory(inner));
}

/** `used_memory` and `maxmemory` from the text of `INFO memory`; undefined fields are absent. */
export function memoryOf(info: string): { used?: number; max?: number } {
  const field = (name: string) => {
    const match = new RegExp(`^${name}:(\\d+)\\r?$`, 'm').exec(info);
    return match ? Number(match[1]) : undefined;
  };
  return { used: field('used_memory'), max: field('maxmemory') };
}
