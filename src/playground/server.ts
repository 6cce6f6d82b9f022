/**
 * The page's HTTP server: the page itself, a Server-Sent Events stream of what the person sees (a snapshot
 * on connect, then every change the stand-in announces), and the few things a person does in Slack, each
 * played by the stand-in's SlackDriver, so the bot gets the signed requests real Slack sends.
 */
import type http from 'node:http';
import { escapeText } from '../slack/blocks/markup';
import { COMMAND } from '../slack/ids';
import type { BotAnswer, SlackDriver, SlackStandin, StandinEvent, StoredView } from '../slack-standin';
import { findElement } from '../slack-standin/payloads';
import type { AsyncHandler } from '../support/http-server';
import {
  consoleLinks,
  failedCommandNotice,
  MESSAGE_NOTICE,
  readComposer,
  unknownCommandNotice,
} from './composer';
import { pageHtml } from './page';
import type { Presenter } from './present';
import { elementState, type PageInput, stateValues } from './view-state';

export interface PageServerDeps {
  standin: SlackStandin;
  /** Acts as the person looking at the page. */
  driver: SlackDriver;
  presenter: Presenter;
  /** The app's shortcuts, as the manifest names them. */
  shortcuts: { global: { callbackId: string; name: string }; message: { callbackId: string; name: string } };
  /** Starts a live run of one of the simulator's demo jobs; returns its instance id. */
  startRun(job: string): string;
  liveJobs: { job: string; note: string }[];
}

type Json = Record<string, unknown>;

class BadRequest extends Error {}

const MAX_BODY = 1_000_000;
const HEARTBEAT_MS = 15_000;

async function readJson(req: http.IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BadRequest('body too large');
    chunks.push(chunk as Buffer);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Json;
  } catch {
    // answered below
  }
  throw new BadRequest('expected a JSON object');
}

function text(body: Json, name: string, optional: true): string | undefined;
function text(body: Json, name: string): string;
function text(body: Json, name: string, optional?: boolean): string | undefined {
  const value = body[name];
  if (typeof value === 'string') return value;
  if (value === undefined && optional) return undefined;
  throw new BadRequest(`${name} must be a string`);
}

