/**
 * What Server-Sent Events clients do in a scenario: the strict reader opens
 * streams and sees every byte; the real client (`eventsource`) reconnects and
 * resumes like a browser. Steps call these through the World.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { ResolvedSse } from '../../adapters/contract/resolve.ts';
import { fillPlaceholders } from '../../core/placeholders.ts';
import { ConformanceFailure } from '../../core/failure.ts';
import { checkReceivedInOrder, type Decode } from './checks.ts';
import { sendRecorded } from '../../core/http.ts';
import type { PublishedMessage } from '../../core/publisher.ts';
import { RealSseClient } from './real-client.ts';
import { SseParser } from './parser.ts';
import { SseStreamClient } from './stream-client.ts';
import type { PushWorld } from '../../steps/support/world.ts';
import { SlowReader } from './slow-reader.ts';

/** A stream's head must come at once; ample room for a slow machine. */
const HEAD_DEADLINE_MS = 5000;
/** Events published at once must arrive well within this. */
export const EVENT_DEADLINE_MS = 5000;
/**
 * A head not here by then is taken as held until there is news (SSE-OPENS-AT-ONCE
 * judges that, with the same 1000 ms); other scenarios go on without it.
 */
export const HELD_HEAD_MS = 1000;
/** How long a held head may take: undici's own headers timeout; the scenario's waits decide sooner. */
const HELD_HEAD_DEADLINE_MS = 300_000;

export interface OpenOptions {
  /** Sent as the Last-Event-ID header. */
  lastEventId?: string;
  /** Sent in the declared query parameter instead (a browser's first connection). */
  lastEventIdInQuery?: string;
  origin?: string;
  acceptCompression?: boolean;
  /** The head must come within HEAD_DEADLINE_MS (SSE-OPENS-AT-ONCE); otherwise a head held until there is news is waited for as the scenario goes on. */
  headAtOnce?: boolean;
}

export class SseActions {
  private readonly world: PushWorld;
  private readonly streams = new Map<string, SseStreamClient>();
  private realClient: RealSseClient | undefined;
  private slowReader: SlowReader | undefined;
  /** Event ids read from a stream, by message data: the ids a later step resumes from. */
  readonly idsByData = new Map<string, string>();
  /** The big messages published at a slow client, and the events it got before it was dropped. */
  private slowRun: { published: PublishedMessage[]; received: { data: string; id?: string }[] } | undefined;

  constructor(world: PushWorld) {
    this.world = world;
  }

  get spec(): ResolvedSse {
    const spec = this.world.adapter.sse;
    if (spec === undefined) throw new Error('the adapter declares no event stream');
    return spec;
  }

  /** Reads an event's data as the adapter declares it is encoded. */
  readonly decode: Decode = (data) => {
    if (this.spec.dataEncoding !== 'json') return data;
    try {
      const value: unknown = JSON.parse(data);
      return typeof value === 'string' ? value : data;
    } catch {
      return data;
    }
  };

  url(query?: Record<string, string>): string {
    const url = new URL(fillPlaceholders(this.spec.path, { channel: encodeURIComponent(this.world.channel) }), this.world.adapter.baseUrl);
    for (const [name, value] of Object.entries(query ?? {})) url.searchParams.set(name, value);
    return url.href;
  }

  /** Opens a stream with the strict reader; resolves once its head has arrived. */
  async open(name: string, options: OpenOptions = {}): Promise<SseStreamClient> {
    const param = this.spec.lastEventIdParam;
    const query = options.lastEventIdInQuery !== undefined && param !== undefined ? { [param]: options.lastEventIdInQuery } : undefined;
    const headers: Record<string, string> = { ...this.spec.requestHeaders };
    if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
    if (options.origin !== undefined) headers.origin = options.origin;
    if (options.acceptCompression === true) headers['accept-encoding'] = 'gzip, deflate, br';
    const stream = SseStreamClient.begin({
      url: this.url(query),
      headers,
      actor: name.includes('client') ? name : `client ${name}`,
      transcript: this.world.transcript,
      headersDeadlineMs: options.headAtOnce === true ? HEAD_DEADLINE_MS : HELD_HEAD_DEADLINE_MS,
    });
    this.streams.set(name, stream);
    if (options.headAtOnce === true) {
      await stream.head;
      return stream;
    }
    // A server may hold the head until its first event (WHATWG HTML §9.2 does not forbid it): the
    // request has reached it, so the scenario goes on and the head comes with the first event.
    const held = await Promise.race([stream.head.then(() => false), delay(HELD_HEAD_MS).then(() => true)]);
    if (held) this.world.transcript.note(`${name}: no response head within ${HELD_HEAD_MS} ms; taken as held until there is news (SSE-OPENS-AT-ONCE judges that), the scenario goes on`);
    return stream;
  }

