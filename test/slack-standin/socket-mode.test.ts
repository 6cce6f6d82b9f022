import { SocketModeReceiver } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import WebSocket from 'ws';
import { quiet, type Setup, slackError, startSetup } from './setup';

const APP_TOKEN = 'xapp-1-standin-socket-test';

interface Received {
  type: string;
  body: Record<string, unknown>;
  retryNum?: number;
  retryReason?: string;
  acceptsResponsePayload?: boolean;
}

type SocketModeClient = SocketModeReceiver['client'];

let s: Setup;
const clients: SocketModeClient[] = [];
const raw: WebSocket[] = [];

beforeEach(async () => {
  s = await startSetup({
    appToken: APP_TOKEN,
    socketMode: { pingIntervalMs: 100, disconnectGraceMs: 500, ackTimeoutMs: 5_000 },
  });
});
afterEach(async () => {
  for (const client of clients.splice(0)) await client.disconnect();
  for (const socket of raw.splice(0)) socket.terminate();
  await s.close();
});

/**
 * Bolt's own Socket Mode receiver and client, pointed at the stand-in. A short client ping timeout also makes
 * its reconnect delay short (it waits that long before opening a new link).
 */
async function officialClient(answer: (received: Received) => Record<string, unknown> | undefined) {
  const receiver = new SocketModeReceiver({
    appToken: APP_TOKEN,
    logger: quiet,
    clientPingTimeout: 1_000,
    installerOptions: { clientOptions: { slackApiUrl: s.apiUrl } },
  });
  const { client } = receiver;
  const received: Received[] = [];
  client.on('slack_event', async (event) => {
    const one: Received = {
      type: event.type,
      body: event.body,
      retryNum: event.retry_num,
      retryReason: event.retry_reason,
      acceptsResponsePayload: event.accepts_response_payload,
    };
    received.push(one);
    await event.ack(answer(one));
  });
  clients.push(client);
  await client.start();
  return { client, received };
}

/** A bare WebSocket on a fresh link, for what the official client would never do (stay silent, ignore pings). */
async function rawSocket(options: WebSocket.ClientOptions = {}) {
  const link = await new WebClient(APP_TOKEN, {
    slackApiUrl: s.apiUrl,
    logger: quiet,
  }).apps.connections.open();
  const socket = new WebSocket(String(link.url), options);
  raw.push(socket);
  // Messages may arrive together: keep every one until asked for.
  const inbox: Record<string, unknown>[] = [];
  const wakes: (() => void)[] = [];
  socket.on('message', (data) => {
    inbox.push(JSON.parse(String(data)));
    wakes.shift()?.();
  });
  const next = async (): Promise<Record<string, unknown>> => {
    while (inbox.length === 0) await new Promise<void>((resolve) => wakes.push(resolve));
    return inbox.shift()!;
  };
  return { socket, hello: await next(), next, url: String(link.url) };
}

test('apps.connections.open takes the app-level token only; the bot token is the wrong kind', async () => {
  const link = await new WebClient(APP_TOKEN, { slackApiUrl: s.apiUrl }).apps.connections.open();
  expect(link.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[\w-]+&app_id=A0DLFBOT$/);
  expect(await slackError(s.client.apps.connections.open())).toMatchObject({
    error: 'not_allowed_token_type',
  });
  const stranger = new WebClient('xapp-1-someone-else', {
    slackApiUrl: s.apiUrl,
    retryConfig: { retries: 0 },
  });
  expect(await slackError(stranger.apps.connections.open())).toMatchObject({ error: 'invalid_auth' });
  const appTokenClient = new WebClient(APP_TOKEN, { slackApiUrl: s.apiUrl, retryConfig: { retries: 0 } });
  expect(
    await slackError(appTokenClient.chat.postMessage({ channel: 'C0GENERAL', text: 'x' })),
  ).toMatchObject({
    error: 'not_allowed_token_type',
  });
  expect(s.standin.calls('apps.connections.open').map((call) => call.tokenOk)).toEqual([true, false, false]);
  // The recorded arguments never keep the token.
  expect(JSON.stringify(s.standin.calls())).not.toContain(APP_TOKEN);
});

