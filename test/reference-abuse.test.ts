/**
 * The reference server against clients that try to knock it over (issue 14),
 * over real connections on 127.0.0.1: a publish flood stays under the memory
 * budget and the server keeps answering; a publish past the channel limit is
 * refused; a WebSocket client that stops reading is closed 1013 and resumes
 * with its cursor; a trickled body or head is cut with 408; and long
 * responses (held polls, event streams, WebSockets) outlive those timeouts.
 * Budgets and timeouts are scaled down; test/e2e/reference-abuse.test.ts
 * floods a server with default options.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { WebSocket } from 'ws';
import { MESSAGE_OVERHEAD_BYTES } from '../reference/channel-store.ts';
import { CLOSE_TRY_AGAIN_LATER } from '../reference/websocket/sockets.ts';
import { waitUntil } from '../core/wait.ts';
import { withDeadline } from './support/deadline.ts';
import { pollIds, publish, rawConnection, send, withServer } from './support/reference-client.ts';

const DEADLINE_MS = 10_000;

describe('publish flood', () => {
  test('retained history stays under historyMaxBytes, oldest evicted first, and the server keeps answering', async () => {
    const budget = 64 * 1024;
    await withServer({ historyMaxBytes: budget }, async (server) => {
      const data = 'x'.repeat(1024);
      for (let i = 0; i < 400; i += 1) {
        const answer = await publish(server, `flood-${i % 10}`, data);
        assert.equal(answer.status, 201, answer.text);
        assert.ok(server.store.historyBytes <= budget, `${server.store.historyBytes} bytes retained after publish ${i + 1}`);
      }
      const perMessage = 1024 + MESSAGE_OVERHEAD_BYTES;
      assert.equal(server.store.stats().messages, Math.floor(budget / perMessage));
      assert.equal((await send(server, 'GET', '/')).status, 200);
      // 40 published per channel, the newest 5 or 6 of each retained: a cursor behind them gets the gap signal.
      assert.equal(await pollIds(server, 'flood-0', '0'), 'cursor_expired');
      const expired = await send(server, 'GET', '/channels/flood-0/messages?cursor=0');
      const oldest = Number(expired.json?.oldest);
      assert.ok(oldest > 30 && oldest <= 40, `oldest retained id ${oldest}`);
      assert.deepEqual(await pollIds(server, 'flood-0', String(oldest - 1)), Array.from({ length: 41 - oldest }, (_, k) => String(oldest + k)));
    });
  });

  test('a publish that would create one channel more than maxChannels gets 503 channel_limit and stores nothing', async () => {
    await withServer({ maxChannels: 3 }, async (server) => {
      for (const channel of ['a', 'b', 'c']) assert.equal((await publish(server, channel, 'm')).status, 201);
      const refused = await publish(server, 'd', 'm');
      assert.equal(refused.status, 503);
      assert.equal(refused.json?.error, 'channel_limit');
      assert.equal(refused.json?.limit, 3);
      assert.equal(refused.headers['retry-after'], '60');
      assert.match(String(refused.json?.message), /maxChannels/);
      assert.deepEqual(server.store.stats(), { channels: 3, messages: 3, listeners: 0 });
      assert.deepEqual(await pollIds(server, 'd', '0'), []);
      assert.equal((await publish(server, 'a', 'again')).json?.id, '2', 'existing channels still take publishes');
      assert.equal((await send(server, 'DELETE', '/channels/b')).status, 204);
      assert.equal((await publish(server, 'd', 'm')).status, 201, 'a closed channel frees its place');
    });
  });
});

describe('a WebSocket client that stops reading', () => {
  test('is closed 1013 once its unsent data passes wsMaxBufferBytes, and resumes from its cursor without loss', async () => {
    await withServer({ wsMaxBufferBytes: 64 * 1024 }, async (server) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/channels/slow/ws`);
      ws.on('error', () => {});
      const ids: number[] = [];
      ws.on('message', (data: Buffer) => ids.push(Number((JSON.parse(data.toString('utf8')) as { id: string }).id)));
      const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })));
      await withDeadline(new Promise((resolve) => ws.once('open', resolve)), DEADLINE_MS, 'WebSocket open');
      // Stop reading: the kernel's buffers fill, then the server's queue grows.
      (ws as unknown as { _socket: { pause(): void } })._socket.pause();
      const data = 'y'.repeat(16 * 1024);
      let published = 0;
      // Kernel buffers on loopback take a few MiB before anything queues in the server.
      while (server.sockets.slowClientsDropped === 0 && published < 4096) {
        server.store.publish('slow', { data });
        published += 1;
        // Let the socket write what it can between publishes, as real publishes over HTTP would.
        if (published % 16 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      assert.equal(server.sockets.slowClientsDropped, 1, `not closed after ${published} messages`);
      assert.equal(server.sockets.count(), 0);
      assert.equal((await send(server, 'GET', '/stats')).json?.slowSocketsDropped, 1);
      (ws as unknown as { _socket: { resume(): void } })._socket.resume();
      const { code, reason } = await withDeadline(closed, DEADLINE_MS, 'the close frame');
      assert.equal(code, CLOSE_TRY_AGAIN_LATER);
      assert.match(reason, /cursor/);
      assert.deepEqual(ids, Array.from({ length: ids.length }, (_, k) => k + 1), 'what arrived is in order, without holes');
      // Resuming from the last id received gets the rest.
      const rest = new WebSocket(`${server.url.replace('http', 'ws')}/channels/slow/ws?cursor=${ids.length}`);
      rest.on('error', () => {});
      let next = ids.length;
      rest.on('message', (frame: Buffer) => {
        assert.equal(Number((JSON.parse(frame.toString('utf8')) as { id: string }).id), next + 1);
        next += 1;
      });
      await waitUntil(() => next === published, { what: 'the rest of the messages', deadlineMs: DEADLINE_MS, everyMs: 20, seen: () => `up to id ${next} of ${published}` });
      rest.close();
    });
  });
});

describe('a WebSocket cursor replay far larger than wsMaxBufferBytes', () => {
  test('reaches a client that reads, whole and in order, without tripping the slow-client bound', async () => {
    await withServer({ wsMaxBufferBytes: 64 * 1024 }, async (server) => {
      const data = 'z'.repeat(16 * 1024);
      for (let i = 0; i < 200; i += 1) server.store.publish('replay', { data });
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/channels/replay/ws?cursor=0`);
      ws.on('error', () => {});
      const ids: number[] = [];
      let closedWith: number | undefined;
      ws.on('message', (frame: Buffer) => ids.push(Number((JSON.parse(frame.toString('utf8')) as { id: string }).id)));
      ws.on('close', (code) => (closedWith = code));
      await waitUntil(() => ids.length === 200, {
        what: '200 replayed messages',
        deadlineMs: DEADLINE_MS,
        everyMs: 20,
        seen: () => `${ids.length} messages${closedWith === undefined ? '' : `, closed ${closedWith}`}`,
        endedFirst: () => (closedWith === undefined ? undefined : `closed ${closedWith} after ${ids.length} messages`),
      });
      assert.deepEqual(ids, Array.from({ length: 200 }, (_, k) => k + 1));
      assert.equal(server.sockets.slowClientsDropped, 0);
      ws.close();
    });
  });
});

describe('slow requests', () => {
  const timeouts = { headersTimeoutMs: 200, requestTimeoutMs: 400 };

  test('a body announced and then trickled is cut with 408 request_timeout, and nothing is stored', async () => {
    await withServer(timeouts, async (server) => {
      const connection = await rawConnection(server);
      connection.socket.write('POST /channels/t/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nab');
      const trickle = setInterval(() => connection.socket.write('c'), 50);
      try {
        await withDeadline(connection.closed, DEADLINE_MS, 'the server closing the trickled request');
      } finally {
        clearInterval(trickle);
      }
      assert.match(connection.received(), /^HTTP\/1\.1 408 Request Timeout\r\n/);
      assert.match(connection.received(), /"error":"request_timeout"/);
      assert.deepEqual(server.store.stats(), { channels: 0, messages: 0, listeners: 0 });
    });
  });

  test('a head trickled line by line is cut with 408 request_timeout', async () => {
    await withServer(timeouts, async (server) => {
      const connection = await rawConnection(server);
      connection.socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      const trickle = setInterval(() => connection.socket.write('X-Slow: 1\r\n'), 50);
      try {
        await withDeadline(connection.closed, DEADLINE_MS, 'the server closing the trickled head');
      } finally {
        clearInterval(trickle);
      }
      assert.match(connection.received(), /^HTTP\/1\.1 408 Request Timeout\r\n[^]*"error":"request_timeout"/);
    });
  });

  test('a connection that sends nothing at all is closed once headersTimeoutMs has passed', async () => {
    await withServer(timeouts, async (server) => {
      const connection = await rawConnection(server);
      await withDeadline(connection.closed, DEADLINE_MS, 'the server closing the silent connection');
      assert.match(connection.received(), /^HTTP\/1\.1 408 /);
    });
  });

  test('held long-polls, event streams and WebSockets outlive the request timeouts: they are responses', async () => {
    await withServer({ ...timeouts, maxHoldMs: 3000, sseKeepAliveMs: 60_000, wsPingIntervalMs: 0 }, async (server) => {
      const stream = await request(`${server.url}/channels/long/events`);
      let streamed = '';
      stream.body.setEncoding('utf8');
      stream.body.on('data', (chunk: string) => (streamed += chunk));
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/channels/long/ws`);
      ws.on('error', () => {});
      const frames: string[] = [];
      ws.on('message', (data: Buffer) => frames.push(data.toString('utf8')));
      await withDeadline(new Promise((resolve) => ws.once('open', resolve)), DEADLINE_MS, 'WebSocket open');
      // A poll held three times the request timeout is answered by the hold, not cut.
      const started = performance.now();
      const held = await send(server, 'GET', '/channels/long/messages?cursor=0&wait=1200');
      assert.equal(held.status, 200, held.text);
      assert.ok(performance.now() - started >= 1200, 'the poll was held for its wait');
      assert.equal((await publish(server, 'long', 'still there')).status, 201);
      await waitUntil(() => streamed.includes('data: still there') && frames.length === 1, {
        what: 'the message on the stream and the socket',
        deadlineMs: DEADLINE_MS,
        everyMs: 10,
        seen: () => `stream ${JSON.stringify(streamed)}, frames ${JSON.stringify(frames)}`,
      });
      ws.close();
      stream.body.destroy();
    });
  });
});
