/**
 * The bare Server-Sent Events baseline for fan-out, idle memory and
 * connections: `node:http` doing the minimum — answer any GET with an open
 * `text/event-stream` (head flushed at once) and hold it; write each
 * `POST /channels/{any}/messages` body to every stream as `id:` + `data:`,
 * one Buffer formatted once. No channels, history, `retry:`, keep-alives or
 * slow-client checks.
 *
 *   node --import tsx [--expose-gc] bench/servers/bare-sse.ts
 *
 * Prints `{"ready": true, "port": N, "name": "bare node:http SSE"}`; answers
 * `usage` and `stats` (`{streams, lastBroadcast: {sse: {subscribers, ms}}}`) over IPC.
 */
import { createServer, type ServerResponse } from 'node:http';
import { serveCommands } from '../process.ts';

const streams = new Set<ServerResponse>();
/** The last broadcast's write loop, timed like the reference's (reference/sse/streams.ts #deliver). */
const lastBroadcast = { subscribers: 0, ms: 0, flushedMs: 0 };
let lastId = 0;

const server = createServer((request, response) => {
  if (request.method === 'GET') {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    response.flushHeaders();
    streams.add(response);
    response.on('close', () => streams.delete(response));
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    lastId += 1;
    // One line of data: the benchmark publishes no line breaks.
    const event = Buffer.from(`id: ${lastId}\ndata: ${Buffer.concat(chunks).toString('utf8')}\n\n`, 'utf8');
    const started = performance.now();
    for (const stream of streams) stream.write(event);
    lastBroadcast.subscribers = streams.size;
    lastBroadcast.ms = performance.now() - started;
    // Until the writes node defers to the end of the tick (corked HTTP responses) are flushed, as the reference measures it.
    setImmediate(() => (lastBroadcast.flushedMs = performance.now() - started));
    response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: String(lastId) }));
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ ready: true, port, name: 'bare node:http SSE' })}\n`);
});
serveCommands((cmd) => (cmd.cmd === 'stats' ? { streams: streams.size, lastBroadcast: { sse: lastBroadcast } } : { error: `unknown command ${String(cmd.cmd)}` }));
