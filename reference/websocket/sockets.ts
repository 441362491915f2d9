/**
 * The open WebSocket connections and everything that happens to them after
 * the handshake: echo, channel fan-out (one store listener per channel, as
 * SSE does, each message serialised once), publishing what channel clients
 * send, the cursor replay, pings to idle connections, and closing them when
 * their channel closes (1001 "channel closed") or the server shuts down
 * (1001 "going away"). No fastify and no HTTP here: a connection is a `ws`
 * WebSocket, so this can be tested on its own.
 */
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import { ChannelLimitError, type ChannelStore, type StoredMessage } from '../channel-store.ts';
import { ChannelClosedError, StoreUnavailableError } from '../cluster/errors.ts';
import type { ChannelPublisher } from '../publishing.ts';

/** Default largest message a client may send: 1 MiB. */
export const DEFAULT_WS_MAX_MESSAGE_BYTES = 1_048_576;
/** Default idle time before the server pings a connection, in ms. */
export const DEFAULT_WS_PING_INTERVAL_MS = 30_000;
/**
 * The least time a pinged connection gets to answer before it is cut (more
 * when the interval is longer): a client cannot send a pong while it is in
 * the middle of writing a frame, and Autobahn 6.4.3/6.4.4 hold one open for 2 s.
 */
export const MIN_WS_PONG_WAIT_MS = 3000;
/** Bounds of a non-zero `wsPingIntervalMs`. */
export const MIN_WS_PING_INTERVAL_MS = 10;
export const MAX_WS_PING_INTERVAL_MS = 3_600_000;
/**
 * Unsent bytes one connection may queue before the server closes it,
 * unless configured otherwise: 4 MiB, in step with SSE's `sseMaxBufferBytes`.
 */
export const DEFAULT_WS_MAX_BUFFER_BYTES = 4_194_304;
/** Lower bound of `wsMaxBufferBytes`. */
export const MIN_WS_MAX_BUFFER_BYTES = 1024;
/** How long shutdown waits for clients to answer the close handshake before cutting them. */
export const WS_CLOSE_GRACE_MS = 1000;

/** RFC 6455 §7.4.1 close codes this server sends. */
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_UNSUPPORTED_DATA = 1003;
export const CLOSE_INTERNAL_ERROR = 1011;
/** RFC 6455 §7.4.1: the endpoint got a message that violates its policy (here: publishing without the publish token). */
export const CLOSE_POLICY_VIOLATION = 1008;
/**
 * 1013 Try Again Later (IANA WebSocket Close Code Number Registry,
 * https://www.iana.org/assignments/websocket/websocket.xml#close-code-number):
 * "the server is terminating the connection due to a temporary condition".
 * Sent to a client that reads too slowly (its unsent data passed
 * `wsMaxBufferBytes`) or whose publish would pass the channel limit: the
 * condition is the server's and passes, so the client should come back
 * (with `?cursor=` its last id, losing nothing), unlike 1008, which says the
 * client broke a rule and retrying is futile.
 */
export const CLOSE_TRY_AGAIN_LATER = 1013;

/** Options of {@link WebSocketConnections}; options.ts checks their ranges. */
export interface WebSocketConnectionsOptions {
  /** Ping a connection after this long without receiving anything; terminate it when no pong follows within as long again (at least MIN_WS_PONG_WAIT_MS). 0 = never. */
  pingIntervalMs: number;
  /** Past this many unsent bytes on one connection, it is closed with 1013. */
  maxBufferBytes: number;
  /** What text from a channel client is published through: the store itself (the default), or a cluster's link. */
  publisher?: ChannelPublisher;
}

interface Connection {
  readonly ws: WebSocket;
  /** The channel group, for channel connections. */
  readonly group: ChannelSockets | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** When a ping went out with nothing received since (performance.now()); undefined when not waiting. */
  pingedAt: number | undefined;
  /** A ping waits behind data ws is still compressing: the client cannot answer a ping it has not been sent. */
  pingQueued?: boolean;
  /** The TCP socket, when known: ws pauses it while it is still inflating what came (permessage-deflate). */
  socket?: Duplex;
  /** Bytes this server had queued for the client when it pinged, or last saw that queue shrink. */
  queuedAtPing: number;
  active: boolean;
  /** Id of the last message sent, the cursor to resume from once read. */
  lastId: number;
  /** True while the cursor replay is being written, paced by the client reading it; live delivery skips it meanwhile. */
  replaying: boolean;
}

interface ChannelSockets {
  readonly channel: string;
  readonly connections: Set<Connection>;
  unsubscribe: () => void;
}

