/**
 * Options of the reference server, their defaults and their validation. Bad
 * options are a programming error in the caller, so they throw a TypeError
 * naming the option, what it must be and what it got.
 */
import { DEFAULT_HISTORY_LIMIT, DEFAULT_HISTORY_MAX_BYTES, DEFAULT_MAX_CHANNELS, MIN_HISTORY_MAX_BYTES } from './channel-store.ts';
import { DEFAULT_CLOSED_CHANNEL_LIMIT } from './closed-channels.ts';
import { publishTokenProblem } from './publish-token.ts';
import { DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, MAX_TIMEOUT_MS, MIN_TIMEOUT_MS } from './timeouts.ts';
import { originProblem } from './cors.ts';
import { hostProblem } from './hosts.ts';
import { tlsProblem, type ReferenceTls } from './tls.ts';
import { DEFAULT_MAX_HOLD_MS, MAX_HOLD_LIMIT_MS } from './held-polls.ts';
import {
  DEFAULT_SSE_KEEP_ALIVE_MS,
  DEFAULT_SSE_MAX_BUFFER_BYTES,
  DEFAULT_SSE_RETRY_MS,
  MAX_SSE_INTERVAL_MS,
  MIN_SSE_KEEP_ALIVE_MS,
  MIN_SSE_MAX_BUFFER_BYTES,
} from './sse/streams.ts';
import {
  DEFAULT_WS_MAX_BUFFER_BYTES,
  DEFAULT_WS_MAX_MESSAGE_BYTES,
  DEFAULT_WS_PING_INTERVAL_MS,
  MIN_WS_MAX_BUFFER_BYTES,
  MAX_WS_PING_INTERVAL_MS,
  MIN_WS_PING_INTERVAL_MS,
} from './websocket/sockets.ts';

/** Default largest accepted request body: 1 MiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_576;

/** Default interface: loopback only, since the reference server has no authentication. */
export const DEFAULT_HOST = '127.0.0.1';

