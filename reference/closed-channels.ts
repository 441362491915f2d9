/**
 * The names of channels closed for good (`DELETE /channels/{channel}`). A
 * closed name must keep answering "closed" (SSE 204, polls and publishes 410)
 * so clients stop, but remembering every name forever would let a client grow
 * the server's memory without bound by closing made-up names. So the set is
 * bounded: past its limit the name closed longest ago is forgotten, and that
 * name is a fresh, empty channel again (docs/reference-protocol.md says so).
 * Each name keeps the last id its channel gave out, so the store can make
 * sure a forgotten name's ids never restart (see channel-store.ts).
 */

/** Closed names remembered unless told otherwise. */
export const DEFAULT_CLOSED_CHANNEL_LIMIT = 10_000;

/** A bounded, insertion-ordered set of closed channel names; the oldest is forgotten first. */
export class ClosedChannels {
  /** The most names remembered at once. */
  readonly limit: number;
  /** Name → the last id its channel gave out. A Map iterates in insertion order, so its first entry is the oldest. */
  readonly #names = new Map<string, number>();

  /** @throws TypeError when `limit` is not a positive integer. */
  constructor(limit: number = DEFAULT_CLOSED_CHANNEL_LIMIT) {
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new TypeError(`closedChannelLimit must be a positive integer, got ${String(limit)}`);
    }
    this.limit = limit;
  }

  /**
   * Remembers `name` as closed, with the last id its channel gave out.
   * Closing it again refreshes nothing: it keeps its place, so repeating a
   * DELETE cannot keep a name remembered forever at the expense of others.
   * O(1).
   * @returns the last id of the name forgotten to make room, or undefined when none was.
   */
  add(name: string, latestId = 0): number | undefined {
    if (this.#names.has(name)) return undefined;
    this.#names.set(name, latestId);
    if (this.#names.size <= this.limit) return undefined;
    const [oldest, latest] = this.#names.entries().next().value as [string, number];
    this.#names.delete(oldest);
    return latest;
  }

  /** True while `name` is remembered as closed. */
  has(name: string): boolean {
    return this.#names.has(name);
  }

  /** Names remembered right now. */
  get size(): number {
    return this.#names.size;
  }
}
