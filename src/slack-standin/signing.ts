/** Slack's v0 request signature: HMAC-SHA256 of "v0:<timestamp>:<raw body>" with the signing secret. */
import { createHmac } from 'node:crypto';

/** Deliberate mistakes, for the bot's negative tests. */
export interface SigningFault {
  /** Sign with a wrong secret. */
  badSignature?: boolean;
  /** Date the request this many seconds back (Bolt refuses more than 5 minutes). */
  ageSeconds?: number;
}

export function signatureHeaders(
  signingSecret: string,
  body: string,
  fault: SigningFault = {},
  nowMs = Date.now(),
): { 'x-slack-request-timestamp': string; 'x-slack-signature': string } {
  const timestamp = String(Math.floor(nowMs / 1000) - (fault.ageSeconds ?? 0));
  const secret = fault.badSignature ? `${signingSecret}-wrong` : signingSecret;
  const digest = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': `v0=${digest}` };
}
