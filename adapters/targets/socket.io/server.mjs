// A Socket.IO 4 server (socket.io 4.8, on engine.io 6, protocol version 5 over engine.io protocol 4)
// for pushspec, as Socket.IO's documentation shows it: `new Server(httpServer, options)` attached to
// a node:http server, a `connection` handler on the default namespace `/`, rooms, `io.to(room).emit`.
//
//   node server.mjs <port> [--redis redis://127.0.0.1:<redis port>]
//
// With --redis (the "socket.io-cluster" target), the Server uses Socket.IO's Redis adapter
// (@socket.io/redis-adapter, Redis Pub/Sub, its defaults), as Socket.IO's documentation shows it:
// every instance started on the same Redis emits to the rooms of every other instance.
//
//   GET|POST /socket.io/?EIO=4&transport=polling|websocket&channel=<ch>
//                         Socket.IO itself (engine.io handshake, long-polling, WebSocket, upgrade;
//                         then the namespace CONNECT `40`); the `channel` query parameter of the
//                         handshake names the room the socket joins
//   POST /publish/<ch>    glue (Socket.IO's emits come from server code, not from HTTP): the
//                         text/plain body is emitted as the event `message` to the room <ch>;
//                         answers {"delivered": n}, n the sockets in the room
//   GET /                 glue: answers the launcher's readiness probe
//
// One option differs from Socket.IO's defaults: pingInterval 1000 ms (default 25000). A held
// long-poll ends only with a packet to send, so an idle poll is answered by the next ping; with the
// default the suite would wait 25 s per idle poll. Everything else is Socket.IO's default (no
// connectionStateRecovery, maxHttpBufferSize 1e6, pingTimeout 20000, both transports allowed).
import http from 'node:http';
import { Server } from 'socket.io';

const [portArg, ...options] = process.argv.slice(2);
const port = Number(portArg);
const redisUrl = options.length === 2 && options[0] === '--redis' ? options[1] : undefined;
if (!Number.isInteger(port) || port <= 0 || (options.length > 0 && !/^redis:\/\/[\w.-]+:\d+$/.test(redisUrl ?? ''))) {
  console.error('usage: node server.mjs <port> [--redis redis://<host>:<port>]');
  process.exit(2);
}

// --- glue: the HTTP routes Socket.IO does not have (publish, readiness) -------------------------
const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (req.method === 'POST' && parts.length === 2 && parts[0] === 'publish') {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const delivered = publish(parts[1], Buffer.concat(chunks).toString('utf8'));
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ delivered }));
  }
  if (req.method === 'GET' && url.pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    return res.end('socket.io test server\n');
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found\n');
});

// --- Socket.IO, as documented: the Server takes over /socket.io/ on the HTTP server --------------
const io = new Server(server, { pingInterval: 1000 });

// --- Socket.IO's Redis adapter, as documented: a publishing and a subscribing connection --------
const redisClients = redisUrl === undefined ? [] : await useRedisAdapter(redisUrl);

/** `io.adapter(createAdapter(pubClient, subClient))` with node-redis clients, both connected first. */
async function useRedisAdapter(url) {
  const [{ createClient }, { createAdapter }] = await Promise.all([import('@redis/client'), import('@socket.io/redis-adapter')]);
  const pubClient = createClient({ url });
  const subClient = pubClient.duplicate();
  // Logged, not thrown: node-redis reconnects by itself when Redis is away for a moment.
  for (const client of [pubClient, subClient]) client.on('error', (error) => console.error(`redis: ${error.message}`));
  await Promise.all([pubClient.connect(), subClient.connect()]);
  io.adapter(createAdapter(pubClient, subClient));
  return [pubClient, subClient];
}

io.on('connection', (socket) => {
  // glue: the room is named by the handshake's `channel` query parameter.
  const channel = String(socket.handshake.query.channel ?? '');
  socket.join(channel);
  // glue: what a client emits as `publish` goes to the whole room as `message`, the sender included.
  socket.on('publish', (data) => {
    if (typeof data === 'string') publish(channel, data);
  });
});

/**
 * glue: emits `text` as the event `message` to room `channel` (with the Redis adapter, on every
 * instance); returns how many sockets the room holds on this instance.
 */
function publish(channel, text) {
  io.to(channel).emit('message', text);
  return io.of('/').adapter.rooms.get(channel)?.size ?? 0;
}

server.listen(port, '127.0.0.1');

// pushspec stops the server with SIGTERM; close at once (held polls and sockets would hold server.close()).
// io.close() disconnects every socket, closes engine.io, then closes the HTTP server itself.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    io.close(() => {
      // destroy, not close: Redis may be gone already, and nothing pending matters once we exit.
      for (const client of redisClients) client.destroy();
      process.exit(0);
    });
    server.closeAllConnections();
  });
}
