/**
 * Who is served: the installing team (plus SLACK_ALLOWED_TEAMS), not guests of another organisation (unless
 * DLF_ALLOW_EXTERNAL_USERS), only the DataArts workspaces allowed; and a button acts on what the bot stored for its
 * message, never on an edited value.
 */
import type { SlackStandin, StoredMessage } from '../../src/slack-standin';
import { type Harness, recorded, startHarness } from '../helpers/bot';

const json = (value: unknown) => JSON.stringify(value);
const WORKSPACE = 'd1cd7861478748a6925bc02f47c69279';

describe('with the defaults', () => {
  let h: Harness;
  let slack: SlackStandin;
  beforeAll(async () => {
    h = await startHarness();
    slack = h.slack.standin;
    slack.addUser({ id: 'U0GUEST', name: 'guest', teamId: 'T0PARTNER' });
  });
  afterAll(() => h.close());

  /** The message posted, once the bot has recorded what it shows. */
  async function posted(before: number): Promise<StoredMessage> {
    const message = await slack.waitFor(() => slack.messages('C0GENERAL')[before], {
      what: 'the posted message',
    });
    await recorded(h.bot, message);
    return message;
  }

  test('a request from another team gets one sentence; nothing is read from DataArts or posted', async () => {
    h.sim.simulator.resetCalls();
    const posts = slack.calls('chat.postMessage').length;
    const other = h.driver.with({ team: 'T0OTHER' });
    const answer = await other.command('/dlf-instance', 'job_batch 34765');
    expect(answer.json).toMatchObject({ response_type: 'ephemeral' });
    expect(answer.json?.text).toMatch(/serves only the Slack workspace it is installed in/);
    await other.event('app_home_opened', { user: 'U0ALICE', tab: 'home' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.sim.simulator.calls).toEqual([]);
    expect(slack.calls('chat.postMessage')).toHaveLength(posts);
    expect(slack.calls('views.publish')).toEqual([]);
  });

  test('a guest of another organisation in a shared channel is refused, with the setting named', async () => {
    const before = slack.messages('C0GENERAL').length;
    await h.driver.command('/dlf-instance', 'job_batch 34765');
    const message = await posted(before);
    h.sim.simulator.resetCalls();
    await h.driver.blockAction({ actionId: 'instance_refresh', message, user: 'U0GUEST' });
    const note = await slack.waitFor(() =>
      slack.ephemerals().find((e) => e.user === 'U0GUEST' && /other organisations/.test(e.text ?? '')),
    );
    expect(note.text).toContain('DLF_ALLOW_EXTERNAL_USERS');
    expect(h.sim.simulator.calls).toEqual([]);
  });

  test('a workspace outside DLF_WORKSPACES is refused in the command, the modal and the message shortcut, naming the setting', async () => {
    h.sim.simulator.resetCalls();
    const answer = await h.driver.command('/dlf-instance', 'job_batch 34765 --workspace other1');
    expect(answer.status).toBe(200);
    await slack.waitFor(() =>
      slack.ephemerals().find((e) => /`other1` is not one this bot may use/.test(e.text ?? '')),
    );
    await h.driver.messageShortcut('dlf_track_message', {
      channel: 'C0GENERAL',
      ts: '1.000001',
      text: 'see https://console.example.com/?jobName=job_batch&instanceId=34765&workspace=other2',
    });
    await slack.waitFor(() =>
      slack.ephemerals().find((e) => /`other2` is not one this bot may use/.test(e.text ?? '')),
    );
    expect(h.sim.simulator.calls).toEqual([]);
  });

  test('an edited button value cannot re-point a message: the bot acts on what it stored for it', async () => {
    const before = slack.messages('C0GENERAL').length;
    await h.driver.command('/dlf-instance', 'job_batch 34765');
    const message = await posted(before);
    h.sim.simulator.resetCalls();
    // Signed, from the right team, but with the value of another instance.
    await h.driver.blockAction({
      actionId: 'instance_refresh',
      message,
      value: JSON.stringify({ j: 'warehouse_1000_nodes', i: '51000' }),
    });
    await slack.waitFor(() => message.versions.length === 2 && message, { what: 'the refreshed message' });
    expect(json(message.blocks)).toContain('job_batch #34765');
    expect(h.sim.simulator.calls.map((call) => call.jobName)).toEqual(['job_batch']);
  });

  test('with no record for the message, a value that does not match what the message shows is refused', async () => {
    // A message the bot did not record (as one posted before records existed would be).
    const shown = slack.addMessage({
      channel: 'C0GENERAL',
      user: 'U0BOT',
      text: 'job_batch #34765',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: ':x: job_batch #34765' } },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'instance_refresh',
              text: { type: 'plain_text', text: 'Refresh' },
              value: '{}',
            },
          ],
        },
      ],
    });
    h.sim.simulator.resetCalls();
    await h.driver.blockAction({
      actionId: 'instance_refresh',
      message: shown,
      value: JSON.stringify({ j: 'warehouse_1000_nodes', i: '51000' }),
    });
    await slack.waitFor(() =>
      slack.ephemerals().find((e) => /does not match the message it is on/.test(e.text ?? '')),
    );
    expect(h.sim.simulator.calls).toEqual([]);
    await h.driver.blockAction({
      actionId: 'instance_refresh',
      message: shown,
      value: JSON.stringify({ j: 'job_batch', i: '34765' }),
    });
    await slack.waitFor(() => shown.versions.length === 2 && shown, { what: 'the matching value acted on' });
  });
});

describe('with SLACK_ALLOWED_TEAMS, DLF_ALLOW_EXTERNAL_USERS and DLF_WORKSPACES', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      SLACK_ALLOWED_TEAMS: 'T0OTHER',
      DLF_ALLOW_EXTERNAL_USERS: 'true',
      DLF_WORKSPACES: `${WORKSPACE},w2`,
    });
    h.slack.standin.addUser({ id: 'U0GUEST', name: 'guest', teamId: 'T0PARTNER' });
  });
  afterAll(() => h.close());

  test('the allowed team and the guest are served; an allowed workspace reaches DataArts', async () => {
    const slack = h.slack.standin;
    await h.driver.with({ team: 'T0OTHER' }).command('/dlf-instance', 'job_batch 34765');
    await slack.waitFor(() => slack.messages('C0GENERAL')[0], { what: 'the other team served' });
    await h.driver
      .with({ user: 'U0GUEST' })
      .command('/dlf-instance', `job_batch 34765 --workspace ${WORKSPACE}`);
    await slack.waitFor(() => slack.messages('C0GENERAL')[1], { what: 'the guest served' });
    h.sim.simulator.resetCalls();
    await h.driver.command('/dlf-instance', 'job_batch 34765 --workspace w2');
    // w2 is allowed here but unknown to DataArts: its own answer, not the bot's refusal.
    await slack.waitFor(() => slack.ephemerals().find((e) => /may not read this/.test(e.text ?? '')));
    expect(h.sim.simulator.calls.length).toBeGreaterThan(0);
  });
});
