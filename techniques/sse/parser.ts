/**
 * A strict, incremental Server-Sent Events parser (WHATWG HTML §9.2.5 "Parsing
 * an event stream", §9.2.6 "Interpreting an event stream"). It interprets the
 * stream exactly as a browser would, and also reports every liberty the server
 * took (a finding), which a conforming client library would silently forgive.
 *
 * Lines are split on raw bytes before decoding: CR and LF never occur inside a
 * multi-byte UTF-8 sequence, so this is the same as decoding the whole stream
 * first, it lets a character split across chunks decode whole, and it gives
 * the byte offset of any invalid sequence.
 */
import { isUtf8 } from 'node:buffer';

/** Lines longer than this are reported and dropped, so an endless line cannot exhaust memory. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
/** A block whose data grows beyond this is reported and dropped, for the same reason. */
export const DEFAULT_MAX_EVENT_BYTES = 16 * 1024 * 1024;

/** Every finding rule, in no particular order (the harness maps each to a requirement). */
export const SSE_FINDING_RULES = [
  'invalid-utf8', 'bom-not-at-start', 'unknown-field', 'retry-not-digits', 'id-has-nul',
  'lone-cr-line-ending', 'line-too-long', 'event-too-large', 'unterminated-event',
] as const;
export type SseFindingRule = (typeof SSE_FINDING_RULES)[number];

/** A strictness problem in what the server sent; the harness decides what it costs. */
export interface SseFinding {
  rule: SseFindingRule;
  /** 1-based number of the line it is about. */
  line: number;
  /** When the bytes that revealed it arrived (milliseconds since the scenario started). */
  atMs: number;
  detail: string;
}

/** An event as a browser would fire it. */
export interface SseEvent {
  /** The `event` field, or "message". */
  type: string;
  data: string;
  /** The last event ID in force when it was dispatched (ids persist across events). */
  lastEventId: string;
  /** The id this very block set, when it had an (accepted) `id` line. */
  idField?: string;
  atMs: number;
  /** The blank line that dispatched it. */
  line: number;
}

/** A comment line (`:` …), e.g. a keep-alive. */
export interface SseComment {
  /** The line after its leading colon (a leading space is kept). */
  text: string;
  atMs: number;
  line: number;
}

/** An accepted `retry` field. */
export interface SseRetry {
  /** The new reconnection time, in milliseconds. */
  value: number;
  atMs: number;
  line: number;
}

/** Callbacks (all optional) and the memory bounds. */
export interface SseParserOptions {
  onEvent?: (event: SseEvent) => void;
  onComment?: (comment: SseComment) => void;
  onRetry?: (retry: SseRetry) => void;
  onFinding?: (finding: SseFinding) => void;
  maxLineBytes?: number;
  maxEventBytes?: number;
}

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const FIELDS = ['data', 'event', 'id', 'retry'];
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Offset of the first byte of the first invalid UTF-8 sequence (WHATWG decoder rules), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) need = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      need = 2;
      // Bounds of the second byte exclude overlong forms and surrogates.
      if (lead === 0xe0) lo = 0xa0;
      else if (lead === 0xed) hi = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      need = 3;
      if (lead === 0xf0) lo = 0x90;
      else if (lead === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k += 1) {
      const next = bytes[i + k];
      if (next === undefined || next < lo || next > hi) return i;
      lo = 0x80;
      hi = 0xbf;
    }
    i += need + 1;
  }
  return -1;
}

/** Quotes server-sent text for a finding, cut so a huge value cannot bloat the report. */
function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

/**
 * Feed it bytes as they arrive, then call {@link SseParser.end}. It holds at
 * most one line (≤ maxLineBytes) and one block's data (≤ maxEventBytes).
 */
