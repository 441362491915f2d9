/**
 * Server-Sent Events over HTTP/2 as a page uses it: many event streams, each
 * a stream of one connection (SSE-H2-MULTIPLEX). The streams are opened and
 * read by the strict reader, as every other stream is (actions.ts).
 */
import type { ScenarioContext } from '../../core/context.ts';
import type { PublishedMessage } from '../../core/publisher.ts';
import { percentile } from '../../core/quantile.ts';
import type { Decode, StreamView } from './checks.ts';

/** What the actions lend this part: opening a stream and reading it until a message. */
export interface StreamLender {
  open(name: string, options: { onSharedConnection: boolean; headAtOnce: boolean }): Promise<void>;
  eventsUntil(name: string, message: PublishedMessage): Promise<StreamView>;
  decode: Decode;
}

/** One stream's part of a publish to all: whether the message came, and how long after it was published. */
export interface StreamReceipt {
  name: string;
  received: boolean;
  latencyMs?: number;
}

export class SseHttp2 {
  private names: string[] = [];
  private run: { message: PublishedMessage; receipts: StreamReceipt[] } | undefined;

  /** The last {@link publishToAll}: the message and what each stream got. */
  lastRun(): { message: PublishedMessage; receipts: StreamReceipt[] } {
    if (this.run === undefined) throw new Error('no message was published to the streams before this step');
    return this.run;
  }

  private readonly context: ScenarioContext;
  private readonly streams: StreamLender;

  constructor(context: ScenarioContext, streams: StreamLender) {
    this.context = context;
    this.streams = streams;
  }

  /** Opens `count` streams on one connection, all at once, each answered at once (SSE-OPENS-AT-ONCE's rule). */
  async openOnOneConnection(count: number): Promise<void> {
    this.names = Array.from({ length: count }, (_, i) => `stream ${i + 1}`);
    await Promise.all(this.names.map((name) => this.streams.open(name, { onSharedConnection: true, headAtOnce: true })));
  }

  /** Publishes one message and reads every stream until it came (or its deadline); records p50 and p99 latency. */
  async publishToAll(): Promise<{ message: PublishedMessage; receipts: StreamReceipt[] }> {
    if (this.names.length === 0) throw new Error('no streams were opened on one connection before this step');
    const message = await this.context.publishOne();
    const views = await Promise.all(this.names.map((name) => this.streams.eventsUntil(name, message)));
    const receipts = views.map((view, i): StreamReceipt => {
      const event = view.events.find((e) => this.streams.decode(e.data) === message.data);
      return { name: this.names[i]!, received: event !== undefined, ...(event !== undefined ? { latencyMs: event.atMs - message.startedAtMs } : {}) };
    });
    const latencies = receipts.flatMap((r) => (r.latencyMs !== undefined ? [r.latencyMs] : []));
    if (latencies.length > 0) {
      this.context.transcript.figure('p50 publish to receipt', percentile(latencies, 0.5), 'ms');
      this.context.transcript.figure('p99 publish to receipt', percentile(latencies, 0.99), 'ms');
    }
    this.context.transcript.figure('streams on one connection', this.names.length, '');
    this.run = { message, receipts };
    return this.run;
  }
}
