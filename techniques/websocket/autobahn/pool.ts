/**
 * Runs cases ahead of their scenarios, a bounded number at once, each on its
 * own connection: cucumber plays scenarios one at a time, so without this the
 * ~550 echo cases would run end to end. A case starts at most once per run;
 * its scenario awaits the result. The work is detached from whichever
 * scenario started it (core/run-control.ts), so it outlives that scenario,
 * and ends early only when the run stops.
 */
import type { BackgroundWindow } from '../../../core/background-window.ts';
import { runControl, type RunControl } from '../../../core/run-control.ts';
import type { PlayedCase } from './play.ts';

/** Cases played at once: enough to hide each case's waits, few enough for two cores. */
export const POOL_CONCURRENCY = 12;

export class CasePool {
  private readonly results = new Map<string, Promise<PlayedCase>>();
  /** Cases waiting for room, in the order scheduled: none overtakes another. */
  private readonly waiting: Array<{ weight: number; take: () => void }> = [];
  private running = 0;
  private readonly concurrency: number;

  constructor(concurrency = POOL_CONCURRENCY) {
    this.concurrency = concurrency;
  }

  /** Cases queued behind a background window, and how to start each without waiting for it. */
  private readonly behindWindow = new Map<string, () => void>();

  /**
   * Queues the case unless it is queued already; returns its result. A case of
   * `weight` w takes w of the slots (a heavy one, megabytes each way, more than one).
   * With `window`, the case first waits for the run's background window
   * (core/background-window.ts); scheduled again without one (its own scenario
   * has come), it stops waiting for the window.
   */
  schedule(id: string, play: () => Promise<PlayedCase>, weight = 1, window?: BackgroundWindow): Promise<PlayedCase> {
    const known = this.results.get(id);
    if (known !== undefined) {
      if (window === undefined) this.behindWindow.get(id)?.();
      return known;
    }
    let leaveWindow = (): void => undefined;
    const admitted =
      window === undefined
        ? Promise.resolve()
        : new Promise<void>((go) => {
            const ticket = window.enqueue(weight, (done) => {
              leaveWindow = done;
              this.behindWindow.delete(id);
              go();
            });
            this.behindWindow.set(id, () => {
              ticket.cancel();
              this.behindWindow.delete(id);
              go();
            });
          });
    // The slot is taken here, synchronously once admitted: counted only once the promise settled, every case
    // scheduled in the same turn saw a free slot, and all ~550 started at once.
    const result = admitted
      .then(
        () =>
          new Promise<void>((resolve) => {
            const take = (): void => {
              this.running += weight;
              resolve();
            };
            if (this.waiting.length === 0 && this.fits(weight)) take();
            else this.waiting.push({ weight, take });
          }),
      )
      .then(() => {
        return runControl()
          .detached(play)
          .finally(() => {
            this.running -= weight;
            leaveWindow();
            while (this.waiting.length > 0 && this.fits(this.waiting[0]!.weight)) this.waiting.shift()!.take();
          });
      });
    // A case nobody awaited yet must not be an unhandled rejection; its scenario sees the error.
    result.catch(() => undefined);
    this.results.set(id, result);
    return result;
  }

  /** Whether a case of this weight fits now (one always does when nothing runs). */
  private fits(weight: number): boolean {
    return this.running === 0 || this.running + weight <= this.concurrency;
  }

  /** Whether the case waits for the background window still. */
  behind(id: string): boolean {
    return this.behindWindow.has(id);
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
