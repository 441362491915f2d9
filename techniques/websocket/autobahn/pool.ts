/**
 * Runs cases ahead of their scenarios, a bounded number at once, each on its
 * own connection: cucumber plays scenarios one at a time, so without this the
 * ~550 echo cases would run end to end. A case starts at most once per run;
 * its scenario awaits the result. The work is detached from whichever
 * scenario started it (core/run-control.ts), so it outlives that scenario,
 * and ends early only when the run stops.
 */
import { runControl, type RunControl } from '../../../core/run-control.ts';
import type { PlayedCase } from './play.ts';

/** Cases played at once: enough to hide each case's waits, few enough for two cores. */
export const POOL_CONCURRENCY = 12;

export class CasePool {
  private readonly results = new Map<string, Promise<PlayedCase>>();
  private readonly waiting: Array<() => void> = [];
  private running = 0;
  private readonly concurrency: number;

  constructor(concurrency = POOL_CONCURRENCY) {
    this.concurrency = concurrency;
  }

  /** Queues the case unless it is queued already; returns its result. */
  schedule(id: string, play: () => Promise<PlayedCase>): Promise<PlayedCase> {
    const known = this.results.get(id);
    if (known !== undefined) return known;
    // The slot is taken here, synchronously: counted only once the promise settled, every case
    // scheduled in the same turn saw a free slot, and all ~550 started at once.
    const result = new Promise<void>((resolve) => {
      const take = (): void => {
        this.running += 1;
        resolve();
      };
      if (this.running < this.concurrency) take();
      else this.waiting.push(take);
    }).then(() => {
      return runControl()
        .detached(play)
        .finally(() => {
          this.running -= 1;
          this.waiting.shift()?.();
        });
    });
    // A case nobody awaited yet must not be an unhandled rejection; its scenario sees the error.
    result.catch(() => undefined);
    this.results.set(id, result);
    return result;
  }

  /** Whether the case was scheduled. */
  has(id: string): boolean {
    return this.results.has(id);
  }
}

/** One pool per run and endpoint: a new run (or another adapter in a matrix) starts afresh. */
const pools = new WeakMap<RunControl, Map<string, CasePool>>();

export function poolFor(endpoint: string): CasePool {
  const control = runControl();
  const byEndpoint = pools.get(control) ?? new Map<string, CasePool>();
  pools.set(control, byEndpoint);
  const pool = byEndpoint.get(endpoint) ?? new CasePool();
  byEndpoint.set(endpoint, pool);
  return pool;
}
