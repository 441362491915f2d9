/**
 * Smoke test of the independent SSE fixture server (test/fixtures/sse-server.mjs):
 * conformant with `--fault none`, and each fault changes exactly what it says on
 * the wire. Read with undici, byte for byte; every wait has a deadline.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { loadAdapterFile } from '../adapters/contract/load.ts';
import { startFixtureProcess, stopChild } from './support/child-process.ts';
import { withDeadline } from './support/deadline.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const SERVER = `${FIXTURES}sse-server.mjs`;
const FAULTS = ['none', 'buffered', 'single-data-line', 'ignore-last-event-id', 'text-plain', 'replay-unknown-id', 'whole-request-only'] as const;
/** Faults that show only over HTTP/2 (`--http2`): their adapters are `sse-h2-<fault>.json`, beside `sse-h2-none.json`. */
const H2_FAULTS = ['h2-cancel-kept', 'h2-slow-drops-connection', 'h2-connection-header'] as const;
type Fault = (typeof FAULTS)[number];

/** Deadlines: generous, so only a broken fixture ever reaches them. */
const START_DEADLINE_MS = 10_000;
const HEAD_DEADLINE_MS = 5000;
const EVENT_DEADLINE_MS = 3000;
/** Written at once: well under the 1 s batches of `buffered`. */
const AT_ONCE_MS = 500;

const TWO_LINES = 'first line\nsecond line';
const KEEP_ALIVE = ': keep-alive\n\n';

const agent = new Agent({ keepAliveTimeout: 100, connections: 64 });
const children: ChildProcess[] = [];
const streams: EventStream[] = [];
const sockets: net.Socket[] = [];

after(async () => {
  for (const stream of streams) stream.close();
  for (const socket of sockets) socket.destroy();
  await agent.destroy();
  await Promise.all(children.map(stopChild));
});

/** Starts the fixture on a free port; resolves with its base URL once it prints its ready line. */
async function startFixture(fault: Fault): Promise<string> {
  const { child, port } = await startFixtureProcess(SERVER, fault, /^sse fixture \(([\w-]+)\) on port (\d+)$/m, START_DEADLINE_MS);
  children.push(child);
  return `http://127.0.0.1:${port}`;
}

/** A stream read byte for byte, with the time each chunk arrived. */
class EventStream {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  text = '';
  readonly chunks: Array<{ at: number; text: string }> = [];
  ended = false;
  private readonly waiters = new Set<() => void>();
  private readonly decoder = new TextDecoder();
  private readonly body: Readable;

  constructor(status: number, headers: Record<string, string | string[] | undefined>, body: Readable) {
    this.status = status;
    this.headers = headers;
    this.body = body;
    body.on('data', (chunk: Buffer) => {
      const text = this.decoder.decode(chunk, { stream: true });
      this.text += text;
      this.chunks.push({ at: performance.now(), text });
      this.notify();
    });
    const end = () => {
      this.ended = true;
      this.notify();
    };
    body.on('end', end);
    body.on('error', end);
    body.on('close', end);
  }

  /** The text without keep-alive comments, which may fall anywhere a stream is idle. */
  get events(): string {
    return this.text.replaceAll(KEEP_ALIVE, '');
  }

