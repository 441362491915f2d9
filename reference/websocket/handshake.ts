/**
 * The WebSocket opening handshake (RFC 6455 §4.2.1), checked by the reference
 * itself before `ws` sees it: `ws` answers some cases differently from what
 * pushspec requires (it accepts version 8, answers a bad version 400, …).
 * Pure: a request's method, URL and headers in, either "accept this endpoint"
 * or the {@link ReferenceHttpError} to answer with. No sockets here.
 *
 * Checks, first failure wins: the path (404), the method (405), the HTTP
 * version, `Upgrade` and `Connection` (400), `Sec-WebSocket-Version` (426),
 * `Sec-WebSocket-Key` and `Sec-WebSocket-Protocol` (400), `Origin` (403),
 * then for a channel: its name (400), closed (410), the cursor (400/410).
 */
import type { ChannelStore } from '../channel-store.ts';
import type { CorsPolicy } from '../cors.ts';
import { malformedCursor, unservableCursor } from '../cursor-errors.ts';
import { ReferenceHttpError } from '../errors.ts';
import { isValidChannelName, parseCursor, quote } from '../validation.ts';
import type { HostPolicy } from '../hosts.ts';
import type { PublishTokenPolicy } from '../publish-token.ts';

/** The only WebSocket version this server speaks. */
export const WEBSOCKET_VERSION = '13';

/** The subprotocol the server speaks; chosen only when the client offers it. */
export const PUSHSPEC_SUBPROTOCOL = 'pushspec.v1';

/** A `Sec-WebSocket-Key`: base64 of exactly 16 bytes (22 characters and `==`). */
const KEY_PATTERN = /^[+/0-9A-Za-z]{21}[AQgw]==$/;

/** An RFC 9110 token, what each subprotocol name must be. */
const TOKEN_PATTERN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The WebSocket paths: `/echo` and `/channels/{channel}/ws`. */
const CHANNEL_PATH = /^\/channels\/([^/]+)\/ws$/;

/** What a WebSocket connection serves. */
export type WebSocketEndpoint = { kind: 'echo' } | { kind: 'channel'; channel: string; cursor?: string; mayPublish?: boolean };

/** What the handshake check needs to know about the request. */
export interface HandshakeRequest {
  method?: string | undefined;
  url?: string | undefined;
  httpVersion: string;
  headers: Record<string, string | string[] | undefined>;
}

/** What the handshake check needs from the server. */
export interface HandshakeContext {
  store: ChannelStore;
  cors: CorsPolicy;
  /** The names the server answers to; the server always gives it (unit tests of other rules may not). */
  hosts?: HostPolicy;
  /**
   * The publish token, when one is configured: a channel handshake without
   * `Authorization` opens a connection that may read but not publish; one
   * with a wrong token is refused 401.
   */
  token?: PublishTokenPolicy;
}

/**
 * The endpoint a URL names, `undefined` for a path that is no WebSocket
 * endpoint, or an `invalid_channel` error for a channel name that does not
 * decode or is invalid.
 */
export function matchWebSocketPath(url: string): WebSocketEndpoint | ReferenceHttpError | undefined {
  const queryAt = url.indexOf('?');
  const path = queryAt < 0 ? url : url.slice(0, queryAt);
  if (path === '/echo') return { kind: 'echo' };
  const match = CHANNEL_PATH.exec(path);
  if (match === null) return undefined;
  let channel: string;
  try {
    channel = decodeURIComponent(match[1] ?? '');
  } catch {
    return new ReferenceHttpError('bad_request', `the request for ${quote(path)} is malformed: its path has invalid percent-encoding`);
  }
  if (!isValidChannelName(channel)) {
    return new ReferenceHttpError(
      'invalid_channel',
      `channel name ${quote(channel)} is invalid: use 1 to 128 of the characters A-Z a-z 0-9 . _ -`,
    );
  }
  return { kind: 'channel', channel };
}

