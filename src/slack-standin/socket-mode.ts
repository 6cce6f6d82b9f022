/**
 * Slack's side of Socket Mode, as Slack documents it and @slack/socket-mode expects it: apps.connections.open
 * hands out single-use WebSocket links; each connection is greeted with `hello`, pinged, sent envelopes, and
 * asked with `disconnect` to go away (the client then opens a new link). Every ack is kept with its envelope,
 * so a test can prove each envelope was acknowledged exactly once.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { SlackAnswer } from './model';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** `warning` comes some seconds before a refresh; `link_disabled` when Socket Mode was turned off for the app. */
export type DisconnectReason = 'warning' | 'refresh_requested' | 'link_disabled';

export interface SocketModeOptions {
  /** The app-level token (xapp-…) that apps.connections.open accepts. */
  appToken: string;
  appId: string;
  clock: () => number;
  /** How often the stand-in pings each connection; one that has not answered the last ping is dropped. */
  pingIntervalMs?: number;
  /** How long a connection told to disconnect may linger before the stand-in closes it (Slack: ~10 s). */
  disconnectGraceMs?: number;
  /** How long an envelope waits for its ack before the sender is told it timed out (Slack: 3 s). */
  ackTimeoutMs?: number;
  /** How long an envelope waits for an open connection (the client reconnects after a delay of its own). */
  connectTimeoutMs?: number;
}

export interface SocketConnection {
  id: number;
  openedAt: number;
  closedAt?: number;
  /** The `disconnect` sent to it, if any: no envelope goes to it after that. */
  disconnect?: DisconnectReason;
  /** Pings the stand-in sent, pongs the client answered, pings the client sent (answered by ws itself). */
  pingsSent: number;
  pongsReceived: number;
  pingsReceived: number;
}

export interface EnvelopeAck {
  at: number;
  connection: number;
  /** The ack's payload: what an HTTP response body would carry (absent when the app sent none). */
  payload?: Record<string, unknown>;
}

export interface SentEnvelope {
  envelopeId: string;
  type: EnvelopeType;
  connection: number;
  retryAttempt: number;
  sentAt: number;
  /** Every ack that named this envelope, in order: exactly one is right. */
  acks: EnvelopeAck[];
}

export interface EnvelopeInput {
  type: EnvelopeType;
  payload: Record<string, unknown>;
  /** Events only: a redelivery (Slack counts from 0 and names why, e.g. `timeout`). */
  retry?: { num: number; reason: string };
}

export type EnvelopeOutcome = { acked: true; ack: EnvelopeAck } | { acked: false; envelopeId: string };

interface Link {
  connection: SocketConnection;
  socket: WebSocket;
  /** Whether the last ping was answered. */
  alive: boolean;
  graceTimer?: NodeJS.Timeout;
}

export class SocketModeHub {
  readonly appToken: string;
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly links = new Map<number, Link>();
  private readonly all: SocketConnection[] = [];
  private readonly sent = new Map<string, SentEnvelope>();
  private readonly waiting = new Map<string, (ack: EnvelopeAck) => void>();
  private readonly connectWaiters = new Set<() => void>();
  private readonly strays: unknown[] = [];
  private readonly pinger: NodeJS.Timeout;
  private nextConnection = 1;
  private turn = 0;
  private wsBase = '';

  constructor(private readonly options: SocketModeOptions) {
    this.appToken = options.appToken;
    this.pinger = setInterval(() => this.pingAll(), options.pingIntervalMs ?? 10_000).unref();
  }

  /** Where links point: the stand-in's own address, ws:// instead of http://. */
  bind(httpUrl: string): void {
    this.wsBase = httpUrl.replace(/^http/, 'ws');
  }

  /** apps.connections.open, its token already checked: a fresh single-use link. */
  openLink(): SlackAnswer {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return { ok: true, url: `${this.wsBase}/link/?ticket=${ticket}&app_id=${this.options.appId}` };
  }

