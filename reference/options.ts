/**
 * Options of the reference server, their defaults and their validation. Bad
 * options are a programming error in the caller, so they throw a TypeError
 * naming the option, what it must be and what it got.
 */
import { DEFAULT_HISTORY_LIMIT } from './channel-store.ts';
import { originProblem } from './cors.ts';
import { hostProblem } from './hosts.ts';
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
  DEFAULT_WS_MAX_MESSAGE_BYTES,
  DEFAULT_WS_PING_INTERVAL_MS,
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
   * Origins whose pages may use this server from another origin (CORS),
   * each as a browser sends it (`https://app.example`, `http://localhost:3000`),
   * or `*` for any origin (without credentials). Default `[]`: same-origin only.
   */
  corsOrigins?: readonly string[];
  /**
   * Host names (or IP addresses) requests may name in `Host`, beyond the
   * loopback ones and the interface listened on; `*` allows any. Default
   * `[]`. A request naming another host is refused with 421 host_not_allowed
   * (DNS rebinding).
   */
  allowedHosts?: readonly string[];
  /** Log requests with fastify's logger (pino). Default false. */
  logger?: boolean;
}

/** {@link ReferenceOptions} with every default filled in. */
export type ResolvedReferenceOptions = Required<ReferenceOptions>;

const KNOWN_OPTIONS: ReadonlySet<string> = new Set([
  'host',
  'port',
  'historyLimit',
  'maxMessageBytes',
  'maxHoldMs',
  'sseRetryMs',
  'sseKeepAliveMs',
  'sseMaxBufferBytes',
  'wsMaxMessageBytes',
  'wsPingIntervalMs',
  'corsOrigins',
  'allowedHosts',
  'logger',
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
    maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES,
    maxHoldMs = DEFAULT_MAX_HOLD_MS,
    sseRetryMs = DEFAULT_SSE_RETRY_MS,
    sseKeepAliveMs = DEFAULT_SSE_KEEP_ALIVE_MS,
    sseMaxBufferBytes = DEFAULT_SSE_MAX_BUFFER_BYTES,
    wsMaxMessageBytes = DEFAULT_WS_MAX_MESSAGE_BYTES,
    wsPingIntervalMs = DEFAULT_WS_PING_INTERVAL_MS,
    corsOrigins = [],
    allowedHosts = [],
    logger = false,
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
  if (!Array.isArray(corsOrigins)) {
    throw new TypeError(`corsOrigins must be an array of origins, got ${describe(corsOrigins)}`);
  }
  for (const [index, origin] of corsOrigins.entries()) {
    const problem = originProblem(origin);
    if (problem !== undefined) throw new TypeError(`corsOrigins[${index}]: ${problem}`);
  }
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
  return {
    host,
    port,
    historyLimit,
    maxMessageBytes,
    maxHoldMs,
    sseRetryMs,
    sseKeepAliveMs,
    sseMaxBufferBytes,
    wsMaxMessageBytes,
    wsPingIntervalMs,
    // A copy: a caller mutating its array later cannot change the running policy.
    corsOrigins: Object.freeze([...corsOrigins]),
    allowedHosts: Object.freeze([...allowedHosts]),
    logger,
  };
}

/** Shows a bad value with its type, so `"5"` and `5` are told apart. */
function describe(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (value === null || Array.isArray(value)) return value === null ? 'null' : 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
