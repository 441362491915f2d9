/**
 * HTTP long-polling's part of the adapter contract: what a server declares
 * about its long-poll endpoint. Exported to adapter authors through
 * `pushspec` and `pushspec/adapter`.
 */
import type { BatchFormat, CursorTransport, DecodeFunction, SessionFunction } from '../polling/contract.ts';

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

/** What a server does with two polls held at once with one cursor (or one session); see model M-7. */
export type ConcurrentPolls = 'independent' | 'preempt-old' | 'reject-new' | 'close-both';

/** What a server declares about its HTTP long-polling endpoint ("hanging GET", RFC 6202 §2). */
export interface LongPollingSpec {
  /** Path (or absolute URL) of the long-poll; `{channel}` and the session's values (`{session}`) replaced. Required unless `protocol` gives it. */
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
   * Opens a session for each client before its first poll (engine.io's
   * handshake, a SockJS session id); its values go into every later poll.
   * Module adapters only.
   */
  session?: SessionFunction;
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
   * `reject-new` (the newer is refused at once with a 4xx) or `close-both`
   * (the newer is refused with a 4xx and the older ends with the session, as
   * engine.io does with two polls on one session). With a session function the
   * second poll shares the first's session. Default `independent`.
   */
  concurrentPolls?: ConcurrentPolls;
  /** A cursor value the server must refuse as malformed. Default `"not-a-cursor"`. */
  malformedCursor?: string;
  /** Where the count of held polls can be read; without it the leak check is unsupported. */
  stats?: StatsSpec;
}
