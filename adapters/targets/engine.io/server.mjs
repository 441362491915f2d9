// An engine.io 6 server (protocol version 4) for pushspec, as engine.io's README shows it for manual
// request handling: a node:http server passes /engine.io/ requests and upgrades to an engine.io
// Server (handleRequest, handleUpgrade), one `connection` handler per client.
//
//   node server.mjs <port>
//
//   GET|POST /engine.io/?EIO=4&transport=polling|websocket&channel=<ch>
//                         engine.io itself (handshake, long-polling, WebSocket, upgrade); the
//                         `channel` query parameter of the handshake names the client's channel
//   POST /publish/<ch>    glue (engine.io has no channels): the text/plain body is sent as one
//                         message to every open socket of <ch>; answers {"delivered": n}
//   GET /                 answers the launcher's readiness probe
//
// One option differs from engine.io's defaults: pingInterval 1000 ms (default 25000), so a held
// long-poll ends within about a second with a ping, and the suite does not wait 25 s per poll.
import http from 'node:http';
import { Server } from 'engine.io';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node server.mjs <port>');
  process.exit(2);
}

const engine = new Server({ pingInterval: 1000 });
/** The open sockets of each channel (glue). */
const channels = new Map();

engine.on('connection', (socket) => {
  const name = new URL(socket.request.url ?? '/', 'http://localhost').searchParams.get('channel') ?? '';
  if (!channels.has(name)) channels.set(name, new Set());
  channels.get(name).add(socket);
  // What a client sends is published on its channel, to every socket of it (the sender included).
  socket.on('message', (data) => {
    if (typeof data === 'string') broadcast(name, data);
  });
  socket.on('close', () => {
    const sockets = channels.get(name);
    sockets?.delete(socket);
    if (sockets?.size === 0) channels.delete(name);
  });
});

/** Sends `text` to every open socket of channel `name`; returns how many got it. */
function broadcast(name, text) {
  let delivered = 0;
  for (const socket of channels.get(name) ?? []) {
    if (socket.readyState === 'open') {
      socket.send(text);
      delivered += 1;
    }
  }
  return delivered;
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/engine.io/') return engine.handleRequest(req, res);
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (req.method === 'POST' && parts.length === 2 && parts[0] === 'publish') {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const delivered = broadcast(parts[1], Buffer.concat(chunks).toString('utf8'));
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ delivered }));
  }
  if (req.method === 'GET' && url.pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    return res.end('engine.io test server\n');
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found\n');
});
server.on('upgrade', (req, socket, head) => {
  if (new URL(req.url ?? '/', 'http://localhost').pathname === '/engine.io/') engine.handleUpgrade(req, socket, head);
  else socket.destroy();
});
server.listen(port, '127.0.0.1');

// pushspec stops the server with SIGTERM: exit at once. Waiting for server.close() would wait for
// upgraded WebSocket connections, which closeAllConnections() does not reach, for up to ws's 30 s.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    engine.close();
    process.exit(0);
  });
}
