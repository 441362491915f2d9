/**
 * How the raw client puts frames on the TCP connection: all together in one
 * write, one write per frame, or cut into pieces of N bytes (1: octet-wise),
 * optionally with a pause between pieces. Autobahn|Testsuite's `sync` and
 * `chopsize` do the same (its cases 1.1.8, 2.6, 3.3, 5.4–5.8, 9.5, …): a
 * server must read a frame however TCP delivers it. As in Autobahn, a write
 * per piece only encourages segment boundaries (Nagle is off); it cannot force them.
 * Pure: the cutting; the raw client does the writing.
 */

/** One way of writing frames. */
export type WriteSplit =
  | { kind: 'together' }
  | { kind: 'frame-wise' }
  | { kind: 'chops'; size: number; pauseMs?: number };

/** Every frame in one write (Autobahn's default: frames sent back to back). */
export const TOGETHER: WriteSplit = { kind: 'together' };
/** One write per frame (Autobahn's `sync`). */
export const FRAME_WISE: WriteSplit = { kind: 'frame-wise' };
/**
 * One write per byte (Autobahn's `chopsize=1`), 1 ms apart: a mere turn of the
 * event loop between writes lets a busy receiver read several bytes at once,
 * which hides the very bug the case is there to find (a header cut by TCP).
 */
export const OCTET_WISE: WriteSplit = { kind: 'chops', size: 1, pauseMs: 1 };

/** Writes of `size` bytes (Autobahn's `chopsize`), with `pauseMs` between them if given. */
export function chops(size: number, pauseMs?: number): WriteSplit {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`a chop size must be a whole number of bytes ≥ 1, got ${size}`);
  return pauseMs === undefined ? { kind: 'chops', size } : { kind: 'chops', size, pauseMs };
}

/** In words, for the transcript: `in 1-byte writes`. */
export function describeSplit(split: WriteSplit): string {
  if (split.kind === 'together') return 'in one write';
  if (split.kind === 'frame-wise') return 'one write per frame';
  const pause = split.pauseMs === undefined ? '' : `, ${split.pauseMs} ms apart`;
  return split.size === 1 ? `octet-wise (1-byte writes${pause})` : `in ${split.size}-byte writes${pause}`;
}

/** The writes that carry `frames` (each an encoded frame) as `split` says, in order. */
export function piecesOf(frames: readonly Buffer[], split: WriteSplit): Buffer[] {
  if (split.kind === 'together') return frames.length <= 1 ? [...frames] : [Buffer.concat(frames)];
  if (split.kind === 'frame-wise') return [...frames];
  const all = frames.length === 1 ? frames[0]! : Buffer.concat(frames);
  const pieces: Buffer[] = [];
  for (let at = 0; at < all.length; at += split.size) pieces.push(all.subarray(at, at + split.size));
  return pieces;
}
