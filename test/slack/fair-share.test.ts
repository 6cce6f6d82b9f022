/**
 * Fair share, end to end: two bot processes on one private Redis (so the limits are shared), signed requests
 * through the stand-in's driver, the DataArts simulator's call log. Each test acts as people of its own, in
 * channels of its own, so the minute-long windows of one test never reach into another's.
 */
import type { RunningSimulator } from '../../src/simulator';
import type { Ephemeral, RunningStandin, SlackStandin } from '../../src/slack-standin';
import { type Backends, longRun, sleep, startBackends } from '../helpers/backends';
import { type BotProcess, recorded, startBotAgainst } from '../helpers/bot';

const LIMITS = {
  DLF_LIMIT_LOOKUPS_PER_USER_PER_MINUTE: '3',
  DLF_LIMIT_LOOKUPS_PER_CHANNEL_PER_MINUTE: '5',
  DLF_LIMIT_WATCHES_PER_CHANNEL: '2',
  DLF_LIMIT_WATCH_ALL_CHANNELS_PER_USER: '2',
  DLF_LIMIT_DIGESTS_PER_USER: '1',
  DLF_LIMIT_WRITES_PER_USER_PER_MINUTE: '1',
};

let sim: RunningSimulator;
let slackServer: RunningStandin;
let slack: SlackStandin;
let backends: Backends;
const bots: BotProcess[] = [];

