/**
 * The pushspec reference server: one fastify app serving every push technique
 * on one port, all backed by one {@link ChannelStore}. Its wire contract is
 * docs/reference-protocol.md; adapters reach it with
 * `"protocol": "pushspec-reference"`.
 *
 * Techniques are fastify plugins given the store. Polling, long-polling and
 * Server-Sent Events are fastify plugins; WebSocket handshakes are taken from
 * the HTTP server's 'upgrade' event (websocket/upgrade.ts).
 */
import { ALPN_PROTOCOLS, serveHttp2, type Http2Front } from './http2.ts';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ChannelStore } from './channel-store.ts';
import { CorsPolicy, corsPreflightRoutes, installCors } from './cors.ts';
import { HostPolicy } from './hosts.ts';
import { sendError } from './errors.ts';
import { createErrorHandler, installFallbacks } from './fallbacks.ts';
import { HeldPolls } from './held-polls.ts';
import { installPollFastPath } from './poll-fast-path.ts';
import { resolveReferenceOptions, type ReferenceOptions } from './options.ts';
import { PublishTokenPolicy } from './publish-token.ts';
import type { ChannelPublisher } from './publishing.ts';
import { ClusterLink } from './cluster/link.ts';
import { checkingIntervalMs, createClientErrorHandler } from './timeouts.ts';
import { CHANNEL_ENDPOINTS, channelRoutes } from './routes/channels.ts';
import { INFO_ENDPOINTS, infoRoutes, readPackageVersion } from './routes/info.ts';
import { POLLING_ENDPOINTS, pollingRoutes } from './routes/polling.ts';
import { PUBLISH_ENDPOINTS, publishRoutes } from './routes/publish.ts';
import { SSE_ENDPOINTS, sseRoutes } from './routes/sse.ts';
import { SseStreams } from './sse/streams.ts';
import { WebSocketConnections } from './websocket/sockets.ts';
import { WEBSOCKET_ENDPOINTS, installWebSockets, websocketRoutes } from './websocket/upgrade.ts';

export type { ReferenceOptions } from './options.ts';

/** A listening reference server. */
export interface ReferenceServer {
  /** Base URL, e.g. `http://127.0.0.1:43123` (`https://` with the `tls` option; IPv6 hosts in brackets). */
  readonly url: string;
  /** The port actually bound (the ephemeral one when `port` was 0). */
  readonly port: number;
  readonly app: FastifyInstance;
  readonly store: ChannelStore;
  /** The long-polls being held right now. */
  readonly held: HeldPolls;
  /** The SSE streams open right now. */
  readonly streams: SseStreams;
  /** The WebSocket connections open right now. */
  readonly sockets: WebSocketConnections;
  /** HTTP/2 beside HTTP/1.1, when started with `http2` (reference/http2.ts). */
  readonly front: Http2Front | undefined;
  /**
   * Answers every held long-poll (empty batch, unchanged cursor), ends every
   * SSE stream, closes every WebSocket with 1001, stops listening and closes every connection; safe to call
   * more than once.
   */
  close(): Promise<void>;
}

/**
 * Route parameters can be long (percent-encoded channel names up to 128
 * characters); fastify's default of 100 would turn valid names into 404s.
 * Longer ones are answered `invalid_channel` (see fallbacks.ts).
 */
const MAX_PARAM_LENGTH = 1024;

/**
 * How long close() lets in-flight requests finish before cutting their
 * connections, so a stuck client can't keep a test process alive.
 */
const CLOSE_GRACE_MS = 2000;

/**
 * Builds the app without listening: for `app.inject()` tests, or to mount
 * elsewhere. Call `app.close()` when done.
 * @throws TypeError when an option is invalid.
 */
