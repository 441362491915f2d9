/**
 * Server-Sent Events on the reference server (docs/reference-protocol.md,
 * "Server-Sent Events"), over real sockets read chunk by chunk and parsed as
 * a WHATWG client would: the head, the event format, live delivery,
 * keep-alives, resume and gaps, slow clients, CORS, closing a channel, stats
 * and shutdown; then SseStreams on its own for what sockets cannot force.
 * Every wait has a deadline; timing assertions are bounds that tell
 * behaviours apart, never speed claims.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Readable, Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { ChannelStore } from '../reference/channel-store.ts';
import { buildReferenceApp, startReferenceServer, type ReferenceOptions, type ReferenceServer } from '../reference/server.ts';
import { SseStreams } from '../reference/sse/streams.ts';
import { runScriptUntilExit, waitForListening } from './support/child-process.ts';

const ROOT = new URL('..', import.meta.url).pathname;
/** Longest any single request or condition may take before the test fails instead of hanging. */
const DEADLINE_MS = 5000;
const JSON_TYPE = 'application/json; charset=utf-8';
const STREAM_TYPE = 'text/event-stream; charset=utf-8';

interface SseEvent {
  type: string;
  data: string;
  lastEventId: string;
}

/** An incremental event-stream parser (WHATWG HTML §9.2.6), fed chunk by chunk. */
class EventStreamParser {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  readonly retries: number[] = [];
  #pending = '';
  #data = '';
  #type = '';
  #lastEventId = '';

  push(text: string): void {
    this.#pending += text;
    const breaks = /\r\n|\r|\n/g;
    let start = 0;
    for (let match = breaks.exec(this.#pending); match !== null; match = breaks.exec(this.#pending)) {
      // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
      if (match[0] === '\r' && match.index === this.#pending.length - 1) break;
      this.#line(this.#pending.slice(start, match.index));
      start = breaks.lastIndex;
    }
    this.#pending = this.#pending.slice(start);
  }

  /** The client's last event id right now. */
  get lastEventId(): string {
    return this.#lastEventId;
  }

  #line(line: string): void {
    if (line === '') {
      if (this.#data !== '') this.events.push({ type: this.#type || 'message', data: this.#data.slice(0, -1), lastEventId: this.#lastEventId });
      this.#data = '';
      this.#type = '';
      return;
    }
    if (line.startsWith(':')) {
      this.comments.push(line.slice(1));
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.#data += `${value}\n`;
    else if (field === 'event') this.#type = value;
    else if (field === 'id' && !value.includes('\0')) this.#lastEventId = value;
    else if (field === 'retry' && /^[0-9]+$/.test(value)) this.retries.push(Number(value));
  }
}

/** An open stream as the test client sees it. */
interface ClientStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  parser: EventStreamParser;
  /** Everything received so far, decoded. */
  text: () => string;
  /** True once the server ended the body cleanly. */
  ended: () => boolean;
  /** Every chunk with performance.now() when it arrived. */
  chunks: Array<{ at: number; text: string }>;
  /** Disconnects. */
  close: () => void;
}

interface OpenOptions {
  headers?: Record<string, string>;
  query?: string;
}

interface Harness {
  server: ReferenceServer;
  agent: Agent;
  /** GET /channels/{channel}/events{query}; resolves when the head has arrived. */
  open(channel: string, options?: OpenOptions): Promise<ClientStream>;
  /** Publishes text data (or JSON with an event); returns the id. */
  publish(channel: string, data: string, event?: string): Promise<string>;
  stats(): Promise<Record<string, number>>;
}

/** Resolves once `condition` holds; checks every few ms and fails after `deadlineMs`. */
async function until(what: string, condition: () => boolean | Promise<boolean>, deadlineMs = DEADLINE_MS): Promise<void> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > deadlineMs) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await delay(5);
  }
}

async function openStream(agent: Agent, url: string, options: OpenOptions = {}): Promise<ClientStream> {
  const controller = new AbortController();
  const headTimer = setTimeout(() => controller.abort(new Error('no head within the deadline')), DEADLINE_MS);
  const res = await request(url, {
    dispatcher: agent,
    headers: { accept: 'text/event-stream', ...options.headers },
    signal: controller.signal,
  }).finally(() => clearTimeout(headTimer));
  const parser = new EventStreamParser();
  const chunks: Array<{ at: number; text: string }> = [];
  let text = '';
  let ended = false;
  // stream: true keeps a character split between chunks whole.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  res.body.on('data', (bytes: Buffer) => {
    const chunk = decoder.decode(bytes, { stream: true });
    chunks.push({ at: performance.now(), text: chunk });
    text += chunk;
    parser.push(chunk);
  });
  res.body.on('end', () => {
    ended = true;
  });
  // A deliberate disconnect rejects the body; that is not a failure.
  res.body.on('error', () => {});
  return {
    status: res.statusCode,
    headers: res.headers,
    parser,
    text: () => text,
    ended: () => ended,
    chunks,
    close: () => controller.abort(),
  };
}

