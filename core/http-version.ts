/**
 * Which HTTP a technique's clients speak: HTTP/1.1, or HTTP/2 where the
 * adapter declares it (`sse.http2`, `polling.http2`, `longPolling.http2`):
 * over `https://` by ALPN (`h2`), over `http://` with prior knowledge (h2c,
 * RFC 9113 §3.3). undici does both, but only when asked (`allowH2`; h2c only
 * through its connector's `useH2c`, which an Agent does not pass on), and it
 * falls back to HTTP/1.1 silently when a TLS server prefers it: a run that
 * "checks HTTP/2" could speak HTTP/1.1 throughout. So the connector here
 * looks at every connection it makes and refuses one that does not speak
 * what was declared, naming what the server chose.
 */
import type { Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Agent, buildConnector, Client } from 'undici';
import { filteredConnection, type ServerHeaderBlock } from './h2-header-filter.ts';

/** What a technique's clients speak. */
export type HttpVersion = '1.1' | '2';

/** The version a technique section declares (`http2: true` means HTTP/2). */
export function declaredVersion(section: { http2?: boolean } | undefined): HttpVersion {
  return section?.http2 === true ? '2' : '1.1';
}

/** `HTTP/2 (h2c, prior knowledge)`, `HTTP/2 (ALPN h2)`, `HTTP/1.1`: how a connection speaks, in words. */
function spoken(alpn: string | false | null | undefined, encrypted: boolean): string {
  if (alpn === 'h2') return encrypted ? 'HTTP/2 (ALPN h2)' : 'HTTP/2 (h2c, prior knowledge)';
  return encrypted ? `HTTP/1.1 (ALPN ${alpn === false || alpn === null || alpn === undefined ? 'not used' : alpn})` : 'HTTP/1.1';
}

export interface VersionedConnectOptions {
  version: HttpVersion;
  /** TLS options for `https://` (what to trust: core/tls.ts). */
  tls: ConnectionOptions;
  /** Told how each new connection speaks (`HTTP/2 (ALPN h2)`), for the transcript. */
  onConnection?: (origin: string, how: string) => void;
  /**
   * Told each header block an HTTP/2 server sends; when given, connection-specific fields are taken out before the
   * client reads them (core/h2-header-filter.ts says why). Unused over HTTP/1.1.
   */
  onHeaderBlock?: (block: ServerHeaderBlock) => void;
}

/**
 * undici's own connector, set for `version`, that refuses (with an error
 * naming the protocol the server chose) a TLS connection that did not
 * negotiate HTTP/2 when HTTP/2 was declared.
 */
export function versionedConnector(options: VersionedConnectOptions): buildConnector.connector {
  const h2 = options.version === '2';
  const base = buildConnector({ ...(options.tls as buildConnector.BuildOptions), allowH2: h2, ...(h2 ? { useH2c: true } : {}) });
  return (opts, callback) =>
    base(opts, (error, socket) => {
      if (error !== null) return callback(error, null);
      const encrypted = opts.protocol === 'https:';
      const alpn = (socket as { alpnProtocol?: string | false | null }).alpnProtocol;
      const how = spoken(alpn, encrypted);
      options.onConnection?.(`${opts.hostname}:${opts.port}`, how);
      if (h2 && alpn !== 'h2') {
        socket.destroy();
        return callback(new Error(`HTTP/2 was declared, but the server at ${opts.hostname}:${opts.port} chose ${how}`), null);
      }
      if (h2 && options.onHeaderBlock !== undefined) return callback(null, filteredConnection(socket as Socket, `${opts.hostname}:${opts.port}`, options.onHeaderBlock) as unknown as Socket);
      return callback(null, socket);
    });
}

/** An Agent whose connections speak `version` (see {@link versionedConnector}). */
export function versionedAgent(options: VersionedConnectOptions & { connections?: number }): Agent {
  const h2 = options.version === '2';
  return new Agent({ allowH2: h2, connect: versionedConnector(options), ...(options.connections !== undefined ? { connections: options.connections } : {}) });
}

/**
 * The HTTP/2 flow-control windows a client offers (RFC 9113 §6.9.2): each
 * stream's (SETTINGS_INITIAL_WINDOW_SIZE) and the connection's (a
 * WINDOW_UPDATE on stream 0). undici's defaults are 262144 and 524288 bytes;
 * unused over HTTP/1.1.
 */
export interface FlowControlWindows {
  stream: number;
  connection: number;
}

/** Streams pushspec opens at once on one HTTP/2 connection at most (undici's default is 100; scenarios hold 100 polls and then ask for more). */
const MAX_CONCURRENT_STREAMS = 256;

/**
 * A Client for one origin whose connection speaks `version`. Over HTTP/1.1
 * `pipelining: 1` (one request at a time, one connection); over HTTP/2 one
 * connection carries many streams at once, up to the server's limit.
 */
export function versionedClient(origin: string, options: VersionedConnectOptions & { windows?: FlowControlWindows }): Client {
  const connect = versionedConnector(options);
  if (options.version === '1.1') return new Client(origin, { pipelining: 1, connect });
  const { windows } = options;
  // undici counts HTTP/2 streams against `pipelining` too, which defaults to 1: one stream at a time unless raised.
  return new Client(origin, {
    allowH2: true,
    pipelining: MAX_CONCURRENT_STREAMS,
    maxConcurrentStreams: MAX_CONCURRENT_STREAMS,
    connect,
    ...(windows !== undefined ? { initialWindowSize: windows.stream, connectionWindowSize: windows.connection } : {}),
  });
}