export function buildReferenceApp(options: ReferenceOptions = {}): {
  app: FastifyInstance;
  store: ChannelStore;
  held: HeldPolls;
  streams: SseStreams;
  sockets: WebSocketConnections;
  /** HTTP/2 beside HTTP/1.1, when `http2` is set. */
  front: Http2Front | undefined;
} {
  const {
    historyLimit,
    historyMaxBytes,
    maxChannels,
    closedChannelLimit,
    maxMessageBytes,
    maxHoldMs,
    sseRetryMs,
    sseKeepAliveMs,
    sseMaxBufferBytes,
    wsMaxMessageBytes,
    wsPingIntervalMs,
    wsMaxBufferBytes,
    headersTimeoutMs,
    requestTimeoutMs,
    allowedOrigins,
    allowedHosts,
    publishToken,
    host,
    logger,
    tls,
    redis,
    redisPrefix,
    http2,
  } = resolveReferenceOptions(options);
  const fallbackOptions = { maxMessageBytes };
  const errorHandler = createErrorHandler(fallbackOptions);

  const serverOptions = { headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs, connectionsCheckingInterval: checkingIntervalMs(headersTimeoutMs, requestTimeoutMs) };
  const appOptions = {
    logger,
    bodyLimit: maxMessageBytes,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // A request (head and body) must arrive in time; responses, however long (held polls, streams), are not limited.
    requestTimeout: requestTimeoutMs,
    clientErrorHandler: createClientErrorHandler({ headersTimeoutMs, requestTimeoutMs }),
    // Errors raised while routing (bad percent-encoding, over-long parameter)
    // bypass setErrorHandler; route them through the same handler.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      errorHandler(error as FastifyError, request, reply);
    },
  };
  // Over TLS fastify hands its `https` options to node's https.createServer, which takes the HTTP timeouts too
  // (fastify reads `http` only for plain HTTP). An https.Server answers the same calls the app makes of app.server.
  const app =
    tls === undefined
      ? Fastify({ ...appOptions, http: serverOptions })
      : (Fastify({ ...appOptions, https: { ...serverOptions, cert: tls.cert, key: tls.key, ...(http2 ? { ALPNProtocols: ALPN_PROTOCOLS } : {}) } }) as unknown as FastifyInstance);
  const front = http2 ? serveHttp2(app.server, tls !== undefined) : undefined;
  const store = new ChannelStore({
    historyLimit,
    historyMaxBytes,
    maxChannels,
    closedChannelLimit,
    onListenerError: (error, channel) => app.log.error({ err: error, channel }, 'a channel listener threw'),
  });
  // One instance of a cluster: the store is this instance's copy of what Redis holds (reference/cluster/).
  const cluster =
    redis === undefined
      ? undefined
      : new ClusterLink({ url: redis, prefix: redisPrefix, store, closedChannelLimit, log: (level, message) => clusterLog(app, level, message) });
  const publisher: ChannelPublisher = cluster ?? store;
  const held = new HeldPolls(store, {
    maxHoldMs,
    onReleaseError: (error, channel) => app.log.error({ err: error, channel }, 'answering a held poll failed'),
  });
  const streams = new SseStreams(store, { retryMs: sseRetryMs, keepAliveMs: sseKeepAliveMs, maxBufferBytes: sseMaxBufferBytes });
  const cors = new CorsPolicy(allowedOrigins);
  const token = new PublishTokenPolicy(publishToken);
  const authority = { cors, token };
  const sockets = new WebSocketConnections(store, { pingIntervalMs: wsPingIntervalMs, maxBufferBytes: wsMaxBufferBytes, publisher });

  // Only the publish route reads bodies; it registers its own parsers.
  app.removeAllContentTypeParsers();
  installFallbacks(app, fallbackOptions);
  // Nothing this server answers may be cached: polls must always reach the
  // server (the contract requires it for polls; errors set it too). Event
  // streams replace it with `no-store, no-transform`.
  // Then the CORS headers the request's Origin earns (none unless configured).
  // First of all, the name the request was sent to: a page that rebound a name of its own to this
  // address gets nothing (DNS rebinding), not even an error telling it more than that.
  const hosts = new HostPolicy(allowedHosts, host);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    if (!hosts.allows(request.headers.host)) {
      return sendError(reply, 'host_not_allowed', `this server does not answer to the host ${JSON.stringify(String(request.headers.host).slice(0, 80))} (allowedHosts)`);
    }
    return undefined;
  });
  installCors(app, cors);
  installPollFastPath(app, { store, hosts, cors, logging: logger });

  app.register(infoRoutes, {
    version: readPackageVersion(),
    endpoints: { ...INFO_ENDPOINTS, ...PUBLISH_ENDPOINTS, ...POLLING_ENDPOINTS, ...SSE_ENDPOINTS, ...WEBSOCKET_ENDPOINTS, ...CHANNEL_ENDPOINTS },
    // The store's public figures (its listener count is an internal detail:
    // held polls and streams share one listener per channel) and what
    // techniques hold.
    stats: () => {
      const { channels, messages } = store.stats();
      return {
        channels,
        messages,
        held: held.count(),
        streams: streams.count(),
        slowClientsDropped: streams.slowClientsDropped,
        sockets: sockets.count(),
        slowSocketsDropped: sockets.slowClientsDropped,
        ...(cluster !== undefined ? { redis: cluster.state } : {}),
      };
    },
  });
  app.register(publishRoutes, { store, publisher, authority });
  app.register(pollingRoutes, { store, held, ...(cluster !== undefined ? { sync: cluster } : {}) });
  app.register(sseRoutes, { store, streams, ...(cluster !== undefined ? { sync: cluster } : {}) });
  app.register(channelRoutes, { publisher, authority });
  // Browsers preflight an EventSource reconnecting with Last-Event-ID, a
  // JSON publish and a DELETE; each route lists what a page may do on it.
  app.register(corsPreflightRoutes, {
    policy: cors,
    routes: {
      '/channels/:channel/events': ['GET'],
      '/channels/:channel/messages': ['GET', 'POST'],
      '/channels/:channel': ['DELETE'],
    },
  });
  // WebSockets: handshakes arrive on the HTTP server's 'upgrade' event,
  // which fastify's routing never sees; plain requests for their paths do.
  app.register(websocketRoutes);
  const stopUpgrades = installWebSockets(app, { store, connections: sockets, cors, hosts, token, maxMessageBytes: wsMaxMessageBytes, ...(cluster !== undefined ? { sync: cluster } : {}) });
  if (cluster !== undefined) {
    // Before listening: the copy holds every retained message and the feed is being read.
    app.addHook('onReady', () => cluster.start());
    app.addHook('onClose', () => cluster.stop());
  }

  // Shutdown: fastify runs preClose before it closes idle sockets, so every
  // held long-poll gets its (empty) answer and every SSE stream its end, and
  // has it flushed first; the connection is then idle and closed cleanly,
  // and no client sees a reset (an EventSource reconnects to whatever
  // listens next). Every WebSocket is closed with 1001 and its close
  // handshake awaited (bounded), so its client sees a clean close too.
  app.addHook('preClose', async () => {
    stopUpgrades();
    await Promise.all([held.close(), streams.close(), sockets.close()]);
    // HTTP/2 connections are not node's HTTP/1.1 connections, which app.close() ends: each is asked to finish (GOAWAY).
    front?.closeSessions();
  });

  return { app, store, held, streams, sockets, front };
}

