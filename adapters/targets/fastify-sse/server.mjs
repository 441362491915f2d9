// A @fastify/sse 0.6.0 server (on fastify 5) for pushspec, written the way the plugin's README
// (node_modules/@fastify/sse/README.md) shows: the plugin registered with its defaults, a route
// with `{ sse: true }`, `reply.sse.keepAlive()` so the stream outlives the handler,
// `reply.sse.replay()` with a message history the application keeps ("Message Replay"),
// `reply.sse.sendHeaders()` ("Manually send headers"), `reply.sse.send({ id, event, data })`,
// and `reply.sse.onClose()` to forget a closed stream.
//
//   node server.mjs <port>
import Fastify from 'fastify';
import fastifySSE from '@fastify/sse';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node server.mjs <port>');
  process.exit(2);
}

const app = Fastify();
await app.register(fastifySSE); // defaults: heartbeat every 30000 ms, data serialized with JSON.stringify

/**
 * Per channel name: the open streams (their `reply.sse`), the message history the README's replay
 * recipe asks the application to keep (kept whole, as in the README), and the last event id given.
 */
const channels = new Map();
function channelFor(name) {
  let channel = channels.get(name);
  if (channel === undefined) {
    channel = { streams: new Set(), history: [], lastId: 0 };
    channels.set(name, channel);
  }
  return channel;
}

app.get('/sse/:ch', { sse: true }, async (request, reply) => {
  const channel = channelFor(request.params.ch);
  // Keep the connection open after this handler returns: messages are sent when they are published.
  reply.sse.keepAlive();

  // The README's "Message Replay" recipe: after a Last-Event-ID, send the messages that followed it.
  await reply.sse.replay(async (lastEventId) => {
    const startIndex = channel.history.findIndex((msg) => msg.id === lastEventId);
    const messagesToReplay = startIndex !== -1 ? channel.history.slice(startIndex + 1) : channel.history;
    for (const message of messagesToReplay) await reply.sse.send(message);
  });

  // Documented as "Manually send headers (called automatically on first write)".
  reply.sse.sendHeaders();

  const sse = reply.sse;
  channel.streams.add(sse);
  sse.onClose(() => channel.streams.delete(sse));
});

// POST /publish/:ch — glue, not part of @fastify/sse: the body (text/plain) is the message's data,
// the optional X-Event header its event name; the message goes to every open stream of the
// channel and into its history. Answers {"id": ...}.
app.post('/publish/:ch', async (request) => {
  const channel = channelFor(request.params.ch);
  const event = request.headers['x-event'] || undefined;
  const message = { id: String(++channel.lastId), data: request.body ?? '', ...(event ? { event } : {}) };
  channel.history.push(message);
  await Promise.all([...channel.streams].map((sse) => sse.send(message).catch(() => channel.streams.delete(sse))));
  return { id: message.id };
});

// GET / — answers the launcher's readiness probe.
app.get('/', async () => 'fastify + @fastify/sse test server\n');

await app.listen({ port, host: '127.0.0.1' });

// pushspec stops the server with SIGTERM; open streams would hold app.close(), so just exit.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
