/**
 * Console links that come alive: a DataArts console link shared in a channel (link_shared, from the stand-in)
 * unfurls into a card through chat.unfurl; links the bot cannot or should not read unfurl into nothing and read
 * nothing; the same instance is not unfurled twice in a channel within 30 minutes; more than three links, none.
 */

import { longRun, startBackends } from '../helpers/backends';
import type { Harness } from '../helpers/bot';
import { startBotAgainst, startHarness } from '../helpers/bot';
import { endedRun } from '../helpers/runs';

const CONSOLE = 'https://console.huaweicloud.com/dataarts/?region=eu-west-101#/dlf/monitor/instance';
const link = (query: string) => `${CONSOLE}?${query}`;

const SWEEP_MS = 300;
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    DLF_WORKSPACES: 'ws_main',
    DLF_WATCH_INTERVAL_SECONDS: String(SWEEP_MS / 1000),
    DLF_POLL_INTERVAL_SECONDS: String(SWEEP_MS / 1000),
  });
});
afterAll(async () => {
  await h.close();
});

const slack = () => h.slack.standin;
const calls = (job: string) => h.sim.simulator.callsFor(job).length;

/** The cards on the message a link_shared posted. */
const cardsOn = (shared: { ts?: string }) =>
  slack()
    .unfurls()
    .filter((u) => u.ts === shared.ts);

let sentinels = 0;
/**
 * Events are acknowledged before they are handled: to know the bot is done with the links shared so far, a
 * link to a fresh instance is shared after them and its card awaited (a refused link returns at once; a read
 * one is done once its read has answered).
 */
async function settled(): Promise<void> {
  const job = `unf_sentinel_${++sentinels}`;
  h.sim.simulator.setInstance(
    endedRun(job, String(72_000 + sentinels), { status: 'success', endedAgo: 60_000 }),
  );
  const shared = await h.driver.linkShared({
    links: [link(`jobName=${job}&instanceId=${72_000 + sentinels}`)],
  });
  await slack().waitFor(() => cardsOn(shared)[0], { what: `the ${job} card` });
}

test('a pasted link gets one card naming the instance and its status; pasted again within 30 minutes, none', async () => {
  h.sim.simulator.setInstance(endedRun('unf_orders', '71001', { status: 'fail', endedAgo: 60_000 }));
  const url = link('jobName=unf_orders&instanceId=71001');
  const shared = await h.driver.linkShared({ links: [url] });
  const card = await slack().waitFor(() => cardsOn(shared)[0], {
    what: 'the card',
  });
  expect(card).toMatchObject({ channel: 'C0GENERAL', url, versions: 1 });
  const text = JSON.stringify(card.blocks);
  expect(text).toContain('unf_orders #71001');
  expect(text).toContain(':x: *unf_orders #71001*: Failed');
  expect(text).toContain('Failed: *load*');

  const again = await h.driver.linkShared({ links: [url] });
  expect(again.status).toBe(200);
  await settled();
  expect(cardsOn(again)).toEqual([]);
});

test('in the composer (unfurl_id and source), and a link to a job alone shows its latest run', async () => {
  h.sim.simulator.setInstance(endedRun('unf_latest', '71010', { status: 'success', endedAgo: 3_600_000 }));
  h.sim.simulator.setInstance(endedRun('unf_latest', '71011', { status: 'success', endedAgo: 60_000 }));
  const shared = await h.driver.linkShared({
    links: [link('jobName=unf_latest')],
    source: 'composer',
    channel: 'C0GENERAL',
  });
  const card = await slack().waitFor(
    () =>
      slack()
        .unfurls()
        .find((u) => u.unfurlId === shared.unfurlId),
    {
      what: 'the composer card',
    },
  );
  expect(card.source).toBe('composer');
  expect(JSON.stringify(card.blocks)).toContain('unf_latest #71011');
  // Typed again (someone else's composer, say): no channel to have shared it in yet, so another card.
  const again = await h.driver.linkShared({ links: [link('jobName=unf_latest')], source: 'composer' });
  await slack().waitFor(
    () =>
      slack()
        .unfurls()
        .find((u) => u.unfurlId === again.unfurlId),
    {
      what: 'the second composer card',
    },
  );
});

