/**
 * A bare `node:http` server answering every request like an empty poll of
 * the reference server (`GET /channels/{ch}/messages?cursor=<latest>`): 200,
 * the same JSON content type, `Cache-Control: no-store`, and a body of the
 * same shape, `{"messages":[],"cursor":"<n>"}`. The baseline of the HTTP
 * polling benchmark: what node itself costs per request, with no framework.
 *
 *   node --import tsx bench/servers/http-plain.ts [--cursor 1]
 *
 * Prints `{"ready": true, "port": N}`; answers `usage` on its IPC channel.
 */
import http from 'node:http';
import { parseArgs } from 'node:util';
import { serveCommands } from '../process.ts';

const { values } = parseArgs({ options: { cursor: { type: 'string', default: '1' } } });
// Built per request, as a real server would: the cursor comes from the query.
const server = http.createServer((request, response) => {
  const cursor = new URL(request.url ?? '/', 'http://x').searchParams.get('cursor') ?? values.cursor!;
  const body = JSON.stringify({ messages: [], cursor });
  response.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
});
// Keep-alive connections stay open for the whole run, as the reference server's do.
server.keepAliveTimeout = 3_600_000;
server.listen(0, '127.0.0.1', () => {
  serveCommands();
  const { port } = server.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ ready: true, port })}\n`);
});