/** Runs `fn` against a fresh server and client pool; closes both whatever happens. */
async function withServer(options: ReferenceOptions, fn: (harness: Harness) => Promise<void>): Promise<void> {
  const server = await startReferenceServer(options);
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 64 });
  const harness: Harness = {
    server,
    agent,
    open: (channel, openOptions = {}) => openStream(agent, `${server.url}/channels/${channel}/events${openOptions.query ?? ''}`, openOptions),
    async publish(channel, data, event) {
      const res = await request(`${server.url}/channels/${channel}/messages`, {
        method: 'POST',
        headers: { 'content-type': event === undefined ? 'text/plain; charset=utf-8' : 'application/json' },
        body: event === undefined ? data : JSON.stringify({ data, event }),
        dispatcher: agent,
        signal: AbortSignal.timeout(DEADLINE_MS),
      });
      assert.equal(res.statusCode, 201);
      return ((await res.body.json()) as { id: string }).id;
    },
    async stats() {
      const res = await request(`${server.url}/stats`, { dispatcher: agent, signal: AbortSignal.timeout(DEADLINE_MS) });
      return (await res.body.json()) as Record<string, number>;
    },
  };
  try {
    await fn(harness);
  } finally {
    // Client first: streams stay open until their client or the server ends them.
    await agent.destroy();
    await server.close();
  }
}

const ids = (events: SseEvent[]): string[] => events.map((event) => event.lastEventId);

/** Waits until `stream` has parsed `count` events. */
function eventCount(stream: ClientStream, count: number): Promise<void> {
  return until(`${count} event(s), got ${stream.parser.events.length}: ${stream.text().slice(-200)}`, () => stream.parser.events.length >= count);
}

