/**
 * A hostile server for the harness-memory benchmark: every GET is answered
 * 200 with a body that never ends, so pushspec's memory shows whether its
 * reads are bounded. Publishing works (`POST /publish` → 201 `{}`), so a run
 * gets as far as reading.
 *
 *   node --import tsx bench/servers/endless-body.ts --mode bytes|sse|ws
 *
 * - `bytes`: `application/json`, an endless run of `x` (no line ends): a poll's body.
 * - `sse`: `text/event-stream`, an endless run of small events (`data: endless`): a stream's events.
 * - `ws`: a WebSocket handshake is accepted (101), then endless small text frames follow.
 *
 * Writes wait for `drain`, so the server itself stays small however fast the
 * client reads. Prints `{"ready": true, "port": N}`; answers `usage` on IPC.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { parseArgs } from 'node:util';
import { serveCommands } from '../process.ts';

const { values } = parseArgs({ options: { mode: { type: 'string', default: 'bytes' } } });
const mode = values.mode as 'bytes' | 'sse' | 'ws';
if (!['bytes', 'sse', 'ws'].includes(mode)) throw new Error(`--mode ${mode}: expected bytes, sse or ws`);

/** 64 KiB of what the mode repeats. */
const CHUNK = Buffer.from(mode === 'sse' ? 'data: endless\n\n'.repeat(4096) : 'x'.repeat(65536));
/** 64 KiB of unmasked 10-byte text frames, "endless..." each. */
const FRAMES = Buffer.concat(Array.from({ length: 5461 }, () => Buffer.from([0x81, 10, ...Buffer.from('endless...')])));

/** Writes `chunk` again and again until the connection ends, waiting for drain between bursts. */
function pour(out: NodeJS.WritableStream & { destroyed: boolean }, chunk: Buffer): void {
  const more = (): void => {
    while (!out.destroyed) {
      if (!out.write(chunk)) {
        out.once('drain', more);
        return;
      }
    }
  };
  more();
}

const server = http.createServer((request, response) => {
  if (request.method === 'POST' || request.method === 'PUT') {
    request.resume();
    request.on('end', () => response.writeHead(201, { 'content-type': 'application/json' }).end('{}'));
    return;
  }
  response.writeHead(200, { 'content-type': mode === 'sse' ? 'text/event-stream' : 'application/json', 'cache-control': 'no-store' });
  pour(response, CHUNK);
});
server.on('upgrade', (request: http.IncomingMessage, socket: Duplex) => {
  if (mode !== 'ws') {
    socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n');
    return;
  }
  const accept = createHash('sha1').update(`${request.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: ${accept}\r\n\r\n`);
  socket.on('data', () => undefined);
  socket.on('error', () => undefined);
  pour(socket as unknown as NodeJS.WritableStream & { destroyed: boolean }, FRAMES);
});
server.listen(0, '127.0.0.1', () => {
  serveCommands();
  const { port } = server.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ ready: true, port })}\n`);
});