/** The JSON text frame of one message: `{"id","data","event"?}`. */
export function formatFrame(message: StoredMessage): string {
  return JSON.stringify(message.event === undefined ? { id: message.id, data: message.data } : { id: message.id, data: message.data, event: message.event });
}

/** Open WebSocket connections, indexed by channel. */
export class WebSocketConnections {
  readonly #store: ChannelStore;
  readonly #options: WebSocketConnectionsOptions;
  readonly #all = new Set<Connection>();
  readonly #channels = new Map<string, ChannelSockets>();
  /** Connections no longer counted (their channel closed) whose close handshake is still under way. */
  readonly #lingering = new Set<WebSocket>();
  /** Connections by their WebSocket, for {@link heardFrom}. */
  readonly #byWs = new WeakMap<WebSocket, Connection>();
  #closing: Promise<void> | undefined;
  #slowDropped = 0;
  /**
   * The last broadcast, for the benchmarks (bench/servers/reference.ts
   * `stats`): how many connections it sent to, and its loop's time in ms. With
   * `timeFlush` set (only the benchmark sets it), `flushedMs` also counts the
   * socket writes node defers to the end of the tick (an HTTP response corks
   * its socket until then), read at the next setImmediate. Two clock reads
   * per publish, nothing per connection.
   */
  readonly lastBroadcast = { subscribers: 0, ms: 0, flushedMs: 0, timeFlush: false };

  constructor(store: ChannelStore, options: WebSocketConnectionsOptions) {
    this.#store = store;
    this.#options = { ...options };
    store.onClose((channel) => this.closeChannel(channel));
  }

  /** Connections open right now; O(1). */
  count(): number {
    return this.#all.size;
  }

  /** Connections closed so far (1013) because their unsent data passed `maxBufferBytes`. */
  get slowClientsDropped(): number {
    return this.#slowDropped;
  }

  /**
   * Serves `/echo`: every message comes back as it came, text as text, binary
   * as binary. With its TCP socket given, any bytes received count against
   * the idle timer: a message ws is still inflating (permessage-deflate, in
   * hundreds of fragments) is not silence.
   */
  openEcho(ws: WebSocket, socket?: Duplex): void {
    const connection = this.#add(ws, undefined, socket);
    if (connection === undefined) return;
    ws.on('message', (data, isBinary) => {
      if (connection.active) ws.send(data, { binary: isBinary });
    });
  }

