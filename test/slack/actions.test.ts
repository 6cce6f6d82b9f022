/**
 * Stop, rerun and run now from Slack, end to end: signed requests through the stand-in's driver, the bot over
 * HTTP, the DataArts simulator's call log, a private Redis shared by two bot processes. Who may act is
 * DLF_OPERATORS (a user group through usergroups.users.list, and people), checked at the press; each write happens
 * once however often it is pressed; a rerun's end and a new run's end are told once in the thread.
 */
import type { RunningSimulator } from '../../src/simulator';
import {
  type Ephemeral,
  type RunningStandin,
  SlackDriver,
  type SlackStandin,
  type StoredMessage,
} from '../../src/slack-standin';
import { type Backends, longRun, sleep, startBackends } from '../helpers/backends';
import {
  type BotProcess,
  type Harness,
  recorded,
  SIGNING_SECRET,
  startBotAgainst,
  startHarness,
} from '../helpers/bot';

const INTERVAL_MS = 300;
const CHANNEL = 'C0GENERAL';
/** bob is on call through the group; the lead (and the guest, who never may) for ops_* jobs. */
const OPERATORS = 'act_*=S0ONCALL;ops_*=U0LEAD,U0GUEST';

let sim: RunningSimulator;
let slackServer: RunningStandin;
let slack: SlackStandin;
let backends: Backends;
const bots: BotProcess[] = [];

async function bot(): Promise<BotProcess> {
  const started = await startBotAgainst(sim, slackServer, {
    REDIS_URL: backends.redis.url,
    DLF_OPERATORS: OPERATORS,
    DLF_ALLOW_EXTERNAL_USERS: 'true',
    DLF_POLL_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
    DLF_WATCH_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
    DLF_POLL_LOCK_SECONDS: '2',
    SLACK_API_TIMEOUT_SECONDS: '1',
  });
  bots.push(started);
  return started;
}

beforeAll(async () => {
  backends = await startBackends();
  ({ sim, slackServer } = backends);
  slack = slackServer.standin;
  slack.addUser({ id: 'U0LEAD', name: 'lead' });
  slack.addUser({ id: 'U0GUEST', name: 'guest', teamId: 'T0PARTNER' });
  slack.addUserGroup({ id: 'S0ONCALL', handle: 'data-oncall', users: ['U0BOB'] });
  await bot();
});
afterAll(async () => {
  for (const process of bots) await process.bot.stop();
  await backends.close();
});

const json = (value: unknown) => JSON.stringify(value);

async function show(job: string, id: string, verb = ''): Promise<StoredMessage> {
  const before = new Set(slack.messages(CHANNEL).map((m) => m.ts));
  await bots[0]!.driver.command('/dlf-instance', `${verb} ${job} ${id}`.trim());
  const message = await slack.waitFor(
    () => slack.messages(CHANNEL).find((m) => !before.has(m.ts) && json(m.blocks).includes(`${job} #${id}`)),
    { what: `the message of ${job} #${id}` },
  );
  await recorded(bots[0]!.bot, message);
  return message;
}

function writes(job: string): string[] {
  return sim.simulator
    .callsFor(job)
    .filter((call) => call.method === 'POST')
    .map((call) => call.path.split('/').pop()!);
}

function ephemeralFor(user: string, pattern: RegExp): Promise<Ephemeral> {
  return slack.waitFor(() => slack.ephemerals({ user }).find((e) => pattern.test(e.text ?? '')), {
    what: `an ephemeral to ${user} matching ${pattern}`,
  });
}

describe('who may act', () => {
  test('a non-operator presses Stop: told who may, and nothing reaches DataArts', async () => {
    const id = longRun(sim, 'act_refused');
    const message = await show('act_refused', id);
    expect(json(message.blocks)).toContain('instance_stop');
    sim.simulator.resetCalls();
    await bots[0]!.driver.blockAction({ actionId: 'instance_stop', message, user: 'U0ALICE' });
    const told = await ephemeralFor('U0ALICE', /may stop/);
    expect(told.text).toBe(':no_entry: Only <!subteam^S0ONCALL> may stop `act_*` instances.');
    await sleep(300);
    expect(sim.simulator.callsFor('act_refused')).toEqual([]);
    expect(slack.thread(CHANNEL, message.ts)).toEqual([]);
  });

  test('someone of another organisation is refused even when named in DLF_OPERATORS', async () => {
    const id = longRun(sim, 'ops_guest');
    const message = await show('ops_guest', id);
    sim.simulator.resetCalls();
    await bots[0]!.driver.blockAction({ actionId: 'instance_stop', message, user: 'U0GUEST' });
    await ephemeralFor('U0GUEST', /another organisation cannot stop/);
    await sleep(300);
    expect(sim.simulator.callsFor('ops_guest')).toEqual([]);
  });

  test('a job no entry covers: nobody may, and the sentence says so', async () => {
    const id = longRun(sim, 'other_job');
    const message = await show('other_job', id);
    await bots[0]!.driver.blockAction({ actionId: 'instance_stop', message, user: 'U0LEAD' });
    await ephemeralFor('U0LEAD', /Nobody may stop `other_job` instances/);
    expect(writes('other_job')).toEqual([]);
  });
});

