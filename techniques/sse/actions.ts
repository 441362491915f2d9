/**
 * What Server-Sent Events clients do in a scenario: the strict reader opens
 * streams and sees every byte; the real client (`eventsource`) reconnects and
 * resumes like a browser. Steps call these through the World and hand what
 * they return (copies of the evidence) to the checks; the figures the report
 * shows are recorded here.
 */
import { SseHttp2 } from './http2-actions.ts';
import { declaredVersion, versionedAgent, versionedClient, type FlowControlWindows } from '../../core/http-version.ts';
import { SseH2Stalled } from './http2-stalled.ts';
import { SseH2Cancel } from './http2-cancel.ts';
import type { Agent, Client } from 'undici';
import type { ScenarioContext } from '../../core/context.ts';
import { sendRecorded } from '../../core/http.ts';
import { describePlan, idlePlan, silenceOf, watchIdle, type Silence } from '../../core/idle-watch.ts';
import type { PublishedMessage } from '../../core/publisher.ts';
import { pause, waitUntil } from '../../core/wait.ts';
import type { ResolvedSse } from './adapter.ts';
import type { Decode, StreamView } from './checks.ts';
import { EVENT_DEADLINE_MS, HEAD_DEADLINE_MS, HELD_HEAD_DEADLINE_MS, HELD_HEAD_MS } from './deadlines.ts';
import { SseFaults } from './fault-actions.ts';
import { RealClientActions } from './real-client-actions.ts';
import { SlowClient } from './slow-client.ts';
import type { SlowClientRun } from './slow-reader.ts';
import { SseStreamClient } from './stream-client.ts';
import type { SseEvent } from './parser.ts';
import { Session } from '../../core/session.ts';

export interface OpenOptions {
  /** Sent as the Last-Event-ID header. */
  lastEventId?: string;
  /** Sent in the declared query parameter instead (a browser's first connection). */
  lastEventIdInQuery?: string;
  origin?: string;
  acceptCompression?: boolean;
  /** The head must come within HEAD_DEADLINE_MS (SSE-OPENS-AT-ONCE); otherwise a head held until there is news is waited for as the scenario goes on. */
  headAtOnce?: boolean;
  /** On the one connection such streams share, as a page's streams share one over HTTP/2. */
  onSharedConnection?: boolean;
  /** The flow-control windows that shared connection offers, when it is made by this open (undici's defaults otherwise). */
  windows?: FlowControlWindows;
}

export class SseActions {
  private readonly context: ScenarioContext;
  /** The adapter's event-stream section, defaults filled in. */
  readonly spec: ResolvedSse;
  private readonly streams = new Map<string, SseStreamClient>();
  private readonly slowClient: SlowClient;
  /** The real client (`eventsource`): what a browser-like EventSource makes of the stream. */
  readonly real: RealClientActions;
  /** The stream behind faults on the path: cuts, an idle timeout, a buffer (model M-10). */
  readonly faults: SseFaults;
  /** Many streams on one HTTP/2 connection (SSE-H2-MULTIPLEX). */
  readonly http2: SseHttp2;
  /** One stream that stops reading beside one that reads, on one HTTP/2 connection (SSE-H2-STALLED-READER). */
  readonly h2Stalled: SseH2Stalled;
  /** Streams cancelled on an HTTP/2 connection that stays open, seen through the server's count (SSE-H2-CANCEL-RELEASED). */
  readonly h2Cancel: SseH2Cancel;
  /** How many times the shared connection has closed. */
  private sharedDisconnects = 0;
  /** Event ids read from a stream, by message data: the ids a later step resumes from. */
  private readonly idsByData = new Map<string, string>();
  /** The strict reader's streams' dispatcher, made on first use: it trusts what the scenario's clients trust (core/tls.ts). */
  private streamAgent: Agent | undefined;
  private shared: Client | undefined;

