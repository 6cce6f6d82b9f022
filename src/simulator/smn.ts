/**
 * The simulator's SMN topic: it signs and POSTs SubscriptionConfirmation and Notification messages to an HTTP
 * endpoint exactly as Huawei Cloud SMN does, and serves what those messages point at on its own loopback port:
 * the signing certificate (`/smn/signing-1.pem`, the URL the bot must be told to trust) and the `subscribe_url`
 * (`/smn/confirm?token=…`, recorded). The certificate and key in ./smn-certs are test fixtures, not secrets.
 * Faults for tests: duplicates, delays, a tampered signature or body. Loopback only, sending and serving.
 */
import { createHash, randomBytes, randomUUID, sign } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { listenLocal } from '../support/http-server';
import { SIMULATOR_SMN_CERT, SIMULATOR_SMN_KEY } from './smn-certs';

export interface SmnTopicOptions {
  topicUrn: string;
  host?: string;
  port?: number;
}

export interface SmnPublication {
  subject?: string;
  message: string;
}

export interface PublishOptions {
  delayMs?: number;
  /** Deliveries of the same message (same message_id), as SMN's retries produce. */
  times?: number;
  /** `signature`: a signature that does not verify; `body`: a signed field changed after signing. */
  tamper?: 'signature' | 'body';
  /** The message's time in epoch ms (default now). */
  timestamp?: number;
  messageId?: string;
}

/** What an endpoint answered: one HTTP status per delivery, 0 when it did not answer. */
export interface Delivery {
  messageId: string;
  statuses: number[];
}

export interface SmnConfirmationRecord {
  token: string;
  endpointUrl: string;
  subscriptionUrn: string;
}

export interface PublishedRecord {
  endpointUrl: string;
  type: 'SubscriptionConfirmation' | 'Notification';
  messageId: string;
  statuses: number[];
}

export interface RunningSmnTopic {
  url: string;
  topicUrn: string;
  /** The signing certificate's URL, as in every message's `signing_cert_url`. */
  certUrl: string;
  /** The host entry to trust: `127.0.0.1:<port>`. */
  host: string;
  subscribe(endpointUrl: string): Promise<Delivery & { subscribeUrl: string }>;
  publish(endpointUrl: string, publication: SmnPublication, options?: PublishOptions): Promise<Delivery>;
  confirmations(): SmnConfirmationRecord[];
  published(): PublishedRecord[];
  /** How many times the certificate was fetched. */
  certFetches(): number;
  close(): Promise<void>;
}

/** An SMN timestamp: ISO 8601 UTC to the second, as SMN writes it. */
function smnTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** SMN's string to sign, written out here again so the simulator does not test the bot with the bot's own code. */
function signedText(wire: Record<string, string>, keys: readonly string[]): string {
  return keys
    .filter((key) => wire[key] !== undefined && wire[key] !== '')
    .map((key) => `${key}\n${wire[key]}\n`)
    .join('');
}

const NOTIFICATION_KEYS = ['message', 'message_id', 'subject', 'timestamp', 'topic_urn', 'type'];
const CONFIRMATION_KEYS = ['message', 'message_id', 'subscribe_url', 'timestamp', 'topic_urn', 'type'];

/** Throws for an endpoint off loopback: the simulator never posts to the network. */
function assertLoopback(endpointUrl: string): void {
  const { hostname } = new URL(endpointUrl);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(hostname))
    throw new Error('the simulator SMN topic posts to loopback endpoints only');
}