test('a running instance: its card says it runs; when it ends, the sweep draws the same card again, ended', async () => {
  const id = longRun(h.sim, 'unf_running');
  const shared = await h.driver.linkShared({ links: [link(`jobName=unf_running&instanceId=${id}`)] });
  const card = await slack().waitFor(() => cardsOn(shared)[0], {
    what: 'the card',
  });
  expect(JSON.stringify(card.blocks)).toContain('so far');
  expect(JSON.stringify(card.blocks)).toContain('updated when it ends');
  h.sim.simulator.finish('unf_running', id, 'fail');
  await slack().waitFor(() => card.versions === 2, {
    what: 'the card drawn again',
    timeoutMs: SWEEP_MS * 10 + 5_000,
  });
  expect(JSON.stringify(card.blocks)).toContain(`:x: *unf_running #${id}*: Failed`);
  expect(JSON.stringify(card.blocks)).not.toContain('updated when it ends');
  // Once: the sweeps after it (five intervals) leave it.
  const unfurlCalls = slack().calls('chat.unfurl').length;
  await new Promise((resolve) => setTimeout(resolve, SWEEP_MS * 5));
  expect(slack().calls('chat.unfurl').length).toBe(unfurlCalls);
  expect(card.versions).toBe(2);
});

describe('links the bot cannot or should not read unfurl into nothing', () => {
  test('a path-like job, a foreign host, a workspace it may not use: no DataArts call, no card', async () => {
    const unfurled = slack().unfurls().length;
    const reads = calls('unf_orders');
    for (const url of [
      link('jobName=..%2F..%2Fadmin&instanceId=1'),
      link('jobName=unf_orders&instanceId=-0'),
      'https://console.evil.example.com/dlf?jobName=unf_orders&instanceId=71001',
      'http://console.huaweicloud.com/dlf?jobName=unf_orders&instanceId=71001',
      link('jobName=unf_orders&instanceId=71001&workspace=ws_other'),
    ]) {
      const answer = await h.driver.linkShared({ links: [url] });
      expect(answer.status).toBe(200);
    }
    await settled();
    expect(calls('unf_orders')).toBe(reads);
    expect(h.sim.simulator.calls.filter((call) => /admin|\.\./.test(call.path))).toEqual([]);
    // Only the sentinel's card.
    expect(slack().unfurls().length).toBe(unfurled + 1);
  });

  test('an instance DataArts does not have: read once, no card', async () => {
    h.sim.simulator.addJob('unf_gone');
    const shared = await h.driver.linkShared({ links: [link('jobName=unf_gone&instanceId=99999')] });
    await slack().waitFor(() => calls('unf_gone') >= 1, { what: 'the read' });
    await settled();
    expect(cardsOn(shared)).toEqual([]);
  });

  /** Shares these links of unf_orders and checks that nothing of unf_orders was read and no card came. */
  async function nothingFor(ids: string[], channel = 'C0GENERAL'): Promise<void> {
    const reads = calls('unf_orders');
    const links = ids.map((id) => link(`jobName=unf_orders&instanceId=${id}`));
    const shared = await h.driver.linkShared({ links, channel });
    await settled();
    expect(calls('unf_orders')).toBe(reads);
    expect(cardsOn(shared)).toEqual([]);
  }

  test('a channel the bot is not in: nothing read, no card', async () => {
    slack().addChannel({ id: 'C0NOTIN', name: 'not-in', kind: 'public', botIsMember: false });
    await nothingFor(['71002'], 'C0NOTIN');
  });

  test('more than three links in one message: none unfurled, nothing read', async () => {
    await nothingFor(['71001', '71002', '71003', '71004']);
  });
});

test('DLF_UNFURL=false: nothing is unfurled or read', async () => {
  const off = await startHarness({ DLF_UNFURL: 'false' });
  try {
    off.sim.simulator.setInstance(endedRun('unf_off', '71020', { status: 'fail', endedAgo: 60_000 }));
    const answer = await off.driver.linkShared({ links: [link('jobName=unf_off&instanceId=71020')] });
    expect(answer.status).toBe(200);
    // Nothing to wait for: with DLF_UNFURL=false the bot returns from the event before any await. A look-up
    // after it, answered, shows the event was long handled.
    await off.driver.command('/dlf-instance', 'unf_off 71020');
    await off.slack.standin.waitFor(
      () => off.slack.standin.messages('C0GENERAL').find((m) => m.user === 'U0BOT'),
      { what: 'the look-up' },
    );
    // The look-up's own read of the instance, and none before it.
    expect(off.sim.simulator.callsFor('unf_off', '71020')).toHaveLength(1);
    expect(off.slack.standin.unfurls()).toEqual([]);
  } finally {
    await off.close();
  }
});

