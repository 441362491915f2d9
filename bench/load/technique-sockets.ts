/**
 * Byte counting for the technique comparison (issue 8, item 6): every TCP
 * connection a client (or the publisher) opens is made here and remembered,
 * so what it cost on the wire is the sum of its sockets' `bytesRead` and
 * `bytesWritten`: HTTP heads, chunk framing, WebSocket frame headers and
 * handshakes included; TCP/IP headers and ACKs not (the kernel adds those).
 */
import net, { type Socket } from 'node:net';
import { buildConnector } from 'undici';

/** The sockets one client opened, and what went through them. */
export class SocketTally {
  readonly sockets: Socket[] = [];

  /**
   * An undici connector (`new Client(origin, { connect })`) that remembers
   * each socket `base` makes (by default plain TCP; for HTTP/2, core/http-version.ts's
   * versioned connector, whose sockets are still the TCP ones, so frame headers,
   * HPACK blocks, SETTINGS, WINDOW_UPDATE and PING frames are all counted).
   */
  connector(base: buildConnector.connector = buildConnector({})): buildConnector.connector {
    return (options, callback) => {
      base(options, ((error: Error | null, socket: Socket | null) => {
        if (socket !== null) this.sockets.push(socket);
        callback(...((error === null ? [null, socket!] : [error, null]) as Parameters<buildConnector.Callback>));
      }) as buildConnector.Callback);
    };
  }

  /**
   * For ws's `createConnection` option. ws hands over the request options,
   * whose `path` is the URL path: passed on as is, net would read it as a
   * Unix socket path, so only host and port go through.
   */
  readonly createConnection = ((options: { host?: string; port?: number | string }) => {
    const socket = net.connect({ host: options.host ?? '127.0.0.1', port: Number(options.port) });
    this.sockets.push(socket);
    return socket;
  }) as unknown as typeof net.createConnection;

  /** Bytes received and sent so far over every socket, closed ones included. */
  bytes(): { read: number; written: number } {
    let read = 0;
    let written = 0;
    for (const socket of this.sockets) {
      read += socket.bytesRead;
      written += socket.bytesWritten;
    }
    return { read, written };
  }
}
