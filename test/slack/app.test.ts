import { DEMO_SK, SCENARIOS } from '../../src/simulator';
import type { SlackStandin, StoredMessage } from '../../src/slack-standin';
import { BOT_TOKEN, type Harness, recorded, SIGNING_SECRET, startHarness } from '../helpers/bot';

let h: Harness;
let slack: SlackStandin;

beforeAll(async () => {
  h = await startHarness();
  slack = h.slack.standin;
});
afterAll(async () => {
  await h.close();
});

const json = (value: unknown) => JSON.stringify(value);

async function posted(channel: string, count = 1): Promise<StoredMessage> {
  return slack.waitFor(() => slack.messages(channel).length >= count && slack.messages(channel)[count - 1], {
    what: `message ${count} in ${channel}`,
  });
}

async function ephemeralMatching(pattern: RegExp) {
  return slack.waitFor(() => slack.ephemerals().find((e) => pattern.test(json(e))), {
    what: `an ephemeral matching ${pattern}`,
  });
}

describe('/dlf-instance', () => {
  test('job_batch 34765: acknowledged at once, then the summary is posted in the channel (no call for its permalink)', async () => {
    const before = slack.messages('C0GENERAL').length;
    const answer = await h.driver.command('/dlf-instance', 'job_batch 34765');
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('');
    const message = await posted('C0GENERAL', before + 1);
    expect(message.text).toBe('job_batch #34765: failed after 1 minute (2 nodes)');
    const blocks = json(message.blocks);
    expect(blocks).toContain(':x: job_batch #34765');
    expect(blocks).toContain('*Dummy_8556* · Dummy');
    expect(blocks).toContain('*error* · DWS SQL');
    // Recorded for its buttons; a message in the channel the person typed in needs no link fetched.
    await recorded(h.bot, message);
    expect(slack.calls('chat.getPermalink').filter((c) => c.args.message_ts === message.ts)).toHaveLength(0);
    // Posting never goes through SDK retries (a lost answer must not become a duplicate post).
    expect(slack.calls('chat.postMessage').filter((c) => c.args.channel === 'C0GENERAL')).toHaveLength(
      before + 1,
    );
  });

  test('help and a wrong form answer with the usage, ephemerally, without calling DataArts', async () => {
    h.sim.simulator.resetCalls();
    const help = await h.driver.command('/dlf-instance', 'help');
    expect(help.json).toMatchObject({ response_type: 'ephemeral' });
    expect(help.json?.text).toContain('/dlf-instance job_batch 34765');
    const wrong = await h.driver.command('/dlf-instance', 'job_batch abc');
    expect(wrong.json?.text).toMatch(/^`abc` is not an instance id/);
    expect(h.sim.simulator.calls).toHaveLength(0);
  });

  test('an unknown instance or job gets one exact sentence', async () => {
    await h.driver.command('/dlf-instance', 'job_batch 1');
    await ephemeralMatching(/Job `job_batch` has no instance `1`/);
    await h.driver.command('/dlf-instance', 'no_such_job');
    await ephemeralMatching(/There is no job named `no_such_job`/);
  });

  test('latest, a Unicode job, a pasted console link with a workspace the bot may not use', async () => {
    const before = slack.messages('C0GENERAL').length;
    await h.driver.command('/dlf-instance', `${SCENARIOS.unicode}`);
    expect(json((await posted('C0GENERAL', before + 1)).blocks)).toContain('数据同步_daily #1001');
    h.sim.simulator.resetCalls();
    await h.driver.command(
      '/dlf-instance',
      '<https://console.example.com/dayu/#/dlf/monitor?jobName=job_batch&instanceId=34765&workspace=nope|link>',
    );
    await ephemeralMatching(
      /Workspace `nope` is not one this bot may use\. An admin can add it to `DLF_WORKSPACES`/,
    );
    expect(h.sim.simulator.calls).toEqual([]);
  });

  test('DataArts down or throttling: an explanation, and the bot keeps serving', async () => {
    h.sim.simulator.setFault('*', { status: 503 });
    await h.driver.command('/dlf-instance', 'job_batch 34765');
    await ephemeralMatching(/DataArts is not answering/);
    h.sim.simulator.setFault('*', { throttle: { retryAfterSeconds: 120 } });
    await h.driver.command('/dlf-instance', 'job_batch 34765');
    await ephemeralMatching(/throttling requests right now/);
    h.sim.simulator.clearFaults();
    const before = slack.messages('C0GENERAL').length;
    await h.driver.command('/dlf-instance', 'job_batch 34765');
    await posted('C0GENERAL', before + 1);
  });

  test('where the bot may not post: an in-channel reply through response_url and how to invite it', async () => {
    await h.driver.command('/dlf-instance', 'job_batch 34765', { channel: 'C0OUTSIDE' });
    const reply = await posted('C0OUTSIDE');
    expect(reply.user).toBe('response_url');
    expect(json(reply.blocks)).toContain('job_batch #34765');
    await ephemeralMatching(/invite <@U0BOT>/);
  });
});

