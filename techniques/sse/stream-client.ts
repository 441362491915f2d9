/**
 * The strict Server-Sent Events client: one GET read as a stream, every chunk
 * recorded with its arrival time and parsed by {@link SseParser}, so a check
 * sees exactly what the server sent (a conforming library would hide it).
 * Every wait has a deadline (core/wait.ts): a stalled stream or an endless
 * line becomes a failed wait or a finding, never a hang.
 */
import { getGlobalDispatcher, type Dispatcher } from 'undici';
import { createBrotliDecompress, createGunzip, createInflate, constants as zlib } from 'node:zlib';
import type { Readable, Transform } from 'node:stream';
import { missedDeadline, Signal, waitUntil } from '../../core/wait.ts';
import type { Transcript } from '../../core/transcript.ts';
import type { StreamRecord } from '../../core/evidence.ts';
import { describeError, flattenHeaders, httpRequestFailed } from '../../core/http.ts';
import { capName, readCapBytes } from '../../core/read-cap.ts';
import type { StreamView } from './checks.ts';
import { SseParser, type SseComment, type SseEvent, type SseFinding, type SseRetry } from './parser.ts';
import { ChunkKeeper } from './stream-record.ts';

/** Findings kept per stream; a server repeating one mistake a million times costs a count, not memory. */
export const SSE_FINDING_CAP = 200;

export interface SseStreamOptions {
  url: string;
  /** Sent as well as `accept: text/event-stream` (which they may override); names are lower-cased. */
  headers?: Record<string, string>;
  /** Who reads it, for the transcript: `client alice`. */
  actor: string;
  transcript: Transcript;
  /** The response head must arrive within this many milliseconds. */
  headersDeadlineMs: number;
  /** Defaults to undici's global dispatcher. */
  dispatcher?: Dispatcher;
  maxLineBytes?: number;
  /**
   * The messages one event carries, as events of their own (an adapter's
   * decoder: SockJS's `a["x","y"]` is two). Without it each event is one message.
   */
  expand?: (event: SseEvent) => SseEvent[];
}

/** One open stream and everything read from it so far; see {@link SseStreamClient.open}. */
export class SseStreamClient {
  readonly startedAtMs: number;
  status: number | undefined;
  /** Lower-case names, repeated headers joined with ", ". */
  headers: Record<string, string> = {};
  headersAtMs: number | undefined;
  readonly events: SseEvent[] = [];
  /**
   * When each event was dispatched, before an adapter's decoder expanded it:
   * an envelope event that carries no message (SockJS's heartbeat `h`) still
   * breaks the stream's silence.
   */
  readonly dispatchedAtMs: number[] = [];
  readonly comments: SseComment[] = [];
  readonly retries: SseRetry[] = [];
  /** The first {@link SSE_FINDING_CAP} findings; the rest are counted in `omittedFindings`. */
  readonly findings: SseFinding[] = [];
  omittedFindings = 0;
  bytesReceived = 0;
  lastChunkAtMs: number | undefined;
  ended = false;
  /** "closed by the server", "closed by the client" or "error: …". */
  endReason: string | undefined;
  endedAtMs: number | undefined;

  private readonly options: SseStreamOptions;
  /** The most bytes read from this stream (core/read-cap.ts). */
  private readonly readCap = readCapBytes();

  /** The URL the stream was opened with (a session's values filled in). */
  get url(): string {
    return this.options.url;
  }
  private readonly record: StreamRecord;
  private readonly parser: SseParser;
  private readonly controller = new AbortController();
  /** The body as received, then decompressed when it is: the last one is read. */
  private bodies: Readable[] = [];
  private stopped = false;
  /** Notifies after every chunk and at the end: how waits learn of progress without polling. */
  readonly changes = new Signal();
  /** Keeps the bytes in the record, for the report. */
  private readonly kept: ChunkKeeper;

  private constructor(options: SseStreamOptions) {
    this.options = options;
    this.startedAtMs = options.transcript.now();
    const url = new URL(options.url);
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
    this.record = {
      actor: options.actor,
      method: 'GET',
      url: url.pathname + url.search,
      requestHeaders: { host: url.host, ...headers },
      startedAtMs: this.startedAtMs,
      chunks: [],
      omittedChunks: 0,
      omittedBytes: 0,
    };
    options.transcript.recordStream(this.record);
    this.kept = new ChunkKeeper(this.record);
    this.parser = new SseParser({
      onEvent: (event) => {
        this.dispatchedAtMs.push(event.atMs);
        this.events.push(...(options.expand?.(event) ?? [event]));
      },
      onComment: (comment) => void this.comments.push(comment),
      onRetry: (retry) => void this.retries.push(retry),
      onFinding: (finding) => {
        if (this.findings.length < SSE_FINDING_CAP) this.findings.push(finding);
        else this.omittedFindings += 1;
      },
      ...(options.maxLineBytes !== undefined ? { maxLineBytes: options.maxLineBytes } : {}),
    });
  }

