/**
 * How long a client may take to send its request. Fastify's `requestTimeout`
 * defaults to 0 (never), so a connection that sends a head announcing a body
 * and then trickles it (or never finishes its head) would hold a descriptor
 * forever. Node's HTTP server enforces both limits below; these only measure
 * the *request* (node's request is complete once its body has arrived), so a
 * held long-poll, an event stream or a WebSocket, which are long responses,
 * are never cut by them.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { REFERENCE_ERRORS, type ErrorBody } from './errors.ts';

/** Default longest time to receive a request's head, in ms. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** Default longest time to receive a whole request, in ms: 1 MiB at 35 KB/s. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** How long the answer to a timed-out request may take to leave before the connection is cut. */
const CUT_GRACE_MS = 1000;
/** Bounds of both timeouts. */
export const MIN_TIMEOUT_MS = 10;
export const MAX_TIMEOUT_MS = 3_600_000;

/**
 * How often node looks for connections past their timeout (its
 * `connectionsCheckingInterval`, 30 s by default, which would let a 10 s
 * limit run to 40 s): a quarter of the shorter timeout, so a connection is
 * cut within 1.25 times its limit.
 */
export function checkingIntervalMs(headersTimeoutMs: number, requestTimeoutMs: number): number {
  return Math.max(5, Math.floor(Math.min(headersTimeoutMs, requestTimeoutMs) / 4));
}

/**
 * Fastify's `clientErrorHandler`: node calls it for a request that timed out
 * (ERR_HTTP_REQUEST_TIMEOUT, for its head or its whole) or could not be
 * parsed. Answers in the registry's JSON shape (408 request_timeout or 400
 * bad_request) when no response has started on the connection, then closes it.
 */
export function createClientErrorHandler(timeouts: { headersTimeoutMs: number; requestTimeoutMs: number }) {
  return function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    const body: ErrorBody = timedOut
      ? {
          error: 'request_timeout',
          message: `the request was not received in time: its head within ${timeouts.headersTimeoutMs} ms (headersTimeoutMs), all of it within ${timeouts.requestTimeoutMs} ms (requestTimeoutMs)`,
        }
      : { error: 'bad_request', message: `the request could not be parsed (${error.code ?? 'malformed HTTP'})` };
    const status = REFERENCE_ERRORS[body.error].status;
    const payload = JSON.stringify(body);
    // A route may already have answered (e.g. 410 before reading a body): then there is nothing to add.
    const started = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    if (!socket.writable || started) {
      socket.destroy();
      return;
    }
    // Cut after a short grace even if the client never reads the answer: freeing the descriptor is the point.
    const cut = setTimeout(() => socket.destroy(), CUT_GRACE_MS);
    cut.unref();
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nCache-Control: no-store\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`,
      () => {
        clearTimeout(cut);
        socket.destroy();
      },
    );
  };
}