  constructor(context: ScenarioContext, spec: ResolvedSse) {
    this.context = context;
    this.spec = spec;
    this.slowClient = new SlowClient(context, spec, this.decode);
    this.real = new RealClientActions(context, spec, () => this.streamUrl('real client'));
    this.http2 = new SseHttp2(context, { open: (name, options) => this.open(name, options), eventsUntil: (name, message) => this.eventsUntil(name, message), decode: this.decode });
    this.h2Stalled = new SseH2Stalled(context, spec, {
      open: (name, options) => this.open(name, options),
      eventsUntil: (name, message) => this.eventsUntil(name, message),
      stream: (name) => this.stream(name),
      decode: this.decode,
    });
    this.h2Cancel = new SseH2Cancel(context, spec, {
      open: (name, options) => this.open(name, options),
      stream: (name) => this.stream(name),
      sharedDisconnects: () => this.sharedDisconnects,
    });
    this.faults = new SseFaults(context, spec, { url: (name) => this.streamUrl(name), stream: (name) => this.stream(name), decode: this.decode, expand: spec.decode ? this.expand : undefined, dispatcher: () => this.dispatcher });
  }

  private get dispatcher(): Agent {
    this.streamAgent ??= versionedAgent({
      version: declaredVersion(this.spec),
      tls: this.context.clientTls,
      onConnection: (origin, how) => this.context.transcript.note(`a stream connection to ${origin}: ${how}`),
      onHeaderBlock: (block) => this.context.transcript.recordH2HeaderBlock(block),
    });
    return this.streamAgent;
  }

  /** The one connection streams opened with `onSharedConnection` share; created on first use, offering `windows` if given. */
  private sharedConnection(windows?: FlowControlWindows): Client {
    if (this.shared === undefined) {
      this.shared = versionedClient(new URL(this.url()).origin, {
        ...(windows !== undefined ? { windows } : {}),
        version: declaredVersion(this.spec),
        tls: this.context.clientTls,
        onConnection: (origin, how) => this.context.transcript.note(`the shared stream connection to ${origin}: ${how}`),
        onHeaderBlock: (block) => this.context.transcript.recordH2HeaderBlock(block),
      });
      this.shared.on('disconnect', () => void this.sharedDisconnects++);
    }
    return this.shared;
  }

  /** Reads an event's data as the adapter declares it is encoded (with a decoder, events are already messages). */
  readonly decode: Decode = (data) => {
    if (this.spec.dataEncoding !== 'json') return data;
    try {
      const value: unknown = JSON.parse(data);
      return typeof value === 'string' ? value : data;
    } catch {
      return data;
    }
  };

  /** The messages an event carries, as events, when the adapter gives a decoder. */
  private readonly expand = (event: SseEvent): SseEvent[] => {
    const messages = this.spec.decode!({ type: event.type, data: event.data, ...(event.idField !== undefined ? { id: event.idField } : {}) }).messages ?? [];
    return messages.map((m) => ({ ...event, data: m.data, ...(m.id !== undefined ? { idField: m.id } : {}) }));
  };

  /** The URL of a stream `name` opens: with a session function, a session of its own fills the path. */
  async streamUrl(name: string, query?: Record<string, string>): Promise<string> {
    if (this.spec.session === undefined) return this.url(query);
    const session = await Session.open(
      { baseUrl: this.context.clientBaseUrl, channel: this.context.channel, defaultPath: this.spec.path, transcript: this.context.transcript, dispatcher: this.context.httpAgent, actor: name, deadlineMs: HEAD_DEADLINE_MS },
      this.spec.session,
      name,
    );
    return session.url(this.spec.path, { ...query }).href;
  }

  /**
   * Whether data may arrive with CR and CRLF turned into LF: only raw data,
   * split into lines by the SSE parser; JSON escapes line breaks, and a
   * decoder's messages arrive as sent.
   */
  get lineBreaksMayChange(): boolean {
    return this.spec.dataEncoding === 'raw';
  }

  /** The stream's URL, with `query` parameters. */
  url(query?: Record<string, string>): string {
    return this.context.url(this.spec.path, query);
  }