  /**
   * Sends `GET url` with `Accept: text/event-stream` and resolves once the
   * response head arrives, whatever its status (the body is read either way).
   * No head within `headersDeadlineMs`, or a failed request, rejects with a failed wait.
   */
  static async open(options: SseStreamOptions): Promise<SseStreamClient> {
    const client = SseStreamClient.begin(options);
    await client.head;
    return client;
  }

  /**
   * Sends the request and returns at once, before the head: for a server that
   * holds its head until there is news. {@link head} settles as `open` would;
   * a failure also ends the stream, so waits on it learn of it.
   */
  static begin(options: SseStreamOptions): SseStreamClient {
    const client = new SseStreamClient(options);
    client.head = client.start();
    client.head.catch(() => undefined); // whoever does not await the head sees the failure as the stream's end
    return client;
  }

  /** Settles when the response head arrives; rejects as {@link open} does. */
  head!: Promise<void>;

  private async start(): Promise<void> {
    const { transcript, headersDeadlineMs } = this.options;
    const url = new URL(this.options.url);
    const { host: _host, ...headers } = this.record.requestHeaders;
    const what = `GET ${this.record.url}`;
    const timer = setTimeout(() => this.controller.abort(), headersDeadlineMs);
    let response: Dispatcher.ResponseData;
    try {
      response = await (this.options.dispatcher ?? getGlobalDispatcher()).request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: 'GET',
        headers,
        signal: this.controller.signal,
        // No idle limit: the waits' deadlines decide how long silence may last.
        bodyTimeout: 0,
      });
    } catch (error) {
      // Closed by the client while the head was still held: the stream already says so.
      if (this.ended) throw httpRequestFailed(`a response to ${what}`, 'the client closed the stream before a response head arrived');
      if (this.controller.signal.aborted) {
        this.finish(`error: no response head within ${headersDeadlineMs} ms; request abandoned`);
        throw missedDeadline(`a response to ${what}`, headersDeadlineMs, `no response head after ${headersDeadlineMs} ms`);
      }
      const reason = describeError(error);
      this.finish(`error: ${reason}`);
      throw httpRequestFailed(`an HTTP response to ${what}`, `the request failed (${reason})`);
    } finally {
      clearTimeout(timer);
    }
    this.headersAtMs = transcript.now();
    this.status = response.statusCode;
    this.headers = flattenHeaders(response.headers);
    Object.assign(this.record, { status: this.status, responseHeaders: this.headers, headersAtMs: this.headersAtMs });
    // A compressed stream is read as a client would: decompressed as bytes arrive (what arrives late is late).
    const decoder = decompressorFor(this.headers['content-encoding']);
    const body = decoder ? response.body.pipe(decoder) : response.body;
    this.bodies = decoder ? [response.body, decoder] : [response.body];
    if (this.stopped) body.pause();
    if (decoder) response.body.on('error', (error: unknown) => decoder.destroy(error as Error));
    body.on('data', (chunk: Buffer) => this.onChunk(chunk));
    body.on('end', () => this.onServerEnd('closed by the server'));
    body.on('error', (error: unknown) => this.onServerEnd(`error: ${describeError(error)}`));
    // Neither end nor error: undici closes a body that way when its HTTP/2 stream was reset while it was not being read.
    body.on('close', () => this.onServerEnd('error: the body closed before its end (the stream was reset)'));
  }

  /** Resolves once `count` events have arrived; fails at the deadline or if the stream ends first. */
  waitForEvents(count: number, deadlineMs: number): Promise<void> {
    return this.waitFor(
      () => this.events.length >= count,
      plural(count, 'event'),
      () => this.describeEvents(),
      deadlineMs,
    );
  }

  /** Resolves once an event `done` accepts has arrived; fails at the deadline or if the stream ends first. */
  waitForEvent(done: (event: SseEvent) => boolean, what: string, deadlineMs: number): Promise<void> {
    return this.waitFor(() => this.events.some(done), what, () => this.describeEvents(), deadlineMs);
  }

  /** Resolves once a comment arrives after `afterMs` (a transcript time), e.g. a keep-alive. */
  waitForComment(afterMs: number, deadlineMs: number): Promise<SseComment> {
    const find = (): SseComment | undefined => this.comments.find((comment) => comment.atMs > afterMs);
    return this.waitFor(
      () => find() !== undefined,
      `a comment after ${this.at(afterMs)},`,
      () => {
        const last = this.comments.at(-1);
        return last === undefined ? 'no comment at all' : `no comment since ${this.at(afterMs)} (the last at ${this.at(last.atMs)})`;
      },
      deadlineMs,
    ).then(() => find() as SseComment);
  }

  /** Resolves once the stream has ended, however it ended. */
  waitForEnd(deadlineMs: number): Promise<void> {
    return this.waitFor(() => this.ended, 'the stream to end', () => this.describeEvents(), deadlineMs);
  }

  /**
   * Stops taking the body, as a reader that no longer reads: what arrives
   * waits in the HTTP library's buffers, which then push back (over HTTP/2,
   * the stream's flow-control window is not given back). The stream stays open.
   */
  stopReading(): void {
    this.stopped = true;
    this.bodies.at(-1)?.pause();
  }

  /** Takes the body again after {@link stopReading}. */
  resumeReading(): void {
    this.stopped = false;
    this.bodies.at(-1)?.resume();
  }

  /** Body bytes the HTTP library took from the connection: those read, and those waiting unread in its buffers. */
  get bytesTaken(): number {
    return this.bytesReceived + this.bodies.reduce((sum, b) => sum + b.readableLength, 0);
  }

  /** Walks away from the stream: aborts the request. Idempotent; a stream that already ended stays as it ended. */
  close(): void {
    if (this.ended) return;
    this.finish('closed by the client');
    this.controller.abort();
  }

  /** "+120 ms": a transcript time relative to when the request was sent. */
  private at(atMs: number): string {
    return `+${Math.round(atMs - this.startedAtMs)} ms`;
  }

  /** What arrived so far and the stream's state, for a failure's "actual". */
  private describeEvents(): string {
    const last = this.events.at(-1);
    const events = last === undefined ? 'no events' : `${plural(this.events.length, 'event')}, the last at ${this.at(last.atMs)}`;
    const quiet = this.lastChunkAtMs ?? this.headersAtMs ?? this.startedAtMs;
    const state = this.ended
      ? `the stream ended at ${this.at(this.endedAtMs ?? quiet)} (${this.endReason})`
      : `the stream is still open, silent since ${this.at(quiet)}${this.lastChunkAtMs === undefined ? ' (no bytes at all)' : ''}`;
    return `${events}; ${state}`;
  }

  /** Resolves once `done()` holds, looked at after every chunk; fails at the deadline or when the stream ends first. */
  private waitFor(done: () => boolean, what: string, seen: () => string, deadlineMs: number): Promise<void> {
    return waitUntil(done, { what, deadlineMs, seen, signal: this.changes, endedFirst: () => (this.ended ? seen() : undefined) });
  }

  private onChunk(chunk: Buffer): void {
    if (this.ended) return;
    const atMs = this.options.transcript.now();
    this.bytesReceived += chunk.length;
    if (this.bytesReceived > this.readCap) {
      // An endless stream (or one line without end) stops here: its waits end now, naming the cap, and memory stays bounded.
      this.finish(`stopped by pushspec: more than ${capName(this.readCap)} received`);
      this.controller.abort();
      return;
    }
    this.lastChunkAtMs = atMs;
    this.kept.keep(chunk, atMs);
    this.parser.feed(chunk, atMs);
    this.notify();
  }

  private onServerEnd(reason: string): void {
    if (this.ended) return; // closed by the client: the abort's error is ours, not the server's
    this.parser.end(this.options.transcript.now());
    this.finish(reason);
  }

  private finish(reason: string): void {
    this.ended = true;
    this.endReason = reason;
    this.endedAtMs = this.options.transcript.now();
    Object.assign(this.record, { endedAtMs: this.endedAtMs, end: reason });
    this.notify();
  }

  private notify(): void {
    this.changes.notify();
  }

  /** What the stream has shown so far, as the checks read it: a copy, unchanged by what arrives later. */
  view(): StreamView {
    return {
      ...(this.status !== undefined ? { status: this.status } : {}),
      headers: { ...this.headers },
      startedAtMs: this.startedAtMs,
      ...(this.headersAtMs !== undefined ? { headersAtMs: this.headersAtMs } : {}),
      events: [...this.events],
      findings: [...this.findings],
      retries: [...this.retries],
    };
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** A streaming decompressor for a Content-Encoding, flushing whatever it can decode as soon as it arrives. */
function decompressorFor(encoding: string | undefined): Transform | undefined {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip({ finishFlush: zlib.Z_SYNC_FLUSH });
    case 'deflate':
      return createInflate({ finishFlush: zlib.Z_SYNC_FLUSH });
    case 'br':
      return createBrotliDecompress({ finishFlush: zlib.BROTLI_OPERATION_FLUSH });
    default:
      return undefined;
  }
}
