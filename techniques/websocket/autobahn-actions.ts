/**
 * The echo endpoint's cases (Autobahn|Testsuite's and pushspec's own), as a
 * scenario plays them: the first such scenario of a run schedules every case
 * the run will play (core/case-plan.ts) on a pool, a dozen at a time, and each
 * scenario takes its own case's result, adopting its transcript.
 */
import { casePlan } from '../../core/case-plan.ts';
import type { ScenarioContext } from '../../core/context.ts';
import type { ResolvedWebSocket } from './adapter.ts';
import { caseById } from './autobahn/catalogue.ts';
import type { AutobahnCase } from './autobahn/model.ts';
import { playCase, type CaseTarget, type PlayedCase } from './autobahn/play.ts';
import { POOL_CONCURRENCY, poolFor } from './autobahn/pool.ts';
import { outcomeWords } from './autobahn/words.ts';

/**
 * Pool slots a case takes: a message over 1 MiB (Autobahn 9.1.4–9.4.9, 4–16 MiB
 * each way) takes them all, so it runs alone. Several at once held the event
 * loop for over a second at a time (the embedded reference shares the process):
 * other cases' chopped writes, one write per turn of the loop, then missed
 * their 10 s deadline, and handshakes waited.
 */
export function caseWeight(c: AutobahnCase): number {
  return c.sizes !== undefined && c.sizes.messageBytes > 1024 * 1024 ? POOL_CONCURRENCY : 1;
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
    if (!pool.has(id)) this.scheduleAhead(target, id);
    const played = await pool.schedule(id, () => playCase(c, target), caseWeight(c));
    this.context.transcript.adopt(played.transcript);
    this.played = { ...played, case: c };
    return this.played;
  }

  /**
   * Schedules the cases of the scenarios that follow this one without a break:
   * a run of case rows (a feature's worth) is played together, and stops at the
   * first scenario that is no case, so a scenario that times a server's pings
   * or holds never shares the machine with a dozen cases in flight.
   */
  private scheduleAhead(target: CaseTarget, from: string): void {
    const pool = poolFor(target.url);
    const plan = casePlan();
    const caseOf = (steps: readonly string[]): string | undefined => steps.map((step) => CASE_STEP.exec(step)?.[2]).find((id) => id !== undefined);
    const start = plan.findIndex((scenario) => caseOf(scenario.steps) === from);
    if (start === -1) return;
    for (let i = start; i < plan.length; i++) {
      const id = caseOf(plan[i]!.steps);
      if (id === undefined) return;
      if (pool.has(id)) continue;
      const c = caseById(id);
      if (this.playable(c)) void pool.schedule(id, () => playCase(c, target), caseWeight(c));
    }
  }

  /** The case played, checking the Then row's words against it. */
  result(outcome: string): PlayedEchoCase {
    if (this.played === undefined) throw new Error('no case was played');
    const words = outcomeWords(this.played.case);
    if (words !== outcome) throw new Error(`the row of case ${this.played.case.id} expects "${outcome}", but the case expects "${words}"`);
    return this.played;
  }
}
