/**
 * Options of the reference server, their defaults and their validation. Bad
 * options are a programming error in the caller, so they throw a TypeError
 * naming the option, what it must be and what it got.
 */
import { DEFAULT_HISTORY_LIMIT } from './channel-store.ts';
import { DEFAULT_MAX_HOLD_MS, MAX_HOLD_LIMIT_MS } from './held-polls.ts';

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
  /** Log requests with fastify's logger (pino). Default false. */
  logger?: boolean;
}

/** {@link ReferenceOptions} with every default filled in. */
export type ResolvedReferenceOptions = Required<ReferenceOptions>;

const KNOWN_OPTIONS: ReadonlySet<string> = new Set(['host', 'port', 'historyLimit', 'maxMessageBytes', 'maxHoldMs', 'logger']);

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
  if (typeof logger !== 'boolean') {
    throw new TypeError(`logger must be a boolean, got ${describe(logger)}`);
  }
  return { host, port, historyLimit, maxMessageBytes, maxHoldMs, logger };
}

/** Shows a bad value with its type, so `"5"` and `5` are told apart. */
function describe(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (value === null || Array.isArray(value)) return value === null ? 'null' : 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
