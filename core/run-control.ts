/**
 * Run control: one reason to stop the run, set once, shared by the CLI and
 * the cucumber run in the same process (cucumber loads the support code in
 * the CLI's process, so both reach the same instance).
 *
 * Whoever sees that the run cannot go on (the launched server exited, a
 * server stopped answering, the run's --deadline passed, SIGINT) calls
 * {@link RunControl.stop}. From then on every scenario not yet begun is
 * reported not run with that reason (steps/support/hooks.ts), and the case in
 * progress is cut short: its waits (core/wait.ts) see {@link RunControl.caseSignal}
 * abort and end at once, and it is reported not run, not failed.
 *
 * The same signal carries a case's own deadline: when a case outlives what
 * the adapter's declared times allow (steps/support/case-deadline.ts), its
 * waits end with a {@link CaseDeadlinePassed}, an Expected/Actual failure that
 * names the deadline.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { setMaxListeners } from 'node:events';
import { ERROR_CODES, type ErrorCode } from './errors.ts';
import { ConformanceFailure } from './failure.ts';

/** Why a run stopped before every case was judged. */
export interface StopReason {
  /**
   * What happened, as a registry code (core/errors.ts), which gives the exit code:
   * `PUSHSPEC_ERR_SERVER_EXITED`, `PUSHSPEC_ERR_SERVER_GONE`, `PUSHSPEC_ERR_DEADLINE`,
   * `PUSHSPEC_ERR_INTERRUPTED`, `PUSHSPEC_ERR_TERMINATED`.
   */
  code: ErrorCode;
  /** One sentence, e.g. `the server exited with code 1 while the suite ran`. */
  reason: string;
}

/** The process exit code a stop ends the run with. */
export function stopExitCode(stop: StopReason): number {
  return ERROR_CODES[stop.code].exit;
}

/** What a wait cut short by a stopped run rejects with: the case is not judged, so it is not a failure. */
export class RunStopped extends Error {
  readonly stop: StopReason;

  constructor(stop: StopReason) {
    super(`the run stopped: ${stop.reason}`);
    this.name = 'RunStopped';
    this.stop = stop;
  }
}

/**
 * A case's own deadline passed: a failure of that case, Expected/Actual, naming
 * the deadline and how it was made (`30 s + 3 × 2 s declared`).
 */
export class CaseDeadlinePassed extends ConformanceFailure {
  readonly deadlineMs: number;
  readonly why: string;

  constructor(deadlineMs: number, why: string, actual = 'it was still waiting when the deadline passed') {
    super(caseDeadlineExpected(deadlineMs, why), actual);
    this.name = 'CaseDeadlinePassed';
    this.deadlineMs = deadlineMs;
    this.why = why;
  }
}

