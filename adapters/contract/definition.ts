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

/** A program a launched server needs, and how to get it when it is missing. */
export interface RequiredProgram {
  /** What is needed, as a person names it, e.g. `nginx with the Nchan module`. */
  name: string;
  /** A command that exits 0 when it is installed, e.g. `["nginx", "-v"]`. Run from the adapter's folder. */
  check: string[];
  /** How to install it, e.g. `apt-get install -y nginx-light libnginx-mod-nchan`. */
  install: string;
}

/** How the harness starts and stops the server itself. */
export interface LaunchSpec {
  /**
   * Programs that must be installed first. When a check fails, the run stops
   * with `PUSHSPEC_ERR_NOT_INSTALLED` (exit 3) and the install command;
   * `pushspec matrix` shows the server as not run.
   */
  requires?: RequiredProgram[];
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
  | { in: 'validators' }
  /**
   * The server keeps no position for a client (a storeless proxy such as
   * Pushpin): a poll carries no cursor and gets only what is published while
   * it is held. The malformed-cursor requirements are then unsupported; the
   * delivery ones still run, and show what a client misses between polls.
   */
  | { in: 'none' };

/** A message as a decoder reads it from an answer. */
export interface DecodedMessage {
  id?: string;
  data: string;
  event?: string;
}

/** What a custom decoder makes of one poll answer. */
export type DecodedAnswer =
  /** Messages (none: nothing new), and the cursor to send next when the answer names one. */
  | { kind: 'batch'; messages: DecodedMessage[]; cursor?: string }
  /** Not an answer the technique knows: an error, or a body the decoder cannot read. */
  | { kind: 'error'; problem: string };

/**
 * Reads a poll answer the built-in formats cannot (a custom envelope, say).
 * Only a module adapter can give one. Statuses the adapter declares as
 * "nothing new" (e.g. 204, 304, 408) never reach the decoder.
 */
export type DecodeFunction = (answer: { status: number; headers: Record<string, string>; body: string }) => DecodedAnswer;

/** How a batch of messages is read from a poll's response body. */
export type BatchFormat =
  /** A JSON document; every field is a JSON Pointer (RFC 6901). `messages` points at an array. */
  | { type: 'json'; messages: string; cursor?: string; id?: string; data: string; event?: string }
  /** The body is the data of exactly one message (a batch of one). */
  | { type: 'text' };

/** Where the harness can read how many requests a server holds right now (for leak checks). */
export interface StatsSpec {
  /** Path (or absolute URL) answering JSON, or plain text when `heldPattern` is given. */
  url: string;
  /** JSON Pointer to the number of held long-polls. Give this or `heldPattern`. */
  heldPointer?: string;
  /**
   * For a plain-text answer: a regular expression (matched line by line, `m` flag) whose first
   * group is the number of held long-polls, e.g. `^subscribers: (\d+)$` for Nchan's
   * `nchan_stub_status`. Give this or `heldPointer`.
   */
  heldPattern?: string;
}

/** What a server declares about its Ajax polling endpoint. */
export interface PollingSpec {
  /** Path (or absolute URL) of the poll; `{channel}` is replaced by the channel name. Required unless `protocol` gives it. */
  path?: string;
  /** Where the cursor travels. Default `{in: 'query', param: 'cursor'}`. */
  cursor?: CursorTransport;
  /** Status of an answer with nothing new: 200 (an empty batch), 204 or 304. Default 200. */
  emptyStatus?: 200 | 204 | 304;
  /** How to read a batch. Default: the reference JSON shape. A module may give a {@link DecodeFunction}. */
  format?: BatchFormat | DecodeFunction;
  /** What a first poll without a cursor returns: only later messages (`newest`) or the retained history (`oldest`). Default `newest`. */
  start?: 'newest' | 'oldest';
  /** How many messages a channel retains. Needed to check how a cursor behind the history is handled. */
  historyLimit?: number;
  /** Status that tells a client its cursor is behind the retained history (the reference uses 410). */
  gapStatus?: number;
  /** A cursor value the server must refuse as malformed. Default `"not-a-cursor"`. */
  malformedCursor?: string;
}

/** What a server declares about its HTTP long-polling endpoint ("hanging GET", RFC 6202 §2). */
export interface LongPollingSpec {
  /** Path (or absolute URL) of the long-poll; `{channel}` replaced. Required unless `protocol` gives it. */
  path?: string;
  /** Where the cursor travels. Default `{in: 'query', param: 'cursor'}`. */
  cursor?: CursorTransport;
  /**
   * Query parameter through which a client asks for a hold time in
   * milliseconds (the reference uses `wait`). Without it the server holds
   * every poll for its own fixed time, which `holdMs` then states.
   */
  waitParam?: string;
  /** The hold the harness asks for (or the server's fixed hold). Keep it near 1000 so the suite runs in seconds. Default 1000. */
  holdMs?: number;
  /** The longest the server ever holds a poll, whatever a client asks. Default: `holdMs`. */
  maxHoldMs?: number;
  /**
   * How a poll whose hold ran out is answered: 200 (an empty batch), 204,
   * 304 (validators only), or 408 (a legacy profile, reported non-strict).
   * Default 200.
   */
  timeoutStatus?: 200 | 204 | 304 | 408;
  /** How to read a batch. Default: the reference JSON shape. A module may give a {@link DecodeFunction}. */
  format?: BatchFormat | DecodeFunction;
  /** What a first poll without a cursor returns. Default `newest`. */
  start?: 'newest' | 'oldest';
  /**
   * What the server does with two polls held with the same cursor:
   * `independent` (each is answered with the message), `preempt-old` (the
   * older is answered at once, empty; the newer gets the message) or
   * `reject-new` (the newer is refused at once with a 4xx). Default `independent`.
   */
  concurrentPolls?: 'independent' | 'preempt-old' | 'reject-new';
  /** A cursor value the server must refuse as malformed. Default `"not-a-cursor"`. */
  malformedCursor?: string;
  /** Where the count of held polls can be read; without it the leak check is unsupported. */
  stats?: StatsSpec;
}

/** What a server declares about its Server-Sent Events endpoint (WHATWG HTML §9.2). */
export interface SseSpec {
  /** Path (or absolute URL) of the event stream; `{channel}` replaced. Required unless `protocol` gives it. */
  path?: string;
  /** Extra request headers the server needs (pushspec always sends `Accept: text/event-stream`). */
  requestHeaders?: Record<string, string>;
  /** How each event's data carries the published string: as is (`raw`, default) or JSON-encoded (`json`). */
  dataEncoding?: 'raw' | 'json';
  /** The server replays retained events after a `Last-Event-ID`. Without it the resume requirements are unsupported. Default false. */
  replay?: boolean;
  /** Query parameter that carries a last event id on a first connection (browsers cannot set the header then), e.g. `lastEventId`. */
  lastEventIdParam?: string;
  /** How many messages a channel retains, to check what happens to a `Last-Event-ID` older than that. */
  historyLimit?: number;
  /** Name of the event by which the server tells a client that its `Last-Event-ID` is older than the history. */
  gapEvent?: string;
  /** The longest the server stays silent on an idle stream before a keep-alive comment, in ms. */
  keepAliveMs?: number;
  /** The reconnection time the server sends in a `retry:` field when a stream opens, in ms. */
  retryMs?: number;
  /**
   * A request that closes the channel for good; afterwards a stream request is
   * answered 204 No Content, which tells clients to stop reconnecting. `{channel}` replaced.
   */
  close?: { method: 'DELETE' | 'POST'; url: string };
  /** An origin the server allows for cross-origin streams (CORS), e.g. `https://app.example`. */
  corsOrigin?: string;
  /**
   * The most unsent data the server keeps for one slow client, in bytes;
   * past it the server drops the connection (the client reconnects with
   * `Last-Event-ID`). Without it the slow-client requirement is unsupported.
   */
  slowClientLimitBytes?: number;
}

/** What a server declares about its WebSocket endpoints (RFC 6455). */
export interface WebSocketSpec {
  /**
   * Path of an endpoint that echoes every message (text as text, binary as
   * binary): the target of the RFC 6455 protocol checks, as in Autobahn|Testsuite.
   * Without it those requirements are unsupported.
   */
  echoPath?: string;
  /** Path of the channel endpoint, where published messages are pushed as frames; `{channel}` replaced. */
  channelPath?: string;
  /** How a pushed frame carries a message: `json` (`{"id","data","event"?}`, the reference) or `raw` (the text is the data). Default `raw`. */
  messageFormat?: 'json' | 'raw';
  /** Query parameter that resumes a channel connection after a message id; without it the resume requirement is unsupported. */
  cursorParam?: string;
  /** Text a client sends on the channel endpoint is published to the channel (full duplex). Default false. */
  clientPublishes?: boolean;
  /** Subprotocols the server can speak; checked to be chosen only from those a client offers. */
  subprotocols?: string[];
  /** Origins allowed to open connections; when given, another Origin must be refused. */
  allowedOrigins?: string[];
  /** The largest message the server accepts, in bytes; a larger one must close the connection with 1009. */
  maxMessageBytes?: number;
  /** The server pings idle connections at this interval, in ms (RFC 6455 §5.5.2 keep-alive). */
  pingIntervalMs?: number;
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
  longPolling?: LongPollingSpec;
  sse?: SseSpec;
  websocket?: WebSocketSpec;
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
