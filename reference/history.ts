/**
 * A bounded, id-ordered message history for one channel: a circular buffer,
 * so appending past the limit evicts the oldest message in O(1) (no
 * `Array.prototype.shift()`, which is O(n) per publish on a full history).
 *
 * Ids are consecutive integers, so the message with id `k` sits at a known
 * offset from the oldest one: reading "everything after cursor c" costs only
 * the size of the answer.
 */

/** One message as the store keeps it and as every technique sends it. */
export interface StoredMessage {
  /** Decimal integer string, increasing by one per message within a channel, starting at "1". */
  readonly id: string;
  readonly data: string;
  /** Present only when the publisher gave an event name. */
  readonly event?: string;
}

/** A fixed-capacity ring of the most recent messages of one channel. */
export class History {
  readonly #capacity: number;
  /** Grows up to `#capacity` (so a quiet channel doesn't allocate the full limit), then is overwritten in place. */
  readonly #slots: StoredMessage[] = [];
  /** Index in `#slots` of the oldest retained message once the ring is full. */
  #start = 0;
  /** Id of the newest message; 0 before the first publish. */
  #latest = 0;

  /** @param capacity how many messages to retain; a positive integer (checked by the store). */
  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Id of the newest message ever appended (0 when none). */
  get latestId(): number {
    return this.#latest;
  }

  /** Id of the oldest retained message; `latestId + 1` when empty. */
  get oldestId(): number {
    return this.#latest - this.#slots.length + 1;
  }

  /** Number of retained messages. */
  get size(): number {
    return this.#slots.length;
  }

  /** Appends a message, assigning the next id; evicts the oldest when full. */
  append(data: string, event: string | undefined): StoredMessage {
    this.#latest += 1;
    // Frozen because the same object goes to every listener and every poll.
    const message: StoredMessage = Object.freeze(
      event === undefined ? { id: String(this.#latest), data } : { id: String(this.#latest), data, event },
    );
    if (this.#slots.length < this.#capacity) {
      this.#slots.push(message);
    } else {
      this.#slots[this.#start] = message;
      this.#start = (this.#start + 1) % this.#capacity;
    }
    return message;
  }

  /**
   * Retained messages with an id greater than `afterId`, oldest first. The
   * caller makes sure `afterId` lies in `[oldestId - 1, latestId]`.
   */
  after(afterId: number): StoredMessage[] {
    const size = this.#slots.length;
    const skip = Math.max(0, afterId - this.oldestId + 1);
    const out: StoredMessage[] = [];
    for (let offset = skip; offset < size; offset += 1) {
      // #start is 0 until the ring is full, so this is also right while growing.
      out.push(this.#slots[(this.#start + offset) % size] as StoredMessage);
    }
    return out;
  }
}
