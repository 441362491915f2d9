/**
 * Server-Sent Events' part of the adapter contract: what a server declares
 * about its event stream. Exported to adapter authors through `pushspec` and
 * `pushspec/adapter`.
 */

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
