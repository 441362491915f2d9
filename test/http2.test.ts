/**
 * HTTP/2 on both sides: pushspec's versioned clients (core/http-version.ts)
 * and the reference server's HTTP/2 front (reference/http2.ts). One port
 * answers HTTP/2 and HTTP/1.1 alike, in the clear (by the client's first
 * bytes) and over TLS (by ALPN); a client that declared HTTP/2 never falls
 * back to HTTP/1.1 silently; the server closes with HTTP/2 streams open and
 * with a client that connected and left without a byte.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { ServerHttp2Session } from 'node:http2';
import { request } from 'undici';
import { declaredVersion, versionedAgent } from '../core/http-version.ts';
import { startReferenceServer } from '../reference/server.ts';
import { selfSignedCertificate } from './support/certificate.ts';

const work = mkdtempSync(join(tmpdir(), 'pushspec-h2-'));
after(() => rmSync(work, { recursive: true, force: true }));
const files = selfSignedCertificate(work, 'server');
const tls = { cert: readFileSync(files.cert), key: readFileSync(files.key) };

/** GETs `url` with an agent speaking `version`; returns the status, the body and how the connection spoke. */
async function get(url: string, version: '1.1' | '2', trust?: string): Promise<{ status: number; body: string; how: string[] }> {
  const how: string[] = [];
  const agent = versionedAgent({ version, tls: trust === undefined ? {} : { ca: trust }, onConnection: (_origin, spoken) => how.push(spoken) });
  try {
    const answer = await request(url, { dispatcher: agent });
    return { status: answer.statusCode, body: await answer.body.text(), how };
  } finally {
    await agent.destroy();
  }
}

describe('declared HTTP versions', () => {
  test('a section declares HTTP/2 with http2: true; anything else is HTTP/1.1', () => {
    assert.equal(declaredVersion({ http2: true }), '2');
    assert.equal(declaredVersion({ http2: false }), '1.1');
    assert.equal(declaredVersion(undefined), '1.1');
  });
});

describe('the reference with http2: one port, both versions', () => {
  test('in the clear: h2c with prior knowledge and HTTP/1.1 on the same port, the same answers', async () => {
    const server = await startReferenceServer({ http2: true });
    try {
      const url = `${server.url}/channels/h2test/messages`;
      const h2 = await get(url, '2');
      const h1 = await get(url, '1.1');
      assert.deepEqual(h2.how, ['HTTP/2 (h2c, prior knowledge)']);
      assert.deepEqual(h1.how, ['HTTP/1.1']);
      assert.equal(h2.status, 200);
      assert.equal(h2.body, h1.body);
    } finally {
      await server.close();
    }
  });

  test('over TLS: ALPN chooses h2 for a client that offers it, HTTP/1.1 for one that does not', async () => {
    const server = await startReferenceServer({ http2: true, tls });
    try {
      const url = `${server.url}/channels/h2test/messages`;
      const trust = tls.cert.toString();
      assert.deepEqual((await get(url, '2', trust)).how, ['HTTP/2 (ALPN h2)']);
      assert.deepEqual((await get(url, '1.1', trust)).how, ['HTTP/1.1 (ALPN http/1.1)']);
    } finally {
      await server.close();
    }
  });

  test('a client that declared HTTP/2 refuses a TLS server that chose HTTP/1.1, naming what it chose', async () => {
    const server = await startReferenceServer({ tls });
    try {
      await assert.rejects(get(`${server.url}/channels/h2test/messages`, '2', tls.cert.toString()), /HTTP\/2 was declared, but the server at 127\.0\.0\.1:\d+ chose HTTP\/1\.1/);
    } finally {
      await server.close();
    }
  });

  test('closes with an HTTP/2 event stream open, and with a client that connected and left without a byte', async () => {
    const server = await startReferenceServer({ http2: true });
    const agent = versionedAgent({ version: '2', tls: {} });
    try {
      const stream = await request(`${server.url}/channels/h2test/events`, { dispatcher: agent });
      assert.equal(stream.statusCode, 200);
      stream.body.on('error', () => undefined);
      const silent = connect(Number(new URL(server.url).port), '127.0.0.1');
      await new Promise<void>((resolve) => silent.once('connect', () => resolve()));
      silent.end();
      // The server must end the stream and let both connections go: close() resolving in time is the assertion.
      const late = new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error('the server did not close within 5 s')), 5000));
      await Promise.race([server.close(), late]);
    } finally {
      await agent.destroy();
      await server.close();
    }
  });

  test('a cancelled stream (RST_STREAM) releases its event stream and its held poll, the connection staying open', async () => {
    const server = await startReferenceServer({ http2: true });
    const agent = versionedAgent({ version: '2', tls: {} });
    const stats = async (): Promise<{ held: number; streams: number }> => JSON.parse(await (await request(`${server.url}/stats`, { dispatcher: agent })).body.text()) as { held: number; streams: number };
    const until = async (done: (s: { held: number; streams: number }) => boolean): Promise<{ held: number; streams: number }> => {
      for (let i = 0; i < 200; i++) {
        const now = await stats();
        if (done(now)) return now;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return stats();
    };
    try {
      const controller = new AbortController();
      const stream = await request(`${server.url}/channels/h2test/events`, { dispatcher: agent, signal: controller.signal });
      stream.body.on('error', () => undefined);
      const poll = request(`${server.url}/channels/h2test/messages?wait=20000`, { dispatcher: agent, signal: controller.signal }).catch(() => undefined);
      assert.deepEqual(await until((s) => s.held === 1 && s.streams === 1), { ...(await stats()), held: 1, streams: 1 });
      controller.abort();
      await poll;
      const after = await until((s) => s.held === 0 && s.streams === 0);
      assert.equal(after.held, 0, 'the held poll is released');
      assert.equal(after.streams, 0, 'the event stream is released');
    } finally {
      await agent.destroy();
      await server.close();
    }
  });

  test('a GET in flight when the server closes the connection gracefully (GOAWAY, NO_ERROR) is answered: sent again once', async () => {
    const { createServer } = await import('node:http2');
    const { sendRecorded } = await import('../core/http.ts');
    const { versionedClient } = await import('../core/http-version.ts');
    const { Transcript } = await import('../core/transcript.ts');
    let requests = 0;
    // As nginx after keepalive_requests: GOAWAY with NO_ERROR naming this stream as the last, then its answer.
    const server = createServer((request, response) => {
      requests += 1;
      if (requests === 1) request.stream.session?.goaway(0, request.stream.id);
      response.end(`answer ${requests}`);
    });
    const sessions = new Set<ServerHttp2Session>();
    server.on('session', (session) => sessions.add(session));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const client = versionedClient(origin, { version: '2', tls: {} });
    const transcript = new Transcript();
    try {
      const answer = await sendRecorded(client, transcript, { actor: 'client', method: 'GET', url: `${origin}/x`, deadlineMs: 5000 });
      assert.equal(answer.status, 200);
      assert.equal(answer.body, 'answer 2', 'the second request is the one sent again');
      const evidence = transcript.toEvidence();
      assert.equal(evidence.exchanges.length, 2, 'both requests are in the transcript');
      assert.ok(evidence.notes.some((n) => n.includes('GOAWAY')), 'and why the first was sent again');
    } finally {
      await client.destroy();
      for (const session of sessions) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

