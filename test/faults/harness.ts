/**
 * One fault scenario's world: a private Redis (optionally behind the TCP proxy), the DataArts simulator, the
 * Slack stand-in (and, for a Slack that comes up late, more on chosen ports), and bot processes
 * (`node dist/app.js`, as `npm start` runs them) spawned, signalled and SIGKILLed on demand, their /healthz
 * asked. Every process and server it starts is stopped in close(), which the runner calls in a finally.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { NodePlan, RunningSimulator } from '../../src/simulator';
import {
  type RunningStandin,
  SlackDriver,
  type SlackStandin,
  startSlackStandin,
} from '../../src/slack-standin';
import { type Backends, sleep, startBackends } from '../helpers/backends';
import { BOT_TOKEN, SIGNING_SECRET } from '../helpers/bot';
import { type BotChild, spawnBot } from '../helpers/bot-process';
import type { TestRedis } from '../helpers/redis';
import { type RedisProxy, startRedisProxy } from '../helpers/redis-proxy';
import type { Followed } from './checker';

export const LOG_DIR = path.join(__dirname, '..', '..', '..', 'test-output', 'faults-logs');

/** Short enough for a matrix of minutes, in the proportions production keeps (Slack timeout < lock). */
export const BOT_ENV = {
  DLF_POLL_INTERVAL_SECONDS: '0.5',
  DLF_WATCH_INTERVAL_SECONDS: '0.5',
  DLF_POLL_LOCK_SECONDS: '2',
  DLF_POLL_MAX_BACKOFF_SECONDS: '2',
  SLACK_API_TIMEOUT_SECONDS: '1',
  DLF_TIMEOUT_MS: '3000',
  LOG_LEVEL: 'info',
};

/** A driver that can send its last request again, as Slack re-delivers one (with X-Slack-Retry-Num). */
export class ReplayingDriver extends SlackDriver {
  private last?: { body: string; contentType: string };

  override send(
    body: string,
    contentType: string,
    extraHeaders: Record<string, string> = {},
    signing?: Parameters<SlackDriver['send']>[3],
  ) {
    this.last = { body, contentType };
    return super.send(body, contentType, extraHeaders, signing);
  }

  /** The last request again, exactly, to another bot if given (Slack's retry may reach any process). */
  replay(num: number, reason: string, to: ReplayingDriver = this) {
    if (!this.last) throw new Error('Nothing to replay');
    return to.sendRaw(this.last.body, this.last.contentType, {
      'x-slack-retry-num': String(num),
      'x-slack-retry-reason': reason,
    });
  }

  private sendRaw(body: string, contentType: string, headers: Record<string, string>) {
    return super.send(body, contentType, headers);
  }
}

export interface Bot extends BotChild {
  name: string;
  driver: ReplayingDriver;
}

/** What GET /healthz answered (status 0: no answer at all), and when. */
export interface Health {
  status: number;
  text: string;
  at: number;
}

/** How a bot process ended: when (Date.now()), its exit code or the signal that killed it. */
export interface Exit {
  at: number;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Two nodes, the second long: the instance runs until the runner ends it. */
const LONG_RUN = [
  { name: 'extract', type: 'CDMJob', durationMs: 1 },
  { name: 'load', type: 'DWS SQL', durationMs: 3_600_000 },
];

const json = (value: unknown) => JSON.stringify(value);

export class Harness {
  readonly bots: Bot[] = [];
  readonly followed: Followed[] = [];
  private readonly logs: WriteStream[] = [];
  private readonly lateSlacks: RunningStandin[] = [];
  /** What a row started beside the world (a Redis Cluster, say), stopped with it. */
  private readonly extras: (() => Promise<void>)[] = [];
  private spawned = 0;

  private constructor(
    readonly name: string,
    private readonly backends: Backends,
    readonly proxy: RedisProxy | undefined,
  ) {}

  static async start(name: string, options: { proxy?: boolean } = {}): Promise<Harness> {
    const backends = await startBackends();
    const proxy = options.proxy ? await startRedisProxy({ port: backends.redis.port }) : undefined;
    return new Harness(name, backends, proxy);
  }

