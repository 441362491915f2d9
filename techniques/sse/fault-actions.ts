/**
 * The event stream behind faults on the path (core/fault-proxy.ts, model
 * M-10): a client that resumes with Last-Event-ID after every cut while
 * thousands of messages are published; an idle stream through an
 * intermediary that cuts what stays silent; and a buffering intermediary,
 * whose effect on the server's events is measured and reported.
 */
import type { Dispatcher } from 'undici';
import type { ScenarioContext } from '../../core/context.ts';
import type { FaultProxy } from '../../core/fault-proxy.ts';
import { dataOf, randomResets, resetRunBatch, runThroughResets, type IdleThroughTimeout, type ResetRun } from '../../core/fault-runs.ts';
import { idlePlan } from '../../core/idle-watch.ts';
import { duration } from '../../core/progress.ts';
import { Signal, waitUntil } from '../../core/wait.ts';
import type { ResolvedSse } from './adapter.ts';
import type { BufferedDelivery, Decode } from './checks.ts';
import { EVENT_DEADLINE_MS, HEAD_DEADLINE_MS, HELD_HEAD_MS } from './deadlines.ts';
import type { SseEvent } from './parser.ts';
import { SseStreamClient } from './stream-client.ts';

/** Streams in a row that deliver nothing before the follower gives up (a server that refuses to resume). */
const FRUITLESS_CONNECTIONS = 20;

/** A buffering intermediary's buffer: 8 KiB, as nginx's `proxy_buffer_size` on most systems. */
export const INTERMEDIARY_BUFFER_BYTES = 8 * 1024;

/** What the buffering case publishes at most: enough small messages to fill the buffer several times over. */
const BUFFER_FILL_MESSAGES = 1000;

/** What the fault actions need of the SSE actions. */
export interface SseFaultHost {
  /** The URL a stream opens (a session's, with a session function). */
  url(name: string): Promise<string>;
  /** The strict reader's stream called `name`. */
  stream(name: string): SseStreamClient;
  decode: Decode;
  expand: ((event: SseEvent) => SseEvent[]) | undefined;
  /** What the strict reader's streams are sent through. */
  dispatcher: () => Dispatcher;
}

export class SseFaults {
  private readonly context: ScenarioContext;
  private readonly spec: ResolvedSse;
  private readonly host: SseFaultHost;
  private proxy: FaultProxy | undefined;
  private idleTimeoutMs: number | undefined;
  /** The exactly-once run, once done. */
  resetRun: ResetRun | undefined;
  /** The buffering case, once done. */
  buffered: BufferedDelivery | undefined;

  constructor(context: ScenarioContext, spec: ResolvedSse, host: SseFaultHost) {
    this.context = context;
    this.spec = spec;
    this.host = host;
  }

  /** Cuts each stream after 4-16 KiB have reached the client: some 15 cuts over 5,000 small events. */
  async throughRandomCuts(): Promise<void> {
    this.proxy = await this.context.throughFaults(randomResets(4 * 1024, 16 * 1024));
  }

  /**
   * Publishes `count` messages while a client follows the stream with the
   * strict reader: after every cut it opens the stream again at once, sending
   * the last event id it received as Last-Event-ID, as EventSource does
   * (without EventSource's reconnection delay, so a run takes seconds).
   * Published in batches of at most half the declared history (`sse.historyLimit`).
   */
  async followThroughCuts(count: number): Promise<ResetRun> {
    const proxy = this.requireProxy();
    const changes = new Signal();
    const streams: SseStreamClient[] = [];
    // Events of the streams so far, the current one's as they arrive; a gap event is no message.
    const events: SseEvent[] = [];
    let current: SseStreamClient | undefined;
    let taken = 0;
    const collect = (): readonly SseEvent[] => {
      for (; current !== undefined && taken < current.events.length; taken++) if (current.events[taken]!.type !== this.spec.gapEvent) events.push(current.events[taken]!);
      return events;
    };
    const received = dataOf(collect, (e) => this.host.decode(e.data));
    const follow = async (stopped: () => boolean): Promise<void> => {
      let fruitless = 0;
      let lastEventId = '';
      while (!stopped() && fruitless < FRUITLESS_CONNECTIONS) {
        const headers: Record<string, string> = { ...this.spec.requestHeaders };
        if (lastEventId !== '') headers['last-event-id'] = lastEventId;
        const stream = SseStreamClient.begin({
          url: await this.host.url('client'),
          dispatcher: this.host.dispatcher(),
          headers,
          actor: 'client',
          transcript: this.context.transcript,
          headersDeadlineMs: HEAD_DEADLINE_MS,
          ...(this.host.expand ? { expand: this.host.expand } : {}),
        });
        collect();
        streams.push(stream);
        current = stream;
        taken = 0;
        const unsubscribe = stream.changes.subscribe(() => changes.notify());
        changes.notify();
        await waitUntil(() => stream.ended || stopped(), { what: 'the stream to be cut', deadlineMs: 60_000, seen: () => 'still open', signal: stream.changes }).catch(() => undefined);
        unsubscribe();
        stream.close();
        collect();
        lastEventId = stream.events.at(-1)?.lastEventId ?? lastEventId;
        fruitless = stream.events.length > 0 ? 0 : fruitless + 1;
        changes.notify();
      }
    };
    const subscribed = (): Promise<void> => {
      // The head, or a head held until there is news (as the strict reader's open takes it).
      const first = (): SseStreamClient | undefined => streams[0];
      return waitUntil(() => first()?.headersAtMs !== undefined || first()?.ended === true, { what: 'the stream opened', deadlineMs: HELD_HEAD_MS, seen: () => 'no head yet', signal: changes }).catch(() => undefined);
    };
    try {
      this.resetRun = await runThroughResets(this.context, proxy, { follow, changes, received }, subscribed, count, resetRunBatch(this.spec.historyLimit));
    } finally {
      for (const stream of streams) stream.close();
    }
    return this.resetRun;
  }

