/**
 * The open Server-Sent Events streams and everything that happens to them
 * after their head is sent: the `retry:` field, the replay after a
 * `Last-Event-ID` (with a `gap` event when part of it was evicted), live
 * messages, keep-alive comments while idle, dropping a client that does not
 * read, and ending streams when their channel closes or the server shuts
 * down. No fastify here: a stream is a channel and a writable (node's
 * ServerResponse in the server), so this can be tested on its own;
 * routes/sse.ts checks the request and writes the head.
 *
 * Like held-polls.ts, each channel with open streams has exactly one store
 * listener, which formats a message once and writes the same bytes to every
 * stream of the channel.
 */
import { finished, type Writable } from 'node:stream';
import type { ChannelStore, StoredMessage } from '../channel-store.ts';
import { KEEP_ALIVE, formatGap, formatMessage, formatRetry } from './format.ts';

/** Reconnection time sent in `retry:` unless configured otherwise, in ms (what browsers use anyway). */
export const DEFAULT_SSE_RETRY_MS = 3000;
/** Upper bound of `sseRetryMs` and `sseKeepAliveMs`: one hour. */
export const MAX_SSE_INTERVAL_MS = 3_600_000;
/** Idle time before a keep-alive comment unless configured otherwise, in ms: well below common 30–60 s proxy timeouts. */
export const DEFAULT_SSE_KEEP_ALIVE_MS = 15_000;
/** Lower bound of `sseKeepAliveMs`: anything shorter is a busy loop, not a keep-alive. */
export const MIN_SSE_KEEP_ALIVE_MS = 50;
/** Unsent bytes one stream may queue before its client is dropped, unless configured otherwise: 4 MiB. */
export const DEFAULT_SSE_MAX_BUFFER_BYTES = 4_194_304;
/** Lower bound of `sseMaxBufferBytes`. */
export const MIN_SSE_MAX_BUFFER_BYTES = 1024;

/** Options of {@link SseStreams}; options.ts checks their ranges. */
export interface SseStreamsOptions {
  /** Sent as `retry:` when a stream opens; 0 = send none. */
  retryMs: number;
  /** A keep-alive comment is written whenever a stream has been silent this long. */
  keepAliveMs: number;
  /** Past this many unsent bytes on one stream, its connection is destroyed. */
  maxBufferBytes: number;
}

/** Where a new stream starts. */
export interface StreamStart {
  /**
   * The client's last event id, a valid cursor no greater than the channel's
   * latest id (routes/sse.ts checks both): every retained message after it
   * is replayed first. Absent: live messages only, from now on.
   */
  lastEventId?: string;
}

interface Stream {
  readonly sink: Writable;
  readonly group: ChannelStreams;
  readonly timer: ReturnType<typeof setTimeout>;
  /** Id of the last message written to this stream (the client's last event id once it reads it). */
  lastId: number;
  /**
   * True while history is being replayed, paced by the client reading it.
   * The store listener skips the stream meanwhile: a message published then
   * is in the history, and the replay writes it in order.
   */
  replaying: boolean;
  /** False once ended, dropped or gone: every way out checks it, so each stream ends once. */
  active: boolean;
}

/** The open streams of one channel and the single store listener serving them. */
interface ChannelStreams {
  readonly channel: string;
  readonly streams: Set<Stream>;
  unsubscribe: () => void;
}

/** Open SSE streams, indexed by channel. */
export class SseStreams {
  readonly #store: ChannelStore;
  readonly #options: SseStreamsOptions;
  readonly #channels = new Map<string, ChannelStreams>();
  /** Live streams written to during this turn of the event loop, checked for slowness once it has flushed. */
  readonly #written = new Set<Stream>();
  #checkScheduled = false;
  #count = 0;
  #dropped = 0;
  #closed = false;
  /**
   * The last broadcast, for the benchmarks (bench/servers/reference.ts
   * `stats`): how many streams it wrote to, and its loop's time in ms. With
   * `timeFlush` set (only the benchmark sets it), `flushedMs` also counts the
   * socket writes node defers to the end of the tick (an HTTP response corks
   * its socket until then), read at the next setImmediate. Two clock reads
   * per publish, nothing per stream.
   */
  readonly lastBroadcast = { subscribers: 0, ms: 0, flushedMs: 0, timeFlush: false };

