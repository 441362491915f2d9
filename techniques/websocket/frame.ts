/**
 * RFC 6455 framing, done by hand so pushspec can send frames a conforming
 * library never would (unmasked, reserved bits, non-minimal lengths, broken
 * close payloads) and see exactly how the server framed its own.
 * Pure: no sockets, no clocks.
 */
import { createHash, randomBytes } from 'node:crypto';
import { maskInPlace } from './mask.ts';

/** Frame opcodes (RFC 6455 §5.2): the one table every part of pushspec names them from. */
export const OPCODE = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

/** The GUID a server appends to the key to compute Sec-WebSocket-Accept (RFC 6455 §1.3). */
export const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Default bound on one frame's declared payload length for {@link FrameReader}. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

export interface FrameSpec {
  opcode: number;
  payload?: Buffer | string;
  /** Default true. */
  fin?: boolean;
  /** The three reserved bits as a number 0–7 (RSV1 is 4). Default 0. */
  rsv?: number;
  /** Client frames are masked (default true); `false` sends an unmasked frame on purpose. */
  mask?: boolean;
  /** A fixed 4-byte masking key; random by default. */
  maskKey?: Buffer;
  /** Force a longer length encoding than needed (a non-minimal one). Default 'minimal'. */
  length?: 'minimal' | 16 | 64;
}

export interface DecodedFrame {
  fin: boolean;
  rsv: number;
  opcode: number;
  masked: boolean;
  /** Unmasked payload. */
  payload: Buffer;
  /** How the length was written: in the 7-bit field, or as a 16- or 64-bit extended length. */
  lengthEncoding: 7 | 16 | 64;
  /** Whether that was the shortest encoding for the length (RFC 6455 §5.2 requires it). */
  minimalLength: boolean;
  /** The masking key, for a masked frame (the client checks judge a client's keys). */
  maskKey?: Buffer;
}

/** Names of opcodes, for messages and reports. */
export function opcodeName(opcode: number): string {
  const name = Object.entries(OPCODE).find(([, value]) => value === opcode)?.[0];
  return name ?? `opcode ${opcode}`;
}

/** Whether the opcode is a control frame's (close, ping, pong and the reserved 0xB–0xF). */
export function isControlOpcode(opcode: number): boolean {
  return (opcode & 0x8) !== 0;
}

function toBuffer(payload: Buffer | string | undefined): Buffer {
  if (payload === undefined) return Buffer.alloc(0);
  return typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
}

/** Random bytes drawn 4 KiB at a time: one call per frame was most of the cost of a 65,536-frame message. */
let keyPool = Buffer.alloc(0);
let keyPoolAt = 0;

/** A fresh random masking key (RFC 6455 §5.3: unpredictable, from a strong source of entropy). */
function nextMaskKey(): Buffer {
  if (keyPoolAt + 4 > keyPool.length) {
    keyPool = randomBytes(4096);
    keyPoolAt = 0;
  }
  keyPoolAt += 4;
  return keyPool.subarray(keyPoolAt - 4, keyPoolAt);
}

/** Encodes one frame as a client would send it (masked unless told otherwise). */
export function encodeFrame(spec: FrameSpec): Buffer {
  const payload = toBuffer(spec.payload);
  const fin = spec.fin ?? true;
  const rsv = spec.rsv ?? 0;
  const mask = spec.mask ?? true;
  const lengthMode = spec.length ?? 'minimal';
  if (!Number.isInteger(rsv) || rsv < 0 || rsv > 7) throw new RangeError(`rsv must be 0–7, got ${rsv}`);
  if (!Number.isInteger(spec.opcode) || spec.opcode < 0 || spec.opcode > 15) throw new RangeError(`opcode must be 0–15, got ${spec.opcode}`);
  const len = payload.length;
  let encoding: 7 | 16 | 64;
  if (lengthMode === 64 || len > 0xffff) encoding = 64;
  else if (lengthMode === 16 || len > 125) encoding = 16;
  else encoding = 7;
  if (lengthMode === 16 && len > 0xffff) throw new RangeError(`a 16-bit length cannot hold ${len} bytes`);
  const extra = encoding === 7 ? 0 : encoding === 16 ? 2 : 8;
  const headerLength = 2 + extra + (mask ? 4 : 0);
  // Every byte is written below, so the zero-fill of Buffer.alloc would be wasted on a 16 MiB frame.
  const frame = Buffer.allocUnsafe(headerLength + len);
  frame[0] = (fin ? 0x80 : 0) | (rsv << 4) | spec.opcode;
  const lengthField = encoding === 7 ? len : encoding === 16 ? 126 : 127;
  frame[1] = (mask ? 0x80 : 0) | lengthField;
  if (encoding === 16) frame.writeUInt16BE(len, 2);
  else if (encoding === 64) frame.writeBigUInt64BE(BigInt(len), 2);
  if (mask) {
    const key = spec.maskKey ?? nextMaskKey();
    if (key.length !== 4) throw new RangeError(`a masking key is 4 bytes, got ${key.length}`);
    key.copy(frame, 2 + extra);
    payload.copy(frame, headerLength);
    maskInPlace(frame.subarray(headerLength), key);
  } else {
    payload.copy(frame, headerLength);
  }
  return frame;
}

