/**
 * `POST /dataarts/notify`: SMN's HTTP(S) subscription endpoint. A message is taken only if SMN signed it for a
 * topic of DLF_NOTIFY_TOPICS within DLF_NOTIFY_MAX_AGE_MINUTES and it was not seen before (smn.ts); then a
 * notification only wakes the sweeps (what it says is never posted: the reply and the alert come from DataArts,
 * as without it), and a subscription confirmation is confirmed by its link when that link is on an SMN host.
 * Anything else is answered 4xx and costs nothing; SMN retries only 5xx, which this never answers.
 */
import type http from 'node:http';
import type { Logger } from '../logger';
import { isLoopbackHost, type NotifySettings } from './config';
import { jobNamed, parseSmnMessage, type SigningCerts, subscribeUrlAllowed, verifySmnMessage } from './smn';

export const NOTIFY_PATH = '/dataarts/notify';
/** SMN's own limit for a message is 256 KB; its fields around it add little. */
const BODY_LIMIT_BYTES = 300 * 1024;

export interface NotifyDeps {
  settings: NotifySettings;
  certs: SigningCerts;
  /** True the first time a message id is seen (shared by every process with Redis). */
  seen(messageId: string): Promise<boolean>;
  /** Brings the sweeps forward; how many. */
  wake(): Promise<number>;
  /** Opens a subscription's confirmation link; whether SMN took it. */
  confirm(url: string): Promise<boolean>;
  logger: Logger;
  count?(outcome: string): void;
  clock?: () => number;
}

function answer(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

/** The body, or undefined past the limit (the rest is not read). */
function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > BODY_LIMIT_BYTES) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(undefined));
  });
}

/** Opens a confirmation link: GET, no redirect, within 5 s. */
export async function openConfirmationLink(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(5_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

export function notifyListener(deps: NotifyDeps) {
  const clock = deps.clock ?? Date.now;
  const count = (outcome: string) => deps.count?.(outcome);
  const loopback = deps.settings.certHosts.some(isLoopbackHost);
  return (req: http.IncomingMessage, res: http.ServerResponse): void => {
    void (async () => {
      const body = await readBody(req);
      let parsed: unknown;
      try {
        parsed = body ? JSON.parse(body.toString('utf8')) : undefined;
      } catch {
        parsed = undefined;
      }
      const message = parseSmnMessage(parsed);
      if ('problem' in message) {
        count('malformed');
        return answer(res, 400, 'not an SMN message');
      }
      const verdict = await verifySmnMessage(message, {
        certs: deps.certs,
        topics: deps.settings.topics,
        now: clock(),
        maxAgeMs: deps.settings.maxAgeMs,
        seen: deps.seen,
      });
      if (!verdict.ok) {
        count(verdict.reason === 'replay' ? 'replayed' : verdict.reason);
        // A replay is answered as taken (SMN must not try again); the rest are refused, and logged.
        if (verdict.reason === 'replay') return answer(res, 200, 'ok');
        deps.logger.warn(
          { reason: verdict.reason, type: message.type },
          'an SMN message was refused and did nothing',
        );
        return answer(res, 403, 'refused');
      }
      if (message.type === 'Notification') {
        const woken = await deps.wake();
        count('woke');
        deps.logger.debug({ job: jobNamed(message), woken }, 'a DataArts notification woke the sweep');
        return answer(res, 200, 'ok');
      }
      if (message.type === 'UnsubscribeConfirmation') {
        count('unsubscribed');
        deps.logger.info({ topic: message.topicUrn }, 'SMN says this endpoint was unsubscribed');
        return answer(res, 200, 'ok');
      }
      if (
        !subscribeUrlAllowed(message.subscribeUrl, deps.settings.certHosts, loopback) ||
        !(await deps.confirm(message.subscribeUrl))
      ) {
        count('unconfirmable');
        deps.logger.warn(
          { topic: message.topicUrn },
          'an SMN subscription could not be confirmed from here: confirm it in the SMN console (or add its host to DLF_NOTIFY_CERT_HOSTS)',
        );
        return answer(res, 200, 'ok');
      }
      count('confirmed');
      deps.logger.info({ topic: message.topicUrn }, 'confirmed the SMN subscription');
      answer(res, 200, 'ok');
    })().catch((error: unknown) => {
      deps.logger.error({ err: error }, 'POST /dataarts/notify failed');
      if (!res.headersSent) answer(res, 400, 'not taken');
    });
  };
}
