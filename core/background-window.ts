/**
 * When a run may do heavy work beside its scenarios. Cucumber plays one
 * scenario at a time, and many of them mostly wait on the server's timers (a
 * hold, a keep-alive interval) with hundreds of milliseconds of slack, while a
 * core sits idle. Work that does not belong to the scenario in progress (the
 * WebSocket cases that move megabytes, played ahead of their own rows) is
 * queued here and starts only while the window is open: during a scenario
 * tagged {@link WAITS_TAG}. Any other scenario closes it first and begins once
 * the work in flight has ended, so nothing that times a server to the tens of
 * milliseconds (a retry within 25%, an event before the next publish) shares
 * the machine with it.
 *
 * One window per run (core/run-control.ts), so a matrix's runs never mix.
 */
import { runControl, type RunControl } from './run-control.ts';
import { Signal, waitUntil } from './wait.ts';

/** The tag of a scenario that mostly waits, with at least 300 ms of slack on every timing it checks. */
export const WAITS_TAG = '@waits';

/** Work weight in flight at most through the window: a little, so closing it is quick. */
export const WINDOW_WEIGHT = 4;

/** How long closing waits for the work in flight (each piece has its own deadline, shorter than this). */
export const CLOSE_DEADLINE_MS = 30_000;

/** A place in the window's queue. */
export interface WindowTicket {
  /** Leaves the queue, when the work started another way (its own scenario came first); no-op once started. */
  cancel(): void;
}

interface Queued {
  weight: number;
  start: (done: () => void) => void;
  cancelled: boolean;
}

export class BackgroundWindow {
  private open = false;
  private readonly queue: Queued[] = [];
  private inFlight = 0;
  private readonly settled = new Signal();
  private readonly maxWeight: number;

  constructor(maxWeight = WINDOW_WEIGHT) {
    this.maxWeight = maxWeight;
  }

  /**
   * Queues work of `weight`; `start` is called once the window is open and
   * there is room, with the function to call when the work has ended.
   */
  enqueue(weight: number, start: (done: () => void) => void): WindowTicket {
    const entry: Queued = { weight, start, cancelled: false };
    this.queue.push(entry);
    this.pump();
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  /** Lets queued work start (a {@link WAITS_TAG} scenario begins). */
  openWindow(): void {
    this.open = true;
    this.pump();
  }

  /** Stops starting work and resolves once the work in flight has ended (or after `deadlineMs`). */
  async closeWindow(deadlineMs = CLOSE_DEADLINE_MS): Promise<void> {
    this.open = false;
    if (this.inFlight === 0) return;
    await waitUntil(() => this.inFlight === 0, { what: 'background work in flight to end', deadlineMs, seen: () => `weight ${this.inFlight} in flight`, signal: this.settled }).catch(() => undefined);
  }

  /** Weight of the work started through the window and not ended. */
  get weightInFlight(): number {
    return this.inFlight;
  }

  private pump(): void {
    while (this.open && this.queue.length > 0) {
      const next = this.queue[0]!;
      if (next.cancelled) {
        this.queue.shift();
        continue;
      }
      // One piece always fits when nothing is in flight, however heavy.
      if (this.inFlight > 0 && this.inFlight + next.weight > this.maxWeight) return;
      this.queue.shift();
      this.inFlight += next.weight;
      let ended = false;
      next.start(() => {
        if (ended) return;
        ended = true;
        this.inFlight -= next.weight;
        this.settled.notify();
        this.pump();
      });
    }
  }
}

const windows = new WeakMap<RunControl, BackgroundWindow>();

/** The current run's window. */
export function backgroundWindow(): BackgroundWindow {
  const control = runControl();
  let window = windows.get(control);
  if (window === undefined) {
    window = new BackgroundWindow();
    windows.set(control, window);
  }
  return window;
}
