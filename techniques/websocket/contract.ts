/**
 * WebSockets' part of the adapter contract: what a server declares about its
 * echo and channel endpoints. Exported to adapter authors through `pushspec`
 * and `pushspec/adapter`.
 */
import type { SessionFunction } from '../../core/session.ts';

/** What one text frame of a channel connection carries, as a {@link WebSocketCodec} reads it. */
export interface DecodedFrame {
  /** The application messages in the frame (none: a control packet such as a heartbeat or an open packet). */
  messages?: Array<{ data: string; id?: string }>;
  /** Text frames the client must send at once in answer, such as engine.io's pong `3` to its ping `2`. */
  replies?: string[];
  /** The frame says the session is open (engine.io's `0{…}`, Socket.IO's `40{…}`, SockJS's `o`). */
  open?: boolean;
  /**
   * The frame is the protocol's own heartbeat (engine.io's ping `2`): with
   * `pingIntervalMs` declared, WS-KEEPALIVE-PING counts it as a keep-alive,
   * as it counts Ping frames.
   */
  keepAlive?: boolean;
}

/**
 * How a protocol wraps messages in WebSocket frames (engine.io `4hello`,
 * Socket.IO `42["message","hello"]`, SockJS `a["hello"]`). Module adapters only.
 */
export interface WebSocketCodec {
  /** Reads one text frame the server sent on the channel endpoint. */
  decode(text: string): DecodedFrame;
  /** Wraps text the client publishes on the channel (full duplex). Default: the text as it is. */
  encode?(data: string): string;
  /** Text frames the client sends as soon as it is connected, e.g. Socket.IO's namespace connect `40`. */
  hello?: string[];
  /**
   * Wait for a frame the decoder marks `open` before the connection counts as
   * subscribed (the server joins the channel only then). Default false.
   */
  awaitOpen?: boolean;
}

/** One step of an upgrade handshake: a text frame the client sends, or one it waits for. */
export type UpgradeStep = { send: string } | { expect: string };

/**
 * How a long-polling client moves its session onto a WebSocket (engine.io:
 * connect with the session id, send `2probe`, expect `3probe`, send `5`).
 * Needs a `longPolling` section: its client opens the session.
 */
export interface UpgradeSpec {
  /** Path (or URL) of the WebSocket; `{channel}` and the long-polling session's values and query (e.g. `{sid}`) filled in. */
  path: string;
  /** The frames that complete the upgrade, in order. */
  handshake: UpgradeStep[];
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
  /** A protocol's own message envelope on the channel endpoint; replaces `messageFormat`. Module adapters only. */
  codec?: WebSocketCodec;
  /** Opens a session per client before it connects to the channel endpoint (values such as `{session}` go into `channelPath`). Module adapters only. */
  session?: SessionFunction;
  /** A long-polling session can move onto a WebSocket; a requirement checks that no message is lost or duplicated across the move. */
  upgrade?: UpgradeSpec;
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
  /**
   * The echo endpoint can negotiate permessage-deflate (RFC 7692): the
   * compression cases (Autobahn 12.x, 13.x) and its negotiation and protocol
   * checks run. Default false: they are unsupported.
   */
  permessageDeflate?: boolean;
  /**
   * The echo endpoint also opens over HTTP/2 (RFC 8441): the server sends
   * SETTINGS_ENABLE_CONNECT_PROTOCOL and answers an extended CONNECT with
   * `:protocol websocket` on `echoPath`, by ALPN over `https://` and with prior
   * knowledge (h2c) over `http://`. The other WebSocket requirements stay on
   * HTTP/1.1. Default false.
   */
  http2?: boolean;
}
