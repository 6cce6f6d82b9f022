/** What every BullMQ user of the bot shares. */
import type { Queue, Worker } from 'bullmq';
import type { RedisConnection } from '../redis/connection';

/**
 * Closes a queue, its worker and the connections they were given (BullMQ does not close those). `force`: Redis
 * may be unreachable, so nothing is waited for and the connections simply go.
 */
export async function closeBull(
  parts: { queue: Queue; worker?: Worker; connections: (RedisConnection | undefined)[] },
  force: boolean,
): Promise<void> {
  const { queue, worker, connections } = parts;
  if (force) {
    for (const connection of connections) connection?.disconnect();
    void worker?.close(true).catch(() => undefined);
    void queue.close().catch(() => undefined);
    return;
  }
  await worker?.close();
  await queue.close();
  for (const connection of connections) await connection?.quit().catch(() => undefined);
}