  /** Opens a stream with the strict reader, named `name`; resolves once its head has arrived (or is taken as held). */
  async open(name: string, options: OpenOptions = {}): Promise<void> {
    const param = this.spec.lastEventIdParam;
    const query = options.lastEventIdInQuery !== undefined && param !== undefined ? { [param]: options.lastEventIdInQuery } : undefined;
    const headers: Record<string, string> = { ...this.spec.requestHeaders };
    if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
    if (options.origin !== undefined) headers.origin = options.origin;
    if (options.acceptCompression === true) headers['accept-encoding'] = 'gzip, deflate, br';
    const stream = SseStreamClient.begin({
      url: await this.streamUrl(name, query),
      dispatcher: options.onSharedConnection === true ? this.sharedConnection(options.windows) : this.dispatcher,
      ...(this.spec.decode ? { expand: this.expand } : {}),
      headers,
      actor: name.includes('client') ? name : `client ${name}`,
      transcript: this.context.transcript,
      headersDeadlineMs: options.headAtOnce === true ? HEAD_DEADLINE_MS : HELD_HEAD_DEADLINE_MS,
    });
    this.streams.set(name, stream);
    if (options.headAtOnce === true) {
      await stream.head;
      return;
    }
    // A server may hold the head until its first event (WHATWG HTML §9.2 does not forbid it): the
    // request has reached it, so the scenario goes on and the head comes with the first event.
    const held = await waitUntil(() => stream.headersAtMs !== undefined || stream.ended, {
      what: 'a response head',
      deadlineMs: HELD_HEAD_MS,
      seen: () => 'none yet',
      signal: stream.changes,
    }).then(
      () => false,
      () => true,
    );
    if (!held && stream.headersAtMs === undefined) await stream.head; // the request failed: its failure is the step's
    if (held) this.context.transcript.note(`${name}: no response head within ${HELD_HEAD_MS} ms; taken as held until there is news (SSE-OPENS-AT-ONCE judges that), the scenario goes on`);
  }

  /** What stream `name` has shown so far. */
  view(name: string): StreamView {
    return this.stream(name).view();
  }

  /**
   * Stream `name` once its response head is there. A head held until there is
   * news is released by publishing one message; no head even then fails the step.
   */
  async head(name: string): Promise<StreamView> {
    const stream = this.stream(name);
    if (stream.headersAtMs !== undefined || stream.ended) return stream.view();
    this.context.transcript.note(`${name}: no response head yet; one message is published to release a head held until there is news`);
    await this.context.publishData(`[head] ${this.context.channel}`);
    await waitUntil(() => stream.headersAtMs !== undefined || stream.ended, {
      what: 'a response head, at the latest with the first event,',
      deadlineMs: EVENT_DEADLINE_MS,
      seen: () => `no response head ${EVENT_DEADLINE_MS} ms after a message was published`,
      signal: stream.changes,
    });
    return stream.view();
  }

  /** Stream `name` once it has `count` events, or at the deadline with what it has (`required`: then the wait's failure is the step's). */
  async events(name: string, count: number, options: { required?: boolean } = {}): Promise<StreamView> {
    const waiting = this.stream(name).waitForEvents(count, EVENT_DEADLINE_MS);
    if (options.required === true) await waiting;
    else await waiting.catch(() => undefined); // the check says what arrived
    return this.view(name);
  }

  /** Stream `name` once an event with the data of `message` arrived, the stream ended, or the deadline passed (the check says what arrived). */
  async eventsUntil(name: string, message: PublishedMessage): Promise<StreamView> {
    const stream = this.stream(name);
    await stream.waitForEvent((e) => this.decode(e.data) === message.data, `the event of ${JSON.stringify(message.data)}`, EVENT_DEADLINE_MS).catch(() => undefined);
    return this.view(name);
  }

  /** Waits until `done()` holds, looked at as stream `name` changes; ends early, failing, when the stream ends. */
  waitForStream(name: string, done: () => boolean, what: string, deadlineMs: number): Promise<void> {
    const stream = this.stream(name);
    return waitUntil(done, {
      what,
      deadlineMs,
      seen: () => `${stream.events.length} event(s) on ${name}`,
      signal: stream.changes,
      endedFirst: () => (stream.ended ? `${name} ended (${stream.endReason})` : undefined),
    });
  }

  /** Closes stream `name` from the client's side (a subscriber that leaves). */
  closeStream(name: string): void {
    this.stream(name).close();
  }

