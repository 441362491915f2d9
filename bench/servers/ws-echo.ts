/**
 * A bare `ws` echo server, the baseline of the WebSocket echo benchmark:
 * the same library and settings the reference server's `/echo` uses (no
 * compression, UTF-8 checked, 1 MiB message limit), with nothing around it.
 * Any path is accepted.
 *
 *   node --import tsx bench/servers/ws-echo.ts
 *
 * Prints `{"ready": true, "port": N, "ws": "<version>"}`; answers `usage` on its IPC channel.
 */
import { createRequire } from 'node:module';
import { WebSocketServer } from 'ws';
import { serveCommands } from '../process.ts';

const { version } = createRequire(import.meta.url)('ws/package.json') as { version: string };

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, clientTracking: false, maxPayload: 1_048_576 });
wss.on('connection', (ws) => {
  ws.on('error', () => {});
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
});
wss.on('listening', () => {
  serveCommands();
  const { port } = wss.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ ready: true, port, ws: version })}\n`);
});
