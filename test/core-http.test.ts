/**
 * core/http.ts against real loopback servers: a body is read whole, a leading
 * U+FEFF kept, and an endless body stopped at the cap with the cap named.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { Agent } from 'undici';
import { ConformanceFailure } from '../core/failure.ts';
import { sendRecorded } from '../core/http.ts';
import { Transcript } from '../core/transcript.ts';

let server: http.Server;
let base: string;
const agent = new Agent();

before(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/bom') return res.end('\ufeffbefore');
    // Endless: 64 KiB chunks for as long as the client reads.
    res.writeHead(200, { 'content-type': 'text/plain' });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const write = (): void => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', write);
    };
    write();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  server.close();
  await agent.close();
});

test('a body is read whole, a leading U+FEFF kept (it may be data)', async () => {
  const answer = await sendRecorded(agent, new Transcript(), { actor: 'client', method: 'GET', url: `${base}/bom`, deadlineMs: 5000 });
  assert.equal(answer.body, '\ufeffbefore');
});

test('an endless body fails the request at the cap, naming it, and pushspec stops reading', async () => {
  const transcript = new Transcript();
  const error = await sendRecorded(agent, transcript, { actor: 'client', method: 'GET', url: `${base}/endless`, deadlineMs: 10_000, maxBodyBytes: 1024 * 1024 }).then(
    () => assert.fail('an endless body was read whole'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ConformanceFailure);
  assert.match(error.expected, /of at most 1048576 bytes \(pushspec's cap on one body\)$/);
  assert.equal(error.actual, 'more than 1048576 bytes; pushspec stopped reading');
});
