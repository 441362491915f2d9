/**
 * The technique comparison's clients (bench/load/technique-transports.ts)
 * over HTTP/1.1 and HTTP/2: each HTTP kind speaks the version its row is
 * labelled with, counts its bytes at the socket, and a connection of the
 * wrong version is named. Nothing here measures a speed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { request } from 'undici';
import { waitUntil } from '../core/wait.ts';
import { clock, formatPayload, parsePayload } from '../bench/load/technique-payload.ts';
import { SocketTally } from '../bench/load/technique-sockets.ts';
import { openTransport, protocolProblem, type TechniqueName } from '../bench/load/technique-transports.ts';
import { startReferenceServer, type ReferenceServer } from '../reference/server.ts';
import type { HttpVersion } from '../core/http-version.ts';

test('protocolProblem: a row is only what its connections spoke', () => {
  assert.equal(protocolProblem('sse', '2', ['HTTP/2 (h2c, prior knowledge)']), undefined);
  assert.equal(protocolProblem('polling', '1.1', ['HTTP/1.1']), undefined);
  assert.equal(protocolProblem('websocket', '1.1', []), undefined, 'a WebSocket is an HTTP/1.1 upgrade, noted by no HTTP connection');
  assert.match(protocolProblem('longPolling', '2', ['HTTP/2 (h2c, prior knowledge)', 'HTTP/1.1']) ?? '', /longPolling \(HTTP\/2\): a connection spoke HTTP\/1\.1, not HTTP\/2/);
  assert.match(protocolProblem('sse', '1.1', ['HTTP/2 (ALPN h2)']) ?? '', /sse \(HTTP\/1\.1\): a connection spoke HTTP\/2 \(ALPN h2\), not HTTP\/1\.1/);
  assert.match(protocolProblem('sse', '2', []) ?? '', /sse \(HTTP\/2\): the client noted no HTTP connection/);
});

/** Opens `technique` over `http`, publishes one message, and says what the client saw. */
async function deliverOne(server: ReferenceServer, technique: TechniqueName, http: HttpVersion) {
  const channel = `transport-${technique}-${http.replace('.', '')}`;
  const tally = new SocketTally();
  const protocols: string[] = [];
  const received: string[] = [];
  const errors: string[] = [];
  const transport = openTransport(technique, {
    port: server.port,
    channel,
    http,
    pollIntervalMs: 50,
    tally,
    onConnection: (how) => protocols.push(how),
    onMessage: (data) => received.push(data),
    onError: (error) => errors.push(error),
  });
  try {
    await transport.ready;
    const sent = formatPayload(0, clock());
    const published = await request(`${server.url}/channels/${channel}/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: sent });
    await published.body.dump();
    assert.equal(published.statusCode, 201);
    await waitUntil(() => received.length > 0 || errors.length > 0, { what: `${technique} over HTTP/${http} to receive the message`, deadlineMs: 5_000, everyMs: 10, seen: () => `errors: ${errors.join('; ') || 'none'}` });
    assert.deepEqual(errors, []);
    assert.deepEqual(received.map((data) => parsePayload(data)?.seq), [0]);
    const bytes = tally.bytes();
    return { protocols, requests: transport.requests(), pollBytes: transport.pollBytes?.(), sockets: tally.sockets.length, bytes: bytes.read + bytes.written };
  } finally {
    await transport.close();
  }
}

describe('the HTTP kinds speak the version asked for, against one reference serving both', () => {
  let server: ReferenceServer;
  before(async () => {
    server = await startReferenceServer({ http2: true, sseKeepAliveMs: 3_600_000 });
  });
  after(async () => {
    await server.close();
  });

  for (const technique of ['polling', 'longPolling', 'sse'] as const) {
    test(`${technique}: HTTP/2 over h2c, HTTP/1.1 otherwise, one connection each, bytes counted at the socket`, async () => {
      const h2 = await deliverOne(server, technique, '2');
      assert.deepEqual(h2.protocols, ['HTTP/2 (h2c, prior knowledge)']);
      assert.equal(h2.sockets, 1);
      assert.ok(h2.requests >= 1);
      // The HTTP/2 preface alone is 24 bytes; with SETTINGS, headers and the message, well over a hundred.
      assert.ok(h2.bytes > 100, `HTTP/2 bytes ${h2.bytes}`);
      const h1 = await deliverOne(server, technique, '1.1');
      assert.deepEqual(h1.protocols, ['HTTP/1.1']);
      assert.equal(h1.sockets, 1);
      for (const run of [h1, h2]) {
        if (technique === 'sse') {
          assert.equal(run.pollBytes, undefined, 'an event stream has no polls');
          continue;
        }
        // Every answered poll has its bytes, and together they are all the connection carried.
        assert.ok(run.pollBytes !== undefined && run.pollBytes.length >= 1 && run.pollBytes.every((n) => n > 0), `poll bytes ${String(run.pollBytes)}`);
        assert.ok(run.pollBytes.reduce((a, b) => a + b, 0) <= run.bytes);
      }
    });
  }
});

test('a client asked for HTTP/2 fails against a server that speaks only HTTP/1.1, rather than measuring HTTP/1.1', async () => {
  const server = await startReferenceServer({});
  try {
    const transport = openTransport('sse', { port: server.port, channel: 'h1-only', http: '2', pollIntervalMs: 50, tally: new SocketTally(), onConnection: () => {}, onMessage: () => {}, onError: () => {} });
    try {
      await assert.rejects(transport.ready);
    } finally {
      await transport.close();
    }
  } finally {
    await server.close();
  }
});