  /**
   * An intermediary that cuts a connection silent for twice the declared
   * keep-alive interval plus the idle watch's slack (model M-10): the 15 s /
   * 30 s ratio of WHATWG HTML §9.2.7's advice, scaled to the declared interval.
   */
  async throughIdleTimeout(): Promise<void> {
    const plan = idlePlan(this.spec.keepAliveMs!);
    this.idleTimeoutMs = 2 * plan.intervalMs + plan.slackMs;
    this.proxy = await this.context.throughFaults({ idleTimeoutMs: this.idleTimeoutMs });
    this.context.transcript.figure('intermediary idle timeout', this.idleTimeoutMs, 'ms');
  }

  /** Stream `client` stays idle for the idle timeout plus one keep-alive interval, or until it ends. */
  async stayIdlePastTimeout(): Promise<void> {
    const stream = this.host.stream('client');
    const waitMs = this.idleTimeoutMs! + this.spec.keepAliveMs!;
    this.context.announceWait('idle through an intermediary with an idle timeout', waitMs, `the idle timeout ${duration(this.idleTimeoutMs!)} + one keep-alive interval`);
    await waitUntil(() => stream.ended, { what: 'the stream to end', deadlineMs: waitMs, seen: () => 'still open', signal: stream.changes }).catch(() => undefined);
  }

  /** Whether stream `client` survived and the last published message arrived on it. */
  async afterIdle(): Promise<IdleThroughTimeout> {
    const stream = this.host.stream('client');
    const last = this.context.published.at(-1)!.data;
    const arrived = (): boolean => stream.events.some((e) => this.host.decode(e.data) === last);
    await waitUntil(arrived, { what: 'the message to arrive', deadlineMs: EVENT_DEADLINE_MS, seen: () => 'not yet', signal: stream.changes }).catch(() => undefined);
    const cut = this.requireProxy().connections.find((c) => c.ended !== undefined)?.ended;
    return { idleTimeoutMs: this.idleTimeoutMs!, cut, arrived: arrived(), connection: `the stream ${stream.ended ? `ended (${stream.endReason ?? 'no reason'})` : 'is open'}, ${stream.events.length} event(s)` };
  }

  /** An intermediary that holds what the server sends until {@link INTERMEDIARY_BUFFER_BYTES} are waiting. */
  async throughBuffer(): Promise<void> {
    this.proxy = await this.context.throughFaults({ bufferBytes: INTERMEDIARY_BUFFER_BYTES });
    this.context.transcript.figure('intermediary buffer', INTERMEDIARY_BUFFER_BYTES, 'bytes');
  }

  /**
   * Publishes one message at a time until stream `client` has an event (at
   * most {@link BUFFER_FILL_MESSAGES}), then waits for it if none came yet.
   * Records how many messages were published before the first event arrived.
   */
  async publishUntilFirstArrives(): Promise<BufferedDelivery> {
    const stream = this.host.stream('client');
    for (let i = 0; i < BUFFER_FILL_MESSAGES && stream.events.length === 0 && !stream.ended; i++) await this.context.publishOne();
    await waitUntil(() => stream.events.length > 0 || stream.ended, { what: 'a first event', deadlineMs: EVENT_DEADLINE_MS, seen: () => 'none', signal: stream.changes }).catch(() => undefined);
    const firstAtMs = stream.events[0]?.atMs;
    const published = this.context.published;
    const before = firstAtMs === undefined ? undefined : published.filter((m) => m.ackedAtMs <= firstAtMs).length;
    const t = this.context.transcript;
    t.figure('messages published', published.length, '');
    if (before !== undefined) t.figure('published before the first event arrived', before, '');
    t.note(
      before === undefined ? `no event reached the client through the ${INTERMEDIARY_BUFFER_BYTES}-byte buffer after ${published.length} messages`
      : before > 1 ? `buffering intermediary detected: the first event reached the client only after ${before} messages had been published (the buffer filled); events behind such an intermediary are late for any server unless it is told not to buffer (X-Accel-Buffering: no for nginx)`
      : `the first event came through at once: what the server sent before it (padding, comments) filled the ${INTERMEDIARY_BUFFER_BYTES}-byte buffer`,
    );
    // A server can ask nginx-like intermediaries not to buffer its stream; whether it did is part of the report.
    t.note(`the stream's X-Accel-Buffering header: ${stream.headers['x-accel-buffering'] ?? 'none'}; ${this.requireProxy().connections[0]?.bytes['to-client'] ?? 0} bytes reached the client through the buffer`);
    this.buffered = { received: stream.events.map((e) => this.host.decode(e.data)), published: published.map((m) => m.data), publishedBeforeFirst: before };
    return this.buffered;
  }

  private requireProxy(): FaultProxy {
    if (this.proxy === undefined) throw new Error('the scenario put no fault proxy on the path');
    return this.proxy;
  }
}
