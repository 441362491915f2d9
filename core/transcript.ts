/**
 * The wire record of one scenario: every HTTP exchange, the figures measured
 * and the notes taken, kept small enough to ship inside summary.json.
 */
import type { Evidence, Figure, FrameRecord, HttpExchange, PartObservation, StreamRecord } from './evidence.ts';
import type { ServerHeaderBlock } from './h2-header-filter.ts';

/** Exchanges kept in full; later ones are only counted (a 1,000-message run would otherwise bloat every report). */
const DEFAULT_EXCHANGE_CAP = 60;
/** Bodies longer than this are cut; the original size stays in `responseBytes`. */
const BODY_PREVIEW_CHARS = 2048;

/** Streams kept per scenario; a scenario with 500 streams keeps the first ones. */
export const STREAM_CAP = 20;
/** Chunks and bytes kept per stream. */
export const STREAM_CHUNK_CAP = 300;
export const STREAM_BYTE_CAP = 64 * 1024;

/** WebSocket frames kept per scenario, both ways together. */
export const FRAME_CAP = 400;

/** HTTP/2 header blocks with connection-specific fields kept per scenario; later ones are only counted. */
const H2_FAULTY_BLOCK_CAP = 10;

/** What the HTTP/2 header blocks of a scenario showed (core/h2-header-filter.ts). */
export interface H2HeaderBlocks {
  /** Header blocks the servers sent over HTTP/2 in this scenario. */
  seen: number;
  /** The first of them with connection-specific fields. */
  faulty: ServerHeaderBlock[];
  /** How many had such fields in all. */
  faultyCount: number;
}

/** Cuts a body for the report, saying how much was left out. */
export function previewBody(body: string): string {
  if (body.length <= BODY_PREVIEW_CHARS) return body;
  return `${body.slice(0, BODY_PREVIEW_CHARS)}… (${body.length - BODY_PREVIEW_CHARS} more characters cut)`;
}

export class Transcript {
  /** Origin of every `…AtMs` time: when the scenario started. */
  readonly startedAt = performance.now();
  private readonly exchanges: HttpExchange[] = [];
  private readonly streams: StreamRecord[] = [];
  private readonly frames: FrameRecord[] = [];
  private omittedFrames = 0;
  /** How the scenario's WebSocket connection closed, when it had one. */
  closeOutcome: string | undefined;
  private omitted = 0;
  private readonly figures: Figure[] = [];
  private readonly notes: string[] = [];
  private readonly parts: PartObservation[] = [];
  private readonly cap: number;
  /** HTTP/2 header blocks seen; read by the `*-H2-NO-CONNECTION-FIELDS` checks. */
  readonly h2HeaderBlocks: H2HeaderBlocks = { seen: 0, faulty: [], faultyCount: 0 };

  constructor(cap = DEFAULT_EXCHANGE_CAP) {
    this.cap = cap;
  }

  /** Milliseconds since the scenario started, to 0.1 ms. */
  now(): number {
    return Math.round((performance.now() - this.startedAt) * 10) / 10;
  }

  /** Keeps the exchange, or only counts it once the cap is reached. Returns the kept copy, if any. */
  record(exchange: HttpExchange): HttpExchange | undefined {
    if (this.exchanges.length >= this.cap) {
      this.omitted += 1;
      return undefined;
    }
    this.exchanges.push(exchange);
    return exchange;
  }

  /**
   * Keeps a stream's record (the caller appends chunks to it as they come, within
   * {@link STREAM_CHUNK_CAP} and {@link STREAM_BYTE_CAP}), or returns undefined once
   * {@link STREAM_CAP} streams are kept.
   */
  recordStream(stream: StreamRecord): StreamRecord | undefined {
    if (this.streams.length >= STREAM_CAP) return undefined;
    this.streams.push(stream);
    return stream;
  }

  /**
   * Keeps a WebSocket frame, or only counts it once {@link FRAME_CAP} are kept.
   * Given as a function, the record is built only when it is kept: previews of
   * the 65,536 frames of one Autobahn 9.3.1 message took a third of a second.
   */
  recordFrame(frame: FrameRecord | (() => FrameRecord)): void {
    if (this.frames.length >= FRAME_CAP) this.omittedFrames += 1;
    else this.frames.push(typeof frame === 'function' ? frame() : frame);
  }

  /**
   * Counts a header block an HTTP/2 server sent, keeping it if it had connection-specific fields (which the client
   * did not see); the first of those leaves a note, so every scenario's report says why its answers look clean.
   */
  recordH2HeaderBlock(block: ServerHeaderBlock): void {
    const blocks = this.h2HeaderBlocks;
    blocks.seen += 1;
    if (block.removed.length === 0) return;
    blocks.faultyCount += 1;
    if (blocks.faulty.length < H2_FAULTY_BLOCK_CAP) blocks.faulty.push(block);
    if (blocks.faultyCount === 1) {
      const fields = block.removed.map(([name, value]) => `${name}: ${value}`).join(', ');
      this.note(`the HTTP/2 server at ${block.origin} sent connection-specific fields (${fields}) on stream ${block.streamId}; RFC 9113 §8.2.2 makes such a message malformed, so pushspec took them out before its client read it, and judges them in the *-H2-NO-CONNECTION-FIELDS requirements`);
    }
  }

  /** A measured figure; the first one recorded is the one the matrix shows. */
  figure(name: string, value: number, unit: string): void {
    this.figures.push({ name, value: Math.round(value * 10) / 10, unit });
  }

  note(text: string): void {
    this.notes.push(text);
  }

  /** Keeps what a check observed about a part of another requirement. */
  observe(part: PartObservation): void {
    this.parts.push(part);
  }

  /**
   * Takes in what another transcript recorded (a case played ahead on a
   * connection of its own), as if recorded here; its times stay its own.
   */
  adopt(other: Transcript): void {
    for (const exchange of other.exchanges) this.record(exchange);
    this.omitted += other.omitted;
    for (const stream of other.streams) this.recordStream(stream);
    for (const frame of other.frames) this.recordFrame(frame);
    this.omittedFrames += other.omittedFrames;
    if (other.closeOutcome !== undefined) this.closeOutcome = other.closeOutcome;
    this.figures.push(...other.figures);
    this.notes.push(...other.notes);
    this.parts.push(...other.parts);
  }

  toEvidence(failure?: { expected: string; actual: string }): Evidence {
    return {
      exchanges: this.exchanges,
      omittedExchanges: this.omitted,
      ...(this.streams.length > 0 ? { streams: this.streams } : {}),
      ...(this.frames.length > 0 || this.omittedFrames > 0 ? { frames: this.frames, omittedFrames: this.omittedFrames } : {}),
      ...(this.closeOutcome !== undefined ? { closeOutcome: this.closeOutcome } : {}),
      figures: this.figures,
      notes: this.notes,
      ...(this.parts.length > 0 ? { parts: this.parts } : {}),
      ...(failure ? { expected: failure.expected, actual: failure.actual } : {}),
    };
  }
}