/** Writes a whole answer with its length. */
function answer(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** A DataArts job-end notification as the console's rules send it: `[job]` subject, localized JSON message. */
export function dataartsMessage(facts: {
  job: string;
  instanceId: string;
  status: 'success' | 'fail';
  node?: string;
  error?: string;
  workspace?: string;
  planTime?: number;
}): SmnPublication {
  const failed = facts.status === 'fail';
  const when = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
  const planTime = when(facts.planTime ?? Date.now() - 60_000);
  const alarmTime = when(Date.now());
  const workspace = facts.workspace ?? 'default';
  const fields: Record<string, string> = {
    工作空间: workspace,
    作业名称: facts.job,
    作业状态: failed ? '失败' : '成功',
    计划时间: planTime,
    告警时间: alarmTime,
    实例ID: facts.instanceId,
    ...(facts.node === undefined ? {} : { 失败节点名称: facts.node }),
    ...(facts.error === undefined ? {} : { 错误信息: facts.error }),
    workspace,
    jobName: facts.job,
    status: failed ? 'failed' : 'succeeded',
    planTime,
    alarmTime,
    instanceId: facts.instanceId,
    ...(facts.node === undefined ? {} : { failedNode: facts.node }),
    ...(facts.error === undefined ? {} : { errorMessage: facts.error }),
  };
  return {
    subject: `[${facts.job}] DataArts job ${failed ? 'failed' : 'succeeded'}`,
    message: JSON.stringify(fields),
  };
}

/** Starts the topic's loopback server (certificate, subscribe_url) and returns its sender. */
export async function startSmnTopic(options: SmnTopicOptions): Promise<RunningSmnTopic> {
  const tokens = new Map<string, string>();
  const confirmed: SmnConfirmationRecord[] = [];
  const sent: PublishedRecord[] = [];
  let certFetches = 0;
  const server = await listenLocal(
    async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://simulator');
      if (req.method !== 'GET') return answer(res, 405, '{"error_msg":"method not allowed"}');
      if (url.pathname === '/smn/signing-1.pem') {
        certFetches += 1;
        return answer(res, 200, SIMULATOR_SMN_CERT, 'application/x-pem-file');
      }
      if (url.pathname === '/smn/confirm') {
        const token = url.searchParams.get('token') ?? '';
        const endpointUrl = tokens.get(token);
        if (endpointUrl === undefined) return answer(res, 404, '{"error_msg":"unknown token"}');
        const subscriptionUrn = subscriptionUrnFor(endpointUrl);
        if (!confirmed.some((record) => record.token === token))
          confirmed.push({ token, endpointUrl, subscriptionUrn });
        return answer(
          res,
          200,
          JSON.stringify({ request_id: randomBytes(16).toString('hex'), subscription_urn: subscriptionUrn }),
        );
      }
      if (url.pathname === '/smn/unsubscribe') return answer(res, 200, '{}');
      return answer(res, 404, '{"error_msg":"not found"}');
    },
    { host: options.host ?? '127.0.0.1', port: options.port ?? 0 },
  );
  const certUrl = `${server.url}/smn/signing-1.pem`;
  /** One subscription per endpoint: SMN's `<topic urn>:<32 hex>`. */
  const subscriptionUrnFor = (endpointUrl: string) =>
    `${options.topicUrn}:${createHash('sha256').update(endpointUrl).digest('hex').slice(0, 32)}`;

  /** Signs the wire fields, applies the fault, POSTs `times` times after `delayMs`. */
  async function deliver(
    endpointUrl: string,
    wire: Record<string, string>,
    keys: readonly string[],
    options: PublishOptions,
  ): Promise<number[]> {
    assertLoopback(endpointUrl);
    const signature = sign('sha256', Buffer.from(signedText(wire, keys)), SIMULATOR_SMN_KEY).toString(
      'base64',
    );
    const body: Record<string, string> = { ...wire, signature };
    if (options.tamper === 'signature') {
      const bytes = Buffer.from(signature, 'base64');
      bytes[0] = (bytes[0] ?? 0) ^ 0xff;
      body.signature = bytes.toString('base64');
    }
    if (options.tamper === 'body') body.message = `${wire.message} `;
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    const statuses: number[] = [];
    for (let time = 0; time < (options.times ?? 1); time++) {
      try {
        const response = await fetch(endpointUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-smn-message-type': wire.type ?? '',
            'x-smn-message-id': wire.message_id ?? '',
            'x-smn-topic-urn': wire.topic_urn ?? '',
            'x-smn-subscription-urn': subscriptionUrnFor(endpointUrl),
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(5000),
        });
        await response.arrayBuffer();
        statuses.push(response.status);
      } catch {
        statuses.push(0);
      }
    }
    return statuses;
  }

  return {
    url: server.url,
    topicUrn: options.topicUrn,
    certUrl,
    host: new URL(server.url).host,
    async subscribe(endpointUrl) {
      const token = randomBytes(32).toString('hex');
      tokens.set(token, endpointUrl);
      const messageId = randomUUID().replaceAll('-', '');
      const subscribeUrl = `${server.url}/smn/confirm?token=${token}`;
      const wire = {
        type: 'SubscriptionConfirmation',
        topic_urn: options.topicUrn,
        message_id: messageId,
        signature_version: 'v1',
        message: `You are invited to subscribe to topic ${options.topicUrn}. To confirm the subscription, visit the subscribe_url included in this message.`,
        subscribe_url: subscribeUrl,
        signing_cert_url: certUrl,
        timestamp: smnTimestamp(Date.now()),
      };
      const statuses = await deliver(endpointUrl, wire, CONFIRMATION_KEYS, {});
      sent.push({ endpointUrl, type: 'SubscriptionConfirmation', messageId, statuses });
      return { messageId, statuses, subscribeUrl };
    },
    async publish(endpointUrl, publication, publishOptions = {}) {
      const messageId = publishOptions.messageId ?? randomUUID().replaceAll('-', '');
      const wire: Record<string, string> = {
        type: 'Notification',
        topic_urn: options.topicUrn,
        message_id: messageId,
        signature_version: 'v1',
        message: publication.message,
        unsubscribe_url: `${server.url}/smn/unsubscribe?message_id=${messageId}`,
        signing_cert_url: certUrl,
        timestamp: smnTimestamp(publishOptions.timestamp ?? Date.now()),
        ...(publication.subject ? { subject: publication.subject } : {}),
      };
      const statuses = await deliver(endpointUrl, wire, NOTIFICATION_KEYS, publishOptions);
      sent.push({ endpointUrl, type: 'Notification', messageId, statuses });
      return { messageId, statuses };
    },
    confirmations: () => [...confirmed],
    published: () => [...sent],
    certFetches: () => certFetches,
    close: () => server.close(),
  };
}
