/**
 * One stalled reader on an HTTP/2 connection (SSE-H2-STALLED-READER): two
 * event streams on one connection, the first of which stops reading; more
 * than its flow-control window is published, then a marker; the second
 * stream must get everything, the marker promptly. The connection offers a
 * small window per stream and a large one for the connection, so the stalled
 * stream runs out of its own window but never of the connection's: pushspec
 * itself then never holds the second stream back, whatever the server does.
 */
import type { ScenarioContext } from '../../core/context.ts';
import type { FlowControlWindows } from '../../core/http-version.ts';
import type { PublishedMessage } from '../../core/publisher.ts';
import type { ResolvedSse } from './adapter.ts';
import type { Decode, StalledReaderRun, StreamView } from './checks.ts';
import { EVENT_DEADLINE_MS } from './deadlines.ts';
import type { SseStreamClient } from './stream-client.ts';

/** HTTP/2's smallest default stream window (65535) for each stream; 64 MiB for the connection, far more than is published. */
export const STALLED_WINDOWS: FlowControlWindows = { stream: 65_535, connection: 64 * 1024 * 1024 };
/** Published at the stalled stream: far past its window plus what client-side buffers could hold (some 150 KiB). */
const PUBLISHED_BYTES = 2 * 1024 * 1024;
const MESSAGE_BYTES = 16 * 1024;
/** How long the stalled stream is read again afterwards, to learn whether the server dropped it. */
const LEARN_END_MS = 1000;
/** At most this many messages: with a small slow-client bound, fewer bytes (at 1 KiB, 256 KiB, still 4 windows). */
const MAX_MESSAGES = 1024;

/** What the actions lend this part. */
export interface StalledLender {
  open(name: string, options: { onSharedConnection: boolean; headAtOnce: boolean; windows: FlowControlWindows }): Promise<void>;
  eventsUntil(name: string, message: PublishedMessage): Promise<StreamView>;
  stream(name: string): SseStreamClient;
  decode: Decode;
}

const STALLED = 'stalled stream';
const READING = 'reading stream';

export class SseH2Stalled {
  private readonly context: ScenarioContext;
  private readonly spec: ResolvedSse;
  private readonly streams: StalledLender;
  /** Events the reading stream had when the other stopped reading: what came before the rule's part. */
  private readBefore = 0;
  private takenBefore = 0;
  private run: StalledReaderRun | undefined;
  /** How soon the marker must reach the reading stream: the deadline SSE-H2-MULTIPLEX's streams get for their message. */
  readonly promptMs = EVENT_DEADLINE_MS;

  constructor(context: ScenarioContext, spec: ResolvedSse, streams: StalledLender) {
    this.context = context;
    this.spec = spec;
    this.streams = streams;
  }

  /** Opens both streams on one connection, has both read a first message (both are subscribed), then stops the first reading. */
  async openOneStalled(): Promise<void> {
    const options = { onSharedConnection: true, headAtOnce: true, windows: STALLED_WINDOWS };
    await Promise.all([STALLED, READING].map((name) => this.streams.open(name, options)));
    const first = await this.context.publishData(`[h2 first] ${this.context.channel}`);
    for (const name of [STALLED, READING]) {
      await this.streams.stream(name).waitForEvent((e) => this.streams.decode(e.data) === first.data, `${name}: the first message`, EVENT_DEADLINE_MS);
    }
    const stalled = this.streams.stream(STALLED);
    stalled.stopReading();
    this.takenBefore = stalled.bytesTaken;
    this.readBefore = this.streams.stream(READING).events.length;
    this.context.transcript.note(`the connection offers a ${STALLED_WINDOWS.stream}-byte window per stream and ${STALLED_WINDOWS.connection} bytes for the connection; ${STALLED} stopped reading`);
  }

  /**
   * Publishes {@link PUBLISHED_BYTES} in messages of 16 KiB (a quarter of the
   * adapter's slow-client bound when that is smaller, so a reading client is
   * never over it; {@link MAX_MESSAGES} at most), then a marker, and reads the
   * second stream until the marker came or its deadline.
   */
  async publishPastWindow(): Promise<StalledReaderRun> {
    const bound = this.spec.slowClientLimitBytes;
    const size = Math.max(64, Math.min(MESSAGE_BYTES, bound === undefined ? MESSAGE_BYTES : Math.floor(bound / 4)));
    const count = Math.min(MAX_MESSAGES, Math.ceil(PUBLISHED_BYTES / size));
    const published: PublishedMessage[] = [];
    for (let i = 0; i < count; i++) {
      const head = `[h2 ${i}] `;
      published.push(await this.context.publishData(head + 'x'.repeat(size - head.length)));
    }
    const marker = await this.context.publishOne();
    published.push(marker);
    const view = await this.streams.eventsUntil(READING, marker);
    const received = view.events.slice(this.readBefore).map((e) => this.streams.decode(e.data));
    const event = view.events.find((e) => this.streams.decode(e.data) === marker.data);
    const stalled = this.streams.stream(STALLED);
    const took = stalled.bytesTaken - this.takenBefore;
    const publishedBytes = published.reduce((sum, m) => sum + Buffer.byteLength(m.data), 0);
    const transcript = this.context.transcript;
    transcript.note(`published ${count} messages of ${size} bytes and a marker (${publishedBytes} data bytes) while ${STALLED} read nothing`);
    transcript.figure('bytes the stalled stream took', took, 'B');
    if (event !== undefined) transcript.figure('marker publish to receipt', event.atMs - marker.startedAtMs, 'ms');
    const ended = await this.howStalledEnded(stalled);
    this.run = {
      published: published.map((m) => m.data),
      publishedBytes,
      received,
      ...(event !== undefined ? { markerLatencyMs: event.atMs - marker.startedAtMs } : {}),
      stalledTookBytes: took,
      ...(ended !== undefined ? { stalledEnded: ended } : {}),
    };
    return this.run;
  }

  /**
   * Whether the server dropped the stalled stream: a reset stream that is not
   * being read is not reported (Node 20's HTTP/2 client keeps it open while
   * data waits in it), so it reads again, for at most {@link LEARN_END_MS}.
   */
  private async howStalledEnded(stalled: SseStreamClient): Promise<string | undefined> {
    stalled.resumeReading();
    await stalled.waitForEnd(LEARN_END_MS).catch(() => undefined);
    const how = stalled.ended ? (stalled.endReason ?? 'ended') : undefined;
    this.context.transcript.note(`${STALLED}, read again for at most ${LEARN_END_MS} ms: ${how ?? 'still open (not dropped)'}`);
    return how;
  }

  /** The last {@link publishPastWindow}. */
  lastRun(): StalledReaderRun {
    if (this.run === undefined) throw new Error('nothing was published past the stalled stream before this step');
    return this.run;
  }
}
