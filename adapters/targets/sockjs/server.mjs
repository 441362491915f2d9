// A SockJS server (sockjs-node 0.3.24) for pushspec, as sockjs's README shows it: a SockJS server
// made with sockjs.createServer(), its handlers installed on a node:http server under a prefix, one
// `connection` handler per client session.
//
//   node server.mjs <port>
//
//   /sockjs/<server>/<session>/xhr|xhr_send|eventsource|websocket?channel=<ch>
//                         SockJS itself (its other transports are there too, untested); the client
//                         makes up <server> (3 digits) and <session>; the `channel` query
//                         parameter of the session's first request names the client's channel
//   POST /publish/<ch>    glue (SockJS has no channels): the text/plain body is written as one
//                         message to every open connection of <ch>; answers {"delivered": n}
//   GET /                 glue: answers the launcher's readiness probe
//
// Options that differ from sockjs's defaults, and why:
// - heartbeat_delay 1000 ms (default 25000): a held xhr poll ends with a heartbeat frame `h` after
//   this long, so the suite does not wait 25 s per idle poll; eventsource and websocket sessions
//   get their heartbeat (`data: h`, a WebSocket ping) as often.
// - log: sockjs writes one `info` line per request to stdout by default (console.log); the suite
//   sends tens of thousands of requests, so `info` and `debug` lines are dropped and `error` lines
//   kept, on stderr.
// disconnect_delay (5000 ms), response_limit (128 KiB per streaming response) and everything else
// are sockjs's defaults.
import http from 'node:http';
import sockjs from 'sockjs';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node server.mjs <port>');
  process.exit(2);
}

const service = sockjs.createServer({
  heartbeat_delay: 1000,
  log: (severity, line) => {
    if (severity === 'error') console.error(line);
  },
});

/** The open connections of each channel (glue). */
const channels = new Map();

service.on('connection', (conn) => {
  // `conn.url` is the URL of the request that opened the session, query included (sockjs copies
  // req.url as it came; see decorateConnection in lib/transport.js).
  const name = new URL(conn.url ?? '/', 'http://localhost').searchParams.get('channel') ?? '';
  if (!channels.has(name)) channels.set(name, new Set());
  channels.get(name).add(conn);
  // What a client sends is published on its channel, to every connection of it (the sender included).
  conn.on('data', (message) => {
    broadcast(name, message);
  });
  conn.on('close', () => {
    const conns = channels.get(name);
    conns?.delete(conn);
    if (conns?.size === 0) channels.delete(name);
  });
});

/** Writes `text` to every open connection of channel `name`; returns how many took it. */
function broadcast(name, text) {
  let delivered = 0;
  for (const conn of channels.get(name) ?? []) {
    // write() queues the message on the session (sent now, or with the next poll); false once closed.
    if (conn.write(text)) delivered += 1;
  }
  return delivered;
}

// The application's own routes (glue). sockjs's README: install them before installHandlers, which
// answers what is under the prefix and passes everything else on to them.
const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
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
    return res.end('sockjs test server\n');
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found\n');
});
// Upgrades outside the prefix are refused (sockjs passes them on to the listeners installed before it).
server.on('upgrade', (req, socket) => socket.destroy());
service.installHandlers(server, { prefix: '/sockjs' });

/** Every TCP connection, so SIGTERM can end upgraded ones too (closeAllConnections does not see them). */
const sockets = new Set();
server.on('connection', (socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
});
server.listen(port, '127.0.0.1');

// pushspec stops the server with SIGTERM; close at once (held polls, streams and sockets would hold server.close()).
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    for (const socket of sockets) socket.destroy();
  });
}