describe('exactly once, recorded', () => {
  test('an operator of the user group presses Stop twice: one stop call, one note naming them, the message shows it stopped', async () => {
    const id = longRun(sim, 'act_twice');
    const message = await show('act_twice', id);
    sim.simulator.setFault('act_twice', { latencyMs: 300 });
    const press = () => bots[0]!.driver.blockAction({ actionId: 'instance_stop', message, user: 'U0BOB' });
    await Promise.all([press(), press()]);
    await ephemeralFor('U0BOB', /Stopped \*act_twice/);
    await slack.waitFor(() => /stopped manually/i.test(json(message.blocks)), {
      what: 'the message showing the stop',
    });
    await sleep(500);
    expect(writes('act_twice')).toEqual(['stop']);
    const thread = slack.thread(CHANNEL, message.ts);
    expect(thread.map((reply) => reply.text)).toEqual([':octagonal_sign: <@U0BOB> stopped this instance.']);
    expect(json(message.blocks)).not.toContain('instance_stop');
    expect(json(message.blocks)).toContain('instance_rerun');
  });

  test('two bot processes sharing Redis get the same press: one stop call, one note', async () => {
    const second = bots[1] ?? (await bot());
    const id = longRun(sim, 'act_two_bots');
    const message = await show('act_two_bots', id);
    // Slow answers, so both presses read the instance running before either stop lands.
    sim.simulator.setFault('act_two_bots', { latencyMs: 300 });
    await Promise.all([
      bots[0]!.driver.blockAction({ actionId: 'instance_stop', message, user: 'U0BOB' }),
      second.driver.blockAction({ actionId: 'instance_stop', message, user: 'U0BOB' }),
    ]);
    await slack.waitFor(() => slack.thread(CHANNEL, message.ts).length > 0, { what: 'the note' });
    await sleep(800);
    expect(writes('act_two_bots')).toEqual(['stop']);
    expect(slack.thread(CHANNEL, message.ts)).toHaveLength(1);
  });

  test('DataArts refuses (stopping an instance that only waits): a plain sentence, and a later press may try again', async () => {
    const id = sim.simulator.startRun('act_waiting', {
      nodes: [{ name: 'validate', type: 'HiveSQL', durationMs: 3_600_000 }],
      planTime: Date.now() + 3_600_000,
    });
    const message = await show('act_waiting', id);
    expect(json(message.blocks)).toContain('instance_stop');
    await bots[0]!.driver.blockAction({ actionId: 'instance_stop', message, user: 'U0BOB' });
    const told = await ephemeralFor('U0BOB', /DataArts would not stop/);
    expect(told.text).toContain('only a running instance can be stopped');
    expect(slack.thread(CHANNEL, message.ts)).toEqual([]);
    expect(writes('act_waiting')).toEqual(['stop']);
    // Refused by DataArts, so not done: the next press asks DataArts again (and is refused again).
    await bots[0]!.driver.blockAction({ actionId: 'instance_stop', message, user: 'U0BOB' });
    await slack.waitFor(() => writes('act_waiting').length === 2, { what: 'the second stop call' });
  });
});

