/**
 * SseStreamClient against tiny node:http servers on port 0: what it records,
 * how its waits resolve and fail, and that a stalled, closing or resetting
 * server, an error status or an endless line never hangs or crashes it.
 * No fixed sleeps: servers write when the test tells them to.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { ConformanceFailure } from '../core/failure.ts';
import { READ_CAP_ENV } from '../core/read-cap.ts';
import { STREAM_BYTE_CAP, STREAM_CHUNK_CAP, Transcript } from '../core/transcript.ts';
import { SSE_FINDING_CAP, SseStreamClient, type SseStreamOptions } from '../techniques/sse/stream-client.ts';
import type { StreamRecord } from '../verdicts/model.ts';

const servers: Server[] = [];
const clients: SseStreamClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

interface Served {
  url: string;
  /** The requests received so far, with their responses, in order. */
  requests: Array<{ req: IncomingMessage; res: ServerResponse }>;
  /** Resolves with the next request's response. */
  next: () => Promise<{ req: IncomingMessage; res: ServerResponse }>;
}

/** A server that hands each request to the test; `head` (if given) is sent at once. */
async function serve(head?: (res: ServerResponse) => void): Promise<Served> {
  const requests: Served['requests'] = [];
  const waiting: Array<(r: Served['requests'][number]) => void> = [];
  const server = createServer((req, res) => {
    head?.(res);
    const entry = { req, res };
    requests.push(entry);
    waiting.shift()?.(entry);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const next = (): Promise<Served['requests'][number]> => {
    const already = requests[waiting.length];
    return already ? Promise.resolve(already) : new Promise((resolve) => waiting.push(resolve));
  };
  return { url: `http://127.0.0.1:${port}`, requests, next };
}

const sseHead = (res: ServerResponse): void => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
  res.flushHeaders();
};

async function open(url: string, extra: Partial<SseStreamOptions> = {}): Promise<{ client: SseStreamClient; transcript: Transcript; record: () => StreamRecord }> {
  const transcript = extra.transcript ?? new Transcript();
  const client = await SseStreamClient.open({ url, actor: 'client alice', transcript, headersDeadlineMs: 2000, ...extra });
  clients.push(client);
  return { client, transcript, record: () => transcript.toEvidence().streams?.[0] as StreamRecord };
}

/** The ConformanceFailure a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<ConformanceFailure> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ConformanceFailure, String(error));
    return error;
  }
  return assert.fail('expected a ConformanceFailure');
}

describe('SseStreamClient', () => {
  test('sends the request, resolves at the head, then records events with their arrival times', async () => {
    const server = await serve(sseHead);
    const { client, record } = await open(`${server.url}/stream?x=1`, { headers: { 'Last-Event-ID': '41', Accept: 'text/event-stream, */*' } });
    const { req, res } = await server.next();
    assert.equal(req.headers.accept, 'text/event-stream, */*');
    assert.equal(req.headers['last-event-id'], '41');
    assert.deepEqual([client.status, client.headers['content-type'], client.events.length, client.ended], [200, 'text/event-stream', 0, false]);
    assert.ok(client.headersAtMs !== undefined && client.headersAtMs >= client.startedAtMs);

    res.write('retry: 500\n: hello\nid: 1\nevent: tick\ndata: a\n\n');
    await client.waitForEvents(1, 2000);
    res.write('data: b\n\n');
    res.write('data: c\n\n');
    await client.waitForEvents(3, 2000);
    assert.deepEqual(client.events.map((e) => [e.type, e.data, e.lastEventId]), [['tick', 'a', '1'], ['message', 'b', '1'], ['message', 'c', '1']]);
    assert.ok((client.events[0]?.atMs ?? -1) >= client.headersAtMs);
    assert.deepEqual(client.retries.map((r) => r.value), [500]);
    assert.deepEqual(client.comments.map((c) => c.text), [' hello']);
    assert.equal(client.bytesReceived, 64);
    assert.equal(client.lastChunkAtMs, record().chunks.at(-1)?.atMs);

    const kept = record();
    assert.deepEqual([kept.actor, kept.method, kept.url, kept.requestHeaders], [
      'client alice',
      'GET',
      '/stream?x=1',
      { host: new URL(server.url).host, accept: 'text/event-stream, */*', 'last-event-id': '41' },
    ]);
    assert.deepEqual([kept.status, kept.headersAtMs, kept.responseHeaders?.['cache-control']], [200, client.headersAtMs, 'no-store']);
    assert.equal(kept.chunks.map((c) => c.text).join(''), 'retry: 500\n: hello\nid: 1\nevent: tick\ndata: a\n\ndata: b\n\ndata: c\n\n');
    assert.ok(kept.chunks.every((c, i) => c.atMs >= (kept.chunks[i - 1]?.atMs ?? client.headersAtMs ?? 0) && c.bytes === Buffer.byteLength(c.text)));
    assert.equal(kept.end, undefined);
  });

  test('sends Accept: text/event-stream by default, through a given dispatcher', async () => {
    const server = await serve(sseHead);
    const dispatcher = new Agent();
    try {
      const { client } = await open(server.url, { dispatcher });
      const { req } = await server.next();
      assert.equal(req.headers.accept, 'text/event-stream');
      client.close();
    } finally {
      await dispatcher.destroy();
    }
  });

  test('a stalled stream: waits fail at their deadline, saying what arrived and since when it is silent', async () => {
    const server = await serve(sseHead);
    const { client } = await open(server.url);
    const { res } = await server.next();
    const none = await failure(client.waitForEvents(1, 200));
    assert.equal(none.expected, '1 event within 200 ms');
    assert.match(none.actual, /^no events; the stream is still open, silent since \+\d+ ms \(no bytes at all\)$/);

    res.write('data: a\n\n: ping\n');
    await client.waitForEvents(1, 2000);
    const some = await failure(client.waitForEvents(3, 200));
    assert.equal(some.expected, '3 events within 200 ms');
    assert.match(some.actual, /^1 event, the last at \+\d+ ms; the stream is still open, silent since \+\d+ ms$/);

    const after = client.comments[0]?.atMs ?? assert.fail('no comment');
    const noComment = await failure(client.waitForComment(after, 200));
    assert.match(noComment.expected, /^a comment after \+\d+ ms, within 200 ms$/);
    assert.match(noComment.actual, /^no comment since \+\d+ ms \(the last at \+\d+ ms\)$/);
    const notEnded = await failure(client.waitForEnd(200));
    assert.equal(notEnded.expected, 'the stream to end within 200 ms');
    assert.match(notEnded.actual, /^1 event, the last at \+\d+ ms; the stream is still open/);
  });

  test('waitForComment resolves with a comment that arrives after the given time only', async () => {
    const server = await serve(sseHead);
    const { client, transcript } = await open(server.url);
    const noneYet = await failure(client.waitForComment(0, 100));
    assert.equal(noneYet.actual, 'no comment at all');
    const { res } = await server.next();
    res.write(': early\ndata: x\n\n');
    await client.waitForEvents(1, 2000);
    const since = transcript.now();
    const waiting = client.waitForComment(since, 2000);
    // Times are kept to 0.1 ms: a comment read within the same tenth as `since` is not after it (failed once under
    // load). Write once the clock has moved on; this spins for 0.1 ms at most.
    while (transcript.now() <= since);
    res.write(': keep-alive\n');
    const comment = await waiting;
    assert.equal(comment.text, ' keep-alive');
    assert.ok(comment.atMs > since);
  });

  test('a server that closes: the stream ends, the incomplete block is reported, pending waits fail at once', async () => {
    const server = await serve(sseHead);
    const { client, record } = await open(server.url);
    const { res } = await server.next();
    const started = performance.now();
    const waiting = failure(client.waitForEvents(2, 5000));
    res.end('data: a\n\ndata: b');
    const ended = await waiting;
    assert.ok(performance.now() - started < 4000, 'the wait should fail when the stream ends, not at its deadline');
    assert.match(ended.actual, /^1 event, the last at \+\d+ ms; the stream ended at \+\d+ ms \(closed by the server\)$/);
    await client.waitForEnd(200);
    assert.deepEqual([client.ended, client.endReason], [true, 'closed by the server']);
    assert.deepEqual(client.findings.map((f) => f.rule), ['unterminated-event']);
    assert.deepEqual([record().end, record().endedAtMs], ['closed by the server', client.endedAtMs]);
    client.close();
    assert.equal(client.endReason, 'closed by the server');
  });

  test('a server that resets the connection: the end is an error, not a crash', async () => {
    const server = await serve(sseHead);
    const { client, record } = await open(server.url);
    const { res } = await server.next();
    res.write('data: a\n\n');
    await client.waitForEvents(1, 2000);
    res.socket?.destroy();
    await client.waitForEnd(2000);
    assert.match(client.endReason ?? '', /^error: \w+: /);
    assert.equal(record().end, client.endReason);
    assert.deepEqual(client.events.map((e) => e.data), ['a']);
  });

  test('a 404 with a JSON body: the head resolves open(), the body is read and recorded', async () => {
    const server = await serve((res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"no such channel"}');
    });
    const { client, record } = await open(`${server.url}/nowhere`);
    assert.deepEqual([client.status, client.headers['content-type']], [404, 'application/json']);
    await client.waitForEnd(2000);
    assert.deepEqual(client.events, []);
    assert.equal(record().chunks.map((c) => c.text).join(''), '{"error":"no such channel"}');
    assert.deepEqual([record().status, record().end], [404, 'closed by the server']);
  });

  test('close() aborts the request, is idempotent, and ends the record "closed by the client"', async () => {
    const server = await serve(sseHead);
    const { client, record } = await open(server.url);
    const { req, res } = await server.next();
    const serverSaw = new Promise((resolve) => req.socket.once('close', resolve));
    const waiting = failure(client.waitForEvents(1, 5000));
    res.write('data: partial');
    client.close();
    client.close();
    assert.match((await waiting).actual, /^no events; the stream ended at \+\d+ ms \(closed by the client\)$/);
    assert.deepEqual([client.ended, client.endReason, record().end], [true, 'closed by the client', 'closed by the client']);
    await serverSaw;
    assert.deepEqual(client.findings, [], 'walking away is not the server leaving an event unterminated');
    await client.waitForEnd(10);
  });

  test('the record keeps 300 chunks and counts the rest', async () => {
    const server = await serve(sseHead);
    const { client, record } = await open(server.url);
    const { res } = await server.next();
    let omitted = 0;
    for (let i = 0; i < 400; i += 1) {
      const text = `data: ${i}\n\n`;
      if (i >= STREAM_CHUNK_CAP) omitted += text.length;
      res.write(text);
      await client.waitForEvents(i + 1, 2000); // one write at a time, so each arrives as its own chunk
    }
    const kept = record();
    assert.equal(kept.chunks.length, STREAM_CHUNK_CAP);
    assert.deepEqual([kept.omittedChunks, kept.omittedBytes], [400 - STREAM_CHUNK_CAP, omitted]);
    assert.equal(kept.chunks[299]?.text, 'data: 299\n\n');
    assert.equal(client.events.length, 400);
  });

  test('the record keeps at most 64 KiB, cutting the chunk that crosses the cap', async () => {
    const server = await serve(sseHead);
    const { client, record } = await open(server.url);
    const { res } = await server.next();
    res.write(`:${'é'.repeat(50_000)}\n\n`);
    await client.waitForComment(-1, 2000);
    const kept = record();
    const keptBytes = kept.chunks.reduce((sum, c) => sum + c.bytes, 0);
    assert.equal(keptBytes, STREAM_BYTE_CAP);
    assert.equal(keptBytes + kept.omittedBytes, client.bytesReceived);
    assert.equal(client.bytesReceived, 100_003);
  });

  test('an endless line becomes one finding and a deadline failure, never a hang', async () => {
    const server = await serve(sseHead);
    const { client } = await open(server.url, { maxLineBytes: 1024 });
    const { res } = await server.next();
    res.write('data: ');
    for (let i = 0; i < 8; i += 1) res.write('x'.repeat(4096));
    const stalled = await failure(client.waitForEvents(1, 300));
    assert.match(stalled.actual, /^no events; the stream is still open, silent since \+\d+ ms$/);
    assert.deepEqual(client.findings.map((f) => f.rule), ['line-too-long']);
    assert.equal(client.bytesReceived, 6 + 8 * 4096);
  });

  test('a stream longer than the read cap is stopped there: waits end at once, naming the cap', async () => {
    const server = await serve(sseHead);
    process.env[READ_CAP_ENV] = '1';
    const { client } = await open(server.url).finally(() => delete process.env[READ_CAP_ENV]);
    const { res } = await server.next();
    const chunk = 'x'.repeat(64 * 1024);
    const write = (): void => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', write);
    };
    write();
    const stopped = await failure(client.waitForEvents(1, 10_000));
    assert.match(stopped.actual, /^no events; the stream ended at \+\d+ ms \(stopped by pushspec: more than pushspec's read cap \(1 MiB, PUSHSPEC_READ_CAP_MIB\) received\)$/);
    assert.ok(client.bytesReceived > 1024 * 1024 && client.bytesReceived <= 1024 * 1024 + 64 * 1024 * 4, `stopped just past the cap (${client.bytesReceived} bytes)`);
  });

  test('findings beyond the cap are counted, not kept', async () => {
    const server = await serve(sseHead);
    const { client } = await open(server.url);
    const { res } = await server.next();
    res.end(`${'Data: x\n'.repeat(SSE_FINDING_CAP + 5)}`);
    await client.waitForEnd(2000);
    assert.deepEqual([client.findings.length, client.omittedFindings], [SSE_FINDING_CAP, 5]);
  });

  test('no head within the deadline is a ConformanceFailure, recorded as an error', async () => {
    const server = await serve();
    const transcript = new Transcript();
    const late = await failure(SseStreamClient.open({ url: `${server.url}/slow`, actor: 'client bob', transcript, headersDeadlineMs: 200 }));
    assert.deepEqual([late.expected, late.actual], ['a response to GET /slow within 200 ms', 'no response head after 200 ms']);
    const kept = transcript.toEvidence().streams?.[0];
    assert.deepEqual([kept?.end, kept?.status], ['error: no response head within 200 ms; request abandoned', undefined]);
    // Node's timers run on libuv's loop clock, cached to the whole millisecond: a 200 ms timer may fire when
    // performance.now() has moved 199.x ms (seen once in a CI rehearsal). The stream ended at the deadline, not before it.
    assert.ok((kept?.endedAtMs ?? 0) >= 199, `ended at ${kept?.endedAtMs} ms`);
  });

  test('begin() returns before a head held until the first event, which then brings head and event together', async () => {
    const server = await serve();
    const transcript = new Transcript();
    const client = SseStreamClient.begin({ url: server.url, actor: 'client carol', transcript, headersDeadlineMs: 2000 });
    clients.push(client);
    const { res } = await server.next();
    assert.equal(client.headersAtMs, undefined);
    res.writeHead(200, { 'content-type': 'text/event-stream' }); // not flushed: goes out with the first write
    res.write('id: 1\ndata: x\n\n');
    await client.head;
    await client.waitForEvents(1, 2000);
    assert.deepEqual([client.status, client.events[0]?.data], [200, 'x']);
  });

  test('closing a stream whose head never came ends it as closed by the client, without an unhandled rejection', async () => {
    const server = await serve();
    const transcript = new Transcript();
    const client = SseStreamClient.begin({ url: server.url, actor: 'client carol', transcript, headersDeadlineMs: 2000 });
    await server.next();
    client.close();
    const closed = await failure(client.head);
    assert.equal(closed.actual, 'the client closed the stream before a response head arrived');
    assert.equal(transcript.toEvidence().streams?.[0]?.end, 'closed by the client');
  });

  test('a refused connection is a ConformanceFailure naming the error', async () => {
    const server = await serve();
    const url = server.url;
    const closing = servers.pop() as Server;
    await new Promise((resolve) => closing.close(resolve));
    const transcript = new Transcript();
    const refused = await failure(SseStreamClient.open({ url, actor: 'client bob', transcript, headersDeadlineMs: 2000 }));
    assert.equal(refused.expected, 'an HTTP response to GET /');
    assert.match(refused.actual, /^the request failed \(ECONNREFUSED: .*\)$/);
    assert.match(transcript.toEvidence().streams?.[0]?.end ?? '', /^error: ECONNREFUSED/);
  });
});
