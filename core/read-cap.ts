/**
 * pushspec's read cap: the most bytes it reads from one answer body, one
 * event stream or one WebSocket connection, and the most it holds in all the
 * bodies it is reading at once. A server that streams without end fails the
 * requirement that needed the answer, with an Actual line naming the cap,
 * and cannot exhaust pushspec's memory, even when a scenario has 500 polls
 * in flight. Set with the environment variable PUSHSPEC_READ_CAP_MIB
 * (default 64); the budget for all reads at once is four caps.
 */
import { PushspecError } from './errors.ts';

/**
 * The default cap on one read: 64 MiB. The largest a case reads is the catch-up after
 * SSE-SLOW-CLIENT: the declared bound plus 24 MiB (28 MiB for the reference).
 */
export const DEFAULT_READ_CAP_BYTES = 64 * 1024 * 1024;
/** The environment variable that sets the cap, in MiB. */
export const READ_CAP_ENV = 'PUSHSPEC_READ_CAP_MIB';
/** Bodies being read at once may hold this many caps between them. */
const CAPS_IN_FLIGHT = 4;

/**
 * The cap on one read, in bytes, from {@link READ_CAP_ENV}.
 *
 * @throws PushspecError `PUSHSPEC_ERR_USAGE` when the variable is not a whole number of MiB from 1 to 4096.
 */
export function readCapBytes(): number {
  const given = process.env[READ_CAP_ENV];
  if (given === undefined || given === '') return DEFAULT_READ_CAP_BYTES;
  const mib = Number(given);
  if (!/^\d+$/.test(given.trim()) || !Number.isInteger(mib) || mib < 1 || mib > 4096) {
    throw new PushspecError('PUSHSPEC_ERR_USAGE', `${READ_CAP_ENV}=${JSON.stringify(given)}: expected a whole number of MiB from 1 to 4096 (pushspec's cap on one read; default 64)`);
  }
  return mib * 1024 * 1024;
}

/** "64 MiB" or "1500 bytes": a size as a cap is named. */
export function sizeName(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

/** How a verdict names the cap: `pushspec's read cap (64 MiB, PUSHSPEC_READ_CAP_MIB)`. */
export function capName(bytes = readCapBytes()): string {
  return `pushspec's read cap (${sizeName(bytes)}, ${READ_CAP_ENV})`;
}

/**
 * The bytes held by every body being read at once, against a budget of
 * {@link CAPS_IN_FLIGHT} caps: a read that would pass it stops, as one past
 * its own cap does. Reads release what they took when they end.
 */
class ReadBudget {
  private held = 0;

  /** The budget, in bytes. */
  get limit(): number {
    return CAPS_IN_FLIGHT * readCapBytes();
  }

  /** Takes `bytes` from the budget; false (and nothing taken) when that would pass it. */
  take(bytes: number): boolean {
    if (this.held + bytes > this.limit) return false;
    this.held += bytes;
    return true;
  }

  release(bytes: number): void {
    this.held = Math.max(0, this.held - bytes);
  }
}

/** The one budget every capped body read shares. */
export const readBudget = new ReadBudget();
