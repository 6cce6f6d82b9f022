/**
 * App Home's watched jobs: the 7-day success rate of each job watched by name in the viewer's channels, with a
 * sparkline served by the bot's own front door at a signed URL (DLF_PUBLIC_URL), or as text without one.
 */
import { textSparkline, trendBlocks } from '../../src/slack/blocks/home-trends';
import { type Harness, startHarness } from '../helpers/bot';
import { endedRun } from '../helpers/runs';

const HOUR = 3_600_000;
const PUBLIC = 'https://bot.example.com';
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ DLF_PUBLIC_URL: PUBLIC, DLF_TIMEZONE: 'Europe/Berlin' });
});
afterAll(async () => {
  await h.close();
});

test('a watched job’s 7-day success rate, with a sparkline image the bot serves at a signed URL', async () => {
  const slack = h.slack.standin;
  for (const [id, status, ago] of [
    ['8101', 'success', 1 * HOUR],
    ['8102', 'success', 30 * HOUR],
    ['8103', 'fail', 54 * HOUR],
    ['8104', 'success', 80 * HOUR],
  ] as const)
    h.sim.simulator.setInstance({ ...endedRun('home_job', id, { status, endedAgo: ago }) });
  await h.driver.command('/dlf-instance', 'watch home_job');
  await slack.waitFor(() =>
    slack.messages('C0GENERAL').find((m) => /watching `home_job`/.test(m.text ?? '')),
  );
  await h.driver.event('app_home_opened', { user: 'U0ALICE', channel: 'D0ALICE', tab: 'home' });
  const home = await slack.waitFor(() => {
    const view = slack.home('U0ALICE');
    return view && JSON.stringify(view).includes('Your watched jobs') && view;
  });
  const body = JSON.stringify(home);
  expect(body).toContain('*home_job* · success rate 75% (3 of 4)');
  const image = (home!.blocks as { type: string; image_url?: string; alt_text?: string }[]).find(
    (block) => block.type === 'image',
  )!;
  expect(image.image_url!.startsWith(`${PUBLIC}/pictures/sparkline/`)).toBe(true);
  expect(image.alt_text).toMatch(/^Daily success rate of home_job over 7 days: /);
  const path = image.image_url!.slice(PUBLIC.length);
  const served = await fetch(`${h.botUrl}${path}`);
  expect(served.status).toBe(200);
  expect(served.headers.get('content-type')).toBe('image/png');
  const png = Buffer.from(await served.arrayBuffer());
  expect(png.readUInt32BE(16)).toBe(280);
  // Only what the bot signed is drawn.
  const tampered = path.replace(/\.([A-Za-z0-9_-]{22})\.png$/, '.AAAAAAAAAAAAAAAAAAAAAA.png');
  expect((await fetch(`${h.botUrl}${tampered}`)).status).toBe(404);
  expect((await fetch(`${h.botUrl}/pictures/other`)).status).toBe(404);
});

test('without a public URL: a text sparkline, a dot for a day without runs', () => {
  expect(textSparkline([1, 0.5, null, 0, 0.99])).toBe('█▅·▁█');
  const blocks = trendBlocks([{ job: 'j', rates: [1, null, 0.5], succeeded: 3, ended: 4 }]);
  expect(JSON.stringify(blocks)).toContain('*j* · success rate 75% (3 of 4) · █·▅');
  expect(blocks.some((block) => block.type === 'image')).toBe(false);
});
