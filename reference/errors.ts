/**
 * Every error the reference server answers with has a code from this
 * registry. It is the single source for statuses and meanings:
 * docs/reference-protocol.md lists every code (test/reference-docs.test.ts
 * keeps the two in step), and clients can rely on `error` being one of these.
 */
import type { FastifyReply } from 'fastify';

/** Code → HTTP status and what the code means, as the protocol doc states it. */
export const REFERENCE_ERRORS = {
  bad_request: { status: 400, description: 'The HTTP request itself is malformed (bad percent-encoding in the path, wrong Content-Length, …).' },
  invalid_channel: { status: 400, description: 'The channel name does not match [A-Za-z0-9._-]{1,128}.' },
  malformed_cursor: { status: 400, description: 'The cursor is not "0" or a decimal integer without leading zeros of at most 16 digits.' },
  cursor_ahead: { status: 400, description: 'The cursor is greater than the latest id of the channel.' },
  malformed_wait: { status: 400, description: 'The wait parameter is not a non-negative integer.' },
  malformed_json: { status: 400, description: 'The body is declared as JSON but is empty or not valid JSON.' },
  invalid_message: { status: 400, description: 'The message has the wrong shape: not a JSON object, data missing or not a string, event not a string, or a text body that is not valid UTF-8.' },
  invalid_event: { status: 400, description: 'The event name is empty, longer than 64 characters, or contains CR, LF or NUL.' },
  invalid_handshake: { status: 400, description: 'A WebSocket opening handshake is malformed: no Upgrade: websocket or Connection: Upgrade, a Sec-WebSocket-Key that is not the base64 of 16 bytes, a malformed Sec-WebSocket-Protocol, or HTTP older than 1.1.' },
  unauthorized: { status: 401, description: 'A publish or DELETE on a server with a publish token lacks Authorization: Bearer <token>, or carries another token; WWW-Authenticate: Bearer says so.' },
  origin_not_allowed: { status: 403, description: 'A WebSocket handshake, publish or DELETE comes from an Origin that is neither the server\'s own nor in allowedOrigins.' },
  not_found: { status: 404, description: 'No route has this path.' },
  method_not_allowed: { status: 405, description: 'The path exists but not with this method; the Allow header lists the methods it takes.' },
  request_timeout: { status: 408, description: 'The request head or body did not arrive within headersTimeoutMs / requestTimeoutMs; the connection is closed.' },
  cursor_expired: { status: 410, description: 'The message right after the cursor is no longer retained (the client missed messages); "oldest" names the first retained id.' },
  channel_closed: { status: 410, description: 'The channel was closed for good (DELETE /channels/{channel}); it takes no more polls or publishes.' },
  message_too_large: { status: 413, description: 'The request body is larger than the configured maximum message size.' },
  unsupported_media_type: { status: 415, description: 'The Content-Type is missing or is neither text/plain (UTF-8) nor application/json.' },
  host_not_allowed: { status: 421, description: 'The Host header names a host this server does not answer to (allowedHosts): a guard against DNS rebinding.' },
  unsupported_websocket_version: { status: 426, description: 'A WebSocket handshake has no Sec-WebSocket-Version or one other than 13; the Sec-WebSocket-Version header of the answer lists the supported one.' },
  internal_error: { status: 500, description: 'A bug in the reference server; no details are exposed.' },
  store_unavailable: { status: 503, description: 'An instance of a cluster cannot reach its shared store (Redis) in time: the publish or DELETE was not acknowledged (if Redis was only slow it may still have been stored), or a position from another instance could not be checked. Retry-After says when to try again.' },
  channel_limit: { status: 503, description: 'The publish would create one channel more than maxChannels; nothing is stored. Retry-After says when to try again.' },
} as const satisfies Record<string, { status: number; description: string }>;

/** One of the registered error codes. */
export type ReferenceErrorCode = keyof typeof REFERENCE_ERRORS;

/** Extra body fields an error may carry, e.g. `oldest` for `cursor_expired`. */
export type ErrorExtra = Record<string, string | number>;

/** The JSON body of every error response. */
export interface ErrorBody {
  error: ReferenceErrorCode;
  message: string;
  [extra: string]: string | number;
}

/** True when `code` is a registered error code. */
export function isReferenceErrorCode(code: unknown): code is ReferenceErrorCode {
  return typeof code === 'string' && Object.hasOwn(REFERENCE_ERRORS, code);
}

/**
 * An error a route throws to answer with a registered code; the app's error
 * handler turns it into the JSON body. The message is sent to the client, so
 * it must name the problem and the offending value, and nothing internal.
 */
export class ReferenceHttpError extends Error {
  readonly code: ReferenceErrorCode;
  /** Extra fields merged into the body (they cannot replace `error` or `message`). */
  readonly extra: ErrorExtra;
  /** Extra response headers, e.g. `Allow` for `method_not_allowed`. */
  readonly headers: Record<string, string>;

  constructor(
    code: ReferenceErrorCode,
    message: string,
    options: { extra?: ErrorExtra; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ReferenceHttpError';
    this.code = code;
    this.extra = options.extra ?? {};
    this.headers = options.headers ?? {};
  }

  /** The HTTP status the registry gives this code. */
  get statusCode(): number {
    return REFERENCE_ERRORS[this.code].status;
  }
}

/**
 * Sends `{error, message, ...extra}` with the registry's status. Errors are
 * never cacheable, so `Cache-Control: no-store` is set on every one of them.
 */
export function sendError(
  reply: FastifyReply,
  code: ReferenceErrorCode,
  message: string,
  extra: ErrorExtra = {},
): FastifyReply {
  // error and message first for readability, then re-set so extra can't replace them.
  const body: ErrorBody = { error: code, message, ...extra };
  body.error = code;
  body.message = message;
  return reply
    .code(REFERENCE_ERRORS[code].status)
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send(body);
}

/** Sends a {@link ReferenceHttpError}, with its extra headers. */
export function sendReferenceError(reply: FastifyReply, error: ReferenceHttpError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  return sendError(reply, error.code, error.message, error.extra);
}
