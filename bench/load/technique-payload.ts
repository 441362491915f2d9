/**
 * What the technique comparison publishes, and the clock it is stamped with.
 * Every message is exactly {@link PAYLOAD_BYTES} ASCII bytes:
 * `<seq> <publish time>` padded with `_`, so a client can check it got every
 * message once and in order, and compute the delay itself.
 *
 * The clock is `performance.timeOrigin + performance.now()` in every process:
 * wall time taken once when the process starts, then the monotonic clock. Two
 * processes on one machine agree to well under a millisecond, unless the
 * system clock is stepped while they run (the scenario estimates the offset
 * over IPC and notes it).
 */

/** The size of every message the comparison publishes (the 32-byte message). */
export const PAYLOAD_BYTES = 32;

/** Wall-clock time in ms with sub-ms precision: the one clock every technique process stamps and reads. */
export const clock = (): number => performance.timeOrigin + performance.now();

/** The data of message `seq`, published at `sentAt` (ms, {@link clock}). */
export function formatPayload(seq: number, sentAt: number): string {
  const text = `${seq} ${sentAt.toFixed(3)}`;
  if (text.length > PAYLOAD_BYTES) throw new RangeError(`payload "${text}" is longer than ${PAYLOAD_BYTES} bytes`);
  return text.padEnd(PAYLOAD_BYTES, '_');
}

/** The seq and publish time in a payload; undefined when it is not one (wrong size or shape). */
export function parsePayload(data: string): { seq: number; sentAt: number } | undefined {
  if (data.length !== PAYLOAD_BYTES) return undefined;
  const match = /^(\d+) (\d+\.\d+)_*$/.exec(data);
  if (match === null) return undefined;
  return { seq: Number(match[1]), sentAt: Number(match[2]) };
}
