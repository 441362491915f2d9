/**
 * permessage-deflate's payload transformation (RFC 7692 §7.2) with node:zlib.
 *
 * Both directions are synchronous, so a message is inflated the moment its
 * last frame arrives: raw DEFLATE with a sync flush, whose trailing
 * `00 00 ff ff` is removed (§7.2.1) and put back before inflating (§7.2.2).
 * Context takeover is carried as a preset dictionary: after a sync flush the
 * only state a (de)compressor keeps between messages is its sliding window,
 * the last 2^windowBits bytes of the data, so starting each message with those
 * bytes as its dictionary is the same LZ77 window the RFC shares (§7.2.3.2's
 * worked example comes out byte for byte). With `*_no_context_takeover` every
 * message starts with an empty window.
 */
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';

/** The empty stored block a sync flush ends with (RFC 7692 §7.2.1). */
export const TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);

/** One direction's settings: its window, and whether context is kept across messages. */
export interface DeflateDirection {
  windowBits: number;
  noContextTakeover: boolean;
  /** zlib's compression level (compressor only); default 1, the fastest. */
  level?: number;
}

/** The last `bits`-sized window of `history` then `data`. */
function slide(history: Buffer, data: Buffer, bits: number): Buffer {
  const size = 1 << bits;
  if (data.length >= size) return Buffer.from(data.subarray(data.length - size));
  const joined = Buffer.concat([history, data]);
  return joined.length > size ? joined.subarray(joined.length - size) : joined;
}

/** Compresses messages as one endpoint's compressor does (§7.2.1). */
export class MessageCompressor {
  private window: Buffer = Buffer.alloc(0);
  private readonly direction: DeflateDirection;

  constructor(direction: DeflateDirection) {
    this.direction = direction;
  }

  /** The compressed payload of one message (without the trailing `00 00 ff ff`). */
  compress(data: Buffer): Buffer {
    const keep = !this.direction.noContextTakeover && this.window.length > 0;
    const out = deflateRawSync(data, {
      finishFlush: constants.Z_SYNC_FLUSH,
      // The fastest level: any valid DEFLATE stream will do, and a case sends megabytes.
      level: this.direction.level ?? constants.Z_BEST_SPEED,
      // zlib refuses an 8-bit raw compressor and node makes it 9; a 9-bit compressor reaches back at most 250 bytes, inside an 8-bit window.
      windowBits: this.direction.windowBits,
      ...(keep ? { dictionary: this.window } : {}),
    });
    if (!this.direction.noContextTakeover) this.window = slide(this.window, data, this.direction.windowBits);
    return out.subarray(out.length - 4).equals(TAIL) ? out.subarray(0, out.length - 4) : out;
  }
}

/** Thrown when a message inflates past the bound. */
export class InflateLimitError extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`the message inflates past ${limit} bytes`);
    this.limit = limit;
  }
}

/** Decompresses messages as one endpoint's decompressor does (§7.2.2), never past `maxBytes` per message. */
export class MessageDecompressor {
  private window: Buffer = Buffer.alloc(0);
  private readonly direction: DeflateDirection;
  private readonly maxBytes: number;

  constructor(direction: DeflateDirection, maxBytes: number) {
    this.direction = direction;
    this.maxBytes = maxBytes;
  }

  /** The data of one compressed message (its frames' payloads joined); throws on data that does not inflate or is too big. */
  decompress(payload: Buffer): Buffer {
    const keep = !this.direction.noContextTakeover && this.window.length > 0;
    let data: Buffer;
    try {
      data = inflateRawSync(Buffer.concat([payload, TAIL]), {
        finishFlush: constants.Z_SYNC_FLUSH,
        // Always the full window: a peer may use a smaller one than agreed, never a larger one, and a larger window reads both.
        windowBits: 15,
        maxOutputLength: this.maxBytes,
        ...(keep ? { dictionary: this.window } : {}),
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new InflateLimitError(this.maxBytes);
      throw error;
    }
    // A 15-bit window holds whatever the peer's smaller window may reach back to.
    if (!this.direction.noContextTakeover) this.window = slide(this.window, data, 15);
    return data;
  }
}