describe('the stream head', () => {
  test('200, text/event-stream, no-store no-transform, not buffered; it arrives before any event', async () => {
    await withServer({ sseRetryMs: 0 }, async ({ server, open, stats }) => {
      // No publish, no retry: the head alone must reach the client.
      const stream = await open('news', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
      assert.equal(stream.status, 200);
      assert.equal(stream.headers['content-type'], STREAM_TYPE);
      assert.equal(stream.headers['cache-control'], 'no-store, no-transform');
      assert.equal(stream.headers['x-accel-buffering'], 'no');
      assert.equal(stream.headers['content-encoding'], undefined);
      assert.equal(stream.headers['content-length'], undefined);
      assert.equal(stream.text(), '');
      assert.equal(server.streams.count(), 1);
      assert.equal((await stats()).streams, 1);
      stream.close();
    });
  });

  test('retry: comes first, with the configured time; none with sseRetryMs 0', async () => {
    await withServer({}, async ({ open }) => {
      const stream = await open('a');
      await until('retry', () => stream.text().length > 0);
      assert.ok(stream.text().startsWith('retry: 3000\n\n'), stream.text());
      stream.close();
    });
    await withServer({ sseRetryMs: 1234 }, async ({ open, publish }) => {
      const stream = await open('a');
      await publish('a', 'x');
      await eventCount(stream, 1);
      assert.equal(stream.text(), 'retry: 1234\n\nid: 1\ndata: x\n\n');
      assert.deepEqual(stream.parser.retries, [1234]);
      stream.close();
    });
    await withServer({ sseRetryMs: 0 }, async ({ open, publish }) => {
      const stream = await open('a');
      await publish('a', 'x');
      await eventCount(stream, 1);
      assert.equal(stream.text(), 'id: 1\ndata: x\n\n');
      stream.close();
    });
  });

  test('HEAD answers the head and opens no stream', async () => {
    const { app, streams } = buildReferenceApp();
    try {
      const res = await app.inject({ method: 'HEAD', url: '/channels/a/events' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], STREAM_TYPE);
      assert.equal(res.headers['cache-control'], 'no-store, no-transform');
      assert.equal(res.body, '');
      assert.equal(streams.count(), 0);
    } finally {
      await app.close();
    }
  });
});

describe('events', () => {
  test('the wire format: id, event name, one data line per line, whatever the line breaks', async () => {
    await withServer({ sseRetryMs: 0 }, async ({ open, publish }) => {
      const stream = await open('f');
      const sent: Array<[string, string | undefined]> = [
        ['plain', undefined],
        ['lf\nline', undefined],
        ['cr\rline', undefined],
        ['crlf\r\nline', undefined],
        ['\n\nempty lines\n', undefined],
        ['', undefined],
        ['😀 𝄞 beyond the BMP', 'émoji😀'],
        [' spaced', 'quote'],
        ['x\n\nid: 99\nevent: evil\ndata: injected', undefined],
      ];
      for (const [data, event] of sent) await publish('f', data, event);
      await eventCount(stream, sent.length);
      assert.equal(
        stream.text(),
        [
          'id: 1\ndata: plain\n\n',
          'id: 2\ndata: lf\ndata: line\n\n',
          'id: 3\ndata: cr\ndata: line\n\n',
          'id: 4\ndata: crlf\ndata: line\n\n',
          'id: 5\ndata: \ndata: \ndata: empty lines\ndata: \n\n',
          'id: 6\ndata: \n\n',
          'id: 7\nevent: émoji😀\ndata: 😀 𝄞 beyond the BMP\n\n',
          'id: 8\nevent: quote\ndata:  spaced\n\n',
          'id: 9\ndata: x\ndata: \ndata: id: 99\ndata: event: evil\ndata: data: injected\n\n',
        ].join(''),
      );
      assert.deepEqual(
        stream.parser.events,
        sent.map(([data, event], index) => ({
          type: event ?? 'message',
          data: data.replace(/\r\n|\r/g, '\n'),
          lastEventId: String(index + 1),
        })),
      );
      stream.close();
    });
  });

  test('live: every stream of the channel gets each message once; other channels none; no history without Last-Event-ID', async () => {
    await withServer({}, async ({ server, open, publish }) => {
      await publish('a', 'before');
      const [first, second, other] = await Promise.all([open('a'), open('a'), open('b')]);
      assert.equal(server.store.stats().listeners, 2, 'one store listener per channel');
      await publish('a', 'one');
      await publish('a', 'two');
      for (const stream of [first!, second!]) {
        await eventCount(stream, 2);
        assert.deepEqual(
          stream.parser.events.map((event) => [event.lastEventId, event.data]),
          [
            ['2', 'one'],
            ['3', 'two'],
          ],
        );
      }
      await publish('b', 'for b');
      await eventCount(other!, 1);
      assert.deepEqual(ids(other!.parser.events), ['1']);
      assert.equal(first!.parser.events.length, 2);
      for (const stream of [first!, second!, other!]) stream.close();
    });
  });

  test('keep-alive: a comment after sseKeepAliveMs of silence, the timer restarting after every write', async () => {
    await withServer({ sseKeepAliveMs: 100 }, async ({ open, publish }) => {
      const openedAt = performance.now();
      const stream = await open('k');
      const comments = (): Array<{ at: number; text: string }> => stream.chunks.filter((chunk) => chunk.text.startsWith(':'));
      await until('a keep-alive', () => comments().length >= 1, 2000);
      assert.equal(comments()[0]?.text, ': keep-alive\n\n');
      const first = comments()[0]!.at - openedAt;
      assert.ok(first >= 80 && first < 600, `first keep-alive after ${Math.round(first)} ms`);
      await publish('k', 'x');
      await eventCount(stream, 1);
      const eventAt = stream.chunks.find((chunk) => chunk.text.startsWith('id: 1'))!.at;
      await until('a keep-alive after the event', () => comments().some((chunk) => chunk.at > eventAt), 2000);
      const next = comments().find((chunk) => chunk.at > eventAt)!.at - eventAt;
      assert.ok(next >= 60 && next < 600, `keep-alive ${Math.round(next)} ms after the event`);
      assert.deepEqual(stream.parser.comments.slice(0, 2), [' keep-alive', ' keep-alive']);
      assert.equal(stream.parser.events.length, 1, 'comments fire no event');
      stream.close();
    });
  });
});

describe('resume', () => {
  test('Last-Event-ID replays what came after it, then continues live', async () => {
    await withServer({}, async ({ open, publish }) => {
      for (const data of ['1', '2', '3']) await publish('r', data);
      const stream = await open('r', { headers: { 'last-event-id': '1' } });
      await eventCount(stream, 2);
      await publish('r', '4');
      await eventCount(stream, 3);
      assert.deepEqual(ids(stream.parser.events), ['2', '3', '4']);
      const caughtUp = await open('r', { headers: { 'last-event-id': '4' } });
      await publish('r', '5');
      await eventCount(caughtUp, 1);
      assert.deepEqual(ids(caughtUp.parser.events), ['5']);
      await eventCount(stream, 4);
      assert.deepEqual(ids(stream.parser.events), ['2', '3', '4', '5']);
      stream.close();
      caughtUp.close();
    });
  });

  test('?lastEventId= for a first connection; the header wins when both are given; empty values count as none', async () => {
    await withServer({}, async ({ open, publish }) => {
      for (const data of ['1', '2', '3']) await publish('q', data);
      const cases: Array<[OpenOptions, string[]]> = [
        [{ query: '?lastEventId=1' }, ['2', '3']],
        [{ query: '?lastEventId=2', headers: { 'last-event-id': '0' } }, ['1', '2', '3']],
        [{ query: '?lastEventId=2', headers: { 'last-event-id': '' } }, ['3']],
        [{ query: '?lastEventId=' }, []],
        [{ query: '?lastEventId=0' }, ['1', '2', '3']],
      ];
      const streams = await Promise.all(cases.map(([options]) => open('q', options)));
      await publish('q', 'live');
      for (const [index, [options, replayed]] of cases.entries()) {
        const stream = streams[index]!;
        await eventCount(stream, replayed.length + 1);
        assert.deepEqual(ids(stream.parser.events), [...replayed, '4'], JSON.stringify(options));
        stream.close();
      }
    });
  });

  test('an id older than the history: a gap event without id, then everything retained', async () => {
    await withServer({ historyLimit: 3, sseRetryMs: 0 }, async ({ open, publish }) => {
      for (let i = 1; i <= 5; i += 1) await publish('g', `m${i}`);
      const stream = await open('g', { headers: { 'last-event-id': '1' } });
      await eventCount(stream, 4);
      assert.equal(
        stream.text(),
        'event: gap\ndata: {"lastEventId":"1","oldest":"3"}\n\nid: 3\ndata: m3\n\nid: 4\ndata: m4\n\nid: 5\ndata: m5\n\n',
      );
      assert.deepEqual(stream.parser.events[0], { type: 'gap', data: '{"lastEventId":"1","oldest":"3"}', lastEventId: '' });
      // The last evicted id is no gap: the message right after it is retained.
      const boundary = await open('g', { query: '?lastEventId=2' });
      await eventCount(boundary, 3);
      assert.deepEqual(
        boundary.parser.events.map((event) => event.type),
        ['message', 'message', 'message'],
      );
      stream.close();
      boundary.close();
    });
  });

  test('a long replay is paced by the client and joins live with no loss and no duplicate', async () => {
    await withServer({ historyLimit: 1000, sseRetryMs: 0 }, async ({ server }) => {
      const big = 'x'.repeat(32 * 1024);
      for (let i = 1; i <= 250; i += 1) server.store.publish('long', { data: `${i} ${big}` });
      // Raw socket: it takes nothing until told to, so the replay (8 MB) must wait for it.
      const socket = connect(server.port, '127.0.0.1');
      await once(socket, 'connect');
      socket.pause();
      socket.write('GET /channels/long/events HTTP/1.1\r\nHost: 127.0.0.1\r\nLast-Event-ID: 0\r\n\r\n');
      await until('the stream to open', () => server.streams.count() === 1);
      // Published while the replay waits: they must come after it, in order, once.
      for (let i = 251; i <= 260; i += 1) {
        server.store.publish('long', { data: `${i} ${big}` });
        await delay(1);
      }
      let raw = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (raw += chunk));
      socket.resume();
      await until('all 260 events', () => raw.includes('\nid: 260\n') && raw.endsWith('\n\n\r\n'), 15_000);
      server.store.publish('long', { data: `261 ${big}` });
      await until('the live event', () => raw.includes('\nid: 261\n'));
      const seen = [...raw.matchAll(/\nid: (\d+)\ndata: (\d+) /g)].map((match) => [match[1], match[2]]);
      assert.deepEqual(
        seen,
        Array.from({ length: 261 }, (_, i) => [String(i + 1), String(i + 1)]),
      );
      socket.destroy();
    });
  });

  test('a malformed or future id is a 400 JSON error, not a stream', async () => {
    const { app, streams } = buildReferenceApp();
    try {
      await app.inject({ method: 'POST', url: '/channels/e/messages', headers: { 'content-type': 'text/plain' }, payload: 'x' });
      const cases: Array<[Record<string, string>, string, string, string]> = [
        [{ 'last-event-id': 'abc' }, '', 'malformed_cursor', 'Last-Event-ID "abc" is malformed'],
        [{ 'last-event-id': '01' }, '', 'malformed_cursor', 'Last-Event-ID "01"'],
        [{}, '?lastEventId=-1', 'malformed_cursor', 'lastEventId "-1" is malformed'],
        [{}, '?lastEventId=1&lastEventId=2', 'malformed_cursor', 'lastEventId "1", "2" (given more than once)'],
        [{ 'last-event-id': 'x' }, '?lastEventId=1', 'malformed_cursor', 'Last-Event-ID "x"'],
        [{ 'last-event-id': '2' }, '', 'cursor_ahead', 'Last-Event-ID "2" is ahead of channel "e", whose latest id is 1'],
        [{}, `?lastEventId=${'9'.repeat(16)}`, 'cursor_ahead', 'lastEventId'],
      ];
      for (const [headers, query, code, mentions] of cases) {
        const res = await app.inject({ url: `/channels/e/events${query}`, headers });
        assert.equal(res.statusCode, 400, res.body);
        assert.equal(res.headers['content-type'], JSON_TYPE);
        assert.equal(res.headers['cache-control'], 'no-store');
        const body = res.json() as { error: string; message: string; latest?: string };
        assert.equal(body.error, code);
        assert.ok(body.message.includes(mentions), body.message);
        if (code === 'cursor_ahead') assert.equal(body.latest, '1');
      }
      const invalid = await app.inject({ url: '/channels/no!/events', headers: { 'last-event-id': 'abc' } });
      assert.equal((invalid.json() as { error: string }).error, 'invalid_channel');
      assert.equal(streams.count(), 0);
    } finally {
      await app.close();
    }
  });
});

