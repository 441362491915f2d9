/**
 * A WebSocket echo server for unit tests (the `ws` library on a loopback port),
 * that also counts the sizes of the TCP chunks each connection delivers, so a
 * test can see how the client's writes were split.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

export interface TinyEcho {
  url: string;
  /** Sizes of the chunks received after the handshake, all connections together. */
  chunkSizes: () => number[];
  close: () => Promise<void>;
}

/** `pingFirst`: the server pings before each echo, as a keep-alive might. */
export async function startEchoServer(options: { pingFirst?: boolean } = {}): Promise<TinyEcho> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  const sizes: number[] = [];
  wss.on('connection', (socket, request) => {
    request.socket.on('data', (chunk: Buffer) => sizes.push(chunk.length));
    socket.on('message', (data, isBinary) => {
      if (options.pingFirst === true) socket.ping('keep-alive');
      socket.send(data, { binary: isBinary });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/`,
    chunkSizes: () => [...sizes],
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
