/**
 * A peer for the WebSocket echo benchmark: `@fastify/websocket` (ws inside
 * fastify, the other common way to serve WebSockets from fastify), echoing
 * every message on `/echo` as it came. Same ws settings as the bare server
 * and the reference: no compression, 1 MiB message limit.
 *
 *   node --import tsx bench/servers/fastify-websocket-echo.ts
 *
 * Prints `{"ready": true, "port": N, "version": "<@fastify/websocket version>"}`;
 * answers `usage` on its IPC channel.
 */
import { createRequire } from 'node:module';
import fastifyWebsocket from '@fastify/websocket';
import Fastify from 'fastify';
import { serveCommands } from '../process.ts';

const { version } = createRequire(import.meta.url)('@fastify/websocket/package.json') as { version: string };

const app = Fastify({ logger: false });
await app.register(fastifyWebsocket, { options: { perMessageDeflate: false, maxPayload: 1_048_576 } });
app.get('/echo', { websocket: true }, (socket) => {
  socket.on('error', () => {});
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
});
await app.listen({ host: '127.0.0.1', port: 0 });
// SIGTERM (the runner's stop) exits at once: nothing here needs a clean close.
serveCommands();
const { port } = app.server.address() as { port: number };
process.stdout.write(`${JSON.stringify({ ready: true, port, version })}\n`);