/**
 * Undoes HTTP/1.1 chunked framing as far as it is complete. Every write of
 * the server is one chunk (one event), so an incomplete last chunk is the
 * only thing dropped.
 */
function dechunk(raw: Buffer): string {
  const parts: Buffer[] = [];
  let offset = raw.indexOf('\r\n\r\n') + 4;
  while (offset < raw.length) {
    const lineEnd = raw.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = Number.parseInt(raw.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!(size > 0) || lineEnd + 2 + size > raw.length) break;
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts).toString('utf8');
}

describe('slow clients', () => {
  test('a client that does not read is dropped past sseMaxBufferBytes; others are not; a resume gets the rest', async () => {
    await withServer({ sseMaxBufferBytes: 64 * 1024, historyLimit: 1000, maxMessageBytes: 256 * 1024 }, async ({ server, open, publish, stats }) => {
      const reader = await open('slow');
      const socket = connect(server.port, '127.0.0.1');
      await once(socket, 'connect');
      socket.pause();
      socket.write('GET /channels/slow/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      await until('both streams to open', () => server.streams.count() === 2);
      const big = 'y'.repeat(128 * 1024);
      let published = 0;
      // The kernel's socket buffers absorb a few MiB first; publish until the drop (at most 64 MiB).
      while (server.streams.slowClientsDropped === 0 && published < 512) {
        await publish('slow', `${published + 1} ${big}`);
        published += 1;
      }
      assert.equal(server.streams.slowClientsDropped, 1, `not dropped after ${published} messages`);
      assert.equal((await stats()).slowClientsDropped, 1);
      assert.equal(server.streams.count(), 1, 'only the slow stream was dropped');
      // What the slow client got before its connection was cut: it ends (no hang).
      const received: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => received.push(chunk));
      socket.resume();
      await Promise.race([
        once(socket, 'close'),
        delay(DEADLINE_MS).then(() => assert.fail('the server did not close the slow connection')),
      ]);
      const parser = new EventStreamParser();
      parser.push(dechunk(Buffer.concat(received)));
      const last = parser.lastEventId;
      assert.ok(Number(last) >= 1 && Number(last) < published, `last complete id ${last} of ${published}`);
      assert.deepEqual(ids(parser.events), Array.from({ length: Number(last) }, (_, i) => String(i + 1)));
      // The fast reader got everything; a resume from the last complete id gets the rest.
      await eventCount(reader, published);
      const resumed = await open('slow', { headers: { 'last-event-id': last } });
      await eventCount(resumed, published - Number(last));
      assert.deepEqual(
        ids(resumed.parser.events),
        Array.from({ length: published - Number(last) }, (_, i) => String(Number(last) + i + 1)),
      );
      assert.ok(resumed.parser.events.every((event) => event.data.startsWith(`${event.lastEventId} `)));
      reader.close();
      resumed.close();
    });
  });
});

