/**
 * The `eventsource` package as a real client: what a browser-like EventSource
 * makes of a server's stream, reconnections and Last-Event-ID included. Its
 * requests go through pushspec's own connector, so a scenario can cut the
 * connection from the network side (a client-side abort would stop the client
 * for good instead of making it reconnect). Each request it makes is recorded
 * as a stream in the transcript, bytes and arrival times included, so the
 * report shows the first request, the reconnection and what was replayed.
 */
import { versionedConnector, type HttpVersion } from '../../core/http-version.ts';
import type { Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { EventSource, type EventSourceFetchInit, type FetchLikeResponse } from 'eventsource';
import { Agent, fetch as undiciFetch } from 'undici';
import type { StreamRecord } from '../../core/evidence.ts';
import { describeError } from '../../core/http.ts';
import { capName, readCapBytes } from '../../core/read-cap.ts';
import { Signal, waitUntil } from '../../core/wait.ts';
import type { Transcript } from '../../core/transcript.ts';
import { ChunkKeeper } from './stream-record.ts';

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
  /** Set when a stream passed pushspec's read cap: the client was closed for good, saying so. */
  stoppedAtCap: string | undefined;
  /** The most bytes read over all of this client's requests (core/read-cap.ts). */
  private readonly readCap = readCapBytes();
  private bytesRead = 0;
  private readonly source: EventSource;
  private readonly sockets = new Set<Socket>();
  private readonly agent: Agent;
  private readonly transcript: Transcript;
  private readonly actor: string;
  /** Notifies whenever the client sees something: a request, an answer, an event, an error. */
  private readonly changes = new Signal();

  /** Opens `url`; `types` are the named events to listen for besides `message`. */
  constructor(
    url: string,
    options: { transcript: Transcript; actor: string; types?: readonly string[]; expand?: (message: { type: string; data: string; lastEventId: string }) => string[]; tls?: ConnectionOptions; version?: HttpVersion },
  ) {
    this.transcript = options.transcript;
    this.actor = options.actor;
    const version = options.version ?? '1.1';
    const connect = versionedConnector({ version, tls: options.tls ?? {}, onConnection: (origin, how) => this.transcript.note(`${this.actor} connects to ${origin}: ${how}`),
      onHeaderBlock: (block) => this.transcript.recordH2HeaderBlock(block),
    });
    this.agent = new Agent({
      allowH2: version === '2',
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
    // With an error, as a network failure comes: undici's HTTP/2 client (7.30) throws a TypeError of its own when its
    // socket closes without one (it reads the address of a socket it has already let go).
    for (const socket of this.sockets) socket.destroy(new Error('connection cut by pushspec (a simulated network failure)'));
  }

  /**
   * Resolves once `done()` holds, looked at whenever the client sees something; fails after `deadlineMs`,
   * or at once when the client is closed for good (it will make no more requests) and `done()` does not hold.
   */
  waitUntil(done: () => boolean, deadlineMs: number, what: string, state: () => string): Promise<void> {
    return waitUntil(done, { what, deadlineMs, seen: state, signal: this.changes, endedFirst: () => (this.stoppedAtCap !== undefined || this.readyState === 2 ? state() : undefined) });
  }

  /** A line on what the client has seen, for "Actual:" texts. */
  describe(): string {
    const states = ['connecting', 'open', 'closed for good'];
    const state = this.stoppedAtCap ?? states[this.readyState] ?? 'unknown';
    return `the real client made ${this.requests.length} request(s), received ${this.messages.length} event(s), saw ${this.errors.length} error(s), and is ${state}`;
  }

  async close(): Promise<void> {
    this.source.close();
    this.changes.clear();
    await this.agent.destroy();
  }

  private changed(): void {
    this.changes.notify();
  }

  /**
   * Every request the client makes passes here: recorded (the request, its
   * answer's head, and every byte the client reads, as the strict reader's
   * streams are), then sent through this client's own connector.
   */
  private async fetch(input: string | URL, init: EventSourceFetchInit): Promise<FetchLikeResponse> {
    const headers = init.headers as Record<string, string>;
    const url = new URL(String(input));
    const request: RealClientRequest = { atMs: this.transcript.now(), ...(headers['Last-Event-ID'] !== undefined ? { lastEventId: headers['Last-Event-ID'] } : {}) };
    this.requests.push(request);
    const record: StreamRecord = {
      actor: this.actor,
      method: 'GET',
      url: url.pathname + url.search,
      requestHeaders: { host: url.host, ...Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])) },
      startedAtMs: request.atMs,
      chunks: [],
      omittedChunks: 0,
      omittedBytes: 0,
    };
    this.transcript.recordStream(record);
    this.changed();
    let response: Response;
    try {
      response = (await undiciFetch(input, { ...init, dispatcher: this.agent } as never)) as unknown as Response;
    } catch (error) {
      this.end(record, error);
      throw error;
    }
    request.status = response.status;
    const type = response.headers.get('content-type');
    if (type !== null) request.contentType = type;
    Object.assign(record, { status: response.status, responseHeaders: Object.fromEntries(response.headers), headersAtMs: this.transcript.now() });
    this.changed();
    const { status, redirected, headers: head } = response;
    return { status, redirected, url: response.url, headers: head, body: response.body === null ? null : this.recorded(response.body, record) };
  }

  /** `body` as the client reads it, each chunk kept in `record` with its arrival time, and how it ended. */
  private recorded(body: ReadableStream<Uint8Array>, record: StreamRecord): ReadableStream<Uint8Array> {
    const reader = body.getReader();
    const kept = new ChunkKeeper(record);
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        try {
          const { done, value } = await reader.read();
          if (done) {
            this.end(record, undefined);
            controller.close();
            return;
          }
          this.bytesRead += value.length;
          if (this.bytesRead > this.readCap) {
            // An endless stream, or an endless line the library would buffer whole: stop for good, naming the cap.
            this.stoppedAtCap = `stopped by pushspec after more than ${capName(this.readCap)}`;
            this.end(record, this.stoppedAtCap);
            controller.close();
            await reader.cancel();
            this.source.close();
            this.changed();
            return;
          }
          kept.keep(value, this.transcript.now());
          controller.enqueue(value);
        } catch (error) {
          this.end(record, error);
          controller.error(error);
        }
      },
      cancel: async (reason) => {
        this.end(record, 'closed by the client');
        await reader.cancel(reason);
      },
    });
  }

  /** Notes in `record` how its stream ended: the server closed it (no error), the client did, or the connection failed. */
  private end(record: StreamRecord, how: unknown): void {
    if (record.endedAtMs !== undefined) return;
    const aborted = how instanceof Error && how.name === 'AbortError';
    // The scenario cuts the socket under the client to make it reconnect: say so, rather than show the socket's error.
    const cut = this.cutAtMs !== undefined && this.cutAtMs >= record.startedAtMs;
    const end =
      how === undefined ? 'closed by the server'
      : typeof how === 'string' ? how
      : aborted ? 'closed by the client'
      : cut ? 'connection cut by the scenario (a network failure)'
      : `error: ${describeError(how)}`;
    Object.assign(record, { endedAtMs: this.transcript.now(), end });
  }
}
