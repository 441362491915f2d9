// A better-sse 0.16.1 server for pushspec: node:http, one better-sse channel per channel name.
//
//   node server.mjs <port>
//
// Everything about the stream (headers, retry field, keep-alive comments, framing, JSON-encoded
// data) is better-sse's own default behaviour: createSession(req, res) with no options, and
// channel.broadcast(data, eventName, { eventId }). The library keeps no history, so nothing is
// replayed after a Last-Event-ID (the session only exposes it as `session.lastId`).
import http from 'node:http';
import { createChannel, createSession } from 'better-sse';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node server.mjs <port>');
  process.exit(2);
}

/** One better-sse Channel per channel name, created on first use. */
const channels = new Map();
function channelFor(name) {
  let channel = channels.get(name);
  if (channel === undefined) {
    channel = createChannel();
    channels.set(name, channel);
  }
  return channel;
}

/** Event ids: a counter per channel (glue; better-sse would otherwise pick a random UUID per broadcast). */
const lastIds = new Map();

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);

  // GET /sse/:ch — the event stream, as better-sse's README shows: a session registered with a channel.
  if (req.method === 'GET' && parts.length === 2 && parts[0] === 'sse') {
    const session = await createSession(req, res);
    channelFor(parts[1]).register(session);
    return;
  }

  // POST /publish/:ch — glue, not part of better-sse: the body is the message's data, the optional
  // X-Event header its event name; answers {"id": ...}.
  if (req.method === 'POST' && parts.length === 2 && parts[0] === 'publish') {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const data = Buffer.concat(chunks).toString('utf8');
    const eventName = req.headers['x-event'] || undefined; // absent or empty: better-sse's default "message"
    const name = parts[1];
    const eventId = String((lastIds.get(name) ?? 0) + 1);
    lastIds.set(name, Number(eventId));
    channelFor(name).broadcast(data, eventName, { eventId });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: eventId }));
    return;
  }

  // GET / — answers the launcher's readiness probe.
  if (req.method === 'GET' && url.pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('better-sse test server\n');
    return;
  }

  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found\n');
});

server.listen(port, '127.0.0.1');

// pushspec stops the server with SIGTERM; close at once (open streams would hold server.close()).
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
