/**
 * How far an instance has read the cluster's feed, and waiting for it to get
 * somewhere: a publish waits until its own message is in this instance's copy,
 * a catch-up until the feed is read up to the tip Redis reported.
 */

/** Compares two Redis stream ids (`<ms>-<seq>`): negative, zero or positive. */
export function compareFeedIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs !== bMs ? aMs - bMs : aSeq - bSeq;
}

interface Waiter {
  reached: () => boolean;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** The last feed entry applied, and the waits on what has been applied. */
export class FeedPosition {
  #id = '0-0';
  readonly #waiters = new Set<Waiter>();

  /** The id of the last feed entry applied (`0-0` before any). */
  get id(): string {
    return this.#id;
  }

  set(id: string): void {
    this.#id = id;
  }

  /**
   * Resolves when `reached()` holds: checked now and after every batch the
   * feed brings ({@link changed}).
   * @throws Error when it does not hold within `deadlineMs`, or the instance stops.
   */
  until(reached: () => boolean, deadlineMs: number): Promise<void> {
    if (reached()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        reached,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.delete(waiter);
          reject(new Error(`not reached within ${deadlineMs} ms`));
        }, deadlineMs),
      };
      this.#waiters.add(waiter);
    });
  }

  /** Settles the waits that now hold. */
  changed(): void {
    for (const waiter of this.#waiters) {
      if (!waiter.reached()) continue;
      clearTimeout(waiter.timer);
      this.#waiters.delete(waiter);
      waiter.resolve();
    }
  }

  /** Rejects every wait: the instance is stopping. */
  abandon(): void {
    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('the instance is stopping'));
    }
    this.#waiters.clear();
  }
}
