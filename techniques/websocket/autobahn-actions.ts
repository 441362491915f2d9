/**
 * The echo endpoint's cases (Autobahn|Testsuite's and pushspec's own), as a
 * scenario plays them: the first such scenario of a run schedules every case
 * the run will play (core/case-plan.ts) on a pool, a dozen at a time, and each
 * scenario takes its own case's result, adopting its transcript.
 */
import { backgroundWindow, type BackgroundWindow } from '../../core/background-window.ts';
import { casePlan } from '../../core/case-plan.ts';
import { runControl, type RunControl } from '../../core/run-control.ts';
import type { ScenarioContext } from '../../core/context.ts';
import type { ResolvedWebSocket } from './adapter.ts';
import { caseById } from './autobahn/catalogue.ts';
import type { AutobahnCase } from './autobahn/model.ts';
import { playCase, type CaseTarget, type PlayedCase } from './autobahn/play.ts';
import { POOL_CONCURRENCY, poolFor } from './autobahn/pool.ts';
import { outcomeWords } from './autobahn/words.ts';

/**
 * Pool slots a case takes: a message over 1 MiB (Autobahn 9.1.4–9.4.9, 4–16 MiB
 * each way) takes a third of them, so at most three run at once. A dozen at once
 * held the event loop for over a second at a time (the embedded reference shares
 * the process): other cases' chopped writes, one write per turn of the loop, then
 * missed their deadlines, and handshakes waited. One at a time left a core idle.
 */
export function caseWeight(c: AutobahnCase): number {
  return c.sizes !== undefined && c.sizes.messageBytes > 1024 * 1024 ? POOL_CONCURRENCY / 3 : 1;
}

/** The When step's words name the case: `… (case 6.4.1)`. */
export const CASE_STEP = /^the client sends (.+) \(case ([\w.]+)\)$/;

/** A case and how it went. */
export type PlayedEchoCase = PlayedCase & { case: AutobahnCase };

export class EchoCaseActions {
  private readonly context: ScenarioContext;
  private readonly spec: ResolvedWebSocket;
  /** The case this scenario played. */
  played: PlayedEchoCase | undefined;

  constructor(context: ScenarioContext, spec: ResolvedWebSocket) {
    this.context = context;
    this.spec = spec;
  }

  private target(): CaseTarget {
    if (this.spec.echoPath === undefined) throw new Error('the adapter declares no echo endpoint');
    return { url: this.context.url(this.spec.echoPath), tls: this.context.clientTls };
  }

  /** Whether this server can play the case at all (a deflate case needs a declared deflate). */
  private playable(c: AutobahnCase): boolean {
    return c.deflate === undefined || this.spec.permessageDeflate === true;
  }

  /** Plays the case (or takes its result, when the pool played it ahead), checking the row's words against it. */
  async play(id: string, sends: string): Promise<PlayedEchoCase> {
    const c = caseById(id);
    if (c.sends !== sends) throw new Error(`the row of case ${id} says it sends "${sends}", but the case sends "${c.sends}"`);
    const target = this.target();
    const pool = poolFor(target.url);
    // The first row of a block (or of the cases still behind the background window) starts the block.
    if (!pool.has(id) || pool.behind(id)) this.scheduleBlock(target, id);
    const played = await pool.schedule(id, () => playCase(c, target), caseWeight(c));
    this.context.transcript.adopt(played.transcript);
    this.played = { ...played, case: c };
    return this.played;
  }

  /**
   * Schedules the cases of the scenarios that follow this one without a break:
   * a run of case rows (a feature's worth) is played together, and stops at the
   * first scenario that is no case, so a scenario that times a server's pings
   * or holds never shares the machine with a dozen cases in flight. Cases of
   * the block still behind the background window start now.
   */
  private scheduleBlock(target: CaseTarget, from: string): void {
    const plan = casePlan();
    const start = plan.findIndex((scenario) => caseIdOf(scenario.steps) === from);
    if (start === -1) return;
    const block: AutobahnCase[] = [];
    for (let i = start; i < plan.length; i++) {
      const id = caseIdOf(plan[i]!.steps);
      if (id === undefined) break;
      block.push(caseById(id));
    }
    this.scheduleAll(target, block);
  }

  /**
   * Schedules the cases not scheduled yet, in run order: each scenario awaits its
   * own case within its own deadline, so the first rows' cases must start first
   * (against a server that makes every case wait, a block sorted otherwise left
   * its first row waiting for the whole block).
   */
  private scheduleAll(target: CaseTarget, cases: readonly AutobahnCase[], window?: BackgroundWindow): void {
    const pool = poolFor(target.url);
    // Without a window, a case queued behind one is started now: its block has come.
    for (const c of cases) if (this.playable(c) && (window === undefined || !pool.has(c.id))) void pool.schedule(c.id, () => playCase(c, target), caseWeight(c), window);
  }


  /**
   * At the run's first scenario: schedules every light case the run will play
   * (categories 1–7 and 10: small frames, mostly waiting on the server or on
   * their own pauses), to play alongside the scenarios before them; and the
   * heavy ones that time nothing (category 9's megabytes, compression) behind
   * the run's background window (core/background-window.ts), to play while
   * scenarios that mostly wait are waiting. Cases whose figures time many small
   * writes or round trips keep to their own block.
   */
  scheduleAhead(): void {
    if (this.spec.echoPath === undefined || scheduledAhead.has(runControl())) return;
    scheduledAhead.add(runControl());
    const cases = casePlan().map((scenario) => caseIdOf(scenario.steps)).filter((id) => id !== undefined).map((id) => caseById(id));
    this.scheduleAll(this.target(), cases.filter(isLight));
    this.scheduleAll(this.target(), cases.filter((c) => !isLight(c) && !QUIET_REQUIREMENTS.has(c.requirement)), backgroundWindow());
  }

  /** The case played, checking the Then row's words against it. */
  result(outcome: string): PlayedEchoCase {
    if (this.played === undefined) throw new Error('no case was played');
    const words = outcomeWords(this.played.case);
    if (words !== outcome) throw new Error(`the row of case ${this.played.case.id} expects "${outcome}", but the case expects "${words}"`);
    return this.played;
  }
}

/** The case a scenario plays, from its step texts. */
function caseIdOf(steps: readonly string[]): string | undefined {
  return steps.map((step) => CASE_STEP.exec(step)?.[2]).find((id) => id !== undefined);
}

/** Requirements whose figures time many small writes or round trips (9.5–9.8): measured on a machine doing nothing else. */
const QUIET_REQUIREMENTS: ReadonlySet<string> = new Set(['WS-CHOPPED', 'WS-ROUND-TRIPS']);

/** The runs whose cases are scheduled ahead already. */
const scheduledAhead = new WeakSet<RunControl>();

/** A case that sends little and mostly waits: no timed figures, no compression, no declared sizes. */
function isLight(c: AutobahnCase): boolean {
  return c.timed !== true && c.deflate === undefined && c.sizes === undefined;
}
