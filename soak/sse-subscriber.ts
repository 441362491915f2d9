/**
 * A Server-Sent Events subscriber: the strict stream reader
 * (techniques/sse/stream-client.ts). A cut aborts the stream; the next one
 * sends the last event id it saw as `Last-Event-ID`, as a browser does. A
 * stream the server ends is reopened the same way.
 */
import type { Transcript } from '../core/transcript.ts';
import { describeError } from '../core/http.ts';
import { SseStreamClient } from '../techniques/sse/stream-client.ts';
import type { ConnectionOptions } from 'node:tls';
import { Agent } from 'undici';
import { ReconnectingSubscriber, type Subscriber } from './subscriber.ts';

export interface SseSubscriberOptions {
  url: string;
  /** The adapter's `sse.requestHeaders`. */
  headers: Record<string, string>;
  transcript: Transcript;
  /** How event data carries the published string (`sse.dataEncoding`). */
  dataEncoding: 'raw' | 'json';
  /** The response head must come within this. */
  headDeadlineMs: number;
  /** Pause before reopening a stream the server ended (its `retry`, bounded). */
  reconnectDelayMs: number;
  /** TLS options for an https:// stream (what the adapter's `tls.ca` trusts: core/tls.ts). */
  tls?: ConnectionOptions;
}

export class SseSubscriber extends ReconnectingSubscriber implements Subscriber {
  private readonly options: SseSubscriberOptions;
  private stream: SseStreamClient | undefined;
  private unsubscribe: (() => void) | undefined;
  private lastEventId: string | undefined;
  protected readonly retryDelayMs: number;
  /** Its streams' dispatcher when they need TLS options; else undici's global one. */
  private readonly agent: Agent | undefined;

  constructor(name: string, options: SseSubscriberOptions) {
    super(name);
    this.options = options;
    this.retryDelayMs = options.reconnectDelayMs;
    this.agent = options.tls === undefined ? undefined : new Agent({ connect: options.tls });
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.agent?.destroy();
  }

  async start(): Promise<void> {
    await this.open();
    if (this.stream?.status !== 200) throw new Error(`${this.name}: the event stream was answered ${this.stream?.status ?? 'not at all'}${this.errors.first.length > 0 ? ` (${this.errors.first.at(-1)})` : ''}`);
  }

  protected async open(): Promise<void> {
    const headers = { ...this.options.headers, ...(this.lastEventId !== undefined ? { 'last-event-id': this.lastEventId } : {}) };
    const stream = SseStreamClient.begin({ url: this.options.url, headers, actor: this.name, transcript: this.options.transcript, headersDeadlineMs: this.options.headDeadlineMs, ...(this.agent !== undefined ? { dispatcher: this.agent } : {}) });
    this.stream = stream;
    this.unsubscribe = stream.changes.subscribe(() => this.read(stream));
    try {
      await stream.head;
      if (stream.status !== 200) this.failed(`the event stream was answered ${stream.status}`);
    } catch (error) {
      this.failed(describeError(error));
    }
    this.read(stream);
  }

  protected isDown(): boolean {
    return this.stream === undefined || this.stream.ended;
  }

  protected teardown(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.stream?.close();
  }

  private decode(data: string): string {
    if (this.options.dataEncoding !== 'json') return data;
    try {
      const value: unknown = JSON.parse(data);
      return typeof value === 'string' ? value : data;
    } catch {
      return data;
    }
  }

  /** Takes the events that arrived; reopens the stream if the server ended it. */
  private read(stream: SseStreamClient): void {
    if (stream !== this.stream) return;
    for (const event of stream.events) {
      if (event.lastEventId !== '') this.lastEventId = event.lastEventId;
      this.take(this.decode(event.data), event.atMs);
    }
    // Read once each: the soak need not keep a long stream's events.
    stream.events.length = 0;
    stream.dispatchedAtMs.length = 0;
    stream.comments.length = 0;
    if (stream.ended && !this.stopped && !this.isReopening) this.scheduleReopen(this.retryDelayMs);
  }
}
