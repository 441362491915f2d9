/**
 * Ajax polling's part of the adapter contract: what a server declares about
 * its polling endpoint. The cursor, batch-format and decoder types are shared
 * with long-polling, which polls the same way and only holds the answer.
 * Exported to adapter authors through `pushspec` and `pushspec/adapter`.
 */

import type { SessionFunction, SessionRequest } from '../../core/session.ts';

export type { SessionAnswer, SessionContext, SessionFunction, SessionRequest, SessionValues } from '../../core/session.ts';

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
  /**
   * Messages (none: nothing new, or only a heartbeat), the cursor to send next
   * when the answer names one, and `replies`: requests the client must send at
   * once on its session, such as the pong that answers a heartbeat (engine.io
   * answers a held poll with a ping, `2`, and expects `3` back).
   */
  | { kind: 'batch'; messages: DecodedMessage[]; cursor?: string; replies?: SessionRequest[] }
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

/** What a server declares about its Ajax polling endpoint. */
export interface PollingSpec {
  /** Path (or absolute URL) of the poll; `{channel}` and the session's values (`{session}`) are filled in. Required unless `protocol` gives it. */
  path?: string;
  /**
   * The server speaks HTTP/2 to this technique's clients: negotiated by ALPN
   * (`h2`) over `https://`, with prior knowledge (h2c) over `http://`.
   * pushspec's clients then speak nothing else: a connection that ends up on
   * HTTP/1.1 fails the request, naming what the server chose. Default false.
   */
  http2?: boolean;
  /** Method of a poll. Default `GET` (SockJS's xhr transport polls with `POST`). */
  method?: 'GET' | 'POST';
  /**
   * Opens a session for each client before its first poll (a handshake, or an id
   * the client makes up); its values go into every later poll. Module adapters only.
   */
  session?: SessionFunction;
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
