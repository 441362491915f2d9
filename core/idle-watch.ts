/**
 * Watching an idle connection for what keeps it alive (a Server-Sent Events
 * comment, a WebSocket ping) against the interval the adapter declares.
 *
 * A server that keeps its word is never silent for longer than the interval
 * (plus slack for timers on a busy machine). The watch lasts at most a few
 * intervals plus that slack, and ends as soon as the verdict is known:
 *
 * - a silence longer than the interval plus slack: the rule is broken, and
 *   waiting longer would change nothing;
 * - the connection ended: nothing more can arrive, and an idle connection
 *   that is gone was not kept alive;
 * - as many keep-alives as intervals watched, the last of them at least
 *   (intervals - 1) intervals after the start: the server has shown its
 *   rhythm across the window, not only a burst when the connection opened
 *   (two greeting comments at once prove nothing);
 * - otherwise the window's end, where the recorded silences decide.
 *
 * A real server's 15-30 s default is so checked in about two intervals rather
 * than three. Pure figures live here too, so the checks can read them.
 */
import { duration } from './progress.ts';
import { runControl } from './run-control.ts';
import { abortedBy, type Signal } from './wait.ts';

/** The longest stretch without an arrival between `fromMs` and `toMs`, given when things arrived. */
export interface Silence {
  longestMs: number;
  /** How many arrivals fell inside the window. */
  chunks: number;
  windowMs: number;
  /** How the connection ended during the window, when it did (then it was not kept alive, whatever the silences). */
  ended?: string;
}

/** The silences between `fromMs` and `toMs`; `ended` says how the connection ended in that window, if it did. */
export function silenceOf(arrivals: readonly number[], fromMs: number, toMs: number, ended?: string): Silence {
  const times = [fromMs, ...arrivals.filter((t) => t > fromMs && t < toMs), toMs];
  let longest = 0;
  for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i]! - times[i - 1]!);
  return { longestMs: longest, chunks: times.length - 2, windowMs: toMs - fromMs, ...(ended !== undefined ? { ended } : {}) };
}

/** How long an idle connection is watched against a declared interval. */
export interface IdlePlan {
  intervalMs: number;
  /** Intervals watched at most. */
  intervals: number;
  /**
   * Lateness forgiven: half an interval, at least 300 ms. A late timer on a
   * busy machine says nothing about the server; a server that sends nothing
   * stays silent far past it.
   */
  slackMs: number;
  /** The whole watch at most: `intervals` × interval + slack. */
  windowMs: number;
}

export function idlePlan(intervalMs: number, intervals = 2): IdlePlan {
  const slackMs = Math.max(300, Math.round(intervalMs / 2));
  return { intervalMs, intervals, slackMs, windowMs: intervals * intervalMs + slackMs };
}

/** `2 × 15 s + 7.5 s`: how the plan's window is made, for the console and the transcript. */
export function describePlan(plan: IdlePlan): string {
  return `${plan.intervals} × ${duration(plan.intervalMs)} + ${duration(plan.slackMs)}`;
}

/** How a watch ended; the checks judge the recorded silences either way. */
export type IdleOutcome = 'kept alive' | 'silent too long' | 'window over' | 'connection ended';

export interface IdleWatch {
  plan: IdlePlan;
  /** When the idle stretch began (transcript ms): the response head, the opening handshake. */
  sinceMs: number;
  /** When anything that breaks the silence arrived so far (transcript ms). */
  arrivals: () => readonly number[];
  /** When each keep-alive arrived so far, if not every arrival is one (an SSE `retry:` line is not). */
  keepAlives?: () => readonly number[];
  /** The transcript's clock. */
  now: () => number;
  /** Notifies when something may have arrived, or the connection ended. */
  signal: Signal;
  /** Whether the connection has ended (nothing more can arrive). */
  ended?: () => boolean;
}

/**
 * Resolves once the watch's outcome is known (see the file comment), at the
 * latest `windowMs` after `sinceMs`. Arrivals are looked at when `signal`
 * notifies; silence is time passing, so a timer looks again the moment the
 * current silence would exceed the interval plus slack.
 */
export function watchIdle(watch: IdleWatch): Promise<IdleOutcome> {
  const { plan, sinceMs } = watch;
  const limitMs = plan.intervalMs + plan.slackMs;
  const endMs = sinceMs + plan.windowMs;
  // Like every wait, a watch ends when the case's signal aborts: the run stopped, or the case's deadline passed.
  const caseSignal = runControl().caseSignal;
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (outcome: IdleOutcome): void => {
      settled = true;
      clearTimeout(timer);
      unsubscribe();
      caseSignal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onAbort = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe();
      reject(abortedBy(caseSignal?.reason, 'the idle watch to end', () => `${watch.arrivals().filter((t) => t > sinceMs).length} arrival(s) in ${Math.round(watch.now() - sinceMs)} ms of watching`));
    };
    const look = (): void => {
      if (settled) return;
      clearTimeout(timer);
      const now = watch.now();
      const within = (times: readonly number[]): number[] => times.filter((t) => t > sinceMs && t <= now);
      const seen = within(watch.arrivals());
      const last = seen.length === 0 ? sinceMs : Math.max(...seen);
      if (now - last > limitMs) return finish('silent too long');
      if (watch.ended?.() === true) return finish('connection ended');
      const beats = watch.keepAlives === undefined ? seen : within(watch.keepAlives());
      if (beats.length >= plan.intervals && Math.max(...beats) - sinceMs >= (plan.intervals - 1) * plan.intervalMs) return finish('kept alive');
      if (now >= endMs) return finish('window over');
      // 1 ms past the limit, so the next look sees the silence as too long rather than just at it.
      timer = setTimeout(look, Math.max(1, Math.min(last + limitMs + 1, endMs) - now));
    };
    const unsubscribe = watch.signal.subscribe(look);
    if (caseSignal?.aborted === true) return onAbort();
    caseSignal?.addEventListener('abort', onAbort, { once: true });
    look();
  });
}