test('a link opens once: hello counts the connections; a used or made-up ticket is refused', async () => {
  const first = await rawSocket();
  expect(first.hello).toEqual({
    type: 'hello',
    num_connections: 1,
    debug_info: { host: 'applink-standin-1', build_number: 1, approximate_connection_time: 18_060 },
    connection_info: { app_id: 'A0DLFBOT' },
  });
  const second = await rawSocket();
  expect(second.hello).toMatchObject({ num_connections: 2 });
  for (const url of [first.url, first.url.replace(/ticket=[\w-]+/, 'ticket=made-up')]) {
    const refused = new WebSocket(url);
    const status = await new Promise<number | undefined>((resolve) => {
      refused.once('unexpected-response', (req, res) => {
        resolve(res.statusCode);
        req.destroy();
      });
      refused.once('open', () => resolve(undefined));
    });
    refused.on('error', () => undefined);
    expect(status).toBe(401);
  }
  expect(s.standin.socketMode.openConnections().map((c) => c.id)).toEqual([1, 2]);
});

test('the official client gets each kind of envelope as Slack sends it, and acks each once', async () => {
  const { received } = await officialClient((one) =>
    one.type === 'slash_commands' ? { response_type: 'ephemeral', text: 'usage' } : undefined,
  );
  const hub = s.standin.socketMode;
  const command = await hub.deliver({ type: 'slash_commands', payload: { command: '/dlf-instance' } });
  expect(command).toMatchObject({
    acked: true,
    ack: { connection: 1, payload: { response_type: 'ephemeral', text: 'usage' } },
  });
  const action = await hub.deliver({ type: 'interactive', payload: { type: 'block_actions' } });
  expect(action).toMatchObject({ acked: true, ack: { payload: {} } });
  await hub.deliver({ type: 'events_api', payload: { event_id: 'Ev1', event: { type: 'app_home_opened' } } });
  await hub.deliver({
    type: 'events_api',
    payload: { event_id: 'Ev1', event: { type: 'app_home_opened' } },
    retry: { num: 1, reason: 'timeout' },
  });
  expect(received).toEqual([
    { type: 'slash_commands', body: { command: '/dlf-instance' }, acceptsResponsePayload: true },
    { type: 'interactive', body: { type: 'block_actions' }, acceptsResponsePayload: true },
    {
      type: 'events_api',
      body: { event_id: 'Ev1', event: { type: 'app_home_opened' } },
      retryNum: 0,
      retryReason: '',
      acceptsResponsePayload: false,
    },
    {
      type: 'events_api',
      body: { event_id: 'Ev1', event: { type: 'app_home_opened' } },
      retryNum: 1,
      retryReason: 'timeout',
      acceptsResponsePayload: false,
    },
  ]);
  const envelopes = hub.envelopes();
  expect(envelopes.map((e) => [e.type, e.retryAttempt, e.acks.length])).toEqual([
    ['slash_commands', 0, 1],
    ['interactive', 0, 1],
    ['events_api', 0, 1],
    ['events_api', 1, 1],
  ]);
  expect(new Set(envelopes.map((e) => e.envelopeId)).size).toBe(4);
  expect(hub.strayMessages()).toEqual([]);
});

test('pings both ways: the stand-in pings and the client pongs; the client pings and gets pongs', async () => {
  await officialClient(() => undefined);
  const hub = s.standin.socketMode;
  const [connection] = await s.standin.waitFor(() => {
    const open = hub.openConnections();
    return open[0] && open[0].pongsReceived >= 2 && open[0].pingsReceived >= 2 && open;
  });
  expect(connection!.pingsSent).toBeGreaterThanOrEqual(connection!.pongsReceived);
});