export class SseParser {
  private readonly options: SseParserOptions;
  private readonly maxLineBytes: number;
  private readonly maxEventBytes: number;
  /** The current line's bytes so far, copied out of earlier chunks. */
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** The current line went over maxLineBytes: skip to its end. */
  private discarding = false;
  /** The previous byte was a CR: an LF next completes a CRLF rather than ending an empty line. */
  private afterCr = false;
  private loneCrReported = false;
  private atStreamStart = true;
  private lineStart = 0;
  private lineCount = 0;
  private byteCount = 0;
  private ended = false;
  // The block being built (the spec's buffers).
  private dataParts: string[] = [];
  private dataBytes = 0;
  private oversized = false;
  private eventType = '';
  private idBuffer = '';
  private blockId: string | undefined;
  private blockStartLine: number | undefined;
  private lastId = '';

  constructor(options: SseParserOptions = {}) {
    this.options = options;
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
  }

  /** Complete lines seen so far. */
  get lines(): number {
    return this.lineCount;
  }

  /** Bytes fed so far. */
  get bytes(): number {
    return this.byteCount;
  }

  /** The event source's last event ID string, as of the last dispatch (blank line). */
  get lastEventId(): string {
    return this.lastId;
  }

  /** Parses the bytes that arrived at `atMs`; a line left open waits for the next chunk. */
  feed(bytes: Uint8Array, atMs: number): void {
    if (this.ended) throw new Error('SseParser.feed() after end()');
    const base = this.byteCount;
    this.byteCount += bytes.length;
    let pos = 0;
    let nextLf = -2;
    let nextCr = -2;
    while (pos < bytes.length) {
      if (this.afterCr) {
        this.afterCr = false;
        if (bytes[pos] === LF) {
          pos += 1;
          this.lineStart = base + pos;
          continue;
        }
        this.noteLoneCr(atMs);
      }
      // Each search runs once per hit, not once per line: no quadratic scan on CR-less streams.
      if (nextLf !== -1 && nextLf < pos) nextLf = bytes.indexOf(LF, pos);
      if (nextCr !== -1 && nextCr < pos) nextCr = bytes.indexOf(CR, pos);
      const end = nextLf === -1 ? nextCr : nextCr === -1 ? nextLf : Math.min(nextLf, nextCr);
      if (end === -1) {
        this.keep(bytes, pos, bytes.length, true, atMs);
        return;
      }
      this.keep(bytes, pos, end, false, atMs);
      this.afterCr = bytes[end] === CR;
      pos = end + 1;
      this.finishLine(atMs);
      this.lineStart = base + pos;
    }
  }