function inputs(body: Json): PageInput[] {
  const raw = body.inputs;
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new BadRequest('inputs must be a list');
  return raw.map((entry) => {
    const item = (entry ?? {}) as Json;
    const values = Array.isArray(item.values) ? item.values.filter((v) => typeof v === 'string') : undefined;
    return {
      blockId: text(item, 'blockId'),
      actionId: text(item, 'actionId'),
      ...(typeof item.value === 'string' ? { value: item.value } : {}),
      ...(values ? { values } : {}),
    };
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** A file the bot shared, as the stand-in keeps it (Slack's url_private would need the bot token). */
function sendFile(standin: SlackStandin, id: string, res: http.ServerResponse): void {
  const file = standin.file(id);
  const bytes = standin.fileBytes(id);
  if (!file || !bytes) {
    sendJson(res, 404, { ok: false, error: 'file_not_found' });
    return;
  }
  res.writeHead(200, {
    'content-type': file.mimetype,
    'content-length': String(bytes.length),
    'cache-control': 'private, max-age=3600',
    'x-content-type-options': 'nosniff',
  });
  res.end(bytes);
}

/** The page posts JSON from its own origin; a form or another site cannot (no CORS, a preflight we never pass). */
function sameOrigin(req: http.IncomingMessage): boolean {
  const type = String(req.headers['content-type'] ?? '');
  const origin = req.headers.origin;
  return type.startsWith('application/json') && (!origin || origin === `http://${req.headers.host}`);
}

export function pageHandler(deps: PageServerDeps): AsyncHandler {
  const { standin, driver, presenter } = deps;
  const me = presenter.me;
  const notice = (words: string) => ({ ok: true, notice: presenter.notice(words) });

  /** What Slack does with the app's HTTP answer to a command: shown to the person, or in the channel. */
  async function applyCommandAnswer(channel: string, answer: BotAnswer): Promise<Json> {
    if (answer.status !== 200) return notice(failedCommandNotice(COMMAND, answer.status));
    const body = answer.json ?? (answer.body.trim() ? { text: answer.body } : undefined);
    if (!body) return { ok: true };
    await fetch(standin.mintResponseUrl({ channel, user: me }), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { ok: true };
  }

  async function message(body: Json): Promise<Json> {
    const channel = text(body, 'channel');
    const threadTs = text(body, 'threadTs', true);
    if (!standin.workspace.conversation(channel)) throw new BadRequest(`no conversation ${channel}`);
    const typed = readComposer(text(body, 'text'));
    switch (typed.kind) {
      case 'empty':
        return { ok: true };
      case 'unknown_command':
        return notice(unknownCommandNotice(typed.command));
      case 'message': {
        const posted = standin.addMessage({ channel, user: me, text: escapeText(typed.text), threadTs });
        // Links to the hosts the app unfurls (manifest.yml's unfurl_domains): Slack tells the app.
        const links = consoleLinks(typed.text);
        if (links.length === 0) return notice(MESSAGE_NOTICE);
        await driver.linkShared({ links, channel, user: me, ts: posted.ts }).catch(() => undefined);
        return { ok: true };
      }
      case 'command': {
        let answer: BotAnswer;
        try {
          answer = await driver.command(typed.command, typed.text, { channel });
        } catch {
          return notice(failedCommandNotice(typed.command, 0));
        }
        return applyCommandAnswer(channel, answer);
      }
    }
  }

  function view(body: Json): StoredView {
    const id = text(body, 'viewId');
    const found = standin.view(id);
    if (!found) throw new BadRequest(`no view ${id}`);
    return found;
  }

  /** A press or a choice: the element's own value, or what the page chose, as Slack reports it. */
  function actionFields(blocks: unknown, body: Json): { actionId: string; blockId?: string; action?: Json } {
    const actionId = text(body, 'actionId');
    const blockId = text(body, 'blockId', true) || undefined;
    const found = findElement(blocks, actionId, blockId);
    if (!found) throw new BadRequest(`no element ${actionId}`);
    if (found.element.type === 'button') return { actionId, blockId };
    const chosen = body.selected;
    const input: PageInput = {
      blockId: found.blockId,
      actionId,
      ...(Array.isArray(chosen) ? { values: chosen.map(String) } : { value: String(chosen ?? '') }),
    };
    return { actionId, blockId, action: elementState(found.element, input) };
  }

  async function action(body: Json): Promise<Json> {
    let answer: BotAnswer;
    if (body.viewId !== undefined) {
      const shown = view(body);
      answer = await driver.viewAction({
        view: shown,
        values: stateValues(shown.blocks, inputs(body)),
        ...actionFields(shown.blocks, body),
      });
    } else if (body.ephemeral !== undefined) {
      // A confirmation's buttons: the stand-in keeps what each person was shown.
      const ts = text(body, 'ephemeral');
      const shown = standin.ephemerals({ user: me }).find((e) => e.ts === ts);
      if (!shown) throw new BadRequest(`no ephemeral ${ts}`);
      answer = await driver.ephemeralAction({ ephemeral: shown, ...actionFields(shown.blocks, body) });
    } else {
      const channel = text(body, 'channel');
      const ts = text(body, 'ts');
      const stored = standin.message(channel, ts);
      if (!stored) throw new BadRequest(`no message ${ts} in ${channel}`);
      const url = text(body, 'unfurl', true);
      if (url) {
        // A button on a card the bot unfurled into the message.
        const card = standin.unfurls().find((u) => u.channel === channel && u.ts === ts && u.url === url);
        if (!card) throw new BadRequest(`no card of ${url} on ${ts}`);
        answer = await driver.unfurlAction({ unfurl: card, ...actionFields(card.blocks, body) });
      } else
        answer = await driver.blockAction({ message: { channel, ts }, ...actionFields(stored.blocks, body) });
    }
    return { ok: answer.status === 200, status: answer.status };
  }

  async function submit(body: Json): Promise<Json> {
    const shown = view(body);
    const answer = await driver.viewSubmission({
      view: shown,
      values: stateValues(shown.blocks, inputs(body)),
    });
    if (answer.status !== 200) return { ok: false, status: answer.status };
    const errors = answer.json?.response_action === 'errors' ? answer.json.errors : undefined;
    return errors ? { ok: false, errors } : { ok: true };
  }

  async function close(body: Json): Promise<Json> {
    const shown = view(body);
    // Slack tells the app only when the view asked for it.
    if (shown.notify_on_close === true) await driver.viewClosed({ view: shown });
    else standin.closeView(me, shown.id);
    return { ok: true };
  }

  async function messageShortcut(body: Json): Promise<Json> {
    const channel = text(body, 'channel');
    const ts = text(body, 'ts');
    if (!standin.message(channel, ts)) throw new BadRequest(`no message ${ts} in ${channel}`);
    const answer = await driver.messageShortcut(deps.shortcuts.message.callbackId, { channel, ts });
    return { ok: answer.status === 200, status: answer.status };
  }

  async function home(): Promise<Json> {
    const shown = standin.home(me);
    const answer = await driver.event('app_home_opened', {
      user: me,
      channel: standin.workspace.imWith(me).id,
      tab: 'home',
      ...(shown ? { view: shown } : {}),
    });
    return { ok: answer.status === 200, status: answer.status };
  }

  function liveRun(body: Json): Json {
    const job = text(body, 'job');
    if (!deps.liveJobs.some((live) => live.job === job))
      throw new BadRequest(`${job} is not a live demo job`);
    const instanceId = deps.startRun(job);
    return { ok: true, job, instanceId, command: `${COMMAND} ${job} ${instanceId}` };
  }

  const routes: Record<string, (body: Json) => Promise<Json> | Json> = {
    '/api/message': message,
    '/api/action': action,
    '/api/view/submit': submit,
    '/api/view/close': close,
    '/api/shortcut': async () => {
      const answer = await driver.globalShortcut(deps.shortcuts.global.callbackId);
      return { ok: answer.status === 200, status: answer.status };
    },
    '/api/message-shortcut': messageShortcut,
    '/api/home': home,
    '/api/live-run': liveRun,
  };

  const config = {
    command: COMMAND,
    shortcuts: deps.shortcuts,
    liveJobs: deps.liveJobs,
    permalinkBase: `https://${standin.workspace.team.domain}.slack.com/archives/`,
  };

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://playground');
    if (req.method === 'GET' && url.pathname === '/') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        // Images: the page's own files, https, data:, and pictures the bot serves on loopback.
        'content-security-policy':
          "default-src 'self'; img-src 'self' https: data: http://127.0.0.1:* http://localhost:*; style-src 'unsafe-inline'; script-src 'unsafe-inline'",
      });
      res.end(pageHtml(config));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/events') return streamEvents(deps, res);
    const fileId = /^\/files\/(\w+)(?:\/[^/]*)?$/.exec(url.pathname)?.[1];
    if (req.method === 'GET' && fileId) return sendFile(standin, fileId, res);
    if (req.method === 'GET' && url.pathname === '/api/snapshot')
      return sendJson(res, 200, presenter.snapshot());
    const route = routes[url.pathname];
    if (req.method !== 'POST' || !route) {
      req.resume();
      return sendJson(res, 404, { ok: false, error: 'not_found' });
    }
    if (!sameOrigin(req)) {
      req.resume();
      return sendJson(res, 403, { ok: false, error: 'send JSON from the playground page' });
    }
    try {
      sendJson(res, 200, await route(await readJson(req)));
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error;
      sendJson(res, 400, { ok: false, error: error.message });
    }
  };
}

/**
 * A snapshot, then changes. Stand-in listeners run inside its request handling, so each change is only
 * noted there and rendered a moment later, several changes of one thing becoming one update.
 */
async function streamEvents(deps: PageServerDeps, res: http.ServerResponse): Promise<void> {
  const { standin, presenter } = deps;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
  const pending = new Map<string, () => unknown>();
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const updates = [...pending.values()];
    pending.clear();
    if (res.destroyed) return;
    for (const update of updates) {
      const data = update();
      if (data !== undefined) send(data);
    }
  };
  const note = (key: string, update: () => unknown) => {
    pending.set(key, update);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  const onEvent = (event: StandinEvent) => {
    switch (event.type) {
      case 'message':
      case 'message_changed':
      case 'message_deleted': {
        const { channel, ts } = event.type === 'message_deleted' ? event : event.message;
        note(`message ${channel} ${ts}`, () => {
          const stored = standin.message(channel, ts);
          return stored
            ? { type: 'message', message: presenter.message(stored) }
            : { type: 'deleted', channel, ts };
        });
        return;
      }
      case 'unfurl': {
        // A card attached to (or redrawn on) a posted message: the message is shown again with it.
        const { channel, ts } = event;
        if (channel && ts)
          note(`message ${channel} ${ts}`, () => {
            const stored = standin.message(channel, ts);
            return stored ? { type: 'message', message: presenter.message(stored) } : undefined;
          });
        return;
      }
      case 'ephemeral': {
        const { ephemeral } = event;
        if (ephemeral.user === presenter.me)
          note(`ephemeral ${ephemeral.ts}`, () => ({
            type: 'ephemeral',
            ephemeral: presenter.ephemeral(ephemeral),
          }));
        return;
      }
      case 'home_published':
        if (event.user === presenter.me) note('home', () => ({ type: 'home', home: presenter.home() }));
        return;
      case 'view_opened':
      case 'view_pushed':
      case 'view_updated':
      case 'view_closed':
        if (event.user === presenter.me) note('modal', () => ({ type: 'modal', modal: presenter.modal() }));
        return;
      default:
        return;
    }
  };
  const unsubscribe = standin.subscribe(onEvent);
  send({ type: 'snapshot', snapshot: presenter.snapshot() });
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS).unref();
  await new Promise<void>((resolve) => res.once('close', resolve));
  clearInterval(heartbeat);
  unsubscribe();
}