  /** Stream `name`, with how long its head took recorded. */
  timeToOpen(name: string): StreamView {
    const view = this.view(name);
    if (view.headersAtMs !== undefined) this.context.transcript.figure('time to open', view.headersAtMs - view.startedAtMs, 'ms');
    return view;
  }

  /** Publishes each text (the one at `namedAt` with an event name), then waits for stream `name` to have them all. */
  async publishTexts(name: string, texts: readonly string[], namedAt?: number): Promise<void> {
    for (const [i, text] of texts.entries()) await this.context.publishData(this.tagged(text, i), i === namedAt ? 'named' : undefined);
    await this.stream(name).waitForEvents(texts.length, EVENT_DEADLINE_MS);
  }

  /** Publishes each text and waits (at most the event deadline) for the real client to get them. */
  async publishTextsToReal(texts: readonly string[]): Promise<void> {
    for (const [i, text] of texts.entries()) await this.context.publishData(this.tagged(text, i));
    await this.real.received(texts.length).catch(() => undefined); // the check says what went wrong
  }

  /** Publishes `count` messages `intervalMs` apart (the spacing is the measurement), then waits for stream `name` to have them. */
  async publishPaced(name: string, count: number, intervalMs: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      if (i > 0) await pause(intervalMs);
      await this.context.publishOne();
    }
    await this.stream(name).waitForEvents(count, EVENT_DEADLINE_MS).catch(() => undefined);
  }

  /** Stream `name` with each message's publish-to-receipt latency recorded: the figures the report shows. */
  measuredLatency(name: string): StreamView {
    const stream = this.stream(name);
    const latencies = this.context.published.flatMap((m) => {
      const event = stream.events.find((e) => this.decode(e.data) === m.data);
      return event === undefined ? [] : [event.atMs - m.startedAtMs];
    });
    const transcript = this.context.transcript;
    if (latencies.length > 0) {
      transcript.figure('mean publish to receipt', latencies.reduce((a, b) => a + b, 0) / latencies.length, 'ms');
      transcript.figure('max publish to receipt', Math.max(...latencies), 'ms');
      // One request carries every message; bytes include keep-alives and framing, as on the wire.
      transcript.figure('requests per message', 1 / latencies.length, '');
      transcript.figure('bytes per message', stream.bytesReceived / latencies.length, 'B');
    }
    return stream.view();
  }

  /**
   * Watches stream `name` while nothing is published, for at most `intervals`
   * keep-alive intervals plus slack, until the verdict is known
   * (core/idle-watch.ts): the silence is the measurement window.
   */
  async watchIdle(name: string, intervals: number): Promise<void> {
    const stream = this.stream(name);
    const plan = idlePlan(this.spec.keepAliveMs!, intervals);
    this.context.announceWait('watching an idle stream', plan.windowMs, describePlan(plan));
    const transcript = this.context.transcript;
    const sinceMs = stream.headersAtMs ?? stream.startedAtMs;
    const outcome = await watchIdle({
      plan,
      sinceMs,
      arrivals: () => arrivalsOf(stream),
      // The rule is about comment lines: a `retry:` line or an event breaks the silence but is no keep-alive.
      keepAlives: () => stream.comments.map((c) => c.atMs),
      now: () => transcript.now(),
      signal: stream.changes,
      ended: () => stream.ended,
    });
    transcript.note(`idle stream watched for ${Math.round(transcript.now() - sinceMs)} ms of at most ${plan.windowMs} ms (${describePlan(plan)}): ${outcome}`);
  }

  /** The longest silence on stream `name` since its head, recorded as a figure, with the interval and slack it is judged by. */
  longestSilence(name: string): { silence: Silence; keepAliveMs: number; slackMs: number } {
    const stream = this.stream(name);
    const ended = stream.ended ? `the stream ended at +${Math.round((stream.endedAtMs ?? 0) - stream.startedAtMs)} ms (${stream.endReason})` : undefined;
    const silence = silenceOf(arrivalsOf(stream), stream.headersAtMs ?? stream.startedAtMs, stream.endedAtMs ?? this.context.transcript.now(), ended);
    this.context.transcript.figure('longest silence', silence.longestMs, 'ms');
    const plan = idlePlan(this.spec.keepAliveMs!);
    return { silence, keepAliveMs: plan.intervalMs, slackMs: plan.slackMs };
  }

  /** Sends a CORS preflight from `origin` asking to send Last-Event-ID, to the URL stream `name` opened (its session's). */
  async preflight(origin: string, name = 'client'): Promise<{ status: number; headers: Record<string, string> }> {
    const answer = await sendRecorded(this.context.httpAgent, this.context.transcript, {
      actor: 'client',
      method: 'OPTIONS',
      url: this.streams.get(name)?.url ?? this.url(),
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'last-event-id' },
      deadlineMs: EVENT_DEADLINE_MS,
    });
    return { status: answer.status, headers: answer.headers };
  }

  /** Publishes `count` messages and reads their event ids from a stream of its own. */
  async publishAndReadIds(count: number): Promise<PublishedMessage[]> {
    await this.open('id reader');
    const reader = this.stream('id reader');
    const sent = await this.context.publishMessages(count);
    await reader.waitForEvents(count, EVENT_DEADLINE_MS);
    for (const event of reader.events) if (event.idField !== undefined) this.idsByData.set(this.decode(event.data), event.idField);
    reader.close();
    return sent;
  }

  /** The event id the server gave the `index`th published message, as read earlier. */
  idOf(index: number): string {
    const message = this.context.published[index];
    const id = message === undefined ? undefined : this.idsByData.get(message.data);
    if (id === undefined) throw new Error(`no event id was read for message ${index + 1}`);
    return id;
  }

  /** Closes the channel for good, with the adapter's declared request. */
  async closeChannel(): Promise<void> {
    const close = this.spec.close;
    if (close === undefined) throw new Error('the adapter declares no way to close a channel');
    await sendRecorded(this.context.httpAgent, this.context.transcript, { actor: 'publisher', method: close.method, url: this.context.url(close.url), deadlineMs: HEAD_DEADLINE_MS });
  }

  // The slow client: reads one event, then stops reading.

  async openAndStopReading(): Promise<void> {
    await this.slowClient.openAndStopReading(await this.streamUrl('slow client'), HEAD_DEADLINE_MS, EVENT_DEADLINE_MS);
  }

  async publishBeyondBound(): Promise<void> {
    await this.slowClient.publishBeyondBound();
  }

  /** What the slow client could still read, once the server dropped it (or at the deadline). */
  drainSlowClient(): Promise<SlowClientRun> {
    return this.slowClient.drain(EVENT_DEADLINE_MS);
  }

  /**
   * A client resumes from the last event the slow client got. Returns what
   * the two received together, and what was published at them.
   */
  async resumeAfterSlowClient(): Promise<{ together: string[]; published: PublishedMessage[] }> {
    const run = this.slowClient.run;
    if (run === undefined) throw new Error('the slow client was not drained');
    const last = [...run.received].reverse().find((e) => e.id !== undefined);
    await this.open('resuming client', last?.id !== undefined ? { lastEventId: last.id } : {});
    const view = await this.events('resuming client', run.published.length - run.received.length);
    return { together: [...run.received.map((e) => e.data), ...view.events.map((e) => this.decode(e.data))], published: run.published };
  }

  async close(): Promise<void> {
    for (const stream of this.streams.values()) stream.close();
    await this.real.close();
    this.slowClient.destroy();
    await this.streamAgent?.destroy();
    await this.shared?.destroy();
  }

  private stream(name: string): SseStreamClient {
    const stream = this.streams.get(name);
    if (stream === undefined) throw new Error(`${name} opened no stream`);
    return stream;
  }

  /** Makes each text unique to the scenario, so what arrives can be matched to what was published. */
  private tagged(text: string, i: number): string {
    return `[${this.context.channel.slice(-6)}-${i}] ${text}`;
  }
}

/** When anything a stream says arrived (events, comments, retry lines), earliest first: what breaks its silence. */
function arrivalsOf(stream: SseStreamClient): number[] {
  return [...stream.dispatchedAtMs, ...[...stream.comments, ...stream.retries].map((x) => x.atMs)].sort((a, b) => a - b);
}
