/**
 * What DataArts answers is untrusted, end to end (signed requests, the bot over HTTP, the simulator): times that
 * make no sense are shown as unknown with one line saying so (never "something went wrong"), an end in
 * microseconds draws its Timeline quickly within bounded memory, the upload's alt text and title pass through the
 * one escaper, and a read answered about another instance is refused, so a confirmed stop of #A never stops #B.
 */
import type { StoredMessage } from '../../src/slack-standin';
import { longRun } from '../helpers/backends';
import { type Harness, recorded, startHarness } from '../helpers/bot';

const CHANNEL = 'C0GENERAL';
const SENTENCE = 'DataArts sent a time that makes no sense; it is shown as unknown.';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ DLF_OPERATORS: 'guarded_*=U0ALICE' });
});
afterAll(async () => {
  await h.close();
});

async function show(text: string): Promise<StoredMessage> {
  const slack = h.slack.standin;
  const before = slack.messages(CHANNEL).length;
  await h.driver.command('/dlf-instance', text);
  const message = await slack.waitFor(() => slack.messages(CHANNEL)[before], {
    what: `the message for ${text}`,
  });
  await recorded(h.bot, message);
  return message;
}

/** An ended instance of the last minute placed in the simulator as given, `fields` over it; then shown. */
function put(jobName: string, instanceId: string, fields: Record<string, unknown>): void {
  const now = Date.now();
  h.sim.simulator.setInstance({
    jobName,
    instanceId,
    status: 'success',
    planTime: now - 60_000,
    startTime: now - 60_000,
    endTime: now,
    ...fields,
  });
}

async function timeline(message: StoredMessage) {
  const slack = h.slack.standin;
  await h.driver.blockAction({ actionId: 'instance_timeline', message });
  return slack.waitFor(() => slack.thread(CHANNEL, message.ts).find((m) => m.files?.length), {
    what: 'the timeline in the thread',
    timeoutMs: 20_000,
  });
}

test('a planTime of 1e20: the message says "unknown" and why, not "something went wrong"', async () => {
  const now = Date.now();
  put('odd_plan', '61001', {
    planTime: 1e20,
    nodes: [{ nodeName: 'load', status: 'success', type: 'Dummy', startTime: now - 60_000, endTime: now }],
  });
  const message = await show('odd_plan 61001');
  const json = JSON.stringify(message.blocks);
  expect(json).toContain('*Planned*\\nunknown');
  expect(json).toContain('*Duration*\\n1 minute');
  expect(json.split(SENTENCE)).toHaveLength(2);
  expect(h.slack.standin.ephemerals().filter((e) => /went wrong/.test(e.text ?? ''))).toEqual([]);
});

test('an endTime in microseconds: its Timeline arrives, saying a time made no sense', async () => {
  const now = Date.now();
  put('odd_micros', '61002', {
    startTime: now - 120_000,
    endTime: now * 1000,
    nodes: Array.from({ length: 80 }, (_, i) => ({
      nodeName: `node_${i}`,
      status: 'success',
      type: 'Dummy',
      startTime: now - 120_000 + i * 1_000,
      endTime: i % 3 === 0 ? (now - 119_000 + i * 1_000) * 1000 : now - 119_000 + i * 1_000,
    })),
  });
  const message = await show('odd_micros 61002');
  expect(JSON.stringify(message.blocks)).toContain('*Ended*\\nunknown');
  // Its CPU time and memory are measured in a process of their own (test/pictures/timeline-bounds.test.ts):
  // here, in a Jest worker that ran other suites, only that it arrives and says why.
  const reply = await timeline(message);
  expect(reply.files![0]!.altText).toContain(SENTENCE);
}, 30_000);

test('the Timeline upload’s alt text and title carry no live mention or date token', async () => {
  const now = Date.now();
  put('odd_names', '61003', {
    status: 'fail',
    nodes: [
      { nodeName: '<!here|here>', status: 'fail', type: 'Dummy', startTime: now - 60_000, endTime: now },
      {
        nodeName: '<!date^1^{date}|x> & <@U0BOB>',
        status: 'fail',
        type: 'Dummy',
        startTime: now - 1,
        endTime: now,
      },
    ],
  });
  const message = await show('odd_names 61003');
  const reply = await timeline(message);
  const [file] = reply.files!;
  expect(file!.altText).toContain('&lt;!here|here&gt;');
  expect(file!.altText).toContain('&lt;!date^1^{date}|x&gt; &amp; &lt;@U0BOB&gt;');
  for (const text of [file!.altText, file!.title, file!.name, reply.text]) expect(text).not.toMatch(/<[!@#]/);
}, 30_000);

test('a confirmed Stop of #A, DataArts answering the read about #B: refused with a sentence, nothing stopped', async () => {
  const slack = h.slack.standin;
  const a = longRun(h.sim, 'guarded_job');
  const b = longRun(h.sim, 'guarded_job');
  const message = await show(`guarded_job ${a}`);
  expect(JSON.stringify(message.blocks)).toContain('instance_stop');
  h.sim.simulator.resetCalls();
  h.sim.simulator.setFault('guarded_job', { answerInstance: b });
  try {
    await h.driver.blockAction({ actionId: 'instance_stop', message, user: 'U0ALICE' });
    const told = await slack.waitFor(() =>
      slack.ephemerals({ user: 'U0ALICE' }).find((e) => /answered about another instance/.test(e.text ?? '')),
    );
    expect(told.text).toContain(`\`guarded_job #${a}\`, so nothing was shown or done`);
  } finally {
    h.sim.simulator.clearFaults();
  }
  // Only reads reached DataArts: no stop of #A (unconfirmed), none of #B (never asked).
  expect(h.sim.simulator.callsFor('guarded_job').filter((call) => call.method === 'POST')).toEqual([]);
  for (const id of [a, b]) expect(h.sim.simulator.instance('guarded_job', id)?.status).toBe('running');
}, 30_000);