/** How {@link startReferenceServer} and {@link buildReferenceApp} can be configured. */
export interface ReferenceOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port to listen on; 0 (the default) picks a free ephemeral port. */
  port?: number;
  /** Messages retained per channel. Default 1000. */
  historyLimit?: number;
  /**
   * Bytes of retained history, all channels together (data and event as
   * UTF-8, plus 128 per message); past it the oldest messages server-wide are
   * evicted. An integer of at least 1024. Default 268435456 (256 MiB).
   */
  historyMaxBytes?: number;
  /**
   * Channels holding messages; a publish that would create one more gets
   * 503 channel_limit. A positive integer. Default 10000.
   */
  maxChannels?: number;
  /** Closed channel names remembered (then forgotten oldest first). A positive integer. Default 10000. */
  closedChannelLimit?: number;
  /** Largest request body accepted by a publish, in bytes. Default 1048576 (1 MiB). */
  maxMessageBytes?: number;
  /**
   * Longest a long-poll is held, in ms, whatever `wait` a client asks for:
   * an integer from 1 to 3600000. Default 25000 (below the 30 s RFC 6202
   * calls safe for intermediaries).
   */
  maxHoldMs?: number;
  /**
   * Reconnection time sent as `retry:` when an SSE stream opens, in ms: an
   * integer from 0 to 3600000, 0 = send no `retry:`. Default 3000.
   */
  sseRetryMs?: number;
  /**
   * A keep-alive comment is written on an SSE stream silent for this long,
   * in ms: an integer from 50 to 3600000. Default 15000.
   */
  sseKeepAliveMs?: number;
  /**
   * Unsent bytes one SSE stream may queue before the server drops the
   * connection (the client reconnects with Last-Event-ID): an integer of at
   * least 1024. Default 4194304 (4 MiB).
   */
  sseMaxBufferBytes?: number;
  /**
   * Largest message a WebSocket client may send, in bytes; a bigger one
   * closes the connection with 1009. A positive integer. Default 1048576 (1 MiB).
   */
  wsMaxMessageBytes?: number;
  /**
   * A WebSocket connection from which nothing was received for this long, in
   * ms, is pinged; one whose pong does not come within as long again is cut.
   * 0 = never ping; otherwise an integer from 10 to 3600000. Default 30000.
   */
  wsPingIntervalMs?: number;
  /**
   * Unsent bytes one WebSocket connection may queue before the server closes
   * it with 1013 (the client reconnects with `?cursor=`): an integer of at
   * least 1024. Default 4194304 (4 MiB), as `sseMaxBufferBytes`.
   */
  wsMaxBufferBytes?: number;
  /**
   * Longest a client may take to send a request's head, in ms (node's
   * `headersTimeout`); past it the connection gets 408 request_timeout and is
   * closed. An integer from 10 to 3600000, at most `requestTimeoutMs`. Default 10000.
   */
  headersTimeoutMs?: number;
  /**
   * Longest a client may take to send a whole request, head and body, in ms
   * (node's `requestTimeout`); past it 408 request_timeout and the connection
   * is closed. Responses (held polls, streams, WebSockets) are not limited.
   * An integer from 10 to 3600000. Default 30000.
   */
  requestTimeoutMs?: number;
  /**
   * Origins whose pages may use this server from another origin, each as a
   * browser sends it (`https://app.example`, `http://localhost:3000`), or `*`
   * for any origin (without credentials): they get CORS read access, may open
   * WebSockets and may publish and close channels. A request from any other
   * Origin may read nothing cross-origin, and its WebSocket handshakes,
   * publishes and DELETEs are refused (403 origin_not_allowed). Requests
   * without `Origin` (non-browser clients) are not affected. Default `[]`.
   */
  allowedOrigins?: readonly string[];
  /** @deprecated the former name of {@link allowedOrigins}; its entries are added to it. */
  corsOrigins?: readonly string[];
  /**
   * When set, publishing (POST) and closing channels (DELETE), and text sent
   * on a channel WebSocket, need `Authorization: Bearer <token>`; reads stay
   * open. 16 to 1024 visible ASCII characters (RFC 6750 token68). Default
   * `""`: no token needed.
   */
  publishToken?: string;
  /**
   * Host names (or IP addresses) requests may name in `Host`, beyond the
   * loopback ones and the interface listened on; `*` allows any. Default
   * `[]`. A request naming another host is refused with 421 host_not_allowed
   * (DNS rebinding).
   */
  allowedHosts?: readonly string[];
  /** Log requests with fastify's logger (pino). Default false. */
  logger?: boolean;
  /**
   * Run as one instance of a cluster: every channel's ids and history live in
   * this Redis (`redis://host:port` or `rediss://…`), shared with every other
   * instance given the same URL and prefix, and each message reaches the
   * clients of every instance. Default: none, the server keeps everything in
   * its own memory. See docs/reference-protocol.md, "Running as a cluster".
   */
  redis?: string;
  /** Prefix of the cluster's Redis keys: 1 to 64 of `[A-Za-z0-9._:-]`. Default `pushspec`. */
  redisPrefix?: string;
  /**
   * Serve HTTPS (and WebSockets as wss://) with this certificate and key, PEM;
   * the key must belong to the certificate. Default: plain HTTP.
   */
  tls?: ReferenceTls;
  /**
   * Serve HTTP/2 beside HTTP/1.1 on the same port: chosen by ALPN over TLS,
   * by the client's first bytes in the clear (h2c with prior knowledge).
   * WebSockets stay on HTTP/1.1 (no RFC 8441). Default false. See reference/http2.ts.
   */
  http2?: boolean;
}

/** {@link ReferenceOptions} with every default filled in (`corsOrigins` merged into `allowedOrigins`). */
export type ResolvedReferenceOptions = Required<Omit<ReferenceOptions, 'corsOrigins' | 'tls' | 'redis'>> & Pick<ReferenceOptions, 'tls' | 'redis'>;

/** What a Redis key prefix may be made of. */
export const REDIS_PREFIX = /^[A-Za-z0-9._:-]{1,64}$/;

const KNOWN_OPTIONS: ReadonlySet<string> = new Set([
  'host',
  'port',
  'historyLimit',
  'historyMaxBytes',
  'maxChannels',
  'closedChannelLimit',
  'maxMessageBytes',
  'maxHoldMs',
  'sseRetryMs',
  'sseKeepAliveMs',
  'sseMaxBufferBytes',
  'wsMaxMessageBytes',
  'wsPingIntervalMs',
  'wsMaxBufferBytes',
  'headersTimeoutMs',
  'requestTimeoutMs',
  'allowedOrigins',
  'corsOrigins',
  'allowedHosts',
  'publishToken',
  'logger',
  'tls',
  'redis',
  'redisPrefix',
  'http2',
]);

/**
 * Checks `options` and fills in defaults.
 * @throws TypeError on an unknown option (usually a typo) or a bad value.
 */
