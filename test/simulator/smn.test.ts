import type { IncomingHttpHeaders } from 'node:http';
import {
  parseSmnMessage,
  SigningCerts,
  type SmnMessage,
  subscribeUrlAllowed,
  verifySmnMessage,
} from '../../src/notify/smn';
import { dataartsMessage, type RunningSmnTopic, startSmnTopic } from '../../src/simulator/smn';
import { type LocalServer, listenLocal } from '../../src/support/http-server';

const TOPIC = 'urn:smn:sim-1:0605767a3300d5762fb0c0186d2f7a24:dlf-jobs';

interface Received {
  headers: IncomingHttpHeaders;
  body: unknown;
  at: number;
}

/** A loopback endpoint that keeps what SMN POSTs and answers `status`. */
async function startReceiver(status = 200): Promise<LocalServer & { received: Received[] }> {
  const received: Received[] = [];
  const server = await listenLocal(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({
      headers: req.headers,
      body: JSON.parse(Buffer.concat(chunks).toString()),
      at: Date.now(),
    });
    res.writeHead(status);
    res.end();
  });
  return Object.assign(server, { received });
}

let topic: RunningSmnTopic;
let receiver: LocalServer & { received: Received[] };
beforeEach(async () => {
  topic = await startSmnTopic({ topicUrn: TOPIC });
  receiver = await startReceiver();
});
afterEach(async () => {
  await topic.close();
  await receiver.close();
});

function parsed(body: unknown): SmnMessage {
  const message = parseSmnMessage(body);
  if ('problem' in message) throw new Error(message.problem);
  return message;
}

/** Verifies as the bot will: the topic's loopback host trusted, a fresh `seen` per call. */
function verify(message: SmnMessage, seen: (id: string) => Promise<boolean> = async () => true) {
  const certs = new SigningCerts({ hosts: [topic.host], allowHttpLoopback: true });
  return verifySmnMessage(message, { certs, topics: [TOPIC], now: Date.now(), maxAgeMs: 60_000, seen });
}

it('posts a signed SubscriptionConfirmation whose subscribe_url, fetched, is recorded', async () => {
  const sent = await topic.subscribe(`${receiver.url}/dataarts/notify`);
  expect(sent.statuses).toEqual([200]);
  expect(receiver.received).toHaveLength(1);
  const [delivery] = receiver.received;
  const message = parsed(delivery?.body);
  expect(message).toMatchObject({
    type: 'SubscriptionConfirmation',
    topicUrn: TOPIC,
    messageId: sent.messageId,
  });
  expect(delivery?.headers).toMatchObject({
    'content-type': 'application/json',
    'x-smn-message-type': 'SubscriptionConfirmation',
    'x-smn-message-id': sent.messageId,
    'x-smn-topic-urn': TOPIC,
    'x-smn-subscription-urn': expect.stringMatching(/^urn:smn:.*:[0-9a-f]{32}$/),
  });
  expect(await verify(message)).toEqual({ ok: true });
  if (message.type === 'Notification') throw new Error('a confirmation was expected');
  expect(subscribeUrlAllowed(message.subscribeUrl, [topic.host], true)).toBe(true);
  expect(topic.confirmations()).toEqual([]);
  const confirm = await fetch(message.subscribeUrl);
  expect(confirm.status).toBe(200);
  expect(topic.confirmations()).toEqual([
    expect.objectContaining({
      endpointUrl: `${receiver.url}/dataarts/notify`,
      subscriptionUrn: delivery?.headers['x-smn-subscription-urn'],
    }),
  ]);
  expect((await fetch(`${topic.url}/smn/confirm?token=guess`)).status).toBe(404);
});

it('publishes a DataArts notification that verifies and names its job', async () => {
  const sent = await topic.publish(
    receiver.url,
    dataartsMessage({ job: 'job_batch', instanceId: '34765', status: 'fail', node: 'load', error: 'boom' }),
  );
  expect(sent.statuses).toEqual([200]);
  const message = parsed(receiver.received[0]?.body);
  expect(message).toMatchObject({
    type: 'Notification',
    messageId: sent.messageId,
    subject: expect.any(String),
  });
  expect(await verify(message)).toEqual({ ok: true });
  expect(JSON.parse(message.message)).toMatchObject({
    作业名称: 'job_batch',
    jobName: 'job_batch',
    实例ID: '34765',
  });
  expect(topic.published()).toEqual([
    { endpointUrl: receiver.url, type: 'Notification', messageId: sent.messageId, statuses: [200] },
  ]);
});

it('delivers a message twice with the same message_id when asked for 2 times; the second is a replay', async () => {
  const sent = await topic.publish(
    receiver.url,
    dataartsMessage({ job: 'a', instanceId: '1', status: 'success' }),
    {
      times: 2,
    },
  );
  expect(sent.statuses).toEqual([200, 200]);
  const ids = receiver.received.map((delivery) => parsed(delivery.body).messageId);
  expect(ids).toEqual([sent.messageId, sent.messageId]);
  const seenIds = new Set<string>();
  const seen = async (id: string) => !seenIds.has(id) && Boolean(seenIds.add(id));
  const answers = [];
  for (const delivery of receiver.received) answers.push(await verify(parsed(delivery.body), seen));
  expect(answers).toEqual([{ ok: true }, { ok: false, reason: 'replay' }]);
});

it('waits delayMs before delivering, and keeps a given message id and timestamp', async () => {
  const started = Date.now();
  const at = Date.parse('2026-12-07T08:00:00Z');
  await topic.publish(
    receiver.url,
    { message: 'hi' },
    { delayMs: 300, messageId: 'fixed-id', timestamp: at },
  );
  expect((receiver.received[0]?.at ?? 0) - started).toBeGreaterThanOrEqual(290);
  expect(parsed(receiver.received[0]?.body)).toMatchObject({
    messageId: 'fixed-id',
    timestamp: '2026-12-07T08:00:00Z',
    at,
  });
});

it.each(['signature', 'body'] as const)('a message with a tampered %s fails verification', async (tamper) => {
  await topic.publish(receiver.url, dataartsMessage({ job: 'a', instanceId: '1', status: 'fail' }), {
    tamper,
  });
  expect(await verify(parsed(receiver.received[0]?.body))).toEqual({ ok: false, reason: 'signature' });
});

it('records what the endpoint answered, 0 when nothing answers, and posts to loopback only', async () => {
  const failing = await startReceiver(503);
  const gone = await startReceiver();
  await gone.close();
  try {
    expect((await topic.publish(failing.url, { message: 'x' })).statuses).toEqual([503]);
    expect((await topic.publish(gone.url, { message: 'x' })).statuses).toEqual([0]);
  } finally {
    await failing.close();
  }
  await expect(topic.publish('https://example.com/notify', { message: 'x' })).rejects.toThrow(/loopback/);
});
