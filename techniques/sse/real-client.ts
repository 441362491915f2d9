/**
 * The `eventsource` package as a real client: what a browser-like EventSource
 * makes of a server's stream, reconnections and Last-Event-ID included. Its
 * requests go through pushspec's own connector, so a scenario can cut the
 * connection from the network side (a client-side abort would stop the client
 * for good instead of making it reconnect).
 */
import type { Socket } from 'node:net';
import { EventSource, type EventSourceFetchInit } from 'eventsource';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { Signal, waitUntil } from '../../core/wait.ts';
import type { Transcript } from '../../core/transcript.ts';

/** One request the client made: the first connection or a reconnection. */
export interface RealClientRequest {
  atMs: number;
  lastEventId?: string;
  status?: number;
  contentType?: string;
}

export interface RealClientMessage {
  type: string;
  data: string;
  lastEventId: string;
  atMs: number;
}

export class RealSseClient {
  readonly requests: RealClientRequest[] = [];
  readonly messages: RealClientMessage[] = [];
  readonly errors: { atMs: number; code?: number; message?: string }[] = [];
  /** When the connection was last cut by the scenario. */
  cutAtMs: number | undefined;
  private readonly source: EventSource;
  private readonly sockets = new Set<Socket>();
  private readonly agent: Agent;
  private readonly transcript: Transcript;
  private readonly actor: string;
  /** Notifies whenever the client sees something: a request, an answer, an event, an error. */
  private readonly changes = new Signal();

  /** Opens `url`; `types` are the named events to listen for besides `message`. */
  constructor(url: string, options: { transcript: Transcript; actor: string; types?: readonly string[]; expand?: (message: { type: string; data: string; lastEventId: string }) => string[] }) {
    this.transcript = options.transcript;
    this.actor = options.actor;
    const connect = buildConnector({});
    this.agent = new Agent({
      connect: (opts, callback) =>
        connect(opts, (error, socket) => {
          if (socket) {
            this.sockets.add(socket as Socket);
            socket.on('close', () => this.sockets.delete(socket as Socket));
          }
          callback(error, socket as never);
        }),
    });
    this.source = new EventSource(url, { fetch: (input, init) => this.fetch(input, init) });
    const onMessage = (event: MessageEvent): void => {
      const atMs = this.transcript.now();
      const message = { type: event.type, data: String(event.data), lastEventId: event.lastEventId };
      for (const data of options.expand?.(message) ?? [message.data]) this.messages.push({ ...message, data, atMs });
      this.changed();
    };
    for (const type of ['message', ...(options.types ?? [])]) this.source.addEventListener(type, onMessage as never);
    this.source.addEventListener('error', (event) => {
      const { code, message } = event as { code?: number; message?: string };
      this.errors.push({ atMs: this.transcript.now(), ...(code !== undefined ? { code } : {}), ...(message !== undefined ? { message } : {}) });
      this.changed();
    });
    this.source.addEventListener('open', () => this.changed());
  }

  /** 0 connecting, 1 open, 2 closed for good. */
  get readyState(): number {
    return this.source.readyState;
  }

  /** Cuts the connection under the client, as a network failure would. */
  cutConnection(): void {
    this.cutAtMs = this.transcript.now();
    for (const socket of this.sockets) socket.destroy();
  }

  /** Resolves once `done()` holds, looked at whenever the client sees something; fails after `deadlineMs`. */
  waitUntil(done: () => boolean, deadlineMs: number, what: string, state: () => string): Promise<void> {
    return waitUntil(done, { what, deadlineMs, seen: state, signal: this.changes });
  }

  /** A line on what the client has seen, for "Actual:" texts. */
  describe(): string {
    const states = ['connecting', 'open', 'closed for good'];
    return `the real client made ${this.requests.length} request(s), received ${this.messages.length} event(s), saw ${this.errors.length} error(s), and is ${states[this.readyState] ?? 'unknown'}`;
  }

  async close(): Promise<void> {
    this.source.close();
    this.changes.clear();
    await this.agent.destroy();
  }

  private changed(): void {
    this.changes.notify();
  }

  /** Every request the client makes passes here: recorded, then sent through this client's own connector. */
  private async fetch(input: string | URL, init: EventSourceFetchInit) {
    const headers = init.headers as Record<string, string>;
    const request: RealClientRequest = { atMs: this.transcript.now(), ...(headers['Last-Event-ID'] !== undefined ? { lastEventId: headers['Last-Event-ID'] } : {}) };
    this.requests.push(request);
    this.transcript.note(`${this.actor}: GET ${new URL(String(input)).pathname}${request.lastEventId !== undefined ? ` with Last-Event-ID ${JSON.stringify(request.lastEventId)}` : ''} at +${Math.round(request.atMs)} ms`);
    this.changed();
    const response = await undiciFetch(input, { ...init, dispatcher: this.agent } as never);
    request.status = response.status;
    const type = response.headers.get('content-type');
    if (type !== null) request.contentType = type;
    this.changed();
    return response;
  }
}
