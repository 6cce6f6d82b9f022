/**
 * The playground in headless Chromium, as a newcomer uses it: the reference instance, then a live run
 * followed to its thread reply. Screenshots go to test-output/playground/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { WebClient } from '@slack/web-api';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { parseJobInstance } from '../../src/dataarts/parse';
import { silentLogger } from '../../src/logger';
import { svgToPng } from '../../src/pictures/png';
import { timelineSvg } from '../../src/pictures/timeline';
import { type RunningPlayground, startPlayground } from '../../src/playground/playground';
import { LOG_ERROR_LINE, LOG_SECRETS } from '../../src/simulator/node-logs';
import { bigInstance } from '../../src/simulator/scenarios';

const OUT = path.join(__dirname, '..', '..', 'test-output', 'playground');
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const WAIT = { timeout: 60_000 };

jest.setTimeout(180_000);

let playground: RunningPlayground;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  playground = await startPlayground({
    port: 0,
    env: { DLF_POLL_INTERVAL_SECONDS: '0.5', DLF_WATCH_INTERVAL_SECONDS: '0.5' },
    logger: silentLogger,
  });
  browser = await chromium.launch({
    headless: true,
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  page = await browser.newPage({
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    timezoneId: 'Europe/Berlin',
  });
  await page.goto(playground.url);
  await page.locator('#status.live').waitFor(WAIT);
});

afterAll(async () => {
  await browser?.close();
  await playground?.close();
});

async function command(text: string): Promise<void> {
  const box = page.locator('#main .composer textarea');
  await box.fill(text);
  await box.press('Enter');
}

/** Waits until the locator shows, and returns its text. */
async function shown(locator: Locator): Promise<string> {
  await locator.first().waitFor(WAIT);
  return (await locator.first().textContent()) ?? '';
}

test('/dlf-instance job_batch 34765 shows the reference instance with both its nodes', async () => {
  await command('/dlf-instance job_batch 34765');
  const message = page.locator('#main .msg', { hasText: 'job_batch #34765' });
  const text = await shown(message.locator('.msg-content'));
  expect(text).toContain('Dummy_8556');
  expect(text).toMatch(/\berror\b.*DWS SQL/);
  expect(await message.locator('.msg-name').textContent()).toBe('dlf-bot');
  // Dates are formatted in the reader's time zone (the fallback is in UTC).
  expect(await message.locator('time.bk-date').first().textContent()).not.toContain('UTC');
  await message.screenshot({ path: path.join(OUT, 'message.png') });
});

test('Subscribe on a running instance; the thread reply arrives when the simulator ends it', async () => {
  const job = 'orders_hourly';
  const instanceId = playground.sim.simulator.startRun(job, {
    nodes: [
      { name: 'extract_orders', type: 'CDMJob', durationMs: 5_000, inputRowCount: 48_200, speed: 9_640 },
      { name: 'load_orders_dws', type: 'DWS SQL', durationMs: 5_000, inputRowCount: 48_200, speed: 9_640 },
    ],
  });
  await command(`/dlf-instance ${job} ${instanceId}`);
  const message = page.locator('#main .msg', { hasText: `${job} #${instanceId}` });
  expect(await shown(message.locator('.bk-fields'))).toContain('Running');
  await message.getByRole('button', { name: 'Subscribe', exact: true }).click();
  await shown(message.getByRole('button', { name: 'Unsubscribe' }));

  const replies = message.locator('.thread-summary', { hasText: '1 reply' });
  await shown(replies);
  await replies.click();
  const thread = page.locator('#thread');
  const reply = await shown(thread.locator('.thread-divider ~ .msg', { hasText: 'succeeded' }));
  expect(reply).toContain('@alice');
  await thread.screenshot({ path: path.join(OUT, 'thread.png') });
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(OUT, 'page.png') });
});