export function resolveReferenceOptions(options: ReferenceOptions = {}): ResolvedReferenceOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`reference server options must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      throw new TypeError(`unknown reference server option "${key}" (known: ${[...KNOWN_OPTIONS].join(', ')})`);
    }
  }
  const {
    host = DEFAULT_HOST,
    port = 0,
    historyLimit = DEFAULT_HISTORY_LIMIT,
    historyMaxBytes = DEFAULT_HISTORY_MAX_BYTES,
    maxChannels = DEFAULT_MAX_CHANNELS,
    closedChannelLimit = DEFAULT_CLOSED_CHANNEL_LIMIT,
    maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES,
    maxHoldMs = DEFAULT_MAX_HOLD_MS,
    sseRetryMs = DEFAULT_SSE_RETRY_MS,
    sseKeepAliveMs = DEFAULT_SSE_KEEP_ALIVE_MS,
    sseMaxBufferBytes = DEFAULT_SSE_MAX_BUFFER_BYTES,
    wsMaxMessageBytes = DEFAULT_WS_MAX_MESSAGE_BYTES,
    wsPingIntervalMs = DEFAULT_WS_PING_INTERVAL_MS,
    wsMaxBufferBytes = DEFAULT_WS_MAX_BUFFER_BYTES,
    headersTimeoutMs = DEFAULT_HEADERS_TIMEOUT_MS,
    requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
    allowedOrigins = [],
    corsOrigins = [],
    allowedHosts = [],
    publishToken = '',
    logger = false,
    tls,
    redis,
    redisPrefix = 'pushspec',
    http2 = false,
  } = options;
  if (typeof host !== 'string' || host.length === 0) {
    throw new TypeError(`host must be a non-empty string, got ${describe(host)}`);
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`port must be an integer from 0 to 65535, got ${describe(port)}`);
  }
  if (!Number.isSafeInteger(historyLimit) || historyLimit < 1) {
    throw new TypeError(`historyLimit must be a positive integer, got ${describe(historyLimit)}`);
  }
  if (!Number.isSafeInteger(historyMaxBytes) || historyMaxBytes < MIN_HISTORY_MAX_BYTES) {
    throw new TypeError(`historyMaxBytes must be an integer of at least ${MIN_HISTORY_MAX_BYTES}, got ${describe(historyMaxBytes)}`);
  }
  if (!Number.isSafeInteger(maxChannels) || maxChannels < 1) {
    throw new TypeError(`maxChannels must be a positive integer, got ${describe(maxChannels)}`);
  }
  if (!Number.isSafeInteger(closedChannelLimit) || closedChannelLimit < 1) {
    throw new TypeError(`closedChannelLimit must be a positive integer, got ${describe(closedChannelLimit)}`);
  }
  if (!Number.isSafeInteger(maxMessageBytes) || maxMessageBytes < 1) {
    throw new TypeError(`maxMessageBytes must be a positive integer, got ${describe(maxMessageBytes)}`);
  }
  if (!Number.isSafeInteger(maxHoldMs) || maxHoldMs < 1 || maxHoldMs > MAX_HOLD_LIMIT_MS) {
    throw new TypeError(`maxHoldMs must be a positive integer of at most ${MAX_HOLD_LIMIT_MS}, got ${describe(maxHoldMs)}`);
  }
  if (!Number.isSafeInteger(sseRetryMs) || sseRetryMs < 0 || sseRetryMs > MAX_SSE_INTERVAL_MS) {
    throw new TypeError(`sseRetryMs must be an integer from 0 to ${MAX_SSE_INTERVAL_MS}, got ${describe(sseRetryMs)}`);
  }
  if (!Number.isSafeInteger(sseKeepAliveMs) || sseKeepAliveMs < MIN_SSE_KEEP_ALIVE_MS || sseKeepAliveMs > MAX_SSE_INTERVAL_MS) {
    throw new TypeError(
      `sseKeepAliveMs must be an integer from ${MIN_SSE_KEEP_ALIVE_MS} to ${MAX_SSE_INTERVAL_MS}, got ${describe(sseKeepAliveMs)}`,
    );
  }
  if (!Number.isSafeInteger(sseMaxBufferBytes) || sseMaxBufferBytes < MIN_SSE_MAX_BUFFER_BYTES) {
    throw new TypeError(`sseMaxBufferBytes must be an integer of at least ${MIN_SSE_MAX_BUFFER_BYTES}, got ${describe(sseMaxBufferBytes)}`);
  }
  if (!Number.isSafeInteger(wsMaxMessageBytes) || wsMaxMessageBytes < 1) {
    throw new TypeError(`wsMaxMessageBytes must be a positive integer, got ${describe(wsMaxMessageBytes)}`);
  }
  if (
    !Number.isSafeInteger(wsPingIntervalMs) ||
    (wsPingIntervalMs !== 0 && (wsPingIntervalMs < MIN_WS_PING_INTERVAL_MS || wsPingIntervalMs > MAX_WS_PING_INTERVAL_MS))
  ) {
    throw new TypeError(
      `wsPingIntervalMs must be 0 or an integer from ${MIN_WS_PING_INTERVAL_MS} to ${MAX_WS_PING_INTERVAL_MS}, got ${describe(wsPingIntervalMs)}`,
    );
  }
  if (!Number.isSafeInteger(wsMaxBufferBytes) || wsMaxBufferBytes < MIN_WS_MAX_BUFFER_BYTES) {
    throw new TypeError(`wsMaxBufferBytes must be an integer of at least ${MIN_WS_MAX_BUFFER_BYTES}, got ${describe(wsMaxBufferBytes)}`);
  }
  for (const [name, value] of [['headersTimeoutMs', headersTimeoutMs], ['requestTimeoutMs', requestTimeoutMs]] as const) {
    if (!Number.isSafeInteger(value) || value < MIN_TIMEOUT_MS || value > MAX_TIMEOUT_MS) {
      throw new TypeError(`${name} must be an integer from ${MIN_TIMEOUT_MS} to ${MAX_TIMEOUT_MS}, got ${describe(value)}`);
    }
  }
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new TypeError(`headersTimeoutMs (${headersTimeoutMs}) must not be greater than requestTimeoutMs (${requestTimeoutMs}): the head is part of the request`);
  }
  for (const [name, list] of [['allowedOrigins', allowedOrigins], ['corsOrigins', corsOrigins]] as const) {
    if (!Array.isArray(list)) throw new TypeError(`${name} must be an array of origins, got ${describe(list)}`);
    for (const [index, origin] of list.entries()) {
      const problem = originProblem(origin);
      if (problem !== undefined) throw new TypeError(`${name}[${index}]: ${problem}`);
    }
  }
  const tokenProblem = publishTokenProblem(publishToken);
  if (tokenProblem !== undefined) throw new TypeError(`publishToken: ${tokenProblem}`);
  if (!Array.isArray(allowedHosts)) {
    throw new TypeError(`allowedHosts must be an array of host names, got ${describe(allowedHosts)}`);
  }
  for (const [index, name] of allowedHosts.entries()) {
    const problem = hostProblem(name);
    if (problem !== undefined) throw new TypeError(`allowedHosts[${index}]: ${problem}`);
  }
  if (typeof logger !== 'boolean') {
    throw new TypeError(`logger must be a boolean, got ${describe(logger)}`);
  }
  if (redis !== undefined && (typeof redis !== 'string' || !isRedisUrl(redis))) {
    throw new TypeError(`redis must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379, got ${describe(redis)}`);
  }
  if (typeof redisPrefix !== 'string' || !REDIS_PREFIX.test(redisPrefix)) {
    throw new TypeError(`redisPrefix must be 1 to 64 of A-Z a-z 0-9 . _ : -, got ${describe(redisPrefix)}`);
  }
  if (typeof http2 !== 'boolean') {
    throw new TypeError(`http2 must be a boolean, got ${describe(http2)}`);
  }
  const certificateProblem = tls === undefined ? undefined : tlsProblem(tls);
  if (certificateProblem !== undefined) throw new TypeError(`tls: ${certificateProblem}`);
  return {
    host,
    port,
    historyLimit,
    historyMaxBytes,
    maxChannels,
    closedChannelLimit,
    maxMessageBytes,
    maxHoldMs,
    sseRetryMs,
    sseKeepAliveMs,
    sseMaxBufferBytes,
    wsMaxMessageBytes,
    wsPingIntervalMs,
    wsMaxBufferBytes,
    headersTimeoutMs,
    requestTimeoutMs,
    // A copy: a caller mutating its array later cannot change the running policy.
    allowedOrigins: Object.freeze([...new Set([...allowedOrigins, ...corsOrigins])]),
    allowedHosts: Object.freeze([...allowedHosts]),
    publishToken,
    logger,
    redisPrefix,
    http2,
    ...(tls !== undefined ? { tls } : {}),
    ...(redis !== undefined ? { redis } : {}),
  };
}

/** A `redis://` or `rediss://` URL with a host. */
export function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Shows a bad value with its type, so `"5"` and `5` are told apart. */
function describe(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (value === null || Array.isArray(value)) return value === null ? 'null' : 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
