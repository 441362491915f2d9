/**
 * Server-Sent Events' part of the adapter contract: what a server declares
 * about its event stream. Exported to adapter authors through `pushspec` and
 * `pushspec/adapter`.
 */
import type { SessionFunction } from '../../core/session.ts';

/** One event as the stream dispatched it, for an {@link SseDecodeFunction}. */
export interface SseEventView {
  /** The `event` field, or "message". */
  type: string;
  data: string;
  /** The `id` field of this event, when it had one. */
  id?: string;
}

/**
 * Reads the messages a protocol wraps in one event (SockJS sends `data: a["hello"]`,
 * and `data: o` / `data: h` for its open and heartbeat frames, which carry none).
 * Module adapters only; it replaces `dataEncoding`.
 */
export type SseDecodeFunction = (event: SseEventView) => { messages?: Array<{ data: string; id?: string }> };

/** Where the harness can read how many event streams a server holds open right now (SSE-H2-CANCEL-RELEASED). */
export interface SseStatsSpec {
  /** Path (or absolute URL) answering JSON, or plain text when `streamsPattern` is given. */
  url: string;
  /** JSON Pointer to the number of open event streams, e.g. `/streams`. Give this or `streamsPattern`. */
  streamsPointer?: string;
  /**
   * For a plain-text answer: a regular expression (matched line by line, `m` flag) whose first
   * group is the number of open event streams, e.g. `^subscribers: (\d+)$` for Nchan's
   * `nchan_stub_status`. Give this or `streamsPointer`.
   */
  streamsPattern?: string;
}

/** What a server declares about its Server-Sent Events endpoint (WHATWG HTML §9.2). */
export interface SseSpec {
  /** Path (or absolute URL) of the event stream; `{channel}` and the session's values (`{session}`) replaced. Required unless `protocol` gives it. */
  path?: string;
  /** Opens a session per stream (values such as `{session}` go into `path`). Module adapters only. */
  session?: SessionFunction;
  /** A protocol's own envelope: the messages each event carries. Module adapters only. */
  decode?: SseDecodeFunction;
  /**
   * The server speaks HTTP/2 to this technique's clients: negotiated by ALPN
   * (`h2`) over `https://`, with prior knowledge (h2c) over `http://`.
   * pushspec's clients then speak nothing else: a connection that ends up on
   * HTTP/1.1 fails the request, naming what the server chose. Default false.
   */
  http2?: boolean;
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
  /**
   * Where the count of open event streams can be read; without it the check
   * that cancelled HTTP/2 streams are released (SSE-H2-CANCEL-RELEASED) is unsupported.
   */
  stats?: SseStatsSpec;
}