test('a followed run that fails: the reply, then its failed node’s log excerpt in the thread, no secret in it', async () => {
  const job = 'orders_nightly';
  const instanceId = playground.sim.simulator.startRun(job, {
    nodes: [
      { name: 'extract_orders', type: 'CDMJob', durationMs: 2_000 },
      { name: 'load_orders_dws', type: 'DWS SQL', durationMs: 3_000, outcome: 'fail' },
    ],
  });
  await command(`/dlf-instance subscribe ${job} ${instanceId}`);
  const message = page.locator('#main .msg', { hasText: `${job} #${instanceId}` });
  const replies = message.locator('.thread-summary', { hasText: '2 replies' });
  await shown(replies);
  await replies.click();
  const thread = page.locator('#thread');
  const excerpt = await shown(thread.locator('.msg', { hasText: 'Log of load_orders_dws' }));
  expect(excerpt).toContain(LOG_ERROR_LINE);
  for (const secret of LOG_SECRETS) expect(excerpt).not.toContain(secret);
  await shown(thread.getByRole('button', { name: 'Full log' }));
  await page.mouse.move(0, 0);
  await thread.screenshot({ path: path.join(OUT, 'log-excerpt.png') });
});

test('a console link pasted in the channel unfurls into a card with its buttons', async () => {
  await command(
    'is this one stuck? https://console.huaweicloud.com/dataarts/?region=eu-west-101#/dlf/monitor/instance?jobName=job_batch&instanceId=34765',
  );
  const message = page.locator('#main .msg', { hasText: 'is this one stuck?' }).last();
  const card = message.locator('.bk-unfurl');
  expect(await shown(card)).toContain('job_batch #34765');
  await shown(card.getByRole('button', { name: 'Timeline' }));
  await page.mouse.move(0, 0);
  await message.screenshot({ path: path.join(OUT, 'unfurl.png') });
});

test('a typo and a plain message get a hint, not silence', async () => {
  await command('/dlf-instanse job_batch');
  await shown(page.locator('#main .ephemeral', { hasText: 'is not a valid command' }));
  await command('dlf-instance job_batch 34765');
  await shown(page.locator('#main .msg', { hasText: 'Alice Example' }));
  await shown(page.locator('#main .ephemeral', { hasText: 'does not read messages' }));
});

test('the global shortcut opens the modal; its submission posts the instance here', async () => {
  await page.locator('#main [data-shortcuts]').click();
  await page.locator('#main [data-global-shortcut]').click();
  const modal = page.locator('.modal');
  await shown(modal.locator('h2', { hasText: 'Find a DLF instance' }));
  await modal.locator('[data-block-id="job"][data-input]').fill('job_batch');
  await modal.locator('[data-block-id="instance"][data-input]').fill('34764');
  expect(await modal.locator('select[data-block-id="conversation"]').inputValue()).toBe('C0GENERAL');
  await modal.screenshot({ path: path.join(OUT, 'modal.png') });
  await modal.locator('[data-modal-submit]').click();
  await shown(page.locator('#main .msg', { hasText: 'job_batch #34764' }));
  await shown(page.locator('#main .ephemeral', { hasText: 'Posted job_batch #34764' }));
  await page.locator('.modal [data-modal-close]').first().click();
  await page.locator('.modal').waitFor({ state: 'detached', ...WAIT });
  // The permalink in that note leads to the message, in the page.
  await page.locator('#main .ephemeral a', { hasText: 'this message' }).last().click();
  await shown(page.locator('#main .msg.flash', { hasText: 'job_batch #34764' }));
});

test('App Home is published when the person opens the app', async () => {
  await page.locator('[data-app-link]').click();
  await shown(page.locator('.home', { hasText: 'DataArts Factory instances' }));
  await page.locator('#main').screenshot({ path: path.join(OUT, 'home.png') });
  await page.locator('[data-channel-link="C0GENERAL"]').click();
});

/** The parts of an <img> these tests read (the tests compile without the DOM's types). */
interface ImageElement {
  complete: boolean;
  naturalWidth: number;
  clientWidth: number;
  addEventListener(type: 'load', listener: () => void): void;
}