beforeAll(async () => {
  backends = await startBackends();
  ({ sim, slackServer } = backends);
  slack = slackServer.standin;
  for (const name of ['carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'lead'])
    slack.addUser({ id: `U0${name.toUpperCase()}`, name });
  for (const id of [
    'C0FLOOD',
    'C0BUSY',
    'C0WATCHES',
    'C0ALL1',
    'C0ALL2',
    'C0ALL3',
    'C0DIG1',
    'C0DIG2',
    'C0OPS',
    'C0RACE',
  ])
    slack.addChannel({ id, name: id.toLowerCase(), kind: 'public', botIsMember: true });
  for (let i = 0; i < 2; i++)
    bots.push(
      await startBotAgainst(sim, slackServer, {
        REDIS_URL: backends.redis.url,
        DLF_OPERATORS: 'fair_*=U0LEAD',
        ...LIMITS,
      }),
    );
}, 60_000);
afterAll(async () => {
  for (const process of bots) await process.bot.stop();
  await backends.close();
});

function ephemeralFor(user: string, pattern: RegExp, after = 0): Promise<Ephemeral> {
  return slack.waitFor(
    () => slack.ephemerals({ user }).find((e) => e.at >= after && pattern.test(e.text ?? '')),
    { what: `an ephemeral to ${user} matching ${pattern}` },
  );
}

const posted = (channel: string) =>
  slack.messages(channel).filter((m) => /job_batch #34765/.test(m.text ?? ''));

/** A look-up of the demo instance by `user` in `channel`, through bot `n`; resolves once it is posted. */
async function lookUp(user: string, channel: string, n = 0): Promise<void> {
  const before = posted(channel).length;
  await bots[n]!.driver.command('/dlf-instance', 'job_batch 34765', { user, channel });
  await slack.waitFor(() => posted(channel).length > before, { what: `${user}'s look-up posted` });
}

async function refusals(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { botUrl } of bots) {
    const text = await (await fetch(`${botUrl}/metrics`)).text();
    for (const [, reason, value] of text.matchAll(/^dlfbot_refusals_total\{reason="([a-z_]+)"\} (\d+)/gm))
      counts[reason!] = (counts[reason!] ?? 0) + Number(value);
  }
  return counts;
}

describe('look-ups', () => {
  test('one person past their limit (counted across both processes) is refused with the sentence, at no cost; another is still answered', async () => {
    await lookUp('U0CAROL', 'C0FLOOD', 0);
    await lookUp('U0CAROL', 'C0FLOOD', 1);
    await lookUp('U0CAROL', 'C0FLOOD', 0);
    sim.simulator.resetCalls();
    const postsBefore = slack.calls('chat.postMessage').length;
    const asked = Date.now();
    await bots[1]!.driver.command('/dlf-instance', 'job_batch 34765', {
      user: 'U0CAROL',
      channel: 'C0FLOOD',
    });
    const told = await ephemeralFor('U0CAROL', /look-ups/, asked);
    expect(told.text).toMatch(
      /^:hourglass: You have made 3 look-ups in the last minute, the most one person may; this one was not made\. You can look up again in \d+ seconds\. An admin can raise this limit with `DLF_LIMIT_LOOKUPS_PER_USER_PER_MINUTE`\.$/,
    );
    expect(sim.simulator.calls).toEqual([]);
    expect(slack.calls('chat.postMessage').length).toBe(postsBefore);
    // Another person in the same channel is answered.
    await lookUp('U0DAVE', 'C0FLOOD', 1);
    expect(posted('C0FLOOD')).toHaveLength(4);
    expect((await refusals()).lookups_per_person).toBe(1);
  });

  test('a channel past its limit refuses everyone there; a refused look-up does not count', async () => {
    await lookUp('U0ERIN', 'C0BUSY');
    await lookUp('U0ERIN', 'C0BUSY');
    await lookUp('U0ERIN', 'C0BUSY');
    // Erin's fourth is over her own limit and not counted for the channel: two places are left.
    await bots[0]!.driver.command('/dlf-instance', 'job_batch 34765', { user: 'U0ERIN', channel: 'C0BUSY' });
    await ephemeralFor('U0ERIN', /You have made 3 look-ups/);
    await lookUp('U0FRANK', 'C0BUSY', 1);
    await lookUp('U0FRANK', 'C0BUSY', 0);
    sim.simulator.resetCalls();
    await bots[1]!.driver.command('/dlf-instance', 'job_batch 34765', { user: 'U0FRANK', channel: 'C0BUSY' });
    const told = await ephemeralFor('U0FRANK', /look-ups/);
    expect(told.text).toMatch(
      /This channel has had 5 look-ups in the last minute, the most one channel may; .* Look-ups here free up in \d+ seconds\. An admin can raise this limit with `DLF_LIMIT_LOOKUPS_PER_CHANNEL_PER_MINUTE`\./,
    );
    expect(sim.simulator.calls).toEqual([]);
    expect(posted('C0BUSY')).toHaveLength(5);
    const counts = await refusals();
    expect(counts.lookups_per_channel).toBe(1);
    expect(counts.lookups_per_person).toBe(2);
  });
});

describe('watches and digests', () => {
  const noteOf = (channel: string, pattern: string) =>
    slack.waitFor(() => slack.messages(channel).find((m) => (m.text ?? '').includes(`\`${pattern}\``)), {
      what: `the note of watch ${pattern} in ${channel}`,
    });

  test('a channel holds at most its limit of watches; watching one again (another mode) still works', async () => {
    for (const pattern of ['first_*', 'second_*']) {
      await bots[0]!.driver.command('/dlf-instance', `watch ${pattern}`, {
        user: 'U0GRACE',
        channel: 'C0WATCHES',
      });
      await noteOf('C0WATCHES', pattern);
    }
    await bots[1]!.driver.command('/dlf-instance', 'watch third_*', {
      user: 'U0HEIDI',
      channel: 'C0WATCHES',
    });
    const told = await ephemeralFor('U0HEIDI', /watches/);
    expect(told.text).toBe(
      ':no_entry: This channel already has 2 watches, the most one channel may have; nothing was added. Unwatch one (`/dlf-instance list` shows them) to make room. An admin can raise this limit with `DLF_LIMIT_WATCHES_PER_CHANNEL`.',
    );
    await bots[0]!.driver.command('/dlf-instance', 'watch first_* --on end', {
      user: 'U0GRACE',
      channel: 'C0WATCHES',
    });
    await slack.waitFor(
      () => slack.messages('C0WATCHES').filter((m) => /first_\*/.test(m.text ?? '')).length === 2,
      {
        what: 'the note of the changed watch',
      },
    );
    expect(slack.messages('C0WATCHES').filter((m) => /third_/.test(m.text ?? ''))).toEqual([]);
    expect((await refusals()).watches_per_channel).toBe(1);
  });

  test('four watches at once in a channel that holds two, across two processes: two are kept, two told', async () => {
    const patterns = ['race_a_*', 'race_b_*', 'race_c_*', 'race_d_*'];
    await Promise.all(
      patterns.map((pattern, i) =>
        bots[i % 2]!.driver.command('/dlf-instance', `watch ${pattern}`, {
          user: 'U0GRACE',
          channel: 'C0RACE',
        }),
      ),
    );
    await slack.waitFor(
      () =>
        slack.messages('C0RACE').filter((m) => /race_/.test(m.text ?? '')).length +
          slack
            .ephemerals({ user: 'U0GRACE' })
            .filter((e) => /This channel already has 2 watches/.test(e.text ?? '')).length ===
        4,
      { what: 'four answers' },
    );
    expect(slack.messages('C0RACE').filter((m) => /race_/.test(m.text ?? ''))).toHaveLength(2);
  });

  test('one person watches every job in at most their limit of channels (`**` counts as `*`); another person still may', async () => {
    await bots[0]!.driver.command('/dlf-instance', 'watch *', { user: 'U0IVAN', channel: 'C0ALL1' });
    await noteOf('C0ALL1', '*');
    await bots[1]!.driver.command('/dlf-instance', 'watch **', { user: 'U0IVAN', channel: 'C0ALL2' });
    await noteOf('C0ALL2', '**');
    await bots[0]!.driver.command('/dlf-instance', 'watch *', { user: 'U0IVAN', channel: 'C0ALL3' });
    const told = await ephemeralFor('U0IVAN', /every job/);
    expect(told.text).toBe(
      ':no_entry: You already watch every job (`*`) in 2 channels, the most one person may; nothing was added. Unwatch it in one of them to make room. An admin can raise this limit with `DLF_LIMIT_WATCH_ALL_CHANNELS_PER_USER`.',
    );
    expect(slack.messages('C0ALL3')).toEqual([]);
    await bots[0]!.driver.command('/dlf-instance', 'watch *', { user: 'U0DAVE', channel: 'C0ALL3' });
    await noteOf('C0ALL3', '*');
    expect((await refusals()).watch_all_per_person).toBe(1);
  });

  test('one person sets the daily digest in at most their limit of channels', async () => {
    await bots[0]!.driver.command('/dlf-instance', 'digest daily 09:00', {
      user: 'U0GRACE',
      channel: 'C0DIG1',
    });
    await slack.waitFor(() => slack.messages('C0DIG1').find((m) => /set a daily digest/.test(m.text ?? '')));
    // Moving it in the same channel is no new digest.
    await bots[1]!.driver.command('/dlf-instance', 'digest daily 10:00', {
      user: 'U0GRACE',
      channel: 'C0DIG1',
    });
    await slack.waitFor(() => slack.messages('C0DIG1').find((m) => /at 10:00/.test(m.text ?? '')));
    await bots[1]!.driver.command('/dlf-instance', 'digest daily 09:00', {
      user: 'U0GRACE',
      channel: 'C0DIG2',
    });
    const told = await ephemeralFor('U0GRACE', /daily digest in 1 channels/);
    expect(told.text).toContain('An admin can raise this limit with `DLF_LIMIT_DIGESTS_PER_USER`.');
    expect(slack.messages('C0DIG2')).toEqual([]);
    expect((await refusals()).digests_per_person).toBe(1);
  });
});

test('writes to DataArts have their own limit: the second stop within the minute is refused and nothing is written', async () => {
  const writes = (job: string) => sim.simulator.callsFor(job).filter((call) => call.method === 'POST');
  const ids = [longRun(sim, 'fair_one'), longRun(sim, 'fair_two')];
  const messages = [];
  for (const [i, job] of ['fair_one', 'fair_two'].entries()) {
    await bots[0]!.driver.command('/dlf-instance', `${job} ${ids[i]}`, { user: 'U0LEAD', channel: 'C0OPS' });
    const message = await slack.waitFor(
      () => slack.messages('C0OPS').find((m) => (m.text ?? '').includes(`${job} #${ids[i]}`)),
      { what: `the message of ${job}` },
    );
    await recorded(bots[0]!.bot, message);
    messages.push(message);
  }
  await bots[0]!.driver.blockAction({ actionId: 'instance_stop', message: messages[0]!, user: 'U0LEAD' });
  await ephemeralFor('U0LEAD', /Stopped \*fair_one/);
  await bots[1]!.driver.blockAction({ actionId: 'instance_stop', message: messages[1]!, user: 'U0LEAD' });
  const told = await ephemeralFor('U0LEAD', /stops, reruns or runs/);
  expect(told.text).toMatch(
    /^:hourglass: You have sent 1 stops, reruns or runs in the last minute, the most one person may; nothing was sent to DataArts\. You can act again in \d+ seconds\. An admin can raise this limit with `DLF_LIMIT_WRITES_PER_USER_PER_MINUTE`\.$/,
  );
  await sleep(200);
  expect(writes('fair_two')).toEqual([]);
  expect((await refusals()).writes_per_person).toBe(1);
});

test('App Home reads the viewer’s channels once, however many channels have watches', async () => {
  const channels = Array.from({ length: 12 }, (_, i) => `C0HOME${i}`);
  for (const [i, id] of channels.entries())
    slack.addChannel({
      id,
      name: id.toLowerCase(),
      kind: 'public',
      botIsMember: true,
      // Carol is in every other one.
      members: i % 2 === 0 ? ['U0CAROL', 'U0DAVE'] : ['U0DAVE'],
    });
  for (const [i, id] of channels.entries()) {
    await bots[i % 2]!.driver.command('/dlf-instance', `watch home${i}_*`, { user: 'U0DAVE', channel: id });
    await slack.waitFor(() => slack.messages(id).length > 0, { what: `the note in ${id}` });
  }
  const before = {
    members: slack.calls('conversations.members').length,
    mine: slack.calls('users.conversations').length,
  };
  await bots[0]!.driver.event('app_home_opened', { user: 'U0CAROL', channel: 'D0CAROL', tab: 'home' });
  const home = await slack.waitFor(() => {
    const view = slack.home('U0CAROL');
    return view && JSON.stringify(view).includes('home0_*') && view;
  });
  const body = JSON.stringify(home);
  for (const [i] of channels.entries()) expect(body.includes(`home${i}_*`)).toBe(i % 2 === 0);
  expect(slack.calls('conversations.members').length).toBe(before.members);
  expect(slack.calls('users.conversations').length - before.mine).toBe(1);
});