function clusterLog(app: FastifyInstance, level: 'warn' | 'info', message: string): void {
  // The Redis link's comings and goings matter to an operator even without request logging.
  if (level === 'warn') console.warn(`pushspec reference: ${message}`);
  else console.info(`pushspec reference: ${message}`);
  app.log[level](message);
}

/**
 * Builds the app and listens (default `127.0.0.1`, port 0 = ephemeral).
 * @throws TypeError when an option is invalid; the listen error (e.g. EADDRINUSE) otherwise.
 */
export async function startReferenceServer(options: ReferenceOptions = {}): Promise<ReferenceServer> {
  const { host, port: requestedPort, tls } = resolveReferenceOptions(options);
  const { app, store, held, streams, sockets, front } = buildReferenceApp(options);
  try {
    await app.listen({ host, port: requestedPort });
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = app.server.address() as AddressInfo;
  const url = `${tls === undefined ? 'http' : 'https'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    app,
    store,
    held,
    streams,
    sockets,
    front,
    close() {
      closing ??= closeApp(app, front);
      return closing;
    },
  };
}

/**
 * Closes the app: fastify runs preClose hooks (which answer held long-polls),
 * closes idle keep-alive sockets and waits for in-flight requests; after a
 * grace period the remaining connections are cut so the process can exit.
 */
async function closeApp(app: FastifyInstance, front: Http2Front | undefined): Promise<void> {
  const timer = setTimeout(() => {
    app.server.closeAllConnections();
    front?.destroySessions();
  }, CLOSE_GRACE_MS);
  timer.unref();
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
}
