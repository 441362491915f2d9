/**
 * WebSockets' part of the adapter contract: what a server declares about its
 * echo and channel endpoints. Exported to adapter authors through `pushspec`
 * and `pushspec/adapter`.
 */

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
  /**
   * The largest single frame the server accepts, in bytes, when it caps frames
   * apart from messages (64 KiB, say). Echo cases that send a larger frame then
   * expect the connection to fail (best with 1009) or the echo, never a failure.
   */
  maxFrameBytes?: number;
  /** The server pings idle connections at this interval, in ms (RFC 6455 §5.5.2 keep-alive). */
  pingIntervalMs?: number;
}
