/** files.uploadV2 as @slack/web-api 8 performs it, against the stand-in: URL, upload POST, completion. */
import { PNG } from 'pngjs';
import { type Setup, slackError, startSetup } from './setup';

let s: Setup;
beforeEach(async () => {
  s = await startSetup();
});
afterEach(async () => {
  await s.close();
});

function png(width: number, height: number): Buffer {
  const image = new PNG({ width, height });
  image.data.fill(200);
  return PNG.sync.write(image);
}

test('filesUploadV2 into a thread: the bytes arrive intact and a reply carries the file', async () => {
  const parent = await s.client.chat.postMessage({ channel: 'C0GENERAL', text: 'instance 34765' });
  const bytes = png(900, 400);
  const answer = await s.client.filesUploadV2({
    channel_id: 'C0GENERAL',
    thread_ts: parent.ts!,
    file: bytes,
    filename: 'timeline-34765.png',
    title: 'Timeline of job_batch #34765',
    alt_text: 'A Gantt chart of 2 nodes',
    initial_comment: 'The run, node by node',
  });
  expect(answer.ok).toBe(true);
  const [reply] = s.standin.thread('C0GENERAL', parent.ts!);
  expect(reply).toMatchObject({ text: 'The run, node by node', user: 'U0BOT' });
  const [file] = reply!.files!;
  expect(file).toMatchObject({
    name: 'timeline-34765.png',
    title: 'Timeline of job_batch #34765',
    mimetype: 'image/png',
    size: bytes.length,
    altText: 'A Gantt chart of 2 nodes',
    imageSize: { width: 900, height: 400 },
  });
  expect(s.standin.fileBytes(file!.id)!.equals(bytes)).toBe(true);
  expect(s.standin.files().map((f) => f.id)).toEqual([file!.id]);

  // What web-api sent, step by step: form fields, then multipart bytes, then the files JSON.
  const [urlCall] = s.standin.calls('files.getUploadURLExternal');
  expect(urlCall!.args).toMatchObject({ filename: 'timeline-34765.png', length: String(bytes.length) });
  const [upload] = s.standin.calls('upload');
  expect(upload!.args).toMatchObject({ file_id: file!.id, bytes: bytes.length });
  expect(String(upload!.args.content_type)).toMatch(/^multipart\/form-data; boundary=/);
  const [complete] = s.standin.calls('files.completeUploadExternal');
  expect(complete!.args).toMatchObject({
    files: [{ id: file!.id, title: 'Timeline of job_batch #34765' }],
    channel_id: 'C0GENERAL',
    thread_ts: parent.ts,
    initial_comment: 'The run, node by node',
  });
  expect(JSON.stringify(s.standin.calls())).not.toContain(s.standin.botToken);

  // As conversations.replies shows it: Slack's file object, with a url_private that serves the bytes.
  const replies = await s.client.conversations.replies({ channel: 'C0GENERAL', ts: parent.ts! });
  const shown = (replies.messages![1] as { files: Record<string, unknown>[] }).files[0]!;
  expect(shown).toMatchObject({
    id: file!.id,
    name: 'timeline-34765.png',
    mimetype: 'image/png',
    original_w: 900,
    original_h: 400,
    alt_txt: 'A Gantt chart of 2 nodes',
  });
  const url = String(shown.url_private);
  expect(url.startsWith(s.url)).toBe(true);
  const served = await fetch(url, { headers: { authorization: `Bearer ${s.standin.botToken}` } });
  expect(served.headers.get('content-type')).toBe('image/png');
  expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
  expect((await fetch(url)).status).toBe(403);
});

test('a text file without a channel stays private: no message', async () => {
  const answer = await s.client.filesUploadV2({
    content: 'node,status\nextract,success\n',
    filename: 'nodes.csv',
  });
  expect(answer.ok).toBe(true);
  const [file] = s.standin.files();
  expect(file).toMatchObject({ name: 'nodes.csv', title: 'nodes.csv', mimetype: 'text/csv' });
  expect(s.standin.fileBytes(file!.id)!.toString()).toBe('node,status\nextract,success\n');
  expect(s.standin.messages('C0GENERAL')).toEqual([]);
});

test('a raw upload (Slack also takes the bytes as the body) and Slack’s refusals', async () => {
  const minted = await s.client.files.getUploadURLExternal({ filename: 'raw.txt', length: 5 });
  expect(minted).toMatchObject({ ok: true, file_id: expect.stringMatching(/^F/) });
  // Completing before the bytes arrived: nothing to share yet.
  expect(
    await slackError(s.client.files.completeUploadExternal({ files: [{ id: minted.file_id! }] })),
  ).toMatchObject({ error: 'file_not_found' });
  const posted = await fetch(minted.upload_url!, { method: 'POST', body: 'hello' });
  expect([posted.status, await posted.text()]).toEqual([200, 'OK - 5']);
  expect(s.standin.fileBytes(minted.file_id!)!.toString()).toBe('hello');
  expect(
    await slackError(
      s.client.files.completeUploadExternal({ files: [{ id: minted.file_id! }], channel_id: 'C0OUTSIDE' }),
    ),
  ).toMatchObject({ error: 'not_in_channel' });
  expect(
    await slackError(
      s.client.files.completeUploadExternal({
        files: [{ id: minted.file_id! }],
        channel_id: 'C0GENERAL',
        thread_ts: '1.000001',
      }),
    ),
  ).toMatchObject({ error: 'thread_not_found' });
  await s.client.files.completeUploadExternal({ files: [{ id: minted.file_id! }], channel_id: 'C0GENERAL' });
  // Shared once: the URL is spent and the id cannot be completed again.
  expect((await fetch(minted.upload_url!, { method: 'POST', body: 'again' })).status).toBe(404);
  expect(
    await slackError(
      s.client.files.completeUploadExternal({ files: [{ id: minted.file_id! }], channel_id: 'C0GENERAL' }),
    ),
  ).toMatchObject({ error: 'file_not_found' });
  expect(await slackError(s.client.files.getUploadURLExternal({ filename: '', length: 5 }))).toMatchObject({
    error: 'invalid_arguments',
  });
});

test('uploading needs files:write', async () => {
  const narrow = await startSetup({ scopes: ['chat:write'] });
  try {
    expect(
      await slackError(
        narrow.client.filesUploadV2({ content: 'x', filename: 'x.txt', channel_id: 'C0GENERAL' }),
      ),
    ).toMatchObject({ error: 'missing_scope' });
  } finally {
    await narrow.close();
  }
});

test('a scripted fault on the upload fails filesUploadV2, and nothing is shared', async () => {
  s.standin.fail('upload', { error: 'boom', times: 1 });
  await expect(
    s.client.filesUploadV2({ content: 'x', filename: 'x.txt', channel_id: 'C0GENERAL' }),
  ).rejects.toThrow(/statusCode = 500/);
  expect(s.standin.files()).toEqual([]);
  expect(s.standin.messages('C0GENERAL')).toEqual([]);
});