describe('buttons', () => {
  test('Refresh updates the same message in place as the run advances', async () => {
    const id = h.sim.simulator.startRun(SCENARIOS.liveSuccess, {
      nodes: [
        { name: 'first', type: 'Dummy', durationMs: 300 },
        { name: 'second', type: 'Dummy', durationMs: 300 },
      ],
    });
    const before = slack.messages('C0GENERAL').length;
    await h.driver.command('/dlf-instance', `${SCENARIOS.liveSuccess} ${id}`);
    const message = await posted('C0GENERAL', before + 1);
    expect(message.text).toContain('running');
    await new Promise((resolve) => setTimeout(resolve, 700));
    await h.driver.blockAction({ actionId: 'instance_refresh', channel: 'C0GENERAL', ts: message.ts });
    const updated = await slack.waitFor(() => message.versions.length === 2 && message);
    expect(updated.text).toMatch(/succeeded after/);
    expect(slack.messages('C0GENERAL')).toHaveLength(before + 1);
  });

  test('View all nodes opens a modal at once and fills it; Next turns the page', async () => {
    const before = slack.messages('C0GENERAL').length;
    await h.driver.command('/dlf-instance', `${SCENARIOS.big1000} 51000`);
    const message = await posted('C0GENERAL', before + 1);
    expect(json(message.blocks)).toContain('… and 980 more nodes');
    await h.driver.blockAction({ actionId: 'instance_view_nodes', channel: 'C0GENERAL', ts: message.ts });
    const modal = await slack.waitFor(() =>
      slack.views('U0ALICE').find((v) => json(v).includes('Page 1 of 40')),
    );
    const next = (modal.blocks as { elements?: { action_id: string; value: string }[] }[]).at(-1)!
      .elements![0]!;
    await h.driver.viewAction({ actionId: next.action_id, value: next.value, view: modal });
    await slack.waitFor(() => slack.views('U0ALICE').find((v) => json(v).includes('Page 2 of 40')));
  });
});