  constructor(store: ChannelStore, options: SseStreamsOptions) {
    this.#store = store;
    this.#options = { ...options };
    // One close listener for all channels: closing a channel ends its streams.
    store.onClose((channel) => this.endChannel(channel));
  }

  /** Streams open right now, across all channels; O(1). */
  count(): number {
    return this.#count;
  }

  /** Clients dropped so far because their unsent data passed `maxBufferBytes`. */
  get slowClientsDropped(): number {
    return this.#dropped;
  }

  /**
   * Starts serving a stream whose head has been written: writes `retry:`,
   * replays what the client missed, then every message published on the
   * channel until the stream ends. The history is read and the channel
   * listened to in this same synchronous call, so no message can be lost or
   * sent twice between replay and live. After {@link close}, or on a closed
   * channel, the stream is ended at once instead; a sink already destroyed
   * (the client went away) is left alone.
   */
  open(channel: string, sink: Writable, start: StreamStart = {}): void {
    // A client gone before its stream opened: its 'close' has already fired,
    // so nothing would ever free the stream.
    if (sink.destroyed) return;
    if (this.#closed || this.#store.isClosed(channel)) {
      sink.end();
      return;
    }
    const group = this.#channels.get(channel) ?? this.#watch(channel);
    const timer = setTimeout(() => this.#keepAlive(stream), this.#options.keepAliveMs);
    // A stream never keeps the process alive on its own: its socket does, until close().
    timer.unref();
    const stream: Stream = { sink, group, timer, lastId: 0, replaying: false, active: true };
    group.streams.add(stream);
    this.#count += 1;
    sink.on('close', () => this.#remove(stream));
    if (this.#options.retryMs > 0) this.#write(stream, formatRetry(this.#options.retryMs));
    if (start.lastEventId === undefined) {
      stream.lastId = Number(this.#store.latestId(channel));
    } else {
      stream.lastId = Number(start.lastEventId);
      stream.replaying = true;
      this.#replay(stream);
    }
  }

  /**
   * Ends every stream of `channel` cleanly (the store calls this when the
   * channel is closed). Resolves once each has been flushed or its
   * connection closed; never rejects.
   */
  endChannel(channel: string): Promise<void> {
    const group = this.#channels.get(channel);
    if (group === undefined) return Promise.resolve();
    return Promise.all([...group.streams].map((stream) => this.#end(stream))).then(() => undefined);
  }

  /**
   * Shutdown: ends every open stream cleanly, and from now on every new
   * stream is ended as soon as it opens. Resolves once each has been flushed
   * or its connection closed; never rejects.
   */
  close(): Promise<void> {
    this.#closed = true;
    const ending: Array<Promise<void>> = [];
    for (const group of [...this.#channels.values()]) {
      for (const stream of [...group.streams]) ending.push(this.#end(stream));
    }
    return Promise.all(ending).then(() => undefined);
  }

  /** Starts serving a channel: one store listener for all its streams. */
  #watch(channel: string): ChannelStreams {
    const group: ChannelStreams = { channel, streams: new Set(), unsubscribe: () => {} };
    group.unsubscribe = this.#store.subscribe(channel, (message) => this.#deliver(group, message));
    this.#channels.set(channel, group);
    return group;
  }

  /** A message was published: formatted once, written to every live stream of the channel. */
  #deliver(group: ChannelStreams, message: StoredMessage): void {
    const started = performance.now();
    let written = 0;
    let bytes: Buffer | undefined;
    for (const stream of group.streams) {
      if (stream.replaying) continue;
      bytes ??= Buffer.from(formatMessage(message), 'utf8');
      this.#write(stream, bytes);
      stream.lastId = Number(message.id);
      this.#checkLater(stream);
      written += 1;
    }
    this.lastBroadcast.subscribers = written;
    this.lastBroadcast.ms = performance.now() - started;
    if (this.lastBroadcast.timeFlush) setImmediate(() => (this.lastBroadcast.flushedMs = performance.now() - started));
  }

  /**
   * Writes retained messages after the stream's last id for as long as the
   * connection takes them; when it pushes back, waits for it to drain and
   * reads on from where it stopped, so a long replay never sits in memory
   * at once. Once caught up (in the same synchronous step as the last read)
   * the stream goes live. Messages evicted meanwhile are announced by a
   * `gap` event, never skipped silently.
   */
  #replay(stream: Stream): void {
    while (stream.active) {
      const result = this.#store.read(stream.group.channel, String(stream.lastId));
      if (result.kind === 'expired') {
        this.#write(stream, formatGap(String(stream.lastId), result.oldest));
        stream.lastId = Number(result.oldest) - 1;
        continue;
      }
      if (result.kind === 'ahead' || result.messages.length === 0) {
        // 'ahead' cannot happen (routes/sse.ts refuses such ids, and a closed
        // channel ends its streams before anything reads it); were it to,
        // going live is the safe answer: the client still gets every later message.
        stream.replaying = false;
        return;
      }
      for (const message of result.messages) {
        const more = this.#write(stream, formatMessage(message));
        stream.lastId = Number(message.id);
        if (!more) {
          stream.sink.once('drain', () => this.#replay(stream));
          return;
        }
      }
    }
  }

  /** Writes to a stream that has not ended; the idle timer restarts. Returns false when the connection pushes back. */
  #write(stream: Stream, chunk: string | Buffer): boolean {
    if (!stream.active) return true;
    stream.timer.refresh();
    return stream.sink.write(chunk);
  }

  /** The stream has been silent for keepAliveMs: a comment, unless data is still waiting to be read. */
  #keepAlive(stream: Stream): void {
    if (!stream.active) return;
    if (stream.sink.writableLength > 0) {
      // The client is not reading what it has; a comment would not reach it either.
      stream.timer.refresh();
      return;
    }
    this.#write(stream, KEEP_ALIVE);
  }

  /**
   * Queues the stream for the slow-client check, which runs once per turn of
   * the event loop, after the writes of that turn were handed to the socket:
   * what is still unsent then is what the client did not take.
   */
  #checkLater(stream: Stream): void {
    this.#written.add(stream);
    if (this.#checkScheduled) return;
    this.#checkScheduled = true;
    setImmediate(() => {
      this.#checkScheduled = false;
      for (const written of this.#written) {
        if (written.active && written.sink.writableLength > this.#options.maxBufferBytes) this.#drop(written);
      }
      this.#written.clear();
    });
  }

  /**
   * A client too slow to read: its connection is destroyed so its unsent
   * data is freed. It reconnects with its Last-Event-ID and the replay gives
   * it the rest, so it loses nothing.
   */
  #drop(stream: Stream): void {
    this.#dropped += 1;
    this.#remove(stream);
    stream.sink.destroy();
  }

  /** Ends a stream cleanly; resolves once its response finished or its connection closed. */
  #end(stream: Stream): Promise<void> {
    this.#remove(stream);
    return new Promise((resolve) => {
      finished(stream.sink, () => resolve());
      stream.sink.end();
    });
  }

  /** Forgets a stream: its timer, its set entry and, with the channel's last stream, the store listener. */
  #remove(stream: Stream): void {
    if (!stream.active) return;
    stream.active = false;
    clearTimeout(stream.timer);
    this.#written.delete(stream);
    const { group } = stream;
    group.streams.delete(stream);
    this.#count -= 1;
    if (group.streams.size === 0) {
      group.unsubscribe();
      this.#channels.delete(group.channel);
    }
  }
}