test('a picture uploaded into a thread shows there, scaled, under its title; an image block shows too', async () => {
  const { standin } = playground.slack;
  const bot = new WebClient(standin.botToken, {
    slackApiUrl: playground.slack.apiUrl,
    retryConfig: { retries: 0 },
  });
  const now = Date.now();
  const instance = parseJobInstance(bigInstance('warehouse_800_nodes', '58000', 800, now));
  const picture = timelineSvg(instance, { now, timeZone: 'Europe/Berlin' });
  const parent = await bot.chat.postMessage({
    channel: 'C0GENERAL',
    text: 'warehouse_800_nodes #58000 is running',
  });
  const upload = await bot.filesUploadV2({
    channel_id: 'C0GENERAL',
    thread_ts: parent.ts!,
    file: svgToPng(picture.svg).png,
    filename: 'timeline-58000.png',
    title: 'Timeline of warehouse_800_nodes #58000',
    alt_text: picture.alt,
  });
  const fileId = (upload.files as { files: { id: string }[] }[])[0]!.files[0]!.id;
  await bot.chat.postMessage({
    channel: 'C0GENERAL',
    thread_ts: parent.ts!,
    text: 'the same picture as an image block',
    blocks: [
      {
        type: 'image',
        slack_file: { id: fileId },
        alt_text: 'timeline',
        title: { type: 'plain_text', text: 'As a block' },
      },
    ],
  });

  const message = page.locator('#main .msg', { hasText: 'warehouse_800_nodes #58000 is running' });
  const replies = message.locator('.thread-summary', { hasText: '2 replies' });
  await shown(replies);
  await replies.click();
  const thread = page.locator('#thread');
  const figure = thread.locator('.bk-file-image');
  expect(await shown(figure.locator('.bk-file-title'))).toBe('Timeline of warehouse_800_nodes #58000');
  const img = figure.locator('img');
  await img.evaluate((el: ImageElement) =>
    el.complete ? null : new Promise<void>((done) => el.addEventListener('load', () => done())),
  );
  const size = await img.evaluate((el: ImageElement) => ({
    natural: el.naturalWidth,
    shown: el.clientWidth,
  }));
  expect(size.natural).toBe(picture.width);
  expect(size.natural).toBeGreaterThanOrEqual(600);
  expect(size.shown).toBeGreaterThan(200);
  expect(size.shown).toBeLessThanOrEqual(480);
  const blockImage = thread.locator('.bk-image img');
  await blockImage.evaluate((el: ImageElement) =>
    el.complete ? null : new Promise<void>((done) => el.addEventListener('load', () => done())),
  );
  expect(await blockImage.evaluate((el: ImageElement) => el.naturalWidth)).toBe(picture.width);
  await thread.screenshot({ path: path.join(OUT, 'timeline-thread.png') });
});

test('Timeline on an instance message puts the run’s picture in its thread', async () => {
  await command('/dlf-instance warehouse_1000_nodes 51000');
  const message = page.locator('#main .msg', { hasText: 'warehouse_1000_nodes #51000' }).last();
  await shown(message.getByRole('button', { name: 'Timeline' }));
  await message.getByRole('button', { name: 'Timeline' }).click();
  const replies = message.locator('.thread-summary', { hasText: '1 reply' });
  await shown(replies);
  await replies.click();
  const thread = page.locator('#thread');
  expect(await shown(thread.locator('.msg', { hasText: 'Timeline of' }))).toContain('1,000 nodes');
  const img = thread.locator('.bk-file-image img');
  await img.first().waitFor(WAIT);
  await img.evaluate((el: ImageElement) =>
    el.complete ? null : new Promise<void>((done) => el.addEventListener('load', () => done())),
  );
  expect(await img.evaluate((el: ImageElement) => el.naturalWidth)).toBeGreaterThanOrEqual(800);
  await thread.screenshot({ path: path.join(OUT, 'timeline-button.png') });
});
