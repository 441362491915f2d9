/**
 * HTTP/2 beside HTTP/1.1 on the reference server's one port, with every
 * request answered by the same app (fastify's handler, the poll fast path):
 *
 * - over TLS, by ALPN: the server offers `h2` before `http/1.1`, and a
 *   connection that chose `h2` goes to an HTTP/2 session instead of node's
 *   HTTP/1.1 parser;
 * - in the clear, by the client's first bytes: a connection that opens with
 *   HTTP/2's preface (prior knowledge, h2c: RFC 9113 §3.3) gets an HTTP/2
 *   session, anything else the HTTP/1.1 parser (which also does WebSocket
 *   upgrades). nginx's `http2 on` does the same.
 *
 * Why not fastify's own `http2: true`: it replaces the HTTP/1.1 server, and
 * in the clear node's HTTP/2 server speaks nothing else, so HTTP/1.1 clients
 * and WebSocket upgrades (RFC 8441's extended CONNECT is not something `ws`
 * can take: docs/reference-protocol.md) would be refused.
 */
import http2, { type Http2ServerRequest, type Http2ServerResponse, type ServerHttp2Session } from 'node:http2';
import type { Server, Socket } from 'node:net';
import { Duplex } from 'node:stream';

/** HTTP/2's connection preface (RFC 9113 §3.4), what an h2c client with prior knowledge sends first. */
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/** ALPN identifiers the server offers, in its order of preference (the server's order decides). */
export const ALPN_PROTOCOLS = ['h2', 'http/1.1'];

export interface Http2Front {
  /** Asks every HTTP/2 connection to finish (GOAWAY): its open streams end as the app ends them. */
  closeSessions(): void;
  /** Cuts every HTTP/2 connection still open. */
  destroySessions(): void;
  /** HTTP/2 connections open now. */
  sessionCount(): number;
}

/**
 * Puts HTTP/2 in front of `server` (the app's http.Server or https.Server,
 * already built, not yet listening): its requests are emitted on `server`
 * as `request` events, as HTTP/1.1's are.
 */
export function serveHttp2(server: Server, encrypted: boolean): Http2Front {
  const sessions = new Set<ServerHttp2Session>();
  const h2 = http2.createServer();
  // The connection being handed over: node's HTTP/2 server makes its session synchronously in its 'connection' event.
  let handing: Socket | undefined;
  const handOver = (socket: Socket, stream: Socket | Duplex): void => {
    handing = socket;
    try {
      h2.emit('connection', stream);
    } finally {
      handing = undefined;
    }
  };
  h2.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    const socket = handing;
    // A session that ends lets go of its connection: without this, a client's socket that the session stopped reading
    // (a full buffer) would never see its end, and the server would wait for it for ever when it closes.
    session.on('close', () => {
      sessions.delete(session);
      socket?.destroy();
    });
    // A session error (a client's protocol error, a reset connection) ends that session only.
    session.on('error', () => session.destroy());
  });
  h2.on('request', (request: Http2ServerRequest, response: Http2ServerResponse) => {
    // RFC 9113 §8.3.1: `:authority` stands for Host, which an HTTP/2 request need not carry; the app reads Host.
    if (request.headers.host === undefined && request.authority !== undefined) request.headers.host = request.authority;
    server.emit('request', request, response);
  });
  const event = encrypted ? 'secureConnection' : 'connection';
  const [http1] = server.listeners(event) as Array<(socket: Socket) => void>;
  if (http1 === undefined) throw new Error(`the server has no '${event}' listener to put HTTP/2 beside`);
  server.removeListener(event, http1);
  server.on(event, (socket: Socket) => {
    if (encrypted) {
      if ((socket as Socket & { alpnProtocol?: string | false }).alpnProtocol === 'h2') handOver(socket, socket);
      else http1.call(server, socket);
      return;
    }
    sniff(socket, (isH2, first) => {
      if (!isH2) {
        // The HTTP/1.1 parser reads what was read already from the socket's buffer.
        socket.pause();
        socket.unshift(first);
        http1.call(server, socket);
        socket.resume();
        return;
      }
      // An HTTP/2 session reads the socket's handle directly and would miss bytes given back with unshift: it gets
      // a stream that starts with them instead.
      handOver(socket, replaying(socket, first));
    });
  });
  return {
    closeSessions: () => {
      for (const session of sessions) session.close();
    },
    destroySessions: () => {
      for (const session of sessions) session.destroy();
    },
    sessionCount: () => sessions.size,
  };
}

/** Reads until the first bytes say whether the client speaks HTTP/2 with prior knowledge; hands over what was read. */
function sniff(socket: Socket, decided: (isH2: boolean, first: Buffer) => void): void {
  let got = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    got = Buffer.concat([got, chunk]);
    const n = Math.min(got.length, PREFACE.length);
    const isH2 = got.subarray(0, n).equals(PREFACE.subarray(0, n));
    if (isH2 && got.length < PREFACE.length) return;
    socket.removeListener('data', onData);
    socket.removeListener('end', onEnd);
    socket.removeListener('error', onError);
    decided(isH2, got);
  };
  // A client gone before it said enough: nothing to hand over. (The server's sockets are half-open ones, as
  // node's HTTP/1.1 server wants them: without this one that ended before its first byte would stay open for ever.)
  const onEnd = (): void => void socket.destroy();
  const onError = (): void => void socket.destroy();
  socket.on('data', onData);
  socket.on('end', onEnd);
  socket.on('error', onError);
}

/** A stream over `socket` that first yields `first`, then whatever the socket reads; writes go to the socket. */
function replaying(socket: Socket, first: Buffer): Duplex {
  const stream = new Duplex({
    read: () => void socket.resume(),
    write: (chunk: Buffer, _encoding, callback) => void socket.write(chunk, callback),
    final: (callback) => void socket.end(callback),
    destroy: (error, callback) => {
      socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  stream.push(first);
  socket.on('data', (chunk: Buffer) => {
    if (!stream.push(chunk)) socket.pause();
  });
  socket.on('end', () => stream.push(null));
  // A reset connection ends its session (the session's own error handler takes it from there).
  socket.on('error', (error) => stream.destroy(error));
  socket.on('close', () => stream.destroy());
  return stream;
}