  /**
   * The stream's response head, for the checks that read it. A head held until
   * there is news is released by publishing one message.
   */
  async headOf(name: string): Promise<SseStreamClient> {
    const stream = this.stream(name);
    if (stream.headersAtMs !== undefined || stream.ended) return stream;
    this.world.transcript.note(`${name}: no response head yet; one message is published to release a head held until there is news`);
    await this.world.publishData(`[head] ${this.world.channel}`);
    const arrived = await Promise.race([stream.head.then(() => true, () => true), delay(EVENT_DEADLINE_MS).then(() => false)]);
    if (!arrived) throw new ConformanceFailure(`a response head, at the latest with the first event`, `no response head ${EVENT_DEADLINE_MS} ms after a message was published`);
    return stream;
  }

  stream(name: string): SseStreamClient {
    const stream = this.streams.get(name);
    if (stream === undefined) throw new Error(`${name} opened no stream`);
    return stream;
  }

  /** The real client, opened once its first request was answered. */
  async openReal(): Promise<RealSseClient> {
    const client = new RealSseClient(this.url(), { transcript: this.world.transcript, actor: 'real client', ...(this.spec.gapEvent ? { types: [this.spec.gapEvent] } : {}) });
    this.realClient = client;
    await client.waitUntil(() => client.requests[0] !== undefined, HEAD_DEADLINE_MS, 'the real client to send its request', () => client.describe());
    // As in open(): a head held until there is news is waited for as the scenario goes on.
    await client.waitUntil(() => client.requests[0]?.status !== undefined, HELD_HEAD_MS, 'the real client connected', () => client.describe()).catch(() => {
      this.world.transcript.note(`real client: no response head within ${HELD_HEAD_MS} ms; taken as held until there is news (SSE-OPENS-AT-ONCE judges that), the scenario goes on`);
    });
    return client;
  }

  get real(): RealSseClient {
    if (this.realClient === undefined) throw new Error('no real client was opened');
    return this.realClient;
  }

  /** The real client has received `count` messages. */
  async realReceived(count: number, deadlineMs = EVENT_DEADLINE_MS): Promise<void> {
    const client = this.real;
    await client.waitUntil(() => client.messages.length >= count, deadlineMs, `the real client to receive ${count} message(s)`, () => client.describe());
  }

