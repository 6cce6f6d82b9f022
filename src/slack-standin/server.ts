/**
 * HTTP routing: /api/<method> like Slack's Web API (apps.connections.open with the app-level token, every other
 * method with the bot token), /response/<id> like response URLs; recorded, faults applied.
 */
import type http from 'node:http';
import type { AsyncHandler } from '../support/http-server';
import { Args, decodeArgs } from './args';
import type { CallLog } from './calls';
import type { FaultScript } from './faults';
import { callMethod, type MethodContext } from './methods';
import type { RecordedCall } from './model';
import type { ResponseUrls } from './response-urls';
import type { SocketModeHub } from './socket-mode';

export interface Backend {
  botToken: string;
  socketMode: SocketModeHub;
  methods: MethodContext;
  responseUrls: ResponseUrls;
  faults: FaultScript;
  calls: CallLog;
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
  /** Sent as text/plain instead of the JSON body (the upload URL answers so). */
  text?: string;
}

/** A timer that does not keep the process alive: a held-back answer must not delay a test run's exit. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

async function readBytes(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  return (await readBytes(req)).toString('utf8');
}

function send(res: http.ServerResponse, reply: Reply): void {
  if (reply.text !== undefined) {
    res.writeHead(reply.status, { 'content-type': 'text/plain; charset=utf-8', ...reply.headers });
    res.end(reply.text);
    return;
  }
  res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
  res.end(JSON.stringify(reply.body));
}

/** Runs one recorded call through its fault (if any): `decide` applies it to the model and says the answer. */
async function deliver(
  backend: Backend,
  call: RecordedCall,
  res: http.ServerResponse,
  decide: () => Reply,
  refuse: (error: string) => Reply,
): Promise<void> {
  const { fault } = call;
  const settle = (reply: Reply, delivery: RecordedCall['delivery']) =>
    backend.calls.settle(call, reply.status, reply.body, delivery);
  if (fault?.delayMs) await sleep(fault.delayMs);
  if (fault?.rateLimited) {
    const reply: Reply = {
      status: 429,
      body: { ok: false, error: 'ratelimited' },
      headers: { 'retry-after': String(fault.rateLimited.retryAfterSeconds) },
    };
    send(res, reply);
    settle(reply, 'answered');
    return;
  }
  const reply = fault?.error ? refuse(fault.error) : decide();
  if (fault?.acceptThenDrop) {
    settle(reply, 'dropped');
    res.socket?.destroy();
    return;
  }
  if (fault?.acceptThenDelayMs) {
    settle(reply, 'pending');
    await sleep(fault.acceptThenDelayMs);
  }
  // The caller may have given up (a client timeout) or the stand-in closed meanwhile.
  if (res.destroyed) return settle(reply, 'dropped');
  send(res, reply);
  settle(reply, 'answered');
}

function bearer(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
}

async function serveApi(
  backend: Backend,
  method: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
): Promise<void> {
  const raw = await readBody(req);
  const { token: bodyToken, ...args } = decodeArgs(
    raw,
    String(req.headers['content-type'] ?? ''),
    url.searchParams,
  );
  const token = bearer(req.headers.authorization) ?? (typeof bodyToken === 'string' ? bodyToken : undefined);
  const channel = typeof args.channel === 'string' ? args.channel : undefined;
  const fault = backend.faults.take(method, channel);
  // Socket Mode's one method takes the app-level token; the other kind of token is refused as Slack does.
  const appLevel = method === 'apps.connections.open';
  const [expected, otherKind] = appLevel
    ? [backend.socketMode.appToken, backend.botToken]
    : [backend.botToken, backend.socketMode.appToken];
  const call = backend.calls.start(method, args, token === expected, fault);
  const scopes = [...backend.methods.scopes].join(',');
  await deliver(
    backend,
    call,
    res,
    () => {
      if (!token) return { status: 200, body: { ok: false, error: 'not_authed' } };
      if (!call.tokenOk) {
        const error = token === otherKind ? 'not_allowed_token_type' : 'invalid_auth';
        return { status: 200, body: { ok: false, error } };
      }
      if (appLevel) return { status: 200, body: backend.socketMode.openLink() };
      const { answer, neededScope } = callMethod(backend.methods, method, new Args(args));
      return {
        status: 200,
        body: answer,
        headers: { 'x-oauth-scopes': scopes, 'x-accepted-oauth-scopes': neededScope ?? '' },
      };
    },
    (error) => ({ status: 200, body: { ok: false, error } }),
  );
}