  get redis(): TestRedis {
    return this.backends.redis;
  }

  get sim(): RunningSimulator {
    return this.backends.sim;
  }

  get slackServer(): RunningStandin {
    return this.backends.slackServer;
  }

  get slack(): SlackStandin {
    return this.backends.slackServer.standin;
  }

  /** The Redis URL bots use: the proxy's when there is one. */
  get redisUrl(): string {
    return this.proxy?.url ?? this.backends.redis.url;
  }

  /** Starts one more bot process; its output goes to test-output/faults-logs/<scenario>-<n>.log. */
  async spawn(env: Record<string, string> = {}): Promise<Bot> {
    const name = `bot${++this.spawned}`;
    const child = await spawnBot(this.sim, this.slackServer, {
      REDIS_URL: this.redisUrl,
      ...BOT_ENV,
      ...env,
    });
    mkdirSync(LOG_DIR, { recursive: true });
    const log = createWriteStream(path.join(LOG_DIR, `${this.name}-${name}.log`));
    this.logs.push(log);
    // What it printed while starting, then everything after.
    log.write(child.output());
    child.child.stdout?.pipe(log, { end: false });
    child.child.stderr?.pipe(log, { end: false });
    const bot: Bot = { ...child, name, driver: this.driverFor(child, this.slack) };
    this.bots.push(bot);
    return bot;
  }

  /** A driver playing `standin`'s Slack towards `bot` (the world's stand-in, or one started late). */
  driverFor(bot: BotChild, standin: SlackStandin): ReplayingDriver {
    return new ReplayingDriver({
      standin,
      botUrl: `http://127.0.0.1:${bot.port}/slack/events`,
      signingSecret: SIGNING_SECRET,
    });
  }

  /** Another Slack stand-in, on `port`: Slack coming up where a bot was told to find it. Closed with the world. */
  async startSlackOn(port: number): Promise<RunningStandin> {
    const slack = await startSlackStandin({ botToken: BOT_TOKEN, port });
    this.lateSlacks.push(slack);
    return slack;
  }

  async health(bot: BotChild): Promise<Health> {
    try {
      const response = await fetch(`http://127.0.0.1:${bot.port}/healthz`, {
        signal: AbortSignal.timeout(2_000),
      });
      return { status: response.status, text: await response.text(), at: Date.now() };
    } catch (error) {
      return { status: 0, text: (error as Error).message, at: Date.now() };
    }
  }

