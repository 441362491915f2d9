/**
 * The slow-client scenario's part of the SSE actions: a client that reads one
 * event and stops reading, more data than the declared bound published at it,
 * what it could still read once the server dropped it, and a client resuming
 * from the last event it got.
 */
import type { ScenarioContext } from '../../core/context.ts';
import type { PublishedMessage } from '../../core/publisher.ts';
import type { ResolvedSse } from './adapter.ts';
import type { Decode } from './checks.ts';
import { SseParser } from './parser.ts';
import { SlowReader, type SlowClientRun } from './slow-reader.ts';

export class SlowClient {
  private readonly context: ScenarioContext;
  private readonly spec: ResolvedSse;
  private readonly decode: Decode;
  private reader: SlowReader | undefined;
  private readonly published: PublishedMessage[] = [];

  constructor(context: ScenarioContext, spec: ResolvedSse, decode: Decode) {
    this.context = context;
    this.spec = spec;
    this.decode = decode;
  }

  /** Opens the stream, reads a first message (so there is an id to resume from), then stops reading. */
  async openAndStopReading(url: string, headDeadlineMs: number, eventDeadlineMs: number): Promise<void> {
    this.reader = await SlowReader.open(url, this.spec.requestHeaders, headDeadlineMs, this.context.clientTls);
    const first = await this.context.publishData(`[slow first] ${this.context.channel}`);
    await this.reader.readUntilThenStop(first.data, eventDeadlineMs);
    this.published.push(first);
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
    for (let i = 0; i < count - 1; i++) this.published.push(await this.context.publishData(`[slow ${i}] ${'x'.repeat(size)}`));
    this.context.transcript.note(`published ${count} messages of ${size} bytes (${Math.round((count * size) / 1024)} KiB) at a client that reads nothing; the declared bound is ${bound} bytes`);
  }

  /** Reads what the slow client can still read, until the server ends the connection or the deadline passes. */
  async drain(deadlineMs: number): Promise<SlowClientRun> {
    if (this.reader === undefined) throw new Error('no client stopped reading');
    const drained = await this.reader.drain(deadlineMs);
    const received: SlowClientRun['received'] = [];
    const parser = new SseParser({ onEvent: (event) => received.push({ data: this.decode(event.data), ...(event.idField !== undefined ? { id: event.idField } : {}) }) });
    parser.feed(drained.body, this.context.transcript.now());
    this.context.transcript.figure('bytes the slow client got', drained.body.length, 'B');
    this.context.transcript.note(`slow client: ${drained.how}; ${received.length} of ${this.published.length} events arrived before that`);
    this.run = { published: [...this.published], received, droppedByServer: drained.droppedByServer, how: drained.how, bytes: drained.body.length };
    return this.run;
  }

  /** The drained run, for the client resuming after it. */
  run: SlowClientRun | undefined;

  destroy(): void {
    this.reader?.destroy();
  }
}