describe('CORS', () => {
  const ALLOWED = 'https://app.example';

  test('a listed origin gets its origin, credentials and Vary on streams and errors; other origins get nothing', async () => {
    await withServer({ corsOrigins: [ALLOWED, 'http://localhost:3000'] }, async ({ server, open }) => {
      const stream = await open('c', { headers: { origin: ALLOWED } });
      assert.equal(stream.status, 200);
      assert.equal(stream.headers['access-control-allow-origin'], ALLOWED);
      assert.equal(stream.headers['access-control-allow-credentials'], 'true');
      assert.equal(stream.headers.vary, 'Origin');
      assert.equal(stream.headers['content-type'], STREAM_TYPE);
      stream.close();
      const denied = await open('c', { headers: { origin: 'https://evil.example' } });
      assert.equal(denied.headers['access-control-allow-origin'], undefined);
      assert.equal(denied.headers['access-control-allow-credentials'], undefined);
      assert.equal(denied.headers.vary, 'Origin');
      denied.close();
      const error = await request(`${server.url}/channels/c/events?lastEventId=x`, { headers: { origin: ALLOWED } });
      assert.equal(error.statusCode, 400);
      assert.equal(error.headers['access-control-allow-origin'], ALLOWED);
      await error.body.dump();
    });
  });

  test('the wildcard answers * without credentials; a listed origin still gets credentials', async () => {
    const { app } = buildReferenceApp({ corsOrigins: ['*', ALLOWED] });
    try {
      const any = await app.inject({ url: '/stats', headers: { origin: 'https://anyone.example' } });
      assert.equal(any.headers['access-control-allow-origin'], '*');
      assert.equal(any.headers['access-control-allow-credentials'], undefined);
      const listed = await app.inject({ url: '/stats', headers: { origin: ALLOWED } });
      assert.equal(listed.headers['access-control-allow-origin'], ALLOWED);
      assert.equal(listed.headers['access-control-allow-credentials'], 'true');
      const none = await app.inject({ url: '/stats' });
      assert.equal(none.headers['access-control-allow-origin'], undefined);
      assert.equal(none.headers.vary, 'Origin');
    } finally {
      await app.close();
    }
  });

  test('same-origin only by default: no CORS header at all', async () => {
    const { app } = buildReferenceApp();
    try {
      const res = await app.inject({ url: '/stats', headers: { origin: ALLOWED } });
      assert.equal(res.headers['access-control-allow-origin'], undefined);
      assert.equal(res.headers.vary, undefined);
      const preflight = await app.inject({ method: 'OPTIONS', url: '/channels/a/events', headers: { origin: ALLOWED } });
      assert.equal(preflight.statusCode, 204);
      assert.equal(preflight.headers['access-control-allow-origin'], undefined);
      assert.equal(preflight.headers['access-control-allow-methods'], undefined);
    } finally {
      await app.close();
    }
  });

  test('preflight: 204 granting GET and Last-Event-ID to an allowed origin, nothing to another', async () => {
    const { app } = buildReferenceApp({ corsOrigins: [ALLOWED] });
    try {
      const preflightHeaders = { 'access-control-request-method': 'GET', 'access-control-request-headers': 'last-event-id' };
      const granted = await app.inject({ method: 'OPTIONS', url: '/channels/a/events', headers: { origin: ALLOWED, ...preflightHeaders } });
      assert.equal(granted.statusCode, 204);
      assert.equal(granted.body, '');
      assert.equal(granted.headers['access-control-allow-origin'], ALLOWED);
      assert.equal(granted.headers['access-control-allow-methods'], 'GET');
      const allowedHeaders = String(granted.headers['access-control-allow-headers']).split(/,\s*/);
      for (const name of ['last-event-id', 'cache-control', 'accept']) assert.ok(allowedHeaders.includes(name), name);
      assert.equal(granted.headers['access-control-max-age'], '600');
      assert.equal(granted.headers.vary, 'Origin');
      assert.equal(granted.headers.allow, 'GET, HEAD, OPTIONS');
      const refused = await app.inject({
        method: 'OPTIONS',
        url: '/channels/a/events',
        headers: { origin: 'https://evil.example', ...preflightHeaders },
      });
      assert.equal(refused.statusCode, 204);
      assert.deepEqual(
        Object.keys(refused.headers).filter((name) => name.startsWith('access-control-allow')),
        [],
      );
      const publish = await app.inject({ method: 'OPTIONS', url: '/channels/a/messages', headers: { origin: ALLOWED } });
      assert.equal(publish.headers['access-control-allow-methods'], 'GET, POST');
      const close = await app.inject({ method: 'OPTIONS', url: '/channels/a', headers: { origin: ALLOWED } });
      assert.equal(close.headers['access-control-allow-methods'], 'DELETE');
      // Other methods are still 405, and the Allow header now names OPTIONS too.
      const put = await app.inject({ method: 'PUT', url: '/channels/a/events' });
      assert.equal(put.statusCode, 405);
      assert.equal(put.headers.allow, 'GET, HEAD, OPTIONS');
    } finally {
      await app.close();
    }
  });
});