/** A close frame's payload: the code as 2 bytes big-endian, then the reason. No code → empty. */
export function closePayload(code?: number, reason?: string | Buffer): Buffer {
  if (code === undefined) return Buffer.alloc(0);
  const head = Buffer.alloc(2);
  head.writeUInt16BE(code & 0xffff, 0);
  return Buffer.concat([head, toBuffer(reason)]);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Whether the bytes are valid UTF-8. */
export function isValidUtf8(bytes: Buffer): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Reads a close frame's payload. A 1-byte payload (invalid) yields no code and an empty reason. */
export function parseClosePayload(payload: Buffer): { code?: number; reason: string; reasonValidUtf8: boolean } {
  if (payload.length < 2) return { reason: '', reasonValidUtf8: true };
  const reasonBytes = payload.subarray(2);
  return { code: payload.readUInt16BE(0), reason: reasonBytes.toString('utf8'), reasonValidUtf8: isValidUtf8(reasonBytes) };
}

/** Whether an endpoint may send this close code on the wire (RFC 6455 §7.4). */
export function isSendableCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) || (code >= 3000 && code <= 4999);
}

/** The Sec-WebSocket-Accept value a server must answer to this Sec-WebSocket-Key. */
export function acceptKeyFor(key: string): string {
  return createHash('sha1').update(key + WS_GUID).digest('base64');
}

/** A fresh random Sec-WebSocket-Key (16 random bytes, base64). */
export function randomKey(): string {
  return randomBytes(16).toString('base64');
}

/** Payloads shorter than this are copied out of the received chunks (see FrameReader.push). */
const COPY_BELOW_BYTES = 64 * 1024;

export interface FrameReaderOptions {
  /** Declared payload lengths above this stop the reader (default 64 MiB). */
  maxFrameBytes?: number;
}

/**
 * Incremental decoder for the frames a server sends. Handles frames split across
 * chunks and several frames per chunk. A declared length above `maxFrameBytes`
 * stops the reader: `push` returns the frames decoded before it, sets `error`,
 * and every later `push` returns nothing.
 */
export class FrameReader {
  private readonly maxFrameBytes: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Set once the reader has stopped on a frame it will not buffer. */
  error: string | undefined;

  constructor(options: FrameReaderOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /** Bytes received but not yet part of a complete frame. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  push(chunk: Buffer): DecodedFrame[] {
    if (this.error !== undefined) return [];
    if (chunk.length > 0) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
    }
    const frames: DecodedFrame[] = [];
    while (this.pendingBytes >= 2) {
      const head = this.contiguous(Math.min(this.pendingBytes, 14));
      const b0 = head[0]!;
      const b1 = head[1]!;
      const masked = (b1 & 0x80) !== 0;
      let length = b1 & 0x7f;
      let headerLength = 2;
      let lengthEncoding: 7 | 16 | 64 = 7;
      if (length === 126) {
        if (head.length < 4) break;
        length = head.readUInt16BE(2);
        headerLength = 4;
        lengthEncoding = 16;
      } else if (length === 127) {
        if (head.length < 10) break;
        const declared = head.readBigUInt64BE(2);
        if (declared > BigInt(this.maxFrameBytes)) {
          this.stop(declared);
          break;
        }
        length = Number(declared);
        headerLength = 10;
        lengthEncoding = 64;
      }
      if (length > this.maxFrameBytes) {
        this.stop(BigInt(length));
        break;
      }
      if (masked) headerLength += 4;
      const total = headerLength + length;
      if (this.pendingBytes < total) break;
      const bytes = this.contiguous(total);
      // A small payload is copied, so it does not keep the whole chunk it came in alive; a large one
      // is most of its buffer anyway, and a second copy of 16 MiB costs more than it saves.
      const payload = length >= COPY_BELOW_BYTES ? bytes.subarray(headerLength, total) : Buffer.from(bytes.subarray(headerLength, total));
      const maskKey = masked ? Buffer.from(bytes.subarray(headerLength - 4, headerLength)) : undefined;
      if (maskKey !== undefined) maskInPlace(payload, maskKey);
      const minimalLength = lengthEncoding === 7 || (lengthEncoding === 16 ? length > 125 : length > 0xffff);
      frames.push({ fin: (b0 & 0x80) !== 0, rsv: (b0 >> 4) & 7, opcode: b0 & 0x0f, masked, payload, lengthEncoding, minimalLength, ...(maskKey !== undefined ? { maskKey } : {}) });
      this.consume(total);
    }
    return frames;
  }

  private stop(declared: bigint): void {
    const msb = declared >= 1n << 63n ? ' (and the most significant bit of the 64-bit length is set, RFC 6455 §5.2)' : '';
    this.error = `a frame declaring ${declared} payload bytes, over the ${this.maxFrameBytes}-byte limit${msb}`;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** The first `n` buffered bytes in one buffer (which may be longer). */
  private contiguous(n: number): Buffer {
    const first = this.pending[0]!;
    if (first.length >= n) return first;
    const all = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [all];
    return all;
  }

  private consume(n: number): void {
    this.pendingBytes -= n;
    while (n > 0) {
      const first = this.pending[0]!;
      if (first.length <= n) {
        this.pending.shift();
        n -= first.length;
      } else {
        this.pending[0] = first.subarray(n);
        n = 0;
      }
    }
  }
}
