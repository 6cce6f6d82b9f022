/**
 * The sweep delivers what it sees itself: an end it reads in the list gets its thread reply from the sweep's own
 * look, with no work queued for it (BullMQ's event stream shows every job added), and the reply is posted once.
 */
import Redis from 'ioredis';
import { type Backends, startBackends } from '../helpers/backends';
import { type BotProcess, startBotAgainst } from '../helpers/bot';
import { exactlyOneReply, followLongRun } from '../helpers/subscriptions';

const INTERVAL_S = 0.5;

let backends: Backends;
let front: BotProcess;
let redis: Redis;
beforeAll(async () => {
  backends = await startBackends();
  redis = new Redis(backends.redis.url);
  front = await startBotAgainst(backends.sim, backends.slackServer, {
    REDIS_URL: backends.redis.url,
    DLF_WATCH_INTERVAL_SECONDS: String(INTERVAL_S),
  });
});
afterAll(async () => {
  redis.disconnect();
  await front.bot.stop();
  await backends.close();
});

/** The names of the jobs added to the work queue since `since` (ms), from its event stream. */
async function jobsAdded(since: number): Promise<string[]> {
  const events = await redis.xrange('{dlfbot}:dlf-follow:events', String(since), '+');
  return events.flatMap(([, fields]) => {
    const at = Object.fromEntries(
      fields.flatMap((value, i) => (i % 2 === 0 ? [[value, fields[i + 1] ?? '']] : [])),
    ) as Record<string, string>;
    return at.event === 'added' ? [at.name ?? ''] : [];
  });
}

test("an end the sweep reads gets its reply from the sweep's own look: no poll job, one reply", async () => {
  const { sim, slackServer } = backends;
  const slack = slackServer.standin;
  const { id, message } = await followLongRun({ sim, slack }, front.driver, 'lean_end');
  const ended = Date.now();
  sim.simulator.finish('lean_end', id, 'fail');
  // Deadline: a few sweeps, whatever the machine's load.
  const reply = await exactlyOneReply(slack, message, { timeoutMs: 40 * INTERVAL_S * 1000 });
  expect(reply.text ?? '').toContain('failed');
  expect(await jobsAdded(ended)).not.toContain('poll');
});