/** `the case to reach its verdict within its deadline of 36 s (…)`: the Expected line of a case cut short. */
export function caseDeadlineExpected(deadlineMs: number, why: string, what = 'the case to reach its verdict'): string {
  return `${what} within the case's deadline of ${formatSeconds(deadlineMs)} (${why})`;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** A case's deadline: how long it may take, and how that was worked out, for the Expected line. */
export interface CaseDeadline {
  ms: number;
  why: string;
}

/**
 * Answers whether the server under test is gone, after a case failed because
 * nothing answered: a stop reason if it is (the run then stops), else undefined.
 * The CLI installs one that fits the server (launched or not).
 */
export type ServerCheck = () => Promise<StopReason | undefined>;

/** The run's stop reason, the case in progress, and the server check. */
export class RunControl {
  private reason: StopReason | undefined;
  private readonly listeners = new Set<(stop: StopReason) => void>();
  private currentCase: AbortController | undefined;
  private caseTimer: NodeJS.Timeout | undefined;
  private check: ServerCheck | undefined;

  /**
   * Stops the run, once: the first reason given is kept and later ones are
   * ignored (a server killed because pushspec got SIGINT stays "interrupted").
   * Returns whether this call set it.
   */
  stop(reason: StopReason): boolean {
    if (this.reason !== undefined) return false;
    this.reason = reason;
    this.currentCase?.abort(new RunStopped(reason));
    for (const listener of [...this.listeners]) listener(reason);
    return true;
  }

  /** The reason the run stopped, or undefined while it goes on. */
  get stopped(): StopReason | undefined {
    return this.reason;
  }

  /** Calls `listener` when the run stops (at once if it has); returns the function that removes it. */
  onStop(listener: (stop: StopReason) => void): () => void {
    if (this.reason !== undefined) {
      listener(this.reason);
      return () => undefined;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A case begins: its signal aborts when the run stops ({@link RunStopped})
   * or when `deadline` passes ({@link CaseDeadlinePassed}). Already aborted if
   * the run has stopped.
   */
  beginCase(deadline?: CaseDeadline): AbortSignal {
    this.endCase();
    const controller = manyWaiters(new AbortController());
    this.currentCase = controller;
    if (this.reason !== undefined) controller.abort(new RunStopped(this.reason));
    else if (deadline !== undefined) {
      this.caseTimer = setTimeout(() => controller.abort(new CaseDeadlinePassed(deadline.ms, deadline.why)), deadline.ms);
      this.caseTimer.unref();
    }
    return controller.signal;
  }

  /**
   * The case's waits are over (its After hook): waits begun from now on have
   * no case signal. Returns a function that aborts what is left of the case
   * (a wait a step left behind), to call once its connections are closed.
   */
  endCase(): () => void {
    const controller = this.currentCase;
    clearTimeout(this.caseTimer);
    this.currentCase = undefined;
    this.caseTimer = undefined;
    return () => controller?.abort(new Error('the case has ended'));
  }

  /**
   * The signal every wait listens to: the case in progress's, undefined between
   * cases; inside {@link RunControl.detached} work, the run's own (aborted when the run stops).
   */
  get caseSignal(): AbortSignal | undefined {
    return detachedWork.getStore() ?? this.currentCase?.signal;
  }

  /**
   * Runs `work` apart from the case in progress: work several cases share (a
   * pool of WebSocket cases run ahead, each on its own connection) must not end
   * when the scenario that started it does. Its waits keep their own deadlines
   * and end early only when the run stops.
   */
  detached<T>(work: () => Promise<T>): Promise<T> {
    const controller = manyWaiters(new AbortController());
    const off = this.onStop((reason) => controller.abort(new RunStopped(reason)));
    return detachedWork.run(controller.signal, work).finally(off);
  }

  /** Installs how to tell whether the server under test is gone (the CLI's, per run). */
  setServerCheck(check: ServerCheck | undefined): void {
    this.check = check;
  }

  /**
   * After a case failed because nothing answered: asks the server check, and
   * stops the run if the server is gone. Returns the stop reason, if any.
   */
  async checkServer(): Promise<StopReason | undefined> {
    if (this.reason !== undefined) return this.reason;
    const gone = await this.check?.();
    if (gone !== undefined) this.stop(gone);
    return this.reason;
  }
}

/** The signal of the detached work in progress (see {@link RunControl.detached}). */
const detachedWork = new AsyncLocalStorage<AbortSignal>();

// On globalThis, so that a second copy of this module (the CLI loaded from one
// path, the support code from another) still shares the one run control.
const KEY = Symbol.for('pushspec.runControl');
type Holder = { [KEY]?: RunControl };

/** The run control of the run in progress in this process. */
export function runControl(): RunControl {
  const holder = globalThis as Holder;
  holder[KEY] ??= new RunControl();
  return holder[KEY];
}

/** Starts a fresh run control for a new run (each `pushspec run`, each test); returns it. */
export function resetRunControl(): RunControl {
  const holder = globalThis as Holder;
  holder[KEY]?.endCase()();
  holder[KEY] = new RunControl();
  return holder[KEY];
}

/** The `… before this case was judged` reason a not-run result carries. */
export function notRunReason(stop: StopReason): string {
  return `${stop.reason} before this case was judged`;
}

/**
 * Every wait of a case listens to its signal, and a case may wait on many
 * things at once (100 streams multiplexed on one HTTP/2 connection), so the
 * default limit of 10 listeners would print a leak warning that is none: each
 * wait removes its listener when it ends (core/wait.ts).
 */
function manyWaiters(controller: AbortController): AbortController {
  setMaxListeners(0, controller.signal);
  return controller;
}