test('a connection that stops answering pings is dropped', async () => {
  const { socket } = await rawSocket({ autoPong: false });
  await new Promise((resolve) => socket.once('close', resolve));
  const [connection] = await s.standin.waitFor(() => {
    const all = s.standin.socketMode.connections();
    return all[0]?.closedAt !== undefined && all;
  });
  expect(connection).toMatchObject({ pingsSent: 1, pongsReceived: 0 });
});

describe.each(['warning', 'refresh_requested', 'link_disabled'] as const)('disconnect (%s)', (reason) => {
  test('the client opens a new link, connects again, and the next envelope goes to the new connection', async () => {
    await officialClient(() => undefined);
    const hub = s.standin.socketMode;
    hub.disconnect(reason);
    const [replacement] = await s.standin.waitFor(() => {
      const open = hub.openConnections();
      return open.length === 1 && open[0]!.id === 2 && open;
    });
    expect(hub.connections()[0]).toMatchObject({ disconnect: reason, closedAt: expect.any(Number) });
    expect(s.standin.calls('apps.connections.open')).toHaveLength(2);
    const outcome = await hub.deliver({ type: 'interactive', payload: { type: 'block_actions' } });
    expect(outcome).toMatchObject({ acked: true, ack: { connection: replacement!.id } });
  });
});

test('no envelope goes to a connection told to disconnect; one that lingers is closed after the grace period', async () => {
  const lingering = await rawSocket();
  const hub = s.standin.socketMode;
  hub.disconnect('refresh_requested');
  expect(await lingering.next()).toEqual({
    type: 'disconnect',
    reason: 'refresh_requested',
    debug_info: { host: 'applink-standin-1' },
  });
  const fresh = await rawSocket();
  const delivered = hub.deliver({ type: 'interactive', payload: { type: 'block_actions' } });
  const envelope = await fresh.next();
  expect(envelope).toMatchObject({ type: 'interactive', accepts_response_payload: true });
  expect(envelope).not.toHaveProperty('retry_attempt');
  fresh.socket.send(JSON.stringify({ envelope_id: envelope.envelope_id }));
  expect(await delivered).toMatchObject({ acked: true, ack: { connection: 2 } });
  await new Promise((resolve) => lingering.socket.once('close', resolve));
});

test('an envelope not acked in time is reported; a late ack, a second ack and a stray one are all recorded', async () => {
  await s.close();
  s = await startSetup({ appToken: APP_TOKEN, socketMode: { ackTimeoutMs: 200 } });
  const { socket, next } = await rawSocket();
  const outcome = await s.standin.socketMode.deliver({ type: 'slash_commands', payload: { text: 'help' } });
  const envelopeId = String((await next()).envelope_id);
  expect(outcome).toEqual({ acked: false, envelopeId });
  socket.send(JSON.stringify({ envelope_id: envelopeId, payload: { text: 'late' } }));
  socket.send(JSON.stringify({ envelope_id: envelopeId }));
  socket.send(JSON.stringify({ envelope_id: 'never-sent' }));
  socket.send('not json');
  const hub = s.standin.socketMode;
  await s.standin.waitFor(() => hub.strayMessages().length === 2);
  expect(hub.envelopes()[0]!.acks).toMatchObject([{ payload: { text: 'late' } }, {}]);
  expect(hub.strayMessages()).toEqual([{ envelope_id: 'never-sent' }, 'not json']);
});

test('with no connection open, an envelope waits for one, then gives up', async () => {
  await s.close();
  s = await startSetup({ appToken: APP_TOKEN, socketMode: { connectTimeoutMs: 1_000 } });
  await expect(s.standin.socketMode.deliver({ type: 'interactive', payload: {} })).rejects.toThrow(
    /No Socket Mode connection is open/,
  );
  const waiting = s.standin.socketMode.deliver({ type: 'interactive', payload: {} });
  const { socket, next } = await rawSocket();
  const envelope = await next();
  socket.send(JSON.stringify({ envelope_id: envelope.envelope_id }));
  expect(await waiting).toMatchObject({ acked: true });
});