describe('rerun', () => {
  test('Rerun on a failed instance: one restart call; the rerun’s end is told once in the thread, the old end never again', async () => {
    const id = longRun(sim, 'act_rerun');
    const message = await show('act_rerun', id, 'subscribe');
    await ephemeralFor('U0ALICE', new RegExp(`Following \\*act_rerun #${id}\\*`));
    sim.simulator.finish('act_rerun', id, 'fail');
    const failed = await slack.waitFor(() => slack.thread(CHANNEL, message.ts)[0], {
      what: 'the failure reply',
    });
    expect(failed.text).toContain('failed');
    // The failure reply carries Rerun; the press acts on the followed message it answers.
    expect(json(failed.blocks)).toContain('instance_rerun');
    await bots[0]!.driver.blockAction({ actionId: 'instance_rerun', message: failed, user: 'U0BOB' });
    await ephemeralFor('U0BOB', /running again/);
    expect(writes('act_rerun')).toEqual(['restart']);
    await slack.waitFor(() => json(message.blocks).includes('instance_stop'), {
      what: 'the message running again',
    });
    // Several sweeps: the failure that was replaced is not told again.
    await sleep(INTERVAL_MS * 4);
    expect(slack.thread(CHANNEL, message.ts)).toHaveLength(2);
    sim.simulator.finish('act_rerun', id, 'success');
    const end = await slack.waitFor(() => slack.thread(CHANNEL, message.ts)[2], { what: 'the rerun’s end' });
    expect(end.text).toContain(`act_rerun #${id} succeeded`);
    await sleep(INTERVAL_MS * 4);
    const texts = slack.thread(CHANNEL, message.ts).map((reply) => reply.text ?? '');
    expect(texts).toHaveLength(3);
    expect(texts[1]).toBe(
      ':repeat: <@U0BOB> started a rerun of this instance; I will reply here when it ends.',
    );
    expect(writes('act_rerun')).toEqual(['restart']);
  });

  test('Rerun on an instance message that nobody followed: followed from then on, its end told once', async () => {
    const id = longRun(sim, 'act_rerun_plain');
    sim.simulator.finish('act_rerun_plain', id, 'fail');
    const message = await show('act_rerun_plain', id);
    expect(json(message.blocks)).toContain('instance_rerun');
    await bots[0]!.driver.blockAction({ actionId: 'instance_rerun', message, user: 'U0BOB' });
    await ephemeralFor('U0BOB', new RegExp(`act_rerun_plain #${id}\\* is running again`));
    await sleep(INTERVAL_MS * 3);
    expect(slack.thread(CHANNEL, message.ts)).toHaveLength(1);
    sim.simulator.finish('act_rerun_plain', id, 'fail');
    const end = await slack.waitFor(() => slack.thread(CHANNEL, message.ts)[1], { what: 'the rerun’s end' });
    expect(end.text).toContain(`act_rerun_plain #${id} failed`);
    await sleep(INTERVAL_MS * 4);
    expect(slack.thread(CHANNEL, message.ts)).toHaveLength(2);
    expect(writes('act_rerun_plain')).toEqual(['restart']);
  });
});

describe('on a watch alert', () => {
  test('Rerun on a failure alert: the watch tells the rerun’s end once in the alert’s thread, no second reply', async () => {
    const id = longRun(sim, 'act_watched');
    await bots[0]!.driver.command('/dlf-instance', 'watch act_watched');
    await slack.waitFor(
      () => slack.calls('chat.postMessage').some((c) => /act_watched/.test(String(c.args.text))),
      {
        what: 'the watch note',
      },
    );
    await sleep(INTERVAL_MS * 2);
    sim.simulator.finish('act_watched', id, 'fail');
    const alert = await slack.waitFor(
      () =>
        slack
          .messages(CHANNEL)
          .find(
            (m) =>
              json(m.blocks).includes('Watched in this channel') &&
              json(m.blocks).includes(`act_watched #${id}`),
          ),
      { what: 'the alert', timeoutMs: 20_000 },
    );
    expect(json(alert.blocks)).toContain('instance_rerun');
    await recorded(bots[0]!.bot, alert);
    await bots[0]!.driver.blockAction({ actionId: 'instance_rerun', message: alert, user: 'U0BOB' });
    await ephemeralFor('U0BOB', new RegExp(`act_watched #${id}\\* is running again`));
    expect(writes('act_watched')).toEqual(['restart']);
    await sleep(INTERVAL_MS * 2);
    sim.simulator.finish('act_watched', id, 'fail');
    const again = await slack.waitFor(() => slack.thread(CHANNEL, alert.ts)[1], {
      what: 'the rerun’s end',
      timeoutMs: 20_000,
    });
    expect(again.text).toContain('ran again and failed');
    await sleep(INTERVAL_MS * 5);
    expect(slack.thread(CHANNEL, alert.ts)).toHaveLength(2);
  }, 60_000);
});