  /** Publishes `count` messages `intervalMs` apart: the spacing is the measurement, not a wait for an event. */
  async publishPaced(count: number, intervalMs: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      if (i > 0) await delay(intervalMs);
      await this.world.publishOne();
    }
  }

  /** Publishes `count` messages and reads their event ids from a stream of its own. */
  async publishAndReadIds(count: number): Promise<PublishedMessage[]> {
    const reader = await this.open('id reader');
    const sent = await this.world.publishMessages(count);
    await reader.waitForEvents(count, EVENT_DEADLINE_MS);
    for (const event of reader.events) if (event.idField !== undefined) this.idsByData.set(this.decode(event.data), event.idField);
    await reader.close();
    return sent;
  }

  /** The event id the server gave a published message, as read earlier. */
  idOf(message: PublishedMessage): string {
    const id = this.idsByData.get(message.data);
    if (id === undefined) throw new Error(`no event id was read for ${message.data}`);
    return id;
  }

  /** Closes the channel for good, with the adapter's declared request. */
  async closeChannel(): Promise<void> {
    const close = this.spec.close;
    if (close === undefined) throw new Error('the adapter declares no way to close a channel');
    const url = new URL(fillPlaceholders(close.url, { channel: encodeURIComponent(this.world.channel) }), this.world.adapter.baseUrl);
    await sendRecorded(this.world.httpAgent, this.world.transcript, { actor: 'publisher', method: close.method, url: url.href, deadlineMs: HEAD_DEADLINE_MS });
  }

  /**
   * A client opens the stream, reads a first message (so it has an id to
   * resume from), then stops reading.
   */
  async openAndStopReading(): Promise<SlowReader> {
    const reader = await SlowReader.open(this.url(), this.spec.requestHeaders, HEAD_DEADLINE_MS);
    this.slowReader = reader;
    const first = await this.world.publishData(`[slow first] ${this.world.channel}`);
    await reader.readUntilThenStop(first.data, EVENT_DEADLINE_MS);
    this.slowRun = { published: [first], received: [] };
    return reader;
  }

  get slow(): SlowReader {
    if (this.slowReader === undefined) throw new Error('no client stopped reading');
    return this.slowReader;
  }

  /** When anything arrived on a stream (events, comments, retry fields), in order. */
  arrivalTimes(stream: SseStreamClient): number[] {
    return [...stream.events, ...stream.comments, ...stream.retries].map((x) => x.atMs).sort((a, b) => a - b);
  }

  /** Publish-to-receipt latency of each message on a stream: the figures the report shows. */
  recordLatency(stream: SseStreamClient): void {
    const latencies = this.world.published.flatMap((m) => {
      const event = stream.events.find((e) => this.decode(e.data) === m.data);
      return event === undefined ? [] : [event.atMs - m.startedAtMs];
    });
    if (latencies.length === 0) return;
    this.world.transcript.figure('mean publish to receipt', latencies.reduce((a, b) => a + b, 0) / latencies.length, 'ms');
    this.world.transcript.figure('max publish to receipt', Math.max(...latencies), 'ms');
    // One request carries every message; bytes include keep-alives and framing, as on the wire.
    this.world.transcript.figure('requests per message', 1 / latencies.length, '');
    this.world.transcript.figure('bytes per message', stream.bytesReceived / latencies.length, 'B');
  }

  /**
   * Publishes more than the declared bound plus what kernel socket buffers can
   * absorb (several MiB on loopback), in as few messages as the history keeps,
   * so a client resuming afterwards can still be served from the history.
   */
  async publishBeyondBound(): Promise<void> {
    const bound = this.spec.slowClientLimitBytes!;
    const total = bound + 24 * 1024 * 1024;
    const count = Math.min(this.spec.historyLimit ?? 200, 200);
    const size = Math.min(Math.ceil(total / count), 900 * 1024);
    const published = this.slowRun?.published ?? [];
    for (let i = 0; i < count - 1; i++) published.push(await this.world.publishData(`[slow ${i}] ${'x'.repeat(size)}`));
    this.slowRun = { published, received: [] };
    this.world.transcript.note(`published ${count} messages of ${size} bytes (${Math.round((count * size) / 1024)} KiB) at a client that reads nothing; the declared bound is ${bound} bytes`);
  }

  /** Reads what the slow client can still read; the server must have dropped it. */
  async drainSlowReader(): Promise<void> {
    const run = this.slowRun;
    if (run === undefined) throw new Error('nothing was published at the slow client');
    const drained = await this.slow.drain(EVENT_DEADLINE_MS);
    const parser = new SseParser({ onEvent: (event) => run.received.push({ data: this.decode(event.data), ...(event.idField !== undefined ? { id: event.idField } : {}) }) });
    parser.feed(drained.body, this.world.transcript.now());
    this.world.transcript.figure('bytes the slow client got', drained.body.length, 'B');
    this.world.transcript.note(`slow client: ${drained.how}; ${run.received.length} of ${run.published.length} events arrived before that`);
    if (!drained.droppedByServer || run.received.length >= run.published.length) {
      throw new ConformanceFailure(
        `the server to drop a client that reads nothing once more than ${this.spec.slowClientLimitBytes} bytes are waiting for it`,
        `${drained.how}; it would have delivered ${run.received.length} of ${run.published.length} events (${drained.body.length} bytes)`,
      );
    }
  }

  /** A client resumes from the last event the slow client got; together they must have every message once. */
  async resumeAfterSlowReader(): Promise<void> {
    const run = this.slowRun!;
    const last = [...run.received].reverse().find((e) => e.id !== undefined);
    const stream = await this.open('resuming client', last?.id !== undefined ? { lastEventId: last.id } : {});
    const missing = run.published.length - run.received.length;
    await stream.waitForEvents(missing, EVENT_DEADLINE_MS).catch(() => undefined); // the check says what arrived
    const together = [...run.received.map((e) => e.data), ...stream.events.map((e) => this.decode(e.data))];
    checkReceivedInOrder('the slow client and the client resuming after it', together, run.published);
  }

  async close(): Promise<void> {
    await Promise.all([...this.streams.values()].map((s) => s.close()));
    await this.realClient?.close();
    this.slowReader?.destroy();
  }
}