describe('closing a channel', () => {
  test('DELETE ends its streams and held polls; then streams answer 204, polls and publishes 410', async () => {
    await withServer({ maxHoldMs: 60_000 }, async ({ server, agent, open, publish, stats }) => {
      await publish('doomed', 'kept until closed');
      const [first, second, bystander] = await Promise.all([open('doomed'), open('doomed'), open('other')]);
      const held = request(`${server.url}/channels/doomed/messages?wait=60000`, { dispatcher: agent, signal: AbortSignal.timeout(DEADLINE_MS) });
      await until('the poll to be held', () => server.held.count() === 1);
      const deleted = await request(`${server.url}/channels/doomed`, { method: 'DELETE', dispatcher: agent });
      assert.equal(deleted.statusCode, 204);
      assert.equal(await deleted.body.text(), '');
      await until('both streams to end', () => first!.ended() && second!.ended());
      const answer = await held;
      assert.equal(answer.statusCode, 410);
      const body = (await answer.body.json()) as { error: string; message: string };
      assert.equal(body.error, 'channel_closed');
      assert.match(body.message, /"doomed" was closed for good/);
      assert.equal(bystander!.ended(), false);
      // The bystander's channel is the only one left: the closed one's history is gone.
      assert.deepEqual(await stats(), { channels: 1, messages: 0, held: 0, streams: 1, slowClientsDropped: 0, sockets: 0, slowSocketsDropped: 0 });

      const reconnect = await request(`${server.url}/channels/doomed/events`, {
        dispatcher: agent,
        headers: { 'last-event-id': '1' },
        signal: AbortSignal.timeout(DEADLINE_MS),
      });
      assert.equal(reconnect.statusCode, 204);
      assert.equal(await reconnect.body.text(), '');
      const poll = await request(`${server.url}/channels/doomed/messages?cursor=0`, { dispatcher: agent });
      assert.equal(poll.statusCode, 410);
      assert.equal(((await poll.body.json()) as { error: string }).error, 'channel_closed');
      // Refused before the body is looked at: even a bad content type is channel_closed.
      const refused = await request(`${server.url}/channels/doomed/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: '<x/>',
        dispatcher: agent,
      });
      assert.equal(refused.statusCode, 410);
      assert.equal(((await refused.body.json()) as { error: string }).error, 'channel_closed');
      const again = await request(`${server.url}/channels/doomed`, { method: 'DELETE', dispatcher: agent });
      assert.equal(again.statusCode, 204, 'closing twice is fine');
      await again.body.dump();
      bystander!.close();
    });
  });

  test('a publish whose body is still arriving when the channel closes is refused 410, not stored', async () => {
    await withServer({}, async ({ server, agent }) => {
      let finishBody: () => void = () => {};
      const bodyDone = new Promise<void>((resolve) => (finishBody = resolve));
      async function* body(): AsyncGenerator<string> {
        yield 'first half, ';
        await bodyDone;
        yield 'second half';
      }
      const arrived = once(server.app.server, 'request');
      const publishing = request(`${server.url}/channels/late/messages`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: Readable.from(body()),
        dispatcher: agent,
        signal: AbortSignal.timeout(DEADLINE_MS),
      });
      await arrived;
      // The onRequest checks run without waiting for the body: let them pass first.
      await new Promise((resolve) => setImmediate(resolve));
      const deleted = await request(`${server.url}/channels/late`, { method: 'DELETE', dispatcher: agent });
      assert.equal(deleted.statusCode, 204);
      await deleted.body.dump();
      finishBody();
      const answer = await publishing;
      assert.equal(answer.statusCode, 410);
      assert.equal(((await answer.body.json()) as { error: string }).error, 'channel_closed');
      assert.equal(server.store.stats().messages, 0);
    });
  });

  test('DELETE checks the name, works on unused channels, and the path takes no other method', async () => {
    const { app } = buildReferenceApp();
    try {
      const invalid = await app.inject({ method: 'DELETE', url: '/channels/no!' });
      assert.equal(invalid.statusCode, 400);
      assert.equal((invalid.json() as { error: string }).error, 'invalid_channel');
      assert.equal((await app.inject({ method: 'DELETE', url: '/channels/never-used' })).statusCode, 204);
      assert.equal((await app.inject({ url: '/channels/never-used/events' })).statusCode, 204);
      assert.equal((await app.inject({ method: 'HEAD', url: '/channels/never-used/events' })).statusCode, 204);
      const get = await app.inject({ url: '/channels/a' });
      assert.equal(get.statusCode, 405);
      assert.equal(get.headers.allow, 'DELETE, OPTIONS');
    } finally {
      await app.close();
    }
  });
});

describe('stats, GET / and leaks', () => {
  test('streams counts open streams and is back to 0 once clients go away; no store listener stays', async () => {
    await withServer({}, async ({ server, open, stats }) => {
      assert.deepEqual(await stats(), { channels: 0, messages: 0, held: 0, streams: 0, slowClientsDropped: 0, sockets: 0, slowSocketsDropped: 0 });
      const streams = await Promise.all([open('a'), open('a'), open('b', { query: '?lastEventId=0' })]);
      assert.equal((await stats()).streams, 3);
      assert.deepEqual(server.store.stats(), { channels: 2, messages: 0, listeners: 2 });
      for (const stream of streams) stream.close();
      await until('streams back to 0', async () => (await stats()).streams === 0);
      assert.deepEqual(server.store.stats(), { channels: 0, messages: 0, listeners: 0 });
    });
  });

  test('GET / lists the events and close routes', async () => {
    const { app } = buildReferenceApp();
    try {
      const { endpoints } = (await app.inject({ url: '/' })).json() as { endpoints: Record<string, string> };
      assert.equal(endpoints.events, 'GET /channels/{channel}/events');
      assert.equal(endpoints.eventsAfter, 'GET /channels/{channel}/events?lastEventId={id}');
      assert.equal(endpoints.closeChannel, 'DELETE /channels/{channel}');
    } finally {
      await app.close();
    }
  });
});

describe('shutdown', () => {
  test('close() ends every stream cleanly and closes every connection', async () => {
    const server = await startReferenceServer();
    const agent = new Agent();
    try {
      const streams = await Promise.all([openStream(agent, `${server.url}/channels/a/events`), openStream(agent, `${server.url}/channels/b/events`)]);
      await server.close();
      await until('both streams to end', () => streams.every((stream) => stream.ended()));
      assert.equal(server.streams.count(), 0);
      const open = await new Promise<number>((resolve, reject) =>
        server.app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      );
      assert.equal(open, 0);
    } finally {
      await agent.destroy();
      await server.close();
    }
  });

  test('a process whose server had open streams at close exits on its own', async () => {
    const { code, signal, out, err } = await runScriptUntilExit(
      `import { get } from 'node:http';
const { startReferenceServer } = await import(${JSON.stringify(new URL('../reference/server.ts', import.meta.url).href)});
const server = await startReferenceServer({ sseKeepAliveMs: 60000 });
const streams = ['a', 'b', 'c'].map((channel) => new Promise((resolve, reject) => {
  get(\`\${server.url}/channels/\${channel}/events\`, { agent: false }, (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => (body += chunk));
    res.on('end', () => resolve({ status: res.statusCode, body }));
  }).on('error', reject);
}));
while (server.streams.count() < 3) await new Promise((resolve) => setTimeout(resolve, 5));
await server.close();
console.log(JSON.stringify(await Promise.all(streams)));
// No process.exit(): a timer or socket left behind would keep the process alive.
`,
      { cwd: ROOT, tmpPrefix: 'pushspec-sse-', deadlineMs: 15_000 },
    );
    assert.equal(signal, null, `the process did not exit on its own within 15 s: ${out}${err}`);
    assert.equal(code, 0, err);
    const ended = { status: 200, body: 'retry: 3000\n\n' };
    assert.deepEqual(JSON.parse(out), [ended, ended, ended]);
  });
});

describe('pushspec serve --retry --keep-alive --cors-origin', () => {
  test('the stream uses them; bad values are usage errors (exit 2)', async () => {
    const child = spawn(
      process.execPath,
      ['bin/pushspec.mjs', 'serve', '--port', '0', '--retry', '1234', '--keep-alive', '100', '--cors-origin', 'https://a.example', '--cors-origin', 'https://b.example'],
      { cwd: ROOT, timeout: 30_000 },
    );
    const agent = new Agent();
    try {
      const url = await waitForListening(child, 15_000);
      const stream = await openStream(agent, `${url}/channels/a/events`, { headers: { origin: 'https://b.example' } });
      assert.equal(stream.headers['access-control-allow-origin'], 'https://b.example');
      await until('a keep-alive', () => stream.parser.comments.length > 0, 2000);
      assert.ok(stream.text().startsWith('retry: 1234\n\n: keep-alive\n\n'), stream.text());
      stream.close();
    } finally {
      await agent.destroy();
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    const bad: Array<[string[], RegExp]> = [
      [['--retry=-1'], /--retry is "-1"; expected an integer from 0 to 3600000/],
      [['--keep-alive', '10'], /--keep-alive is "10"; expected an integer from 50 to 3600000/],
      [['--cors-origin', 'https://a.example/'], /--cors-origin: "https:\/\/a.example\/" is not an origin as a browser sends it.*did you mean "https:\/\/a.example"/],
    ];
    for (const [args, message] of bad) {
      const refused = spawn(process.execPath, ['bin/pushspec.mjs', 'serve', '--port', '0', ...args], { cwd: ROOT, timeout: 15_000 });
      let err = '';
      refused.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
      const [code] = (await once(refused, 'exit')) as [number | null];
      assert.equal(code, 2, err);
      assert.match(err, message);
    }
  });
});

/** A writable standing in for a response; `stall` makes it accept nothing (a client that does not read). */
class FakeSink extends Writable {
  text = '';
  stall = false;
  readonly #held: Array<() => void> = [];

  constructor() {
    super({ highWaterMark: 1024 });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.text += chunk.toString('utf8');
    if (this.stall) this.#held.push(() => callback());
    else callback();
  }

  /** Lets everything held through, as a client catching up would. */
  release(): void {
    this.stall = false;
    for (const callback of this.#held.splice(0)) callback();
  }
}

describe('SseStreams on its own', () => {
  const options = { retryMs: 0, keepAliveMs: 60_000, maxBufferBytes: 1024 };

  test('a sink already destroyed opens nothing; after close() or on a closed channel a stream ends at once', async () => {
    const store = new ChannelStore();
    const streams = new SseStreams(store, options);
    const gone = new FakeSink();
    gone.destroy();
    streams.open('a', gone);
    assert.equal(streams.count(), 0);
    store.close('shut');
    const onClosed = new FakeSink();
    streams.open('shut', onClosed);
    assert.equal(onClosed.writableEnded, true);
    await streams.endChannel('nobody');
    await streams.close();
    const late = new FakeSink();
    streams.open('a', late);
    assert.equal(late.writableEnded, true);
    assert.equal(streams.count(), 0);
    assert.deepEqual(store.stats(), { channels: 0, messages: 0, listeners: 0 });
  });

  test('a keep-alive is skipped while written data waits to be read', async () => {
    const store = new ChannelStore();
    const streams = new SseStreams(store, { ...options, keepAliveMs: 50, maxBufferBytes: 1 << 20 });
    const sink = new FakeSink();
    sink.stall = true;
    streams.open('a', sink);
    store.publish('a', { data: 'waiting' });
    await delay(200);
    assert.equal(sink.text, 'id: 1\ndata: waiting\n\n', 'no keep-alive behind unread data');
    sink.release();
    await until('a keep-alive once it was read', () => sink.text.endsWith(': keep-alive\n\n'));
    await streams.close();
  });

  test('a live stream whose unsent data passes the limit is dropped, once', async () => {
    const store = new ChannelStore();
    const streams = new SseStreams(store, options);
    const sink = new FakeSink();
    streams.open('a', sink);
    sink.stall = true;
    store.publish('a', { data: 'x'.repeat(600) });
    store.publish('a', { data: 'y'.repeat(600) });
    await until('the drop', () => sink.destroyed);
    assert.equal(streams.slowClientsDropped, 1);
    assert.equal(streams.count(), 0);
    assert.deepEqual(store.stats().listeners, 0);
  });

  test('a replay that finds the id ahead of the history goes live instead of failing', () => {
    const store = new ChannelStore();
    const streams = new SseStreams(store, options);
    store.read = () => ({ kind: 'ahead', latest: '0' });
    const sink = new FakeSink();
    streams.open('a', sink, { lastEventId: '3' });
    store.publish('a', { data: 'live' });
    assert.equal(sink.text, 'id: 1\ndata: live\n\n');
    void streams.close();
  });
});