test('with Redis (cards kept where every process sees them): a running card is drawn again when it ends', async () => {
  const backends = await startBackends();
  const bot = await startBotAgainst(backends.sim, backends.slackServer, {
    REDIS_URL: backends.redis.url,
    DLF_WATCH_INTERVAL_SECONDS: String(SWEEP_MS / 1000),
    DLF_POLL_INTERVAL_SECONDS: String(SWEEP_MS / 1000),
    DLF_POLL_LOCK_SECONDS: '2',
  });
  try {
    const standin = backends.slackServer.standin;
    const id = longRun(backends.sim, 'unf_redis');
    const shared = await bot.driver.linkShared({ links: [link(`jobName=unf_redis&instanceId=${id}`)] });
    const card = await standin.waitFor(() => standin.unfurls().find((u) => u.ts === shared.ts), {
      what: 'the card',
    });
    backends.sim.simulator.finish('unf_redis', id, 'success');
    await standin.waitFor(() => card.versions === 2, {
      what: 'the card drawn again',
      timeoutMs: SWEEP_MS * 10 + 5_000,
    });
    expect(JSON.stringify(card.blocks)).toContain(`*unf_redis #${id}*: Succeeded`);
  } finally {
    await bot.bot.stop();
    await backends.close();
  }
});

describe('the card’s buttons act on the instance of its link, in the thread of the message it is in', () => {
  const json = (value: unknown) => JSON.stringify(value);
  const ephemeralFor = (user: string, pattern: RegExp) =>
    slack().waitFor(
      () =>
        slack()
          .ephemerals({ user })
          .find((e) => pattern.test(e.text ?? '')),
      {
        what: `an ephemeral to ${user} matching ${pattern}`,
      },
    );

  async function cardOf(job: string, id: string) {
    const shared = await h.driver.linkShared({ links: [link(`jobName=${job}&instanceId=${id}`)] });
    const card = await slack().waitFor(() => cardsOn(shared)[0], { what: `the ${job} card` });
    return { shared, card };
  }

  test('Refresh draws the card again, as the instance now is; Timeline puts the picture in the thread', async () => {
    const id = longRun(h.sim, 'unf_press');
    const { shared, card } = await cardOf('unf_press', id);
    expect(json(card.blocks)).toContain('card_refresh');
    // No operators here: no Stop.
    expect(json(card.blocks)).not.toContain('card_stop');
    h.sim.simulator.finish('unf_press', id, 'fail');
    // The sweep draws a running card again when it ends (every 300 ms here): let it first, so that the drawing
    // after the press is the press's own (waiting for version 2 could see 1, then 3, on a busy machine).
    const swept = await slack().waitFor(() => card.versions >= 2 && card.versions, {
      what: 'the sweep drawing the ended card',
      timeoutMs: SWEEP_MS * 10 + 5_000,
    });
    await h.driver.unfurlAction({ unfurl: card, actionId: 'card_refresh' });
    await slack().waitFor(() => card.versions > swept || undefined, { what: 'the card drawn again' });
    expect(json(card.blocks)).toContain(`:x: *unf_press #${id}*: Failed`);

    await h.driver.unfurlAction({ unfurl: card, actionId: 'card_timeline' });
    const picture = await slack().waitFor(
      () =>
        slack()
          .thread('C0GENERAL', shared.ts!)
          .find((m) => m.files?.length),
      { what: 'the timeline in the thread', timeoutMs: 20_000 },
    );
    expect(picture.text).toContain(`unf_press #${id}`);
  });

  test('Subscribe posts the instance message in the thread and follows it: its end is replied there', async () => {
    const id = longRun(h.sim, 'unf_follow');
    const { shared, card } = await cardOf('unf_follow', id);
    await h.driver.unfurlAction({ unfurl: card, actionId: 'card_subscribe' });
    const message = await slack().waitFor(
      () =>
        slack()
          .thread('C0GENERAL', shared.ts!)
          .find(
            (m) =>
              m.user === 'U0BOT' &&
              json(m.blocks).includes(`unf_follow #${id}`) &&
              json(m.blocks).includes('Unsubscribe'),
          ),
      { what: 'the followed instance message in the thread' },
    );
    await ephemeralFor('U0ALICE', new RegExp(`Following \\*unf_follow #${id}\\*`));
    h.sim.simulator.finish('unf_follow', id, 'success');
    await slack().waitFor(
      () =>
        slack()
          .thread('C0GENERAL', shared.ts!)
          .find((m) => m.user === 'U0BOT' && /succeeded/i.test(m.text ?? '') && m.ts !== message.ts),
      { what: 'the end reply in the same thread', timeoutMs: SWEEP_MS * 20 + 5_000 },
    );
  });

  test('Slack refusing the buttons (invalid_blocks): the card goes out without them', async () => {
    h.sim.simulator.setInstance(endedRun('unf_plain', '71050', { status: 'fail', endedAgo: 60_000 }));
    // A channel of its own: no other card's chat.unfurl (a sweep's redraw) can take the one refusal.
    slack().addChannel({ id: 'C0PLAIN', name: 'plain', kind: 'public', botIsMember: true });
    slack().fail('chat.unfurl', { error: 'invalid_blocks', times: 1, channel: 'C0PLAIN' });
    try {
      const shared = await h.driver.linkShared({
        links: [link('jobName=unf_plain&instanceId=71050')],
        channel: 'C0PLAIN',
      });
      const card = await slack().waitFor(() => cardsOn(shared)[0], { what: 'the unf_plain card' });
      expect(json(card.blocks)).toContain('unf_plain #71050');
      expect(json(card.blocks)).not.toContain('card_refresh');
    } finally {
      slack().clearFaults();
    }
  });

  test('a value naming another instance than the link does acts on nothing and reads nothing', async () => {
    h.sim.simulator.setInstance(endedRun('unf_edit', '71030', { status: 'fail', endedAgo: 60_000 }));
    h.sim.simulator.setInstance(endedRun('unf_edit', '71031', { status: 'fail', endedAgo: 60_000 }));
    const { card } = await cardOf('unf_edit', '71030');
    const before = h.sim.simulator.callsFor('unf_edit').length;
    await h.driver.unfurlAction({
      unfurl: card,
      actionId: 'card_refresh',
      value: JSON.stringify({ j: 'unf_edit', i: '71031' }),
    });
    await ephemeralFor('U0ALICE', /does not match the message it is on/);
    expect(h.sim.simulator.callsFor('unf_edit')).toHaveLength(before);
    expect(card.versions).toBe(1);
  });

  test('with operators: Rerun on the card asks for the same confirmation as the command; confirmed, one rerun', async () => {
    const operators = await startBotAgainst(h.sim, h.slack, { DLF_OPERATORS: '*=U0ALICE' });
    try {
      h.sim.simulator.setInstance(endedRun('unf_rerun', '71040', { status: 'fail', endedAgo: 60_000 }));
      const shared = await operators.driver.linkShared({
        links: [link('jobName=unf_rerun&instanceId=71040')],
      });
      const card = await slack().waitFor(() => cardsOn(shared)[0], { what: 'the card' });
      expect(json(card.blocks)).toContain('card_rerun');
      const writes = () =>
        h.sim.simulator.callsFor('unf_rerun').filter((call) => call.method === 'POST').length;
      await operators.driver.unfurlAction({ unfurl: card, actionId: 'card_rerun' });
      const confirmation = await ephemeralFor('U0ALICE', /This will run \*unf_rerun\* #71040 again/);
      expect(writes()).toBe(0);
      const replay = structuredClone(confirmation);
      await operators.driver.ephemeralAction({ ephemeral: confirmation, actionId: 'operation_confirm' });
      await ephemeralFor('U0ALICE', /\*unf_rerun #71040\* is running again/);
      await slack().waitFor(() => writes() === 1 || undefined, { what: 'the rerun call' });
      // Pressed again (a replay of the same press): the confirmation is used up.
      await operators.driver.ephemeralAction({ ephemeral: replay, actionId: 'operation_confirm' });
      await ephemeralFor('U0ALICE', /already used or has expired/);
      expect(writes()).toBe(1);
      // Someone who is no operator gets the refusal, not a confirmation.
      await operators.driver.unfurlAction({ unfurl: card, actionId: 'card_rerun', user: 'U0BOB' });
      await ephemeralFor('U0BOB', /Only <@U0ALICE> may rerun/);
      expect(writes()).toBe(1);
    } finally {
      await operators.bot.stop();
    }
  });
});