describe('freshness and binding', () => {
  test('removed from the operators’ group after the confirmation was given: the press is refused, nothing written', async () => {
    const id = longRun(sim, 'act_fresh');
    sim.simulator.resetCalls();
    // bob is in the group when he asks (the members are read, and kept for a minute for what to show)...
    await bots[0]!.driver.command('/dlf-instance', `stop act_fresh ${id}`, { user: 'U0BOB' });
    const confirmation = await ephemeralFor('U0BOB', /This will stop \*act_fresh\* #/);
    // ...and taken out of it before he presses.
    slack.addUserGroup({ id: 'S0ONCALL', handle: 'data-oncall', users: [] });
    try {
      await bots[0]!.driver.ephemeralAction({ ephemeral: confirmation, actionId: 'operation_confirm' });
      await slack.waitFor(() => /Only <!subteam\^S0ONCALL> may stop/.test(confirmation.text ?? ''), {
        what: 'the refusal in the confirmation',
      });
      expect(writes('act_fresh')).toEqual([]);
    } finally {
      slack.addUserGroup({ id: 'S0ONCALL', handle: 'data-oncall', users: ['U0BOB'] });
    }
  });

  test('a confirmation pressed as if from another conversation acts nowhere', async () => {
    const id = longRun(sim, 'ops_elsewhere');
    sim.simulator.resetCalls();
    await bots[0]!.driver.command('/dlf-instance', `stop ops_elsewhere ${id}`, { user: 'U0LEAD' });
    const confirmation = await ephemeralFor('U0LEAD', /This will stop \*ops_elsewhere\* #/);
    slack.addChannel({ id: 'C0ELSEWHERE', name: 'elsewhere', kind: 'public', botIsMember: true });
    const replayed = { ...structuredClone(confirmation), channel: 'C0ELSEWHERE' };
    await bots[0]!.driver.ephemeralAction({ ephemeral: replayed, actionId: 'operation_confirm' });
    await ephemeralFor('U0LEAD', /given in another conversation; nothing was sent/);
    expect(writes('ops_elsewhere')).toEqual([]);
    // Pressed where it was given, it still works.
    await bots[0]!.driver.ephemeralAction({ ephemeral: confirmation, actionId: 'operation_confirm' });
    await ephemeralFor('U0LEAD', /Stopped \*ops_elsewhere/);
    expect(writes('ops_elsewhere')).toEqual(['stop']);
  });
});

/** Replays every press it makes, validly signed, as if it came from another conversation. */
class ElsewhereDriver extends SlackDriver {
  override send(body: string, contentType: string, extra: Record<string, string> = {}) {
    const payload = JSON.parse(new URLSearchParams(body).get('payload') ?? '{}');
    payload.channel = { id: 'C0REPLAY', name: 'replay' };
    payload.container = { ...payload.container, channel_id: 'C0REPLAY' };
    return super.send(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      contentType,
      extra,
    );
  }
}

describe('freshness and binding of message buttons', () => {
  test('taken out of the operators’ group a moment after acting: the next press is refused (the group is read at the write)', async () => {
    const first = longRun(sim, 'act_fresh_button');
    const second = longRun(sim, 'act_fresh_button');
    const messages = [await show('act_fresh_button', first), await show('act_fresh_button', second)];
    await bots[0]!.driver.blockAction({ actionId: 'instance_stop', message: messages[0]!, user: 'U0BOB' });
    await ephemeralFor('U0BOB', new RegExp(`Stopped \\*act_fresh_button #${first}`));
    const lists = slack.calls('usergroups.users.list').length;
    slack.addUserGroup({ id: 'S0ONCALL', handle: 'data-oncall', users: [] });
    try {
      sim.simulator.resetCalls();
      const pressed = Date.now();
      await bots[0]!.driver.blockAction({ actionId: 'instance_stop', message: messages[1]!, user: 'U0BOB' });
      const told = await slack.waitFor(() =>
        slack.ephemerals({ user: 'U0BOB' }).find((e) => e.at >= pressed && /may stop/.test(e.text ?? '')),
      );
      expect(told.text).toBe(':no_entry: Only <!subteam^S0ONCALL> may stop `act_*` instances.');
      expect(slack.calls('usergroups.users.list').length).toBeGreaterThan(lists);
      expect(writes('act_fresh_button')).toEqual([]);
    } finally {
      slack.addUserGroup({ id: 'S0ONCALL', handle: 'data-oncall', users: ['U0BOB'] });
    }
  });

  test('a Stop press replayed with a valid signature as if from another channel acts on nothing', async () => {
    slack.addChannel({ id: 'C0REPLAY', name: 'replay', kind: 'public', botIsMember: true });
    const id = longRun(sim, 'ops_replayed');
    const message = await show('ops_replayed', id);
    sim.simulator.resetCalls();
    const replaying = new ElsewhereDriver({
      standin: slack,
      botUrl: `${bots[0]!.botUrl}/slack/events`,
      signingSecret: SIGNING_SECRET,
    });
    const answer = await replaying.blockAction({ actionId: 'instance_stop', message, user: 'U0LEAD' });
    expect(answer.status).toBe(200);
    const told = await ephemeralFor('U0LEAD', /no record of this message in this conversation/);
    expect(told.text).toBe(
      ':no_entry: I have no record of this message in this conversation, so I acted on nothing and nothing was sent to DataArts. Post the instance here with `/dlf-instance &lt;job&gt; &lt;instance&gt;` and use its buttons.',
    );
    await sleep(300);
    expect(sim.simulator.callsFor('ops_replayed')).toEqual([]);
    expect(slack.thread(CHANNEL, message.ts)).toEqual([]);
    expect(slack.messages('C0REPLAY')).toEqual([]);
    // Pressed where it is, it acts.
    await bots[0]!.driver.blockAction({ actionId: 'instance_stop', message, user: 'U0LEAD' });
    await ephemeralFor('U0LEAD', /Stopped \*ops_replayed/);
    expect(writes('ops_replayed')).toEqual(['stop']);
  });
});

describe('commands', () => {
  test('/dlf-instance stop by an operator writes nothing until the confirmation’s button is pressed', async () => {
    const id = longRun(sim, 'ops_command');
    sim.simulator.resetCalls();
    const before = slack.messages(CHANNEL).length;
    await bots[0]!.driver.command('/dlf-instance', `stop ops_command ${id}`, { user: 'U0LEAD' });
    const confirmation = await ephemeralFor('U0LEAD', /This will stop \*ops_command\* #/);
    expect(json(confirmation.blocks)).toContain('operation_cancel');
    await sleep(500);
    expect(sim.simulator.callsFor('ops_command')).toEqual([]);
    expect(slack.messages(CHANNEL)).toHaveLength(before);

    // As pressed twice in a row (the second before the first's answer redraws the confirmation).
    const pressed = structuredClone(confirmation);
    await bots[0]!.driver.ephemeralAction({ ephemeral: pressed, actionId: 'operation_confirm' });
    await ephemeralFor('U0LEAD', /Stopped \*ops_command/);
    // The confirmation itself now says what happened; its buttons are gone.
    expect(confirmation.text).toMatch(/^:octagonal_sign: Stopped \*ops_command/);
    expect(confirmation.blocks ?? []).toEqual([]);
    expect(writes('ops_command')).toEqual(['stop']);
    const message = slack.messages(CHANNEL).find((m) => json(m.blocks).includes(`ops_command #${id}`))!;
    expect(slack.thread(CHANNEL, message.ts).map((reply) => reply.text)).toEqual([
      ':octagonal_sign: <@U0LEAD> stopped this instance.',
    ]);
    // The same confirmation again: nothing more.
    await bots[0]!.driver.ephemeralAction({ ephemeral: pressed, actionId: 'operation_confirm' });
    await slack.waitFor(() => /already used or has expired/.test(confirmation.text ?? ''));
    expect(writes('ops_command')).toEqual(['stop']);
  });

  test('Cancel: nothing is written, and the confirmation cannot be used afterwards', async () => {
    const id = longRun(sim, 'ops_cancel');
    await bots[0]!.driver.command('/dlf-instance', `rerun ops_cancel ${id}`, { user: 'U0LEAD' });
    const confirmation = await ephemeralFor('U0LEAD', /This will run \*ops_cancel\* #/);
    const shown = structuredClone(confirmation);
    await bots[0]!.driver.ephemeralAction({ ephemeral: shown, actionId: 'operation_cancel' });
    await slack.waitFor(() => /Cancelled; nothing was sent/.test(confirmation.text ?? ''));
    await bots[0]!.driver.ephemeralAction({ ephemeral: shown, actionId: 'operation_confirm' });
    await slack.waitFor(() => /already used or has expired/.test(confirmation.text ?? ''));
    expect(writes('ops_cancel')).toEqual([]);
  });

  test('a non-operator’s /dlf-instance run is refused at once, naming who may', async () => {
    await bots[0]!.driver.command('/dlf-instance', 'run ops_anything', { user: 'U0ALICE' });
    await ephemeralFor('U0ALICE', /Only <@U0LEAD> or <@U0GUEST> may run `ops_\*` jobs/);
    expect(writes('ops_anything')).toEqual([]);
  });

  test('/dlf-instance run posts the new instance in the channel and follows it to its end', async () => {
    longRun(sim, 'ops_run'); // the job exists
    sim.simulator.resetCalls();
    await bots[0]!.driver.command('/dlf-instance', 'run ops_run day=2026-12-01', { user: 'U0LEAD' });
    const confirmation = await ephemeralFor('U0LEAD', /new instance of \*ops_run\*/);
    expect(confirmation.text).toContain('`day=2026-12-01`');
    expect(writes('ops_run')).toEqual([]);
    await bots[0]!.driver.ephemeralAction({ ephemeral: confirmation, actionId: 'operation_confirm' });
    const done = await ephemeralFor('U0LEAD', /Started \*ops_run #\d+\*/);
    const id = /#(\d+)/.exec(done.text ?? '')![1]!;
    expect(writes('ops_run')).toEqual(['run-immediate']);
    const message = slack.messages(CHANNEL).find((m) => json(m.blocks).includes(`ops_run #${id}`))!;
    expect(json(message.blocks)).toContain('instance_unsubscribe');
    expect(slack.thread(CHANNEL, message.ts)[0]?.text).toContain(
      '<@U0LEAD> ran this job now with `day=2026-12-01`',
    );
    sim.simulator.finish('ops_run', id, 'fail');
    const end = await slack.waitFor(() => slack.thread(CHANNEL, message.ts)[1], {
      what: 'the new run’s end',
    });
    expect(end.text).toMatch(new RegExp(`ops_run #${id} (failed|succeeded)`));
    await sleep(INTERVAL_MS * 4);
    expect(slack.thread(CHANNEL, message.ts)).toHaveLength(2);
  });
});

describe('without Redis, and without DLF_OPERATORS', () => {
  let h: Harness;
  afterEach(() => h?.close());

  test('in one process without Redis, a double press still makes one stop call', async () => {
    h = await startHarness({ DLF_OPERATORS: 'U0ALICE' });
    const id = longRun(h.sim, 'mem_job');
    h.sim.simulator.setFault('mem_job', { latencyMs: 300 });
    await h.driver.command('/dlf-instance', `mem_job ${id}`);
    const message = await h.slack.standin.waitFor(() =>
      h.slack.standin.messages(CHANNEL).find((m) => json(m.blocks).includes('instance_stop')),
    );
    await recorded(h.bot, message);
    const press = () => h.driver.blockAction({ actionId: 'instance_stop', message });
    await Promise.all([press(), press()]);
    await h.slack.standin.waitFor(() => h.slack.standin.thread(CHANNEL, message.ts).length > 0);
    await sleep(500);
    expect(
      h.sim.simulator
        .callsFor('mem_job')
        .filter((call) => call.method === 'POST')
        .map((call) => call.path.split('/').pop()),
    ).toEqual(['stop']);
  });

  test('unset: no Stop or Rerun buttons, and the commands say acting from Slack is off', async () => {
    h = await startHarness();
    const id = longRun(h.sim, 'off_job');
    await h.driver.command('/dlf-instance', `off_job ${id}`);
    const message = await h.slack.standin.waitFor(() =>
      h.slack.standin.messages(CHANNEL).find((m) => json(m.blocks).includes(`off_job #${id}`)),
    );
    expect(json(message.blocks)).not.toMatch(/instance_(stop|rerun)/);
    await h.driver.command('/dlf-instance', `stop off_job ${id}`);
    await h.slack.standin.waitFor(() =>
      h.slack.standin
        .ephemerals()
        .find((e) => /is turned off/.test(e.text ?? '') && /DLF_OPERATORS/.test(e.text ?? '')),
    );
    expect(h.sim.simulator.callsFor('off_job').filter((call) => call.method === 'POST')).toEqual([]);
  });
});