async function serveResponseUrl(
  backend: Backend,
  id: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const raw = await readBody(req);
  let payload: unknown;
  try {
    payload = JSON.parse(raw);
  } catch {
    payload = undefined;
  }
  const binding = backend.responseUrls.binding(id);
  const args = payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : { body: raw };
  const fault = backend.faults.take('response_url', binding?.channel);
  const call = backend.calls.start('response_url', args, true, fault);
  await deliver(
    backend,
    call,
    res,
    () =>
      payload && typeof payload === 'object'
        ? backend.responseUrls.use(id, args)
        : { status: 400, body: { ok: false, error: 'invalid_payload' } },
    (error) => ({ status: 404, body: { ok: false, error } }),
  );
}

/** The file part of a multipart form (web-api sends the bytes as a form field), or the raw body. */
async function uploadedBytes(raw: Buffer, contentType: string): Promise<Buffer> {
  if (!contentType.startsWith('multipart/form-data')) return raw;
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  for (const value of form.values())
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  return Buffer.alloc(0);
}

/** POST to an upload URL minted by files.getUploadURLExternal: Slack answers 200 "OK - <bytes>". */
async function serveUpload(
  backend: Backend,
  token: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const contentType = String(req.headers['content-type'] ?? '');
  const bytes = await uploadedBytes(await readBytes(req), contentType);
  const fault = backend.faults.take('upload', undefined);
  const call = backend.calls.start('upload', { bytes: bytes.length, content_type: contentType }, true, fault);
  await deliver(
    backend,
    call,
    res,
    () => {
      const id = backend.methods.files.receive(token, bytes);
      if (!id) return { status: 404, body: { ok: false, error: 'upload_url_not_found' }, text: 'Not Found' };
      call.args.file_id = id;
      return {
        status: 200,
        body: { ok: true, file_id: id, bytes: bytes.length },
        text: `OK - ${bytes.length}`,
      };
    },
    (error) => ({ status: 500, body: { ok: false, error }, text: error }),
  );
}

/** GET of a file's url_private: the bytes, for a request carrying the bot token (as Slack asks). */
function serveFile(backend: Backend, id: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  req.resume();
  const file = backend.methods.files.file(id);
  const bytes = backend.methods.files.bytes(id);
  if (bearer(req.headers.authorization) !== backend.botToken)
    send(res, {
      status: 403,
      body: {},
      text: 'url_private needs the bot token: Authorization: Bearer xoxb-…',
    });
  else if (!file || !bytes) send(res, { status: 404, body: {}, text: 'Not Found' });
  else {
    res.writeHead(200, { 'content-type': file.mimetype, 'content-length': String(bytes.length) });
    res.end(bytes);
  }
}

export function requestHandler(backend: Backend): AsyncHandler {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://standin');
    const api = /^\/api\/([\w.]+)$/.exec(url.pathname)?.[1];
    const responseUrl = /^\/response\/(\w+)$/.exec(url.pathname)?.[1];
    if (api) return serveApi(backend, api, req, res, url);
    if (responseUrl && req.method === 'POST') return serveResponseUrl(backend, responseUrl, req, res);
    const upload = /^\/upload\/v1\/(\w+)$/.exec(url.pathname)?.[1];
    if (upload && req.method === 'POST') return serveUpload(backend, upload, req, res);
    const file = /^\/files-pri\/\w+-(\w+)\/[^/]+$/.exec(url.pathname)?.[1];
    if (file && req.method === 'GET') return serveFile(backend, file, req, res);
    req.resume();
    send(res, { status: 404, body: { ok: false, error: 'not_found' } });
  };
}