  /** The stream ended: an incomplete block is discarded (and reported). */
  end(atMs: number): void {
    if (this.ended) return;
    this.ended = true;
    // A final CR ends a line too, but it is still not a CRLF.
    if (this.afterCr) this.noteLoneCr(atMs);
    // A partial line that is not a comment is a field the server never finished (an over-long one is unknown: not counted).
    const partial = this.pending[0];
    const partialField = partial !== undefined && partial[0] !== COLON;
    if (this.blockStartLine !== undefined || partialField) {
      const why = partialField
        ? `the stream ended in the middle of line ${this.lineCount + 1}`
        : `the block from line ${this.blockStartLine} has no blank line before the end of the stream`;
      this.find('unterminated-event', this.blockStartLine ?? this.lineCount + 1, atMs, `${why}; the incomplete event was discarded`);
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.resetBlock();
  }

  /** Adds bytes[from, to) to the current line, unless the line is already too long. */
  private keep(bytes: Uint8Array, from: number, to: number, copy: boolean, atMs: number): void {
    if (this.discarding || from === to) return;
    if (this.pendingBytes + (to - from) > this.maxLineBytes) {
      this.find('line-too-long', this.lineCount + 1, atMs, `line longer than ${this.maxLineBytes} bytes; the rest of it is skipped`);
      this.discarding = true;
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    // A line finished in this chunk is used at once; only a line left open is copied, as the caller may reuse its buffer.
    this.pending.push(copy ? bytes.slice(from, to) : bytes.subarray(from, to));
    this.pendingBytes += to - from;
  }

  private finishLine(atMs: number): void {
    this.lineCount += 1;
    const wasStart = this.atStreamStart;
    this.atStreamStart = false;
    if (this.discarding) {
      this.discarding = false;
      return;
    }
    const raw = this.pending.length === 1 ? (this.pending[0] as Uint8Array) : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    if (!isUtf8(raw)) {
      const offset = this.lineStart + firstInvalidUtf8(raw);
      this.find('invalid-utf8', this.lineCount, atMs, `invalid UTF-8 at byte ${offset} of the stream (decoded as U+FFFD)`);
    }
    let text = decoder.decode(raw);
    if (wasStart && text.startsWith('\uFEFF')) text = text.slice(1);
    const bom = text.indexOf('\uFEFF');
    if (bom !== -1) this.find('bom-not-at-start', this.lineCount, atMs, `U+FEFF at character ${bom + 1} of the line; only one at the very start of the stream is stripped`);
    this.interpret(text, raw.length, atMs);
  }

  /** §9.2.6: one line, decoded. */
  private interpret(text: string, byteLength: number, atMs: number): void {
    const line = this.lineCount;
    if (text === '') return this.dispatch(atMs, line);
    if (text.startsWith(':')) return this.options.onComment?.({ text: text.slice(1), atMs, line });
    const colon = text.indexOf(':');
    const name = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'retry') {
      if (/^[0-9]+$/.test(value)) this.options.onRetry?.({ value: Number.parseInt(value, 10), atMs, line });
      else this.find('retry-not-digits', line, atMs, `retry value ${quote(value)} is not ASCII digits only; ignored`);
      return;
    }
    if (!FIELDS.includes(name)) {
      const near = FIELDS.find((field) => field === name.toLowerCase());
      this.find('unknown-field', line, atMs, `unknown field ${quote(name)}${near ? ` (did you mean ${near}? field names are case-sensitive)` : ''}; ignored`);
      return;
    }
    this.blockStartLine ??= line;
    if (name === 'event') this.eventType = value;
    else if (name === 'id') {
      if (value.includes('\0')) this.find('id-has-nul', line, atMs, `id ${quote(value)} contains U+0000; ignored`);
      else this.blockId = this.idBuffer = value;
    } else if (!this.oversized) {
      if (this.dataBytes + byteLength > this.maxEventBytes) {
        this.find('event-too-large', line, atMs, `event data beyond ${this.maxEventBytes} bytes; the event is dropped`);
        this.oversized = true;
        this.dataParts = [];
      } else {
        this.dataParts.push(value);
        this.dataBytes += byteLength;
      }
    }
  }

  /** A blank line: the last event ID is set, and an event fires if there is data. */
  private dispatch(atMs: number, line: number): void {
    this.lastId = this.idBuffer;
    // Joining with LF is the data buffer (each value + LF) minus its final LF.
    if (this.dataParts.length > 0) {
      this.options.onEvent?.({
        type: this.eventType === '' ? 'message' : this.eventType,
        data: this.dataParts.join('\n'),
        lastEventId: this.idBuffer,
        ...(this.blockId !== undefined ? { idField: this.blockId } : {}),
        atMs,
        line,
      });
    }
    this.resetBlock();
  }

  private resetBlock(): void {
    this.dataParts = [];
    this.dataBytes = 0;
    this.oversized = false;
    this.eventType = '';
    this.blockId = undefined;
    this.blockStartLine = undefined;
  }

  private noteLoneCr(atMs: number): void {
    if (this.loneCrReported) return;
    this.loneCrReported = true;
    this.find('lone-cr-line-ending', this.lineCount, atMs, `line ${this.lineCount} ends with a lone CR (valid, but some clients mis-split on it); reported once per stream`);
  }

  private find(rule: SseFindingRule, line: number, atMs: number, detail: string): void {
    this.options.onFinding?.({ rule, line, atMs, detail });
  }
}
