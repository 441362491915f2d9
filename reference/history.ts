/**
 * A bounded, id-ordered message history for one channel: a ring buffer
 * (double-ended at the old end), so appending past the limit evicts the
 * oldest message in O(1), and the store's memory budget can evict the
 * oldest one too (no `Array.prototype.shift()`, which is O(n) per publish on
 * a full history).
 *
 * Ids are consecutive integers, so the message with id `k` sits at a known
 * offset from the oldest one: reading "everything after cursor c" costs only
 * the size of the answer. A history starts after a `base` id (0 for a channel
 * never seen before; higher when names were forgotten, see channel-store.ts),
 * so ids never restart.
 */

/** One message as the store keeps it and as every technique sends it. */
export interface StoredMessage {
  /** Decimal integer string, increasing by one per message within a channel. */
  readonly id: string;
  readonly data: string;
  /** Present only when the publisher gave an event name. */
  readonly event?: string;
}

/** A fixed-capacity ring of the most recent messages of one channel. */
export class History {
  readonly #capacity: number;
  /** The id before the first one this history gives out. */
  readonly base: number;
  /** Grows by doubling up to `#capacity` (a quiet channel doesn't allocate the full limit). */
  #slots: Array<StoredMessage | undefined> = [];
  /** What each slot's message counts against the store's memory budget. */
  #sizes: number[] = [];
  /** Index in `#slots` of the oldest retained message. */
  #head = 0;
  #count = 0;
  #bytes = 0;
  /** Id of the newest message; `base` before the first publish. */
  #latest: number;

  /**
   * @param capacity how many messages to retain; a positive integer (checked by the store).
   * @param base the id before this history's first message (default 0: ids start at 1).
   */
  constructor(capacity: number, base = 0) {
    this.#capacity = capacity;
    this.base = base;
    this.#latest = base;
  }

  /** Id of the newest message ever appended (`base` when none). */
  get latestId(): number {
    return this.#latest;
  }

  /** Id of the oldest retained message; `latestId + 1` when empty. */
  get oldestId(): number {
    return this.#latest - this.#count + 1;
  }

  /** Number of retained messages. */
  get size(): number {
    return this.#count;
  }

  /** What the retained messages count against the memory budget (the `bytes` given to {@link append}). */
  get bytes(): number {
    return this.#bytes;
  }

  /** True once a message was appended (even if none is retained any more). */
  get published(): boolean {
    return this.#latest > this.base;
  }

  /**
   * Appends a message, assigning the next id; evicts the oldest when full.
   * @param bytes what the message counts against the store's memory budget.
   */
  append(data: string, event: string | undefined, bytes = 0): StoredMessage {
    if (this.#count === this.#capacity) this.dropOldest();
    if (this.#count === this.#slots.length) this.#grow();
    this.#latest += 1;
    // Frozen because the same object goes to every listener and every poll.
    const message: StoredMessage = Object.freeze(
      event === undefined ? { id: String(this.#latest), data } : { id: String(this.#latest), data, event },
    );
    const at = (this.#head + this.#count) % this.#slots.length;
    this.#slots[at] = message;
    this.#sizes[at] = bytes;
    this.#count += 1;
    this.#bytes += bytes;
    return message;
  }

  /** Evicts the oldest retained message (never renumbering); returns its bytes, 0 when empty. */
  dropOldest(): number {
    if (this.#count === 0) return 0;
    const bytes = this.#sizes[this.#head] ?? 0;
    this.#slots[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#slots.length;
    this.#count -= 1;
    this.#bytes -= bytes;
    return bytes;
  }

  /**
   * Retained messages with an id greater than `afterId`, oldest first. The
   * caller makes sure `afterId` lies in `[oldestId - 1, latestId]`.
   */
  after(afterId: number): StoredMessage[] {
    const skip = Math.max(0, afterId - this.oldestId + 1);
    const out: StoredMessage[] = [];
    for (let offset = skip; offset < this.#count; offset += 1) {
      out.push(this.#slots[(this.#head + offset) % this.#slots.length] as StoredMessage);
    }
    return out;
  }

  /** Doubles the ring (up to the capacity), oldest first at index 0: amortised O(1) per append. */
  #grow(): void {
    const length = Math.min(this.#capacity, Math.max(4, this.#slots.length * 2));
    const slots: Array<StoredMessage | undefined> = new Array<StoredMessage | undefined>(length);
    const sizes: number[] = new Array<number>(length).fill(0);
    for (let offset = 0; offset < this.#count; offset += 1) {
      const from = (this.#head + offset) % this.#slots.length;
      slots[offset] = this.#slots[from];
      sizes[offset] = this.#sizes[from] ?? 0;
    }
    this.#slots = slots;
    this.#sizes = sizes;
    this.#head = 0;
  }
}