  /**
   * Serves `/channels/{channel}/ws`: replays every retained message after
   * `cursor` (checked by the handshake), then every message published from
   * now on. History is read and the channel subscribed in this same
   * synchronous call, so nothing is lost or sent twice. Text the client
   * sends is published on the channel (when `mayPublish`; otherwise it
   * closes the connection 1008); binary closes the connection 1003.
   */
  openChannel(ws: WebSocket, channel: string, cursor?: string, mayPublish = true): void {
    if (this.#store.isClosed(channel)) {
      ws.close(CLOSE_GOING_AWAY, 'channel closed');
      return;
    }
    const group = this.#channels.get(channel) ?? this.#watch(channel);
    const connection = this.#add(ws, group);
    if (connection === undefined) {
      if (group.connections.size === 0) this.#unwatch(group);
      return;
    }
    connection.lastId = Number(cursor ?? this.#store.latestId(channel));
    if (cursor !== undefined) {
      connection.replaying = true;
      this.#replay(connection);
    }
    ws.on('message', (data, isBinary) => {
      if (!connection.active) return;
      if (isBinary) {
        ws.close(CLOSE_UNSUPPORTED_DATA, 'binary messages are not accepted on a channel');
        return;
      }
      if (!mayPublish) {
        ws.close(CLOSE_POLICY_VIOLATION, 'publishing needs the publish token: Authorization: Bearer in the handshake');
        return;
      }
      // The channel may have been closed while this frame was arriving.
      if (this.#store.isClosed(channel)) return;
      const text = toBuffer(data).toString('utf8');
      const refused = (error: unknown): void => {
        if (error instanceof ChannelLimitError) ws.close(CLOSE_TRY_AGAIN_LATER, 'channel limit reached (maxChannels): try again later');
        else if (error instanceof StoreUnavailableError) ws.close(CLOSE_TRY_AGAIN_LATER, 'the shared store is unavailable: try again later');
        // Closed on another instance of the cluster a moment ago: its close reaches this connection next.
        else if (!(error instanceof ChannelClosedError)) ws.close(CLOSE_INTERNAL_ERROR, 'publish failed');
      };
      try {
        const published = (this.#options.publisher ?? this.#store).publish(channel, { data: text });
        if (published instanceof Promise) published.catch(refused);
      } catch (error) {
        refused(error);
      }
    });
  }

  /** Closes every connection of `channel` with 1001 "channel closed" (the store calls this when the channel closes). */
  closeChannel(channel: string): void {
    const group = this.#channels.get(channel);
    if (group === undefined) return;
    for (const connection of [...group.connections]) {
      this.#remove(connection);
      const { ws } = connection;
      this.#lingering.add(ws);
      ws.once('close', () => this.#lingering.delete(ws));
      ws.close(CLOSE_GOING_AWAY, 'channel closed');
    }
  }

  /**
   * Shutdown: closes every connection with 1001 "going away" and resolves
   * once each has closed, cutting those that take longer than
   * {@link WS_CLOSE_GRACE_MS}. Connections opened later are closed at once.
   * Never rejects; safe to call more than once.
   */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      const sockets = [...this.#all].map((connection) => {
        this.#remove(connection);
        return connection.ws;
      });
      this.#closing = Promise.all([...sockets, ...this.#lingering].map((ws) => shut(ws))).then(() => undefined);
    }
    return this.#closing;
  }

  /** Tracks a new connection (idle timer, close and error handling); `undefined` when the server is shutting down. */
  #add(ws: WebSocket, group: ChannelSockets | undefined, socket?: Duplex): Connection | undefined {
    // ws reports protocol errors (1002, 1007, 1009) by closing; the error event itself needs no action.
    ws.on('error', () => {});
    if (this.#closing !== undefined) {
      ws.close(CLOSE_GOING_AWAY, 'going away');
      return undefined;
    }
    const connection: Connection = { ws, group, timer: undefined, pingedAt: undefined, queuedAtPing: 0, active: true, lastId: 0, replaying: false, ...(socket !== undefined ? { socket } : {}) };
    this.#all.add(connection);
    this.#byWs.set(ws, connection);
    group?.connections.add(connection);
    ws.on('close', () => this.#remove(connection));
    if (this.#options.pingIntervalMs > 0) {
      connection.timer = setTimeout(() => this.#idle(connection), this.#options.pingIntervalMs);
      // A connection keeps the process alive through its socket, not its timer.
      connection.timer.unref();
      const received = (): void => {
        connection.pingedAt = undefined;
        connection.timer?.refresh();
      };
      ws.on('message', received);
      ws.on('ping', received);
      ws.on('pong', received);
      socket?.on('data', received);
    }
    return connection;
  }

  /**
   * Bytes arrived from this connection's client, whole messages or not: it is
   * alive. Without this, a client still writing one large message (Autobahn
   * 9.5 writes 1 MiB in 64-byte pieces for about a second) looked idle, was
   * pinged, and was cut when its pong, which cannot go out in the middle of a
   * frame, came after the rest of the frame.
   */
  heardFrom(ws: WebSocket): void {
    const connection = this.#byWs.get(ws);
    if (connection === undefined || !connection.active) return;
    connection.pingedAt = undefined;
    connection.timer?.refresh();
  }

  /**
   * Nothing received for a whole interval: ping (again each interval); once
   * nothing has come for an interval, and at least {@link MIN_WS_PONG_WAIT_MS},
   * since the first unanswered ping was written, cut the connection. Not the
   * client's silence, so no cut: a ping still waiting behind data ws is
   * compressing (permessage-deflate holds pings back), a socket ws has paused
   * while it inflates what came, or a queue of what this server sent before
   * the ping that is still shrinking (the client is reading a 16 MiB echo).
   */
  #idle(connection: Connection): void {
    if (!connection.active) return;
    if (connection.socket?.isPaused() === true || connection.pingQueued === true) {
      connection.timer?.refresh();
      return;
    }
    if (connection.pingedAt !== undefined) {
      const queued = connection.ws.bufferedAmount;
      if (queued > 0 && queued < connection.queuedAtPing) {
        connection.queuedAtPing = queued;
        connection.timer?.refresh();
        return;
      }
      if (performance.now() - connection.pingedAt >= Math.max(this.#options.pingIntervalMs, MIN_WS_PONG_WAIT_MS)) {
        // Timers run before the poll for I/O: a pong that arrived meanwhile is read first, then judged.
        setImmediate(() => {
          if (!connection.active || connection.pingedAt === undefined) return;
          this.#remove(connection);
          connection.ws.terminate();
        });
        return;
      }
    }
    connection.pingQueued = true;
    connection.queuedAtPing = connection.ws.bufferedAmount;
    connection.timer?.refresh();
    try {
      // Written: the answer is awaited from now (a pong that already came has cleared pingedAt).
      connection.ws.ping(undefined, undefined, () => {
        connection.pingQueued = false;
        connection.pingedAt ??= performance.now();
        connection.timer?.refresh();
      });
    } catch {
      // Not open any more: its close event removes it.
      connection.pingQueued = false;
    }
  }


  #watch(channel: string): ChannelSockets {
    const group: ChannelSockets = { channel, connections: new Set(), unsubscribe: () => {} };
    group.unsubscribe = this.#store.subscribe(channel, (message) => this.#deliver(group, message));
    this.#channels.set(channel, group);
    return group;
  }

  #unwatch(group: ChannelSockets): void {
    group.unsubscribe();
    if (this.#channels.get(group.channel) === group) this.#channels.delete(group.channel);
  }

  /** A message was published: serialised once, sent to every connection of the channel. */
  #deliver(group: ChannelSockets, message: StoredMessage): void {
    const started = performance.now();
    let frame: string | undefined;
    for (const connection of group.connections) {
      if (connection.replaying) continue;
      frame ??= formatFrame(message);
      connection.ws.send(frame);
      connection.lastId = Number(message.id);
      if (connection.ws.bufferedAmount > this.#options.maxBufferBytes) this.#dropSlow(connection);
    }
    this.lastBroadcast.subscribers = group.connections.size;
    this.lastBroadcast.ms = performance.now() - started;
    if (this.lastBroadcast.timeFlush) setImmediate(() => (this.lastBroadcast.flushedMs = performance.now() - started));
  }

  /**
   * Sends the retained messages after the connection's cursor for as long as
   * its client takes them: past half the buffer bound it waits until what
   * was sent has been written out, then reads on from where it stopped, so a
   * long replay never sits in memory at once. Caught up (in the same
   * synchronous step as the last read), the connection goes live. If the
   * history moves past the client meanwhile, it is closed 1013: reconnecting
   * with its cursor gets the gap signal (410 cursor_expired).
   */
  #replay(connection: Connection): void {
    const { ws, group } = connection;
    if (group === undefined) return;
    while (connection.active) {
      const result = this.#store.read(group.channel, String(connection.lastId));
      if (result.kind === 'expired') {
        this.#closeTryAgain(connection, `fell behind the history: reconnect with ?cursor=${connection.lastId}`);
        return;
      }
      // 'ahead' cannot happen (the handshake checked the cursor); going live is the safe answer.
      if (result.kind === 'ahead' || result.messages.length === 0) {
        connection.replaying = false;
        return;
      }
      for (const message of result.messages) {
        const last = ws.bufferedAmount > this.#options.maxBufferBytes / 2;
        connection.lastId = Number(message.id);
        if (last) {
          ws.send(formatFrame(message), () => this.#replay(connection));
          return;
        }
        ws.send(formatFrame(message));
      }
    }
  }

  /**
   * A client too slow to read: nothing more is sent to it, and it is closed
   * with 1013 and a reason saying how to resume. Its close frame waits behind
   * what it has not read; `ws` cuts the connection if the closing handshake
   * does not finish within its close timeout, so what it holds is bounded by
   * `maxBufferBytes` plus one message.
   */
  #dropSlow(connection: Connection): void {
    this.#slowDropped += 1;
    this.#closeTryAgain(connection, `too slow: reconnect with ?cursor=<the last id you received>`);
  }

  #closeTryAgain(connection: Connection, reason: string): void {
    this.#remove(connection);
    const { ws } = connection;
    this.#lingering.add(ws);
    ws.once('close', () => this.#lingering.delete(ws));
    ws.close(CLOSE_TRY_AGAIN_LATER, reason);
  }

  /** Forgets a connection: its timer, its set entries and, with the channel's last one, the store listener. */
  #remove(connection: Connection): void {
    if (!connection.active) return;
    connection.active = false;
    clearTimeout(connection.timer);
    this.#all.delete(connection);
    const { group } = connection;
    if (group !== undefined) {
      group.connections.delete(connection);
      if (group.connections.size === 0) this.#unwatch(group);
    }
  }
}

/** Closes `ws` with 1001 "going away"; resolves once it has closed, cutting it after {@link WS_CLOSE_GRACE_MS}. */
function shut(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    if (ws.readyState === ws.CLOSED) {
      resolve();
      return;
    }
    const timer = setTimeout(() => ws.terminate(), WS_CLOSE_GRACE_MS);
    timer.unref();
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    // A connection already closing (its channel closed) keeps its own close code.
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(CLOSE_GOING_AWAY, 'going away');
  });
}

/** A received message as one Buffer, whatever form ws handed it in. */
function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}
