/**
 * Every retained message of the server, oldest first, whatever its channel:
 * what the store's memory budget evicts from. A queue of (channel, id)
 * entries with amortised O(1) push and pop.
 *
 * Messages also leave their history in other ways (the per-channel limit, a
 * closed channel); their entries are then stale and skipped when reached.
 * So that stale entries cannot pile up behind a quiet channel's old message,
 * the queue is compacted once they outnumber the live ones: O(n) work after
 * at least n removals, amortised O(1) each.
 */

/** One published message: its channel (whatever the owner is) and its id. */
export interface OrderEntry<Owner> {
  readonly owner: Owner;
  readonly id: number;
}

/** Publish order across channels; `isLive` says whether an entry's message is still retained. */
export class PublishOrder<Owner> {
  #entries: Array<OrderEntry<Owner> | undefined> = [];
  #head = 0;
  #stale = 0;
  readonly #isLive: (entry: OrderEntry<Owner>) => boolean;

  constructor(isLive: (entry: OrderEntry<Owner>) => boolean) {
    this.#isLive = isLive;
  }

  /** Entries held, stale ones included (for tests checking the queue stays bounded). */
  get length(): number {
    return this.#entries.length - this.#head;
  }

  /** Records a message just appended to its history. */
  push(owner: Owner, id: number): void {
    this.#entries.push({ owner, id });
  }

  /** Counts `count` messages that left their history another way; compacts once stale entries outnumber live ones. */
  markStale(count: number): void {
    this.#stale += count;
    if (this.#stale > 1024 && this.#stale * 2 > this.length) this.#compact();
  }

  /** The oldest entry still retained, removed from the queue (stale ones before it are dropped); undefined when none. */
  shiftLive(): OrderEntry<Owner> | undefined {
    while (this.#head < this.#entries.length) {
      const entry = this.#entries[this.#head] as OrderEntry<Owner>;
      this.#entries[this.#head] = undefined;
      this.#head += 1;
      if (this.#isLive(entry)) {
        this.#trim();
        return entry;
      }
      this.#stale = Math.max(0, this.#stale - 1);
    }
    this.#trim();
    return undefined;
  }

  /** The oldest entry still retained, left in place; undefined when none. */
  peekLive(): OrderEntry<Owner> | undefined {
    while (this.#head < this.#entries.length) {
      const entry = this.#entries[this.#head] as OrderEntry<Owner>;
      if (this.#isLive(entry)) return entry;
      this.#entries[this.#head] = undefined;
      this.#head += 1;
      this.#stale = Math.max(0, this.#stale - 1);
    }
    this.#trim();
    return undefined;
  }

  /** Drops the consumed front of the array once it is most of it (amortised O(1)). */
  #trim(): void {
    if (this.#head === this.#entries.length) {
      this.#entries = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
  }

  #compact(): void {
    const live: Array<OrderEntry<Owner>> = [];
    for (let index = this.#head; index < this.#entries.length; index += 1) {
      const entry = this.#entries[index] as OrderEntry<Owner>;
      if (this.#isLive(entry)) live.push(entry);
    }
    this.#entries = live;
    this.#head = 0;
    this.#stale = 0;
  }
}
