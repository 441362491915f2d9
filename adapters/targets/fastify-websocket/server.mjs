// A @fastify/websocket 11.3.6 server (fastify 5, ws 8 underneath) for pushspec.
//
//   node server.mjs <port>
//
// Ordinary @fastify/websocket usage as its README shows it: register the plugin with no options
// (so every ws default holds: maxPayload 100 MiB, no permessage-deflate, no origin check, no
// pings, the first offered subprotocol selected), then GET routes with `{ websocket: true }`
// whose handler gets a ws WebSocket.
//
//   GET  /echo              WebSocket: sends every message back, text as text, binary as binary
//   GET  /channels/:ch/ws   WebSocket: receives every message published on channel :ch; text the
//                           client sends is published on :ch as well (to every socket of it)
//   POST /publish/:ch       glue (not part of @fastify/websocket): the body is the message text,
//                           sent to every open socket of channel :ch; answers {"delivered": n}
import Fastify from 'fastify';
import websocket from '@fastify/websocket';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node server.mjs <port>');
  process.exit(2);
}

const app = Fastify();
await app.register(websocket);

// Echo, as in ws's README: `isBinary` keeps the frame type (a Buffer alone would go out as binary).
app.get('/echo', { websocket: true }, (socket) => {
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
});

/** The open sockets of each channel (glue: @fastify/websocket has no notion of channels). */
const channels = new Map();

/** Sends `text` to every open socket of channel `name`; returns how many got it. */
function broadcast(name, text) {
  let delivered = 0;
  for (const socket of channels.get(name) ?? []) {
    if (socket.readyState === socket.OPEN) {
      socket.send(text);
      delivered += 1;
    }
  }
  return delivered;
}

app.get('/channels/:ch/ws', { websocket: true }, (socket, request) => {
  const name = request.params.ch;
  if (!channels.has(name)) channels.set(name, new Set());
  channels.get(name).add(socket);
  // Attached synchronously, as the README asks, so no message is dropped.
  socket.on('message', (data, isBinary) => {
    if (!isBinary) broadcast(name, data.toString('utf8'));
  });
  socket.on('close', () => {
    const sockets = channels.get(name);
    sockets?.delete(socket);
    if (sockets?.size === 0) channels.delete(name);
  });
});

// Glue: publishing from outside. The body is sent as text/plain, which fastify reads as a string.
app.post('/publish/:ch', async (request) => ({ delivered: broadcast(request.params.ch, request.body ?? '') }));

await app.listen({ host: '127.0.0.1', port });
console.log(`@fastify/websocket server on http://127.0.0.1:${port}/`);

// pushspec stops the server with SIGTERM: app.close() closes every socket (the plugin's default
// preClose) and the HTTP server.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
