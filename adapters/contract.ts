/**
 * The adapter contract: how the harness reaches one server under test.
 *
 * An adapter is either a JSON file or a module whose default export is
 * `defineAdapter({...})`. Both forms describe the same {@link AdapterDefinition};
 * only a module can give `publish` as a function. This file is the public,
 * typed face of that contract (exported as `pushspec` and `pushspec/adapter`).
 */

/** The techniques pushspec checks, in the order reports list them. */
export const TECHNIQUES = ['polling', 'longPolling', 'sse', 'websocket'] as const;
export type Technique = (typeof TECHNIQUES)[number];

/** Shorthand protocols: a server that speaks one needs no per-technique fields. */
export const PROTOCOLS = ['pushspec-reference'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** How the harness starts and stops the server itself. */
export interface LaunchSpec {
  /** Program and arguments; `{port}` is replaced by a free loopback port. */
  command: string[];
  /** Working directory, relative to the adapter file. Default: the adapter file's folder. */
  cwd?: string;
  /** Extra environment variables; `{port}` is replaced in values. */
  env?: Record<string, string>;
  /** URL polled until it answers with any HTTP status; `{port}` replaced. Default: `baseUrl`. */
  readyUrl?: string;
  /** How long to wait for `readyUrl`. Default 10000. */
  readyTimeoutMs?: number;
}

/** Where a polling client keeps its position in the channel. */
export type CursorTransport =
  /** The cursor travels as a query parameter, read back from the response body. */
  | { in: 'query'; param: string }
  /** The cursor is the HTTP validators: ETag / Last-Modified, sent back as If-None-Match / If-Modified-Since. */
  | { in: 'validators' };

/** How a batch of messages is read from a poll's response body. */
export type BatchFormat =
  /** A JSON document; every field is a JSON Pointer (RFC 6901). `messages` points at an array. */
  | { type: 'json'; messages: string; cursor?: string; id?: string; data: string; event?: string }
  /** The body is the data of exactly one message (a batch of one). */
  | { type: 'text' };

/** What a server declares about its Ajax polling endpoint. */
export interface PollingSpec {
  /** Path (or absolute URL) of the poll; `{channel}` is replaced by the channel name. Required unless `protocol` gives it. */
  path?: string;
  /** Where the cursor travels. Default `{in: 'query', param: 'cursor'}`. */
  cursor?: CursorTransport;
  /** Status of an answer with nothing new: 200 (an empty batch), 204 or 304. Default 200. */
  emptyStatus?: 200 | 204 | 304;
  /** How to read a batch. Default: the reference JSON shape. */
  format?: BatchFormat;
  /** What a first poll without a cursor returns: only later messages (`newest`) or the retained history (`oldest`). Default `newest`. */
  start?: 'newest' | 'oldest';
  /** How many messages a channel retains. Needed to check how a cursor behind the history is handled. */
  historyLimit?: number;
  /** Status that tells a client its cursor is behind the retained history (the reference uses 410). */
  gapStatus?: number;
  /** A cursor value the server must refuse as malformed. Default `"not-a-cursor"`. */
  malformedCursor?: string;
}

/** An HTTP request that makes the server publish one message. */
export interface PublishRequest {
  /** Default `POST`. */
  method?: 'POST' | 'PUT';
  /** Path relative to `baseUrl`, or an absolute URL; `{channel}` replaced. Required unless `protocol` gives it. */
  url?: string;
  /** Request headers; values may use the placeholders below. */
  headers?: Record<string, string>;
  /**
   * Body template. Placeholders: `{channel}`, `{data}` (raw), `{data:json}` (a JSON string
   * literal), `{event}` and `{event:json}` (empty / `null` when the message has no event name).
   * Required unless `protocol` gives it.
   */
  body?: string;
  /** JSON Pointer to the message id in the response body, when the server returns one. */
  idPointer?: string;
}

/** A message the harness asks the server to publish. */
export interface OutgoingMessage {
  channel: string;
  data: string;
  event?: string;
}

/** Publishing as code, for servers that need more than one HTTP request. */
export type PublishFunction = (
  message: OutgoingMessage,
  context: { baseUrl: string },
) => Promise<{ id?: string } | void>;

/** One server under test. */
export interface AdapterDefinition {
  /** Shown in reports; letters, digits, `.`, `_`, `-`, at most 64 characters. */
  name: string;
  /** Where the server listens, e.g. `http://127.0.0.1:{port}`. */
  baseUrl: string;
  /** The server speaks a known wire contract at `baseUrl`; technique fields then default to it. */
  protocol?: Protocol;
  launch?: LaunchSpec;
  polling?: PollingSpec;
  /** How to make the server emit a message. Required unless `protocol` implies it. */
  publish?: PublishRequest | PublishFunction;
}

/**
 * Declares an adapter in a TypeScript or JavaScript module.
 * An identity function: it exists so editors check the fields.
 *
 * @example
 * export default defineAdapter({ name: 'mine', baseUrl: 'http://127.0.0.1:8080', protocol: 'pushspec-reference' });
 */
export function defineAdapter(definition: AdapterDefinition): AdapterDefinition {
  return definition;
}
