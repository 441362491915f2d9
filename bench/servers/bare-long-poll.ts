/**
 * The bare long-polling baseline for fan-out, idle memory and connections:
 * `node:http` doing the minimum — `GET …?cursor=&wait=` answers at once when
 * the client is behind (or `wait` is 0 or absent), else holds the request;
 * each `POST /channels/{any}/messages` answers every held request with
 * `{"messages": [{"id","data"}], "cursor"}`, the body serialised once. No
 * channels, timeouts (a poll is held until a message or its client leaves),
 * history beyond the last message, or validation.
 *
 *   node --import tsx [--expose-gc] bench/servers/bare-long-poll.ts
 *
 * Prints `{"ready": true, "port": N, "name": "bare node:http long-poll"}`;
 * answers `usage` and `stats` (`{held, lastBroadcast: {longPolling: {subscribers, ms}}}`) over IPC.
 */
import { createServer, type ServerResponse } from 'node:http';
import { serveCommands } from '../process.ts';

const held = new Set<ServerResponse>();
/** The last broadcast's answer loop, timed like the reference's (reference/held-polls.ts #wake). */
const lastBroadcast = { subscribers: 0, ms: 0, flushedMs: 0 };
let last: { id: string; data: string } | undefined;

function answer(response: ServerResponse, body: string): void {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' }).end(body);
}

const server = createServer((request, response) => {
  if (request.method === 'GET') {
    const query = new URL(request.url ?? '/', 'http://x').searchParams;
    const cursor = query.get('cursor') ?? last?.id ?? '0';
    const behind = last !== undefined && Number(cursor) < Number(last.id);
    if (behind || !(Number(query.get('wait')) > 0)) {
      // The benchmark never falls more than one message behind, so the last one is all a poll can be missing.
      answer(response, JSON.stringify({ messages: behind ? [last] : [], cursor: last?.id ?? '0' }));
      return;
    }
    held.add(response);
    response.on('close', () => held.delete(response));
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    last = { id: String(Number(last?.id ?? 0) + 1), data: Buffer.concat(chunks).toString('utf8') };
    const body = JSON.stringify({ messages: [last], cursor: last.id });
    const started = performance.now();
    const waiting = [...held];
    held.clear();
    for (const poll of waiting) answer(poll, body);
    lastBroadcast.subscribers = waiting.length;
    lastBroadcast.ms = performance.now() - started;
    // Until the writes node defers to the end of the tick (corked HTTP responses) are flushed, as the reference measures it.
    setImmediate(() => (lastBroadcast.flushedMs = performance.now() - started));
    response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: last.id }));
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ ready: true, port, name: 'bare node:http long-poll' })}\n`);
});
serveCommands((cmd) => (cmd.cmd === 'stats' ? { held: held.size, lastBroadcast: { longPolling: lastBroadcast } } : { error: `unknown command ${String(cmd.cmd)}` }));
