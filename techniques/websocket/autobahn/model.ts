/**
 * An Autobahn|Testsuite fuzzingclient case as pushspec plays it: what the
 * client sends (a script over one connection to the echo endpoint), what the
 * server may answer (Autobahn's expected event lists, keyed by outcome), and
 * how the connection must end (Autobahn's closing behaviour). The cases are
 * data (cases-*.ts); play.ts runs one, judge.ts judges it as Autobahn would.
 * Case ids are Autobahn's own (`6.4.1`), so a pushspec report reads side by
 * side with an Autobahn one; pushspec's own extra rows use ids starting `P`.
 */
import type { CaseConnection, CaseEvent } from './connection.ts';
import type { WsFinding } from '../inspect.ts';

export type { CaseEvent } from './connection.ts';
import type { DeflateOffer } from '../deflate/negotiation.ts';

/**
 * An event a case expects. A message may be compared byte for byte (`data`),
 * or by type and length only (`length`: Autobahn's category 9 compares no
 * content), or by SHA-1 (`sha1`: 12.x/13.x).
 */
export type ExpectedEvent =
  | { kind: 'message'; type: 'text' | 'binary'; data?: Buffer; length?: number; sha1?: string }
  | { kind: 'pong'; payload: Buffer }
  | { kind: 'timeout'; tag: string };

/** Autobahn's closing expectation (`expectedClose`). */
export interface CloseExpectation {
  /** The client (as Autobahn, "me") starts the closing handshake; false: the server must fail the connection. */
  closedByClient: boolean;
  /** The close codes the server may send (an absent code is accepted, as in Autobahn). */
  codes: number[];
  /** The closing handshake must complete, both close frames and an orderly TCP close. */
  requireClean: boolean;
  /** Autobahn 6.x: a connection the client had to close means the server never found the bad UTF-8 (the case FAILED). */
  wrongEndpointIsFatal?: boolean;
  /** Autobahn 7.x: a close code outside `codes` fails the case (elsewhere it is reported, not failed). */
  wrongCodeIsFatal?: boolean;
}

/** How the case ends once its script has run. */
export interface CaseEnding {
  /**
   * `close`: the client sends Close 1000 once the events match an expected list,
   * or when `afterMs` passes (Autobahn `closeAfter`, `finishWhenDone`).
   * `await`: the script already closed, or the server must fail the connection:
   * the client waits `afterMs` for the connection to end, then fails it itself
   * with Close 1001 (Autobahn `killAfter`).
   */
  kind: 'close' | 'await';
  afterMs: number;
}

/** What a case sends: the bytes of its largest message and frame, for a server's declared limits. */
export interface CaseSizes {
  messageBytes: number;
  frameBytes: number;
}

export interface AutobahnCase {
  /** Autobahn's id (`7.3.6`), or pushspec's own (`P1.1.9`). */
  id: string;
  /** The pushspec requirement this case is a row of. */
  requirement: string;
  /** What the client sends, in the words the Examples row uses. */
  sends: string;
  /** Runs the case's sending part on an open connection. */
  script: (conn: CaseConnection) => Promise<void>;
  /** Expected event lists by Autobahn outcome; the first that equals what was received is the outcome. */
  expected: { ok: ExpectedEvent[][]; nonStrict?: ExpectedEvent[][] };
  /** Autobahn marks the case INFORMATIONAL whatever happens (7.1.6, 7.13.x). */
  informational?: boolean;
  /** The requirement a NON-STRICT outcome is reported under (what Autobahn's tolerated list tolerates). */
  nonStrictPart?: string;
  close: CloseExpectation;
  ending: CaseEnding;
  /** The largest message and frame sent, when a server's declared limit could refuse them (category 9). */
  sizes?: CaseSizes;
  /** A permessage-deflate offer to make in the handshake (12.x, 13.x); the echo is judged only if it is accepted. */
  deflate?: DeflateOffer;
  /** The whole case's deadline, ms (Autobahn's own per-case timeouts for 9.x, 12.x, 13.x). Default 10 s. */
  timeoutMs?: number;
  /** Report the duration (and the message rate) as figures (category 9). */
  timed?: boolean;
  /**
   * Only messages are compared with the expected lists: Autobahn judges category 9
   * in its onMessage, so a ping the server sends meanwhile (answered as always)
   * changes nothing.
   */
  messagesOnly?: boolean;
}

/** Everything a played case recorded, for the judge. */
export interface CaseRecord {
  /** The handshake's status (101 when upgraded, over HTTP/1.1 or by an extended CONNECT over HTTP/2, RFC 8441). */
  status: number;
  /** The Sec-WebSocket-Extensions the server answered, if any. */
  extensions?: string;
  events: CaseEvent[];
  /** The client sent the first close frame, or dropped the connection first (Autobahn's `closedByMe`). */
  closedByClient: boolean;
  /** Both close frames were exchanged and TCP ended in order (Autobahn's `wasClean`). */
  clean: boolean;
  /** The client had to drop TCP because the server did not (Autobahn's `droppedByMe`). */
  droppedByClient: boolean;
  /** The code of the server's close frame, if it sent one with a code. */
  serverCode?: number;
  /** The server sent a close frame at all. */
  serverClosed: boolean;
  /** The code of the client's first close frame, if it sent one. */
  clientCode?: number;
  /** The client failed the connection itself (Close 1001) because the server did not end it in time. */
  killed: boolean;
  /** How the connection ended, in words (the transcript's close outcome). */
  outcome: string;
  /** Protocol errors in the server's own frames. */
  findings: WsFinding[];
  /** From the handshake answer to the end, ms. */
  durationMs: number;
  /** The case did not finish within its deadline, or the connection failed before the handshake: why. */
  aborted?: string;
  /** The deflate offer was declined (the echo then went uncompressed), for 12.x/13.x. */
  deflateDeclined?: boolean;
  /** Bytes of payload sent and received, for figures. */
  bytesSent: number;
  bytesReceived: number;
}