/** The request's single value of `name`, joined when repeated. */
function header(request: HandshakeRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The comma-separated tokens of a header, trimmed and lower-cased. */
function tokens(value: string | undefined): string[] {
  return (value ?? '').split(',').map((token) => token.trim().toLowerCase());
}

function invalid(message: string): ReferenceHttpError {
  return new ReferenceHttpError('invalid_handshake', message);
}

/**
 * Parses `Sec-WebSocket-Protocol` into the offered names, or returns
 * `undefined` when it is malformed (empty names, non-tokens, duplicates).
 */
export function parseSubprotocols(value: string | undefined): Set<string> | undefined {
  const offered = new Set<string>();
  if (value === undefined) return offered;
  for (const name of value.split(',').map((part) => part.trim())) {
    if (!TOKEN_PATTERN.test(name) || offered.has(name)) return undefined;
    offered.add(name);
  }
  return offered;
}

/**
 * Checks an opening handshake. Returns the endpoint to serve, or the error
 * to answer with (its `headers` include `Allow` for 405 and
 * `Sec-WebSocket-Version` for 426).
 */
export function checkHandshake(request: HandshakeRequest, context: HandshakeContext): WebSocketEndpoint | ReferenceHttpError {
  const url = request.url ?? '/';
  const path = url.split('?')[0] ?? '/';
  const host = header(request, 'host');
  if (context.hosts !== undefined && !context.hosts.allows(host)) {
    return new ReferenceHttpError('host_not_allowed', `this server does not answer to the host ${quote(host)} (allowedHosts)`);
  }
  const endpoint = matchWebSocketPath(url);
  if (endpoint === undefined) {
    return new ReferenceHttpError('not_found', `no WebSocket endpoint at ${quote(path)}; use /echo or /channels/{channel}/ws`);
  }
  if (request.method !== 'GET') {
    return new ReferenceHttpError('method_not_allowed', `${String(request.method)} is not allowed on ${quote(path)}; use GET`, {
      headers: { allow: 'GET' },
    });
  }
  if (endpoint instanceof ReferenceHttpError && endpoint.code === 'bad_request') return endpoint;
  const [major = 0, minor = 0] = request.httpVersion.split('.').map(Number);
  if (major < 1 || (major === 1 && minor < 1)) {
    return invalid(`a WebSocket handshake needs HTTP/1.1 or later, got HTTP/${request.httpVersion}`);
  }
  if (!tokens(header(request, 'upgrade')).includes('websocket')) {
    return invalid(`the Upgrade header must contain "websocket", got ${quote(header(request, 'upgrade') ?? '(none)')}`);
  }
  if (!tokens(header(request, 'connection')).includes('upgrade')) {
    return invalid(`the Connection header must contain "Upgrade", got ${quote(header(request, 'connection') ?? '(none)')}`);
  }
  const version = header(request, 'sec-websocket-version');
  if (version?.trim() !== WEBSOCKET_VERSION) {
    return new ReferenceHttpError(
      'unsupported_websocket_version',
      `Sec-WebSocket-Version ${quote(version ?? '(none)')} is not supported; this server speaks version ${WEBSOCKET_VERSION}`,
      { headers: { 'sec-websocket-version': WEBSOCKET_VERSION } },
    );
  }
  const key = header(request, 'sec-websocket-key');
  if (key === undefined || !KEY_PATTERN.test(key)) {
    return invalid(`Sec-WebSocket-Key ${quote(key ?? '(none)')} must be the base64 encoding of exactly 16 bytes`);
  }
  if (parseSubprotocols(header(request, 'sec-websocket-protocol')) === undefined) {
    return invalid(
      `Sec-WebSocket-Protocol ${quote(header(request, 'sec-websocket-protocol'))} must be a comma-separated list of distinct tokens`,
    );
  }
  const origin = header(request, 'origin');
  if (!context.cors.permits(origin, host)) {
    return new ReferenceHttpError(
      'origin_not_allowed',
      `origin ${quote(origin)} may not open WebSockets on this server: it is not the server's own origin nor in allowedOrigins (--allow-origin)`,
    );
  }
  if (endpoint instanceof ReferenceHttpError || endpoint.kind === 'echo') return endpoint;
  const authority = context.token?.check(request.headers.authorization) ?? 'granted';
  if (authority === 'wrong') {
    return new ReferenceHttpError('unauthorized', 'the Bearer token is not this server\'s publish token', {
      headers: { 'www-authenticate': 'Bearer realm="pushspec-reference", error="invalid_token"' },
    });
  }
  const checked = checkChannel(endpoint.channel, url, context.store);
  if (checked instanceof ReferenceHttpError || checked.kind === 'echo' || authority === 'granted') return checked;
  return { ...checked, mayPublish: false };
}

/** The channel checks: closed (410), then the cursor, as a poll checks it. */
function checkChannel(channel: string, url: string, store: ChannelStore): WebSocketEndpoint | ReferenceHttpError {
  if (store.isClosed(channel)) {
    return new ReferenceHttpError(
      'channel_closed',
      `channel ${quote(channel)} was closed for good (DELETE /channels/${channel}); it takes no more subscribers`,
    );
  }
  const queryAt = url.indexOf('?');
  const cursors = new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1)).getAll('cursor');
  if (cursors.length === 0) return { kind: 'channel', channel };
  const cursor = cursors.length === 1 ? cursors[0] : undefined;
  if (cursor === undefined || parseCursor(cursor) === undefined) {
    return malformedCursor('cursor', quote(cursors.length === 1 ? cursors[0] : cursors));
  }
  const result = store.read(channel, cursor);
  if (result.kind === 'batch') return { kind: 'channel', channel, cursor };
  return unservableCursor(result, channel, cursor);
}