describe('shortcuts', () => {
  test('global shortcut → modal → validation errors → posted where chosen, with its permalink', async () => {
    await h.driver.globalShortcut('dlf_find_global');
    const modal = await slack.waitFor(() =>
      slack.views('U0ALICE').find((v) => json(v).includes('Find a DLF instance')),
    );
    const bad = await h.driver.viewSubmission({
      view: modal,
      values: {
        job: { job: { type: 'plain_text_input', value: 'job batch' } },
        instance: { instance: { type: 'plain_text_input', value: 'x' } },
        workspace: { workspace: { type: 'plain_text_input', value: null } },
        conversation: { conversation: { type: 'conversations_select', selected_conversation: 'C0GENERAL' } },
      },
    });
    expect(bad.json).toMatchObject({
      response_action: 'errors',
      errors: { job: expect.any(String), instance: expect.any(String) },
    });

    const before = slack.messages('C0GENERAL').length;
    const good = await h.driver.viewSubmission({
      view: modal,
      values: {
        job: { job: { type: 'plain_text_input', value: 'job_batch' } },
        instance: { instance: { type: 'plain_text_input', value: '34765' } },
        workspace: { workspace: { type: 'plain_text_input', value: null } },
        conversation: { conversation: { type: 'conversations_select', selected_conversation: 'C0GENERAL' } },
      },
    });
    expect(good.json).toMatchObject({ response_action: 'update' });
    const message = await posted('C0GENERAL', before + 1);
    const permalink = `https://standin.slack.com/archives/C0GENERAL/p${message.ts.replace('.', '')}`;
    await slack.waitFor(() => slack.views('U0ALICE').find((v) => json(v).includes(permalink)));
    await ephemeralMatching(new RegExp(permalink.replace(/[.?]/g, '\\$&')));
  });

  test('message shortcut on a pasted alert answers in its thread', async () => {
    const alert = await fetch(`${h.slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'C0GENERAL', text: '[DLF] Job job_batch instance 34765 failed' }),
    }).then((r) => r.json() as Promise<{ ts: string }>);
    await h.driver.messageShortcut('dlf_track_message', { channel: 'C0GENERAL', ts: alert.ts });
    const reply = await slack.waitFor(() => slack.thread('C0GENERAL', alert.ts)[0]);
    expect(json(reply.blocks)).toContain('job_batch #34765');
  });

  test('message shortcut that cannot tell opens the modal pre-filled', async () => {
    await h.driver.messageShortcut('dlf_track_message', {
      channel: 'C0GENERAL',
      ts: '1.000001',
      text: 'why is job nightly_sales_etl so slow?',
    });
    const modal = await slack.waitFor(() =>
      slack.views('U0ALICE').find((v) => json(v).includes('I found part of a reference')),
    );
    expect(json(modal)).toContain('"initial_value":"nightly_sales_etl"');
  });
});

describe('the app', () => {
  test('App Home is published when opened', async () => {
    await h.driver.event('app_home_opened', { user: 'U0ALICE', channel: 'D0ALICE', tab: 'home' });
    expect(json(await slack.waitFor(() => slack.home('U0ALICE')))).toContain('DataArts Factory instances');
  });

  test('bad signatures and stale timestamps are refused; /healthz answers', async () => {
    expect(
      (
        await h.driver.send(
          'command=%2Fdlf-instance&text=help',
          'application/x-www-form-urlencoded',
          {},
          { badSignature: true },
        )
      ).status,
    ).toBe(401);
    expect(
      (
        await h.driver.send(
          'command=%2Fdlf-instance&text=help',
          'application/x-www-form-urlencoded',
          {},
          { ageSeconds: 600 },
        )
      ).status,
    ).toBe(401);
    const health = await fetch(`${h.botUrl}/healthz`);
    expect(health.status).toBe(200);
    expect((await fetch(`${h.botUrl}/livez`)).status).toBe(200);
  });

  test('a correctly signed request dated more than five minutes ahead is refused too (Bolt checks only the past)', async () => {
    h.sim.simulator.resetCalls();
    const send = (ageSeconds: number) =>
      h.driver.send(
        'command=%2Fdlf-instance&text=job_batch+34765',
        'application/x-www-form-urlencoded',
        {},
        {
          ageSeconds,
        },
      );
    expect((await send(-301)).status).toBe(401);
    expect((await send(-3_600)).status).toBe(401);
    // Within the window either way: served.
    expect((await send(-120)).status).toBe(200);
  });

  test('no secret ever appears in anything the bot shows', () => {
    // `token` is the credential field of a Web API call itself (Bolt's auth.test), addressed to Slack.
    const everything = json(slack.calls().map(({ args: { token: _credential, ...shown } }) => shown));
    for (const secret of [DEMO_SK, SIGNING_SECRET, BOT_TOKEN]) expect(everything).not.toContain(secret);
  });
});

describe('credentials rejected by DataArts', () => {
  test('an explanation and what to do, never the key', async () => {
    const other = await startHarness({ DLF_SK: 'definitely-wrong-secret' });
    try {
      await other.driver.command('/dlf-instance', 'job_batch 34765');
      const note = await other.slack.standin.waitFor(() => other.slack.standin.ephemerals()[0]);
      expect(note.text).toMatch(/DataArts rejected the bot’s credentials/);
      expect(note.text).toContain('npx dlf-instance doctor');
      expect(json(other.slack.standin.calls())).not.toContain('definitely-wrong-secret');
    } finally {
      await other.close();
    }
  });

  test('"signature expired" is told as the clock problem it is, not hidden behind "rejected credentials"', async () => {
    const other = await startHarness();
    try {
      // DataArts' clock 20 minutes ahead: the gateway takes every signature for an expired one.
      other.sim.simulator.setSkew(20 * 60_000);
      await other.driver.command('/dlf-instance', 'job_batch 34765');
      const note = await other.slack.standin.waitFor(() => other.slack.standin.ephemerals()[0]);
      expect(note.text).toMatch(/signature expired: the clock of the machine the bot runs on is off/);
      expect(note.text).toContain('NTP');
    } finally {
      await other.close();
    }
  });
});