  /** Resolves with the time of the chunk after which `ok` holds; fails after `ms`. */
  waitFor(ok: (stream: EventStream) => boolean, ms: number, what: string): Promise<number> {
    const last = () => this.chunks.at(-1)?.at ?? performance.now();
    if (ok(this)) return Promise.resolve(last());
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!ok(this)) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(last());
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no ${what} within ${ms} ms; the stream so far: ${JSON.stringify(this.text)}`));
      }, ms);
      this.waiters.add(check);
    });
  }

  close(): void {
    this.body.destroy();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** Opens an event stream; resolves once its head has arrived. */
async function openStream(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
  const response = await request(url, {
    dispatcher: agent,
    headers: { accept: 'text/event-stream', ...headers },
    headersTimeout: HEAD_DEADLINE_MS,
    bodyTimeout: 0,
  });
  const stream = new EventStream(response.statusCode, response.headers, response.body);
  streams.push(stream);
  return stream;
}

/** An ordinary request with a deadline; the body read as text. */
async function call(url: string, options: { method?: 'GET' | 'POST' | 'DELETE' | 'OPTIONS'; headers?: Record<string, string>; body?: string } = {}) {
  const response = await request(url, { dispatcher: agent, headersTimeout: HEAD_DEADLINE_MS, bodyTimeout: HEAD_DEADLINE_MS, ...options });
  return { status: response.statusCode, headers: response.headers, body: await response.body.text() };
}

/** Publishes as the fixture adapters do (JSON, `"event": null` for none); returns the id. */
async function publish(base: string, channel: string, data: string, event?: string): Promise<string> {
  const answer = await call(`${base}/channels/${channel}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data, event: event ?? null }),
  });
  assert.equal(answer.status, 201, answer.body);
  return (JSON.parse(answer.body) as { id: string }).id;
}

/** What a stream of `fault` looks like after its opening and one published two-line message. */
interface TwoLineRun {
  stream: EventStream;
  /** How long the head took to come, in ms. */
  headMs: number;
  /** How long `retry:` took to come after the head, in ms. */
  retryMs: number;
  /** How long the event took to come after the publish began, in ms. */
  eventMs: number;
}

/** Opens a stream on a fresh channel, publishes a two-line message, and waits until `arrived` holds. */
async function publishTwoLines(base: string, channel: string, arrived: (stream: EventStream) => boolean): Promise<TwoLineRun> {
  const opened = performance.now();
  const stream = await openStream(`${base}/channels/${channel}/events`);
  const headMs = performance.now() - opened;
  const retried = await stream.waitFor((s) => s.text.startsWith('retry: 300\n\n'), EVENT_DEADLINE_MS, 'retry field');
  const published = performance.now();
  assert.equal(await publish(base, channel, TWO_LINES, 'greeting'), '1');
  const arrivedAt = await stream.waitFor(arrived, EVENT_DEADLINE_MS, 'published event');
  return { stream, headMs, retryMs: retried - opened - headMs, eventMs: arrivedAt - published };
}

