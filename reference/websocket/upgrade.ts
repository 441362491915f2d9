/**
 * WebSocket endpoints (RFC 6455) behind fastify's HTTP server: node hands
 * every request with `Connection: Upgrade` and an `Upgrade` header to the
 * server's 'upgrade' event, which fastify's routing never sees. Here the
 * handshake is checked (./handshake.ts), refused with a JSON answer written
 * straight to the socket, or passed to `ws` (UTF-8 checked, `maxPayload` =
 * `wsMaxMessageBytes`; permessage-deflate on the echo endpoint only, its
 * malformed offers declined by ./deflate-offers.ts), and the connection
 * handed to ./sockets.ts.
 *
 * A plain request (no upgrade) for a WebSocket path reaches fastify, where
 * {@link websocketRoutes} answers it `400 invalid_handshake` (GET) or
 * `405` (other methods, through the app's fallbacks).
 */
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer } from 'ws';
import type { ChannelStore } from '../channel-store.ts';
import type { CorsPolicy } from '../cors.ts';
import { REFERENCE_ERRORS, ReferenceHttpError, type ErrorBody } from '../errors.ts';
import { acceptableDeflateOffers } from './deflate-offers.ts';
import { PUSHSPEC_SUBPROTOCOL, checkHandshake } from './handshake.ts';
import type { WebSocketConnections } from './sockets.ts';
import type { HostPolicy } from '../hosts.ts';
import type { PublishTokenPolicy } from '../publish-token.ts';
import { catchUp, type StoreSync } from '../publishing.ts';

/** The routes this module adds, for `GET /`. */
export const WEBSOCKET_ENDPOINTS: Readonly<Record<string, string>> = {
  echo: 'GET /echo (WebSocket)',
  ws: 'GET /channels/{channel}/ws?cursor={id} (WebSocket)',
};

/** Options of {@link installWebSockets}. */
export interface WebSocketOptions {
  store: ChannelStore;
  connections: WebSocketConnections;
  cors: CorsPolicy;
  /** The names the server answers to. */
  hosts: HostPolicy;
  /** The publish token a channel client needs to publish. */
  token: PublishTokenPolicy;
  /** Largest message a client may send, in bytes; bigger ones close the connection 1009. */
  maxMessageBytes: number;
  /** The shared store of a cluster; absent for one server. */
  sync?: StoreSync;
}

/**
 * Listens for upgrades on `app.server`. Returns a function that stops
 * listening (the connections themselves are closed by
 * {@link WebSocketConnections.close}).
 */
export function installWebSockets(app: FastifyInstance, options: WebSocketOptions): () => void {
  const { store, connections, cors, hosts, token, maxMessageBytes, sync } = options;
  const common = {
    noServer: true,
    clientTracking: false,
    maxPayload: maxMessageBytes,
    // ws allows 16,384 frames a message; Autobahn 9.3.1 sends 4 MiB in 65,536 frames of 64 bytes.
    // The bound stays: the largest message in frames of 64 bytes, at least ws's own.
    maxFragments: Math.max(16_384, Math.ceil(maxMessageBytes / 64)),
    skipUTF8Validation: false,
    handleProtocols: (offered: Set<string>) => (offered.has(PUSHSPEC_SUBPROTOCOL) ? PUSHSPEC_SUBPROTOCOL : false),
  };
  const wss = new WebSocketServer({ ...common, perMessageDeflate: false });
  // The echo endpoint negotiates permessage-deflate (RFC 7692). No option is set that makes ws refuse a parameter, so
  // every well-formed offer is accepted as asked; every message is compressed (threshold 0), so each parameter shows on
  // the wire, at the fastest level (cases send megabytes); maxPayload bounds the inflated size (1009).
  const echoWss = new WebSocketServer({ ...common, perMessageDeflate: { threshold: 0, zlibDeflateOptions: { level: 1 }, concurrencyLimit: 16 } });
  const check = (request: IncomingMessage): ReturnType<typeof checkHandshake> => {
    try {
      return checkHandshake(request, { store, cors, hosts, token });
    } catch (error) {
      app.log.error({ err: error }, 'checking a WebSocket handshake failed');
      return new ReferenceHttpError('internal_error', 'internal error in the reference server');
    }
  };
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => {});
    const endpoint = check(request);
    // A cursor another instance of a cluster gave out may be ahead of this one's copy for a moment.
    if (sync !== undefined && endpoint instanceof ReferenceHttpError && endpoint.code === 'cursor_ahead') {
      catchUp(sync).then(
        () => !socket.destroyed && accept(request, socket, head, check(request)),
        (error: unknown) => refuse(socket, error instanceof ReferenceHttpError ? error : new ReferenceHttpError('internal_error', 'internal error in the reference server')),
      );
      return;
    }
    accept(request, socket, head, endpoint);
  };
  const accept = (request: IncomingMessage, socket: Duplex, head: Buffer, endpoint: ReturnType<typeof checkHandshake>): void => {
    if (endpoint instanceof ReferenceHttpError) {
      refuse(socket, endpoint, cors.headersFor(headerValue(request.headers.origin)));
      return;
    }
    // ws wants exactly "websocket"; the check above allowed a list containing it.
    request.headers.upgrade = 'websocket';
    const accepted = endpoint;
    // Synchronous (no verifyClient): the checks above still hold when the connection opens.
    if (accepted.kind === 'echo') {
      // Malformed offers are declined (left out), not refused with ws's 400 (RFC 7692 §7).
      const offers = acceptableDeflateOffers(headerValue(request.headers['sec-websocket-extensions']));
      if (offers === undefined) delete request.headers['sec-websocket-extensions'];
      else request.headers['sec-websocket-extensions'] = offers;
    }
    (accepted.kind === 'echo' ? echoWss : wss).handleUpgrade(request, socket, head, (ws) => {
      if (accepted.kind === 'echo') connections.openEcho(ws, socket);
      else connections.openChannel(ws, accepted.channel, accepted.cursor, accepted.mayPublish);
      // Any bytes keep the connection from counting as idle, not only whole messages.
      socket.on('data', () => connections.heardFrom(ws));
    });
  };
  app.server.on('upgrade', onUpgrade);
  return () => {
    app.server.off('upgrade', onUpgrade);
  };
}

/** Fastify plugin: a plain GET on a WebSocket path is a handshake without its upgrade headers. */
export async function websocketRoutes(app: FastifyInstance): Promise<void> {
  for (const url of ['/echo', '/channels/:channel/ws']) {
    app.get(url, { exposeHeadRoute: false }, async () => {
      throw new ReferenceHttpError(
        'invalid_handshake',
        'this is a WebSocket endpoint: open it with a WebSocket handshake (Upgrade: websocket, Connection: Upgrade, Sec-WebSocket-Key, Sec-WebSocket-Version: 13)',
      );
    });
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Answers a refused handshake on the raw socket: the registry's status and
 * JSON body, `Connection: close`, then the socket is destroyed once written.
 */
export function refuse(socket: Duplex, error: ReferenceHttpError, extraHeaders: Record<string, string> = {}): void {
  const status = REFERENCE_ERRORS[error.code].status;
  const body: ErrorBody = { error: error.code, message: error.message, ...error.extra };
  body.error = error.code;
  body.message = error.message;
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  const headers: Record<string, string> = {
    ...extraHeaders,
    ...error.headers,
    connection: 'close',
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(payload.length),
    'cache-control': 'no-store',
  };
  const head =
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
    Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('') +
    '\r\n';
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), payload]), () => socket.destroy());
}