  /** The HTTP server's `upgrade` event: a link's ticket is good once; anything else is refused. */
  upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://standin');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/link/' || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    this.server.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  /**
   * Sends an envelope on an open connection (round robin among those not told to disconnect, waiting for one
   * if none is open) and resolves with its ack, or says it was not acked in time.
   */
  async deliver(input: EnvelopeInput): Promise<EnvelopeOutcome> {
    const link = await this.readyLink();
    const envelopeId = randomUUID();
    const events = input.type === 'events_api';
    const envelope: SentEnvelope = {
      envelopeId,
      type: input.type,
      connection: link.connection.id,
      retryAttempt: input.retry?.num ?? 0,
      sentAt: this.options.clock(),
      acks: [],
    };
    this.sent.set(envelopeId, envelope);
    const acked = new Promise<EnvelopeAck | undefined>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(envelopeId);
        resolve(undefined);
      }, this.options.ackTimeoutMs ?? 3_000).unref();
      this.waiting.set(envelopeId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
    link.socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type: input.type,
        payload: input.payload,
        // Slack accepts a response payload in the ack of commands and interactions, not of events.
        accepts_response_payload: !events,
        ...(events ? { retry_attempt: envelope.retryAttempt, retry_reason: input.retry?.reason ?? '' } : {}),
      }),
    );
    const ack = await acked;
    return ack ? { acked: true, ack } : { acked: false, envelopeId };
  }

  /** Sends `disconnect` to one connection, or to every open one; each is closed after the grace period. */
  disconnect(reason: DisconnectReason, connectionId?: number): void {
    for (const link of this.links.values()) {
      if (connectionId !== undefined && link.connection.id !== connectionId) continue;
      link.connection.disconnect = reason;
      link.socket.send(
        JSON.stringify({ type: 'disconnect', reason, debug_info: { host: host(link.connection.id) } }),
      );
      clearTimeout(link.graceTimer);
      link.graceTimer = setTimeout(
        () => link.socket.close(1000),
        this.options.disconnectGraceMs ?? 10_000,
      ).unref();
    }
  }

  /** Every connection so far, oldest first (closed ones have `closedAt`). */
  connections(): SocketConnection[] {
    return this.all.map((connection) => ({ ...connection }));
  }

  openConnections(): SocketConnection[] {
    return this.connections().filter((connection) => connection.closedAt === undefined);
  }

  /** Every envelope sent, oldest first, with its acks. */
  envelopes(): SentEnvelope[] {
    return [...this.sent.values()].map((envelope) => ({ ...envelope, acks: [...envelope.acks] }));
  }

  /** Messages from clients that were not acks of a sent envelope (unparsable, or naming no known envelope). */
  strayMessages(): unknown[] {
    return [...this.strays];
  }

  /** Drops every connection at once (the stand-in is going away) and stops pinging. */
  close(): void {
    clearInterval(this.pinger);
    for (const link of this.links.values()) link.socket.terminate();
    this.server.close();
  }

  private accept(socket: WebSocket): void {
    const connection: SocketConnection = {
      id: this.nextConnection++,
      openedAt: this.options.clock(),
      pingsSent: 0,
      pongsReceived: 0,
      pingsReceived: 0,
    };
    const link: Link = { connection, socket, alive: true };
    this.all.push(connection);
    this.links.set(connection.id, link);
    socket.on('pong', () => {
      link.alive = true;
      connection.pongsReceived += 1;
    });
    socket.on('ping', () => {
      connection.pingsReceived += 1;
    });
    socket.on('message', (data, isBinary) => this.receive(connection.id, data, isBinary));
    socket.on('close', () => {
      connection.closedAt = this.options.clock();
      clearTimeout(link.graceTimer);
      this.links.delete(connection.id);
    });
    socket.on('error', () => socket.terminate());
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.links.size,
        debug_info: {
          host: host(connection.id),
          build_number: 1,
          approximate_connection_time: 18_060,
        },
        connection_info: { app_id: this.options.appId },
      }),
    );
    for (const wake of this.connectWaiters) wake();
  }

  private receive(connectionId: number, data: RawData, isBinary: boolean): void {
    let message: unknown;
    try {
      message = isBinary ? undefined : JSON.parse(data.toString());
    } catch {
      message = undefined;
    }
    const fields = (message ?? {}) as { envelope_id?: unknown; payload?: unknown };
    const envelope = typeof fields.envelope_id === 'string' ? this.sent.get(fields.envelope_id) : undefined;
    if (!envelope) {
      this.strays.push(message ?? data.toString());
      return;
    }
    const ack: EnvelopeAck = { at: this.options.clock(), connection: connectionId };
    if (fields.payload && typeof fields.payload === 'object')
      ack.payload = fields.payload as Record<string, unknown>;
    envelope.acks.push(ack);
    this.waiting.get(envelope.envelopeId)?.(ack);
    this.waiting.delete(envelope.envelopeId);
  }

  private pingAll(): void {
    for (const link of this.links.values()) {
      if (!link.alive) {
        link.socket.terminate();
        continue;
      }
      link.alive = false;
      link.connection.pingsSent += 1;
      link.socket.ping(Buffer.from(`ping ${randomBytes(4).toString('hex')}`));
    }
  }

  private async readyLink(): Promise<Link> {
    // Real time, not the stand-in's clock (a test may freeze that one).
    const deadline = Date.now() + (this.options.connectTimeoutMs ?? 15_000);
    for (;;) {
      const ready = [...this.links.values()].filter((link) => !link.connection.disconnect);
      if (ready.length > 0) {
        this.turn += 1;
        return ready[this.turn % ready.length]!;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('No Socket Mode connection is open: is the app running in Socket Mode?');
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.connectWaiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left).unref();
        this.connectWaiters.add(wake);
      });
    }
  }
}

function host(connectionId: number): string {
  return `applink-standin-${connectionId}`;
}
