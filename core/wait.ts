/**
 * The one way pushspec waits: a condition over recorded evidence, looked at
 * again whenever that evidence changes, with a deadline. A server that never
 * does what is awaited fails one requirement with "Expected: <what> within N ms
 * / Actual: <what was seen>" and the run goes on; nothing here waits forever.
 *
 * Evidence that arrives on its own (frames, stream chunks, events) announces
 * itself through a {@link Signal}; evidence pushspec must fetch (a server's
 * stats page) is looked at every `everyMs` instead.
 */
import { ConformanceFailure } from './failure.ts';
import { caseDeadlineExpected, CaseDeadlinePassed, runControl } from './run-control.ts';

/** Tells waiters that the evidence they read has changed: a frame arrived, a stream ended. */
export class Signal {
  private readonly listeners = new Set<() => void>();

  /** Calls every listener; a listener may unsubscribe itself meanwhile. */
  notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drops every listener (the waits they belong to still end at their deadlines). */
  clear(): void {
    this.listeners.clear();
  }
}

/**
 * One look at a condition: done with a value, impossible with what was seen
 * instead (the connection closed first, say), or `undefined`: not yet.
 */
export type Look<T> = { value: T } | { fail: string } | undefined;

export interface WaitOptions {
  /** What is awaited, as an Expected line says it: `a frame from the server`. */
  what: string;
  deadlineMs: number;
  /** What was seen instead, for the Actual line when the deadline passes. */
  seen: () => string;
  /** Look again when this notifies. */
  signal?: Signal;
  /** Look again this often, for evidence pushspec fetches itself (give this or `signal`). */
  everyMs?: number;
  /**
   * For {@link waitUntil}: what was seen when the awaited thing can no longer
   * happen (the connection closed first, say), or undefined while it still can.
   */
  endedFirst?: () => string | undefined;
}

/**
 * What a wait rejects with when the case's signal aborts (core/run-control.ts):
 * the case's deadline passed, named with what was awaited and what was seen;
 * or the run stopped ({@link RunStopped}, passed on as it is).
 */
function abortedBy(reason: unknown, what: string, seen: () => string): unknown {
  if (reason instanceof CaseDeadlinePassed) return new ConformanceFailure(caseDeadlineExpected(reason.deadlineMs, reason.why, what), seen());
  return reason;
}

/** The failure of a wait whose deadline passed: `<what> within <deadline> ms`, and what was seen. */
export function missedDeadline(what: string, deadlineMs: number, actual: string): ConformanceFailure {
  return new ConformanceFailure(`${what} within ${deadlineMs} ms`, actual);
}

/**
 * Resolves with the value of the first look that says done. Rejects with a
 * {@link ConformanceFailure} when a look says it can no longer happen, or when
 * the deadline passes ({@link missedDeadline}). A look that throws rejects the
 * wait with that error. Looks never overlap, even when they are asynchronous.
 * A wait begun inside a case also ends when the case's signal aborts: the run
 * stopped, or the case's own deadline passed (core/run-control.ts).
 */
export function waitFor<T>(look: () => Look<T> | Promise<Look<T>>, options: WaitOptions): Promise<T> {
  const { what, deadlineMs, seen, signal, everyMs } = options;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let looking = false;
    let again = false;
    let poller: NodeJS.Timeout | undefined;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(poller);
      unsubscribe?.();
      caseSignal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const caseSignal = runControl().caseSignal;
    const onAbort = (): void => finish(() => reject(abortedBy(caseSignal?.reason, what, seen)));
    const timer = setTimeout(() => finish(() => reject(missedDeadline(what, deadlineMs, seen()))), deadlineMs);
    const step = (result: Look<T>): void => {
      if (result === undefined) return;
      if ('fail' in result) finish(() => reject(new ConformanceFailure(`${what} within ${deadlineMs} ms`, result.fail)));
      else finish(() => resolve(result.value));
    };
    const attempt = (): void => {
      if (settled) return;
      if (looking) {
        again = true;
        return;
      }
      let result: Look<T> | Promise<Look<T>>;
      try {
        result = look();
      } catch (error) {
        finish(() => reject(error));
        return;
      }
      if (!(result instanceof Promise)) {
        step(result);
        schedule();
        return;
      }
      looking = true;
      result.then(
        (value) => {
          looking = false;
          step(value);
          if (again) {
            again = false;
            attempt();
          } else schedule();
        },
        (error: unknown) => finish(() => reject(error)),
      );
    };
    const schedule = (): void => {
      if (!settled && everyMs !== undefined) poller = setTimeout(attempt, everyMs);
    };
    const unsubscribe = signal?.subscribe(attempt);
    if (caseSignal?.aborted === true) {
      onAbort();
      return;
    }
    caseSignal?.addEventListener('abort', onAbort, { once: true });
    attempt();
  });
}

/** {@link waitFor} for a plain condition: resolves once `done()` holds. */
export function waitUntil(done: () => boolean, options: WaitOptions): Promise<void> {
  return waitFor<void>(() => {
    if (done()) return { value: undefined };
    const ended = options.endedFirst?.();
    return ended === undefined ? undefined : { fail: ended };
  }, options);
}

const NEVER = (): boolean => false;

/**
 * Waits out `ms` where there is nothing to await: the technique itself (a
 * poller's interval, messages published at a pace). An idle connection is
 * watched with core/idle-watch.ts instead, which ends once its outcome is
 * known. Resolves early when `stop()` says so, looked at every 25 ms. Inside a
 * case, rejects as soon as the case's signal aborts (the run stopped, or the
 * case's deadline passed), as a wait does.
 */
export async function pause(ms: number, stop: () => boolean = NEVER): Promise<void> {
  const until = performance.now() + ms;
  const caseSignal = runControl().caseSignal;
  while (!stop()) {
    if (caseSignal?.aborted === true) throw abortedBy(caseSignal.reason, `the pause of ${ms} ms to end`, () => 'the case was cut short during the pause');
    const left = until - performance.now();
    if (left <= 0) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        caseSignal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, stop === NEVER ? left : Math.min(25, left));
      caseSignal?.addEventListener('abort', done, { once: true });
    });
  }
}