  /** Asks /healthz every 100 ms until an answer passes `check`; that answer, or undefined after `timeoutMs`. */
  async healthUntil(
    bot: BotChild,
    check: (health: Health) => boolean,
    timeoutMs: number,
  ): Promise<Health | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const health = await this.health(bot);
      if (check(health)) return health;
      if (Date.now() > deadline) return undefined;
      await sleep(100);
    }
  }

  /** The bot's exit, or undefined if it is still running after `timeoutMs`. Ask before signalling it. */
  exit(bot: BotChild, timeoutMs: number): Promise<Exit | undefined> {
    const { child } = bot;
    if (child.exitCode !== null || child.signalCode !== null)
      return Promise.resolve({ at: Date.now(), code: child.exitCode, signal: child.signalCode });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        child.off('exit', exited);
        resolve(undefined);
      }, timeoutMs);
      const exited = (code: number | null, signal: NodeJS.Signals | null) => {
        clearTimeout(timer);
        resolve({ at: Date.now(), code, signal });
      };
      child.once('exit', exited);
    });
  }

  async spawnMany(count: number, env: Record<string, string> = {}): Promise<Bot[]> {
    return Promise.all(Array.from({ length: count }, () => this.spawn(env)));
  }

  /** SIGKILL: no cleanup, locks and in-flight work are abandoned. */
  async kill(bot: Bot): Promise<void> {
    await bot.kill();
    this.bots.splice(this.bots.indexOf(bot), 1);
  }

  async killAll(): Promise<void> {
    await Promise.all([...this.bots].map((bot) => this.kill(bot)));
  }

  addChannel(id: string): string {
    if (!this.slack.workspace.conversation(id))
      this.slack.addChannel({ id, name: id.toLowerCase(), kind: 'public', botIsMember: true });
    return id;
  }

  /** Starts a run of `job` in the simulator (a long one unless `nodes` say otherwise); returns its instance id. */
  startRun(job: string, nodes: NodePlan[] = LONG_RUN): string {
    return this.sim.simulator.startRun(job, { nodes });
  }

  /**
   * `/dlf-instance subscribe <job> <id>` typed in `channel`, sent to `bot`; resolves with the followed message
   * once it shows Unsubscribe (the subscription is stored).
   */
  async subscribe(bot: Bot, job: string, instanceId: string, channel: string): Promise<Followed> {
    const before = new Set(this.slack.messages(channel).map((m) => m.ts));
    const answer = await bot.driver.command('/dlf-instance', `subscribe ${job} ${instanceId}`, { channel });
    if (answer.status !== 200) throw new Error(`subscribe answered HTTP ${answer.status}`);
    const message = await this.slack.waitFor(
      () =>
        this.slack
          .messages(channel)
          .find((m) => !before.has(m.ts) && !m.threadTs && json(m.blocks).includes(`${job} #${instanceId}`)),
      { timeoutMs: 20_000, what: `the message of ${job} #${instanceId} in ${channel}` },
    );
    await this.slack.waitFor(() => json(message.blocks).includes('instance_unsubscribe'), {
      timeoutMs: 20_000,
      what: `${job} #${instanceId} followed in ${channel}`,
    });
    const followed: Followed = { channel, ts: message.ts, job, instanceId };
    this.followed.push(followed);
    return followed;
  }

  /**
   * `count` instances of `job`, each followed in each of `channels`; commands go round-robin to `bots`,
   * a few at a time (as people type them).
   */
  async followMany(
    bots: Bot[],
    job: string,
    count: number,
    channels: string[],
    parallel = 8,
    nodes: NodePlan[] = LONG_RUN,
  ): Promise<Followed[]> {
    const work: { id: string; channel: string }[] = [];
    for (let i = 0; i < count; i++) {
      const id = this.startRun(job, nodes);
      for (const channel of channels) work.push({ id, channel: this.addChannel(channel) });
    }
    const out: Followed[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(parallel, work.length) }, async () => {
        while (next < work.length) {
          const i = next++;
          const item = work[i]!;
          out[i] = await this.subscribe(bots[i % bots.length]!, job, item.id, item.channel);
        }
      }),
    );
    return out;
  }

  /** Ends these instances in the simulator now, noting when (each instance once, however many follow it). */
  finish(followed: Followed[], status: 'success' | 'fail' = 'success'): void {
    const done = new Set<string>();
    for (const f of followed) {
      const key = `${f.job}#${f.instanceId}`;
      if (!done.has(key)) {
        this.sim.simulator.finish(f.job, f.instanceId, status);
        done.add(key);
      }
    }
    const at = Date.now();
    for (const f of followed) f.endedAt ??= at;
  }

  /** Calls to the simulator for this job that it answered (status > 0) or not, since `since`. */
  dlfCalls(job: string, since = 0) {
    return this.sim.simulator.callsFor(job).filter((call) => call.at >= since);
  }

  /** Stops `stop` with the world (also when the runner is interrupted). */
  onClose(stop: () => Promise<void>): void {
    this.extras.push(stop);
  }

  /** For a runner being interrupted: SIGKILLs every process this harness started, synchronously. */
  killNow(): void {
    for (const bot of this.bots) bot.child.kill('SIGKILL');
    void this.redis.kill();
    for (const stop of this.extras) void stop();
  }

  async close(): Promise<void> {
    await this.killAll();
    this.slack.clearFaults();
    this.sim.simulator.clearFaults();
    this.proxy?.resume();
    await this.proxy?.close();
    await Promise.all(this.lateSlacks.map((slack) => slack.close()));
    await Promise.all(this.extras.splice(0).map((stop) => stop()));
    await this.backends.close();
    await Promise.all(this.logs.map((log) => new Promise((resolve) => log.end(resolve))));
  }
}

export { sleep };
