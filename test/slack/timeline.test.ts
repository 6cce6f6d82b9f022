/**
 * The Timeline button end to end: a signed press on an instance message, the picture drawn from the simulator's
 * instance and uploaded with files.uploadV2 into the message's thread; its errors as one sentence to the person;
 * and "slower than usual" on instance messages, from the job's instance list.
 */
import { bigInstance } from '../../src/simulator/scenarios';
import type { StoredMessage } from '../../src/slack-standin';
import { type Harness, recorded, startHarness } from '../helpers/bot';
import { endedRun } from '../helpers/runs';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ DLF_TIMEZONE: 'Europe/Berlin' });
});
afterAll(async () => {
  await h.close();
});

async function show(text: string): Promise<StoredMessage> {
  const slack = h.slack.standin;
  const before = slack.messages('C0GENERAL').length;
  await h.driver.command('/dlf-instance', text);
  return slack.waitFor(() => slack.messages('C0GENERAL')[before], { what: `the message for ${text}` });
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(
    true,
  );
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test('Timeline on an 800-node instance: a PNG at least 600 px wide in the message’s thread, with a one-line comment', async () => {
  const slack = h.slack.standin;
  h.sim.simulator.setInstance({ ...bigInstance('warehouse_800', '58000', 800, Date.now()) });
  const message = await show('warehouse_800 58000');
  await h.driver.blockAction({ actionId: 'instance_timeline', message });
  const reply = await slack.waitFor(
    () => slack.thread('C0GENERAL', message.ts).find((m) => m.files?.length),
    {
      what: 'the timeline in the thread',
      timeoutMs: 20_000,
    },
  );
  expect(reply.text).toMatch(/^:bar_chart: Timeline of \*warehouse_800 #58000\*: 800 nodes/);
  expect(reply.text).toContain('times in Europe/Berlin');
  const [file] = reply.files!;
  expect(file).toMatchObject({ name: 'timeline-warehouse_800-58000.png', mimetype: 'image/png' });
  const size = pngSize(slack.fileBytes(file!.id)!);
  expect(size.width).toBeGreaterThanOrEqual(600);
  expect(file!.imageSize).toEqual(size);
  expect(file!.altText).toMatch(/800 nodes/);
  // Only a thread reply: nothing new at the top of the channel, nothing to the person.
  expect(slack.messages('C0GENERAL').filter((m) => m.ts === reply.ts)).toEqual([]);
}, 30_000);

test('an instance gone from DataArts: one plain sentence to the person, no upload', async () => {
  const slack = h.slack.standin;
  h.sim.simulator.setInstance({ ...bigInstance('warehouse_gone', '58001', 5, Date.now()) });
  const message = await show('warehouse_gone 58001');
  h.sim.simulator.deleteInstance('warehouse_gone', '58001');
  const uploads = slack.files().length;
  await h.driver.blockAction({ actionId: 'instance_timeline', message });
  const note = await slack.waitFor(() =>
    slack.ephemerals().find((e) => /has no instance `58001`/.test(e.text ?? '')),
  );
  expect(note.user).toBe('U0ALICE');
  expect(slack.files()).toHaveLength(uploads);
});

test('a button whose value was edited acts on what the bot stored for the message', async () => {
  const slack = h.slack.standin;
  h.sim.simulator.setInstance({ ...bigInstance('warehouse_five', '58002', 5, Date.now()) });
  const message = await show('warehouse_five 58002');
  // The bot records what the message shows once Slack has answered the post; until then a button is checked
  // against what the message says (and this edited value would be refused as not matching).
  await recorded(h.bot, message);
  await h.driver.blockAction({
    actionId: 'instance_timeline',
    message,
    value: JSON.stringify({ j: 'job_batch', i: '34765' }),
  });
  const reply = await slack.waitFor(() => slack.thread('C0GENERAL', message.ts).find((m) => m.files?.length));
  expect(reply.text).toContain('warehouse_five #58002');
});

test('slower than usual: a run that took at least twice the median of the job’s last 10 ended runs says so', async () => {
  for (let i = 0; i < 6; i++)
    h.sim.simulator.setInstance({
      ...endedRun('nightly_slow', String(700 + i), { minutes: 10, endedAgo: (i + 2) * 3_600_000 }),
    });
  h.sim.simulator.setInstance({ ...endedRun('nightly_slow', '710', { minutes: 25, endedAgo: 60_000 }) });
  const slow = await show('nightly_slow 710');
  expect(JSON.stringify(slow.blocks)).toContain(
    ':snail: *Slower than usual*: 25 minutes, 2.5× its usual 10 minutes (the median of its last 6 ended runs).',
  );
  const usual = await show('nightly_slow 705');
  expect(JSON.stringify(usual.blocks)).not.toContain('Slower than usual');
});

test('the timeline marks nodes slower than in the job’s last successful runs', async () => {
  const slack = h.slack.standin;
  for (let i = 0; i < 3; i++)
    h.sim.simulator.setInstance({
      ...endedRun('nightly_nodes', String(800 + i), { minutes: 10, endedAgo: (i + 2) * 3_600_000 }),
    });
  h.sim.simulator.setInstance({ ...endedRun('nightly_nodes', '810', { minutes: 30, endedAgo: 60_000 }) });
  const message = await show('nightly_nodes 810');
  await h.driver.blockAction({ actionId: 'instance_timeline', message });
  const reply = await slack.waitFor(() => slack.thread('C0GENERAL', message.ts).find((m) => m.files?.length));
  expect(reply.files![0]!.altText).toContain('1 slower than usual.');
  // Its run as a whole too, against the job's usual duration.
  expect(reply.text).toContain(':snail: *Slower than usual*: 30 minutes');
});

test('twelve presses at once: drawn one at a time, ten wait their turn, the twelfth is told to try again', async () => {
  const slack = h.slack.standin;
  h.sim.simulator.setInstance({ ...bigInstance('warehouse_line', '58010', 300, Date.now()) });
  const message = await show('warehouse_line 58010');
  await recorded(h.bot, message);
  // The first read takes a while, so every other press arrives while it holds the drawing place.
  h.sim.simulator.setFault('warehouse_line', { latencyMs: 1_500, times: 1 });
  const pictures = () => slack.thread('C0GENERAL', message.ts).filter((m) => m.files?.length);
  const busy = () =>
    slack.ephemerals().filter((e) => /Timelines are being drawn for others/.test(e.text ?? ''));
  await Promise.all(
    Array.from({ length: 12 }, () => h.driver.blockAction({ actionId: 'instance_timeline', message })),
  );
  await slack.waitFor(() => pictures().length === 11 && busy().length === 1, {
    what: 'eleven pictures and one sentence',
    timeoutMs: 60_000,
  });
  expect(busy()[0]!.text).toContain('Press *Timeline* again in a minute.');
  // The line is free again.
  await h.driver.blockAction({ actionId: 'instance_timeline', message });
  await slack.waitFor(() => pictures().length === 12, { what: 'the next picture', timeoutMs: 20_000 });
}, 90_000);