/** The event ids a stream carries, in order. */
function ids(text: string): number[] {
  return [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
}

const CONFORMANT_FRAME = 'id: 1\nevent: greeting\ndata: first line\ndata: second line\n\n';
const hasConformantFrame = (s: EventStream) => s.events.includes(CONFORMANT_FRAME);

describe('sse fixture server', () => {
  it('refuses an unknown fault, listing the known ones', () => {
    const child = spawnSync(process.execPath, [SERVER, '--fault', 'flaky'], { encoding: 'utf8', timeout: START_DEADLINE_MS });
    assert.equal(child.status, 2);
    assert.equal(child.stderr.trim(), `unknown --fault flaky; expected one of ${[...FAULTS, ...H2_FAULTS].join(', ')}`);
  });

  it('has one adapter per fault, declaring what the server does', async () => {
    for (const fault of FAULTS) {
      const adapter = await loadAdapterFile(`${FIXTURES}sse-${fault}.json`);
      assert.equal(adapter.name, `sse-fixture-${fault}`);
      assert.equal(adapter.baseUrl, 'http://127.0.0.1:{port}');
      assert.deepEqual(adapter.launch?.command, ['node', 'sse-server.mjs', '--port', '{port}', '--fault', fault]);
      assert.equal(adapter.launch?.cwd, FIXTURES.replace(/\/$/, ''));
      assert.equal(adapter.polling, undefined);
      assert.equal(adapter.longPolling, undefined);
      assert.deepEqual(adapter.sse, {
        path: '/channels/{channel}/events',
        requestHeaders: {},
        dataEncoding: 'raw',
        replay: true,
        lastEventIdParam: 'lastEventId',
        historyLimit: 50,
        gapEvent: 'gap',
        keepAliveMs: 200,
        retryMs: 300,
        close: { method: 'DELETE', url: '/channels/{channel}' },
        corsOrigin: 'https://app.example',
        slowClientLimitBytes: 262144,
      });
      assert.deepEqual(adapter.publish, {
        method: 'POST',
        url: '/channels/{channel}/messages',
        headers: { 'content-type': 'application/json' },
        body: '{"data":{data:json},"event":{event:json}}',
        idPointer: '/id',
      });
    }
  });

  it('has HTTP/2 adapters: sse-none\'s declarations, over h2c, with the stream count of /stats', async () => {
    const none = await loadAdapterFile(`${FIXTURES}sse-none.json`);
    for (const fault of ['none', ...H2_FAULTS]) {
      const name = fault === 'none' ? 'h2-none' : fault;
      const adapter = await loadAdapterFile(`${FIXTURES}sse-${name}.json`);
      assert.equal(adapter.name, `sse-fixture-${name}`);
      assert.deepEqual(adapter.launch?.command, ['node', 'sse-server.mjs', '--port', '{port}', '--fault', fault, '--http2']);
      assert.deepEqual(adapter.sse, { ...none.sse, http2: true, stats: { url: '/stats', streamsPointer: '/streams' } });
      assert.deepEqual(adapter.publish, none.publish);
    }
  });

  describe('--fault none: conformant', () => {
    let base: string;
    before(async () => {
      base = await startFixture('none');
    });

    it('sends the head at once, then retry, then each message at once, one data line per line', async () => {
      const run = await publishTwoLines(base, 'head', hasConformantFrame);
      const { stream } = run;
      assert.equal(stream.status, 200);
      assert.equal(stream.headers['content-type'], 'text/event-stream; charset=utf-8');
      assert.equal(stream.headers['cache-control'], 'no-store');
      assert.equal(stream.chunks[0]?.text, 'retry: 300\n\n', 'retry comes first, on its own');
      assert.ok(run.eventMs < AT_ONCE_MS, `the event took ${Math.round(run.eventMs)} ms`);
      assert.equal(stream.events, `retry: 300\n\n${CONFORMANT_FRAME}`);
      // CRLF, CR and LF all end a line; `"event": null` is no event.
      assert.equal(await publish(base, 'head', 'a\r\nb\rc\nd'), '2');
      await stream.waitFor((s) => s.events.endsWith('id: 2\ndata: a\ndata: b\ndata: c\ndata: d\n\n'), EVENT_DEADLINE_MS, 'event 2');
      stream.close();
    });

    it('sends a keep-alive comment after 200 ms without a write, counting from the last write', async () => {
      const stream = await openStream(`${base}/channels/idle/events`);
      await stream.waitFor((s) => s.text === `retry: 300\n\n${KEEP_ALIVE}`, EVENT_DEADLINE_MS, 'first keep-alive');
      await publish(base, 'idle', 'wake');
      await stream.waitFor((s) => s.text.endsWith(`id: 1\ndata: wake\n\n${KEEP_ALIVE}`), EVENT_DEADLINE_MS, 'keep-alive after the event');
      const texts = stream.chunks.map((c) => c.text);
      assert.deepEqual(texts.slice(0, 2), ['retry: 300\n\n', KEEP_ALIVE]);
      assert.deepEqual(texts.slice(-2), ['id: 1\ndata: wake\n\n', KEEP_ALIVE]);
      // Each comment follows 200 ms of silence (timers never fire early; some slack for delivery).
      stream.chunks.forEach((chunk, i) => {
        const silence = chunk.at - (stream.chunks[i - 1]?.at ?? Infinity);
        if (chunk.text === KEEP_ALIVE) assert.ok(silence >= 150 && silence < 1500, `keep-alive after ${Math.round(silence)} ms of silence`);
      });
      stream.close();
    });

    it('resumes after Last-Event-ID or ?lastEventId=, the header winning, with no loss and no duplicate', async () => {
      for (const data of ['one', 'two', 'three']) await publish(base, 'resume', data);
      const url = `${base}/channels/resume/events`;
      const byHeader = await openStream(url, { 'last-event-id': '1' });
      const byQuery = await openStream(`${url}?lastEventId=2`);
      const both = await openStream(`${url}?lastEventId=0`, { 'last-event-id': '2' });
      await publish(base, 'resume', 'four');
      const upTo4 = (s: EventStream) => s.events.endsWith('id: 4\ndata: four\n\n');
      for (const stream of [byHeader, byQuery, both]) await stream.waitFor(upTo4, EVENT_DEADLINE_MS, 'event 4');
      assert.equal(byHeader.events, 'retry: 300\n\nid: 2\ndata: two\n\nid: 3\ndata: three\n\nid: 4\ndata: four\n\n');
      assert.deepEqual(ids(byQuery.events), [3, 4]);
      assert.deepEqual(ids(both.events), [3, 4]);
      // An id not older than the newest replays nothing.
      const caughtUp = await openStream(url, { 'last-event-id': '4' });
      await publish(base, 'resume', 'five');
      await caughtUp.waitFor((s) => s.events.endsWith('id: 5\ndata: five\n\n'), EVENT_DEADLINE_MS, 'event 5');
      assert.deepEqual(ids(caughtUp.events), [5]);
      for (const stream of [byHeader, byQuery, both, caughtUp]) stream.close();
    });

    it('sends a gap event for an id older than the history of 50, then replays from the oldest', async () => {
      for (let i = 1; i <= 55; i++) await publish(base, 'gap', `m${i}`);
      const stream = await openStream(`${base}/channels/gap/events`, { 'last-event-id': '3' });
      await stream.waitFor((s) => s.events.endsWith('id: 55\ndata: m55\n\n'), EVENT_DEADLINE_MS, 'the replay');
      const gap = 'event: gap\ndata: {"lastEventId":"3","oldestId":"6","missed":2}\n\n';
      assert.ok(stream.events.startsWith(`retry: 300\n\n${gap}id: 6\ndata: m6\n\n`), stream.events);
      assert.deepEqual(ids(stream.events), Array.from({ length: 50 }, (_, i) => i + 6));
      stream.close();
    });

    it('refuses a malformed last event id with 400 JSON', async () => {
      for (const [query, headers] of [['', { 'last-event-id': 'abc' }], ['?lastEventId=1.5', {}], ['?lastEventId=-1', {}]] as const) {
        const answer = await call(`${base}/channels/bad/events${query}`, { headers });
        assert.equal(answer.status, 400);
        assert.equal(answer.headers['content-type'], 'application/json');
        assert.equal((JSON.parse(answer.body) as { error: string }).error, 'malformed_last_event_id');
      }
    });

    it('allows https://app.example, and only it, across origins', async () => {
      const allowed = await openStream(`${base}/channels/cors/events`, { origin: 'https://app.example' });
      assert.equal(allowed.headers['access-control-allow-origin'], 'https://app.example');
      assert.equal(allowed.headers['access-control-allow-credentials'], 'true');
      assert.equal(allowed.headers.vary, 'Origin');
      const other = await openStream(`${base}/channels/cors/events`, { origin: 'https://evil.example' });
      assert.equal(other.headers['access-control-allow-origin'], undefined);
      assert.equal(other.headers.vary, 'Origin');
      allowed.close();
      other.close();
      const preflight = await call(`${base}/channels/cors/events`, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'last-event-id' },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers['access-control-allow-origin'], 'https://app.example');
      assert.equal(preflight.headers['access-control-allow-methods'], 'GET');
      assert.equal(preflight.headers['access-control-allow-headers'], 'last-event-id, cache-control, accept');
    });

    it('closes a channel for good: its streams end, a new stream gets 204, a publish 410', async () => {
      const stream = await openStream(`${base}/channels/closing/events`);
      await publish(base, 'closing', 'last words');
      assert.equal((await call(`${base}/channels/closing`, { method: 'DELETE' })).status, 204);
      await stream.waitFor((s) => s.ended, EVENT_DEADLINE_MS, 'end of the stream');
      assert.equal(stream.events, 'retry: 300\n\nid: 1\ndata: last words\n\n');
      const again = await call(`${base}/channels/closing/events`);
      assert.equal(again.status, 204);
      assert.equal(again.body, '');
      const late = await call(`${base}/channels/closing/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
      assert.equal(late.status, 410);
    });

    it('drops a client that leaves more than 256 KiB unsent', async () => {
      const open = async () => JSON.parse((await call(`${base}/stats`)).body) as { streams: number };
      const until = async (ok: (streams: number) => boolean, what: string) => {
        const deadline = performance.now() + 10_000;
        while (!ok((await open()).streams)) {
          if (performance.now() > deadline) assert.fail(`no ${what} within 10 s`);
          await delay(20);
        }
      };
      await until((n) => n === 0, 'earlier stream closing');
      // A client that sends its request and then never reads.
      const socket = net.connect(Number(new URL(base).port), '127.0.0.1');
      sockets.push(socket);
      socket.write('GET /channels/slow/events HTTP/1.1\r\nHost: fixture\r\nAccept: text/event-stream\r\n\r\n');
      socket.pause();
      await until((n) => n === 1, 'open stream');
      // Kernel buffers take the first few megabytes; then the server's own buffer grows.
      const data = 'x'.repeat(128 * 1024);
      let published = 0;
      while ((await open()).streams === 1) {
        assert.ok(published < 400, 'still connected after 50 MB unread');
        await publish(base, 'slow', data);
        published++;
      }
      const received: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => received.push(chunk));
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.resume();
      await withDeadline(closed, 10_000, 'the dropped socket closing');
      const text = Buffer.concat(received).toString();
      assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
      assert.ok(!text.includes(`id: ${published}\n`), 'the last message was never sent');
      assert.ok(published > 2, `dropped after ${published} messages`);
    });
  });

  describe('--fault buffered', () => {
    it('sends the head and retry at once, but holds events for a 1 s batch', async () => {
      const base = await startFixture('buffered');
      const run = await publishTwoLines(base, 'batch', hasConformantFrame);
      assert.equal(run.stream.headers['content-type'], 'text/event-stream; charset=utf-8');
      assert.ok(run.headMs < AT_ONCE_MS && run.retryMs < AT_ONCE_MS, `head after ${Math.round(run.headMs)} ms, retry ${Math.round(run.retryMs)} ms later`);
      assert.ok(run.eventMs >= 990, `the event came after ${Math.round(run.eventMs)} ms, not held for its batch`);
      // Everything published within a batch goes out together.
      const first = performance.now();
      await publish(base, 'batch', 'two');
      await publish(base, 'batch', 'three');
      await run.stream.waitFor((s) => s.events.endsWith('id: 2\ndata: two\n\nid: 3\ndata: three\n\n'), EVENT_DEADLINE_MS, 'the second batch');
      assert.ok(performance.now() - first >= 990);
      assert.ok(run.stream.chunks.some((c) => c.text === 'id: 2\ndata: two\n\nid: 3\ndata: three\n\n'), 'one write for the batch');
      run.stream.close();
    });
  });

  describe('--fault single-data-line', () => {
    it('writes the data as it is on one data: line, so its second line becomes a line of its own', async () => {
      const base = await startFixture('single-data-line');
      const run = await publishTwoLines(base, 'lines', (s) => s.events.includes('id: 1\n'));
      await run.stream.waitFor((s) => s.events.endsWith('\n\n'), EVENT_DEADLINE_MS, 'end of the event');
      assert.equal(run.stream.events, 'retry: 300\n\nid: 1\nevent: greeting\ndata: first line\nsecond line\n\n');
      assert.ok(run.eventMs < AT_ONCE_MS);
      // One-line data is framed as usual.
      await publish(base, 'lines', 'one line');
      await run.stream.waitFor((s) => s.events.endsWith('id: 2\ndata: one line\n\n'), EVENT_DEADLINE_MS, 'event 2');
      run.stream.close();
    });
  });

  describe('--fault ignore-last-event-id', () => {
    it('starts every stream from now, whatever id it names, and frames events as usual', async () => {
      const base = await startFixture('ignore-last-event-id');
      const run = await publishTwoLines(base, 'forget', hasConformantFrame);
      assert.equal(run.stream.events, `retry: 300\n\n${CONFORMANT_FRAME}`);
      const url = `${base}/channels/forget/events`;
      const byHeader = await openStream(url, { 'last-event-id': '0' });
      const byQuery = await openStream(`${url}?lastEventId=0`);
      const malformed = await openStream(url, { 'last-event-id': 'abc' });
      assert.equal(malformed.status, 200, 'a malformed id is not even read');
      await publish(base, 'forget', 'two');
      for (const stream of [byHeader, byQuery, malformed]) {
        await stream.waitFor((s) => s.events.endsWith('id: 2\ndata: two\n\n'), EVENT_DEADLINE_MS, 'event 2');
        assert.equal(stream.events, 'retry: 300\n\nid: 2\ndata: two\n\n', 'message 1 is never replayed');
        stream.close();
      }
      run.stream.close();
    });
  });

  describe('--fault replay-unknown-id', () => {
    it('replays its whole history after an id it never issued, and resumes a known id as usual', async () => {
      const base = await startFixture('replay-unknown-id');
      const run = await publishTwoLines(base, 'unknown', hasConformantFrame);
      const url = `${base}/channels/unknown/events`;
      const malformed = await openStream(url, { 'last-event-id': '%%not-an-id%%' });
      const ahead = await openStream(`${url}?lastEventId=99999999999`);
      const known = await openStream(url, { 'last-event-id': '1' });
      assert.equal(malformed.status, 200, 'a malformed id is taken, not refused');
      for (const stream of [malformed, ahead]) {
        await stream.waitFor((s) => s.events.endsWith(CONFORMANT_FRAME), EVENT_DEADLINE_MS, 'the replayed event 1');
        assert.equal(stream.events, `retry: 300\n\n${CONFORMANT_FRAME}`, 'message 1 again, with no gap event');
      }
      await publish(base, 'unknown', 'two');
      await known.waitFor((s) => s.events.endsWith('id: 2\ndata: two\n\n'), EVENT_DEADLINE_MS, 'event 2');
      assert.equal(known.events, 'retry: 300\n\nid: 2\ndata: two\n\n', 'a known id resumes after it');
      for (const stream of [malformed, ahead, known, run.stream]) stream.close();
    });
  });

  describe('--fault text-plain', () => {
    it('answers the stream as text/plain, and is otherwise the same', async () => {
      const base = await startFixture('text-plain');
      const run = await publishTwoLines(base, 'plain', hasConformantFrame);
      assert.equal(run.stream.status, 200);
      assert.equal(run.stream.headers['content-type'], 'text/plain; charset=utf-8');
      assert.equal(run.stream.headers['cache-control'], 'no-store');
      assert.equal(run.stream.events, `retry: 300\n\n${CONFORMANT_FRAME}`);
      assert.ok(run.eventMs < AT_ONCE_MS);
      run.stream.close();
    });
  });

  describe('--fault whole-request-only', () => {
    it('closes a connection whose request head arrives in pieces, and serves a whole one as ever', async () => {
      const base = await startFixture('whole-request-only');
      const run = await publishTwoLines(base, 'whole', hasConformantFrame);
      assert.equal(run.stream.events, `retry: 300\n\n${CONFORMANT_FRAME}`, 'a head in one piece is served');
      run.stream.close();
      const socket = net.connect(Number(new URL(base).port), '127.0.0.1');
      sockets.push(socket);
      const received: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => received.push(chunk));
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.write('GET /channels/whole/events HTTP/1.1\r\n');
      await withDeadline(closed, EVENT_DEADLINE_MS, 'the connection closing on half a head');
      assert.equal(Buffer.concat(received).length, 0, 'nothing was answered');
    });
  });
});
