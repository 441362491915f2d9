/**
 * The bare WebSocket baseline for fan-out, idle memory and connections: `ws`
 * on a plain `node:http` server doing the minimum — hold every connection on
 * any path, and broadcast each `POST /channels/{any}/messages` body to all of
 * them as the reference's frame `{"id","data"}`. No channels, history, pings
 * or handshake checks: what holding and broadcasting cost before any of
 * pushspec's work.
 *
 *   node --import tsx [--expose-gc] bench/servers/bare-ws.ts
 *
 * Prints `{"ready": true, "port": N, "name": "bare ws <version>"}`; answers
 * `usage` and `stats` (`{sockets, lastBroadcast: {websocket: {subscribers, ms}}}`) over IPC.
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { WebSocketServer, type WebSocket } from 'ws';
import { serveCommands } from '../process.ts';

const version = (createRequire(import.meta.url)('ws/package.json') as { version: string }).version;
const sockets = new Set<WebSocket>();
/** The last broadcast's send loop, timed like the reference's (reference/websocket/sockets.ts #deliver). */
const lastBroadcast = { subscribers: 0, ms: 0, flushedMs: 0 };
let lastId = 0;

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: false });
const server = createServer((request, response) => {
  if (request.method !== 'POST') {
    response.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    lastId += 1;
    const frame = JSON.stringify({ id: String(lastId), data: Buffer.concat(chunks).toString('utf8') });
    const started = performance.now();
    for (const ws of sockets) ws.send(frame);
    lastBroadcast.subscribers = sockets.size;
    lastBroadcast.ms = performance.now() - started;
    // Until the writes node defers to the end of the tick (corked HTTP responses) are flushed, as the reference measures it.
    setImmediate(() => (lastBroadcast.flushedMs = performance.now() - started));
    response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: String(lastId) }));
  });
});
server.on('upgrade', (request, socket, head) => {
  socket.on('error', () => {});
  wss.handleUpgrade(request, socket, head, (ws) => {
    sockets.add(ws);
    ws.on('error', () => {});
    ws.on('close', () => sockets.delete(ws));
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ ready: true, port, name: `bare ws ${version}` })}\n`);
});
serveCommands((cmd) => (cmd.cmd === 'stats' ? { sockets: sockets.size, lastBroadcast: { websocket: lastBroadcast } } : { error: `unknown command ${String(cmd.cmd)}` }));
