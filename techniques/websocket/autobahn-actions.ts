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
import { poolFor } from './autobahn/pool.ts';
import { outcomeWords } from './autobahn/words.ts';

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
    if (!pool.has(id)) this.scheduleAhead(target);
    const played = await pool.schedule(id, () => playCase(c, target));
    this.context.transcript.adopt(played.transcript);
    this.played = { ...played, case: c };
    return this.played;
  }

  /** Schedules every case the run will play from here on, in run order. */
  private scheduleAhead(target: CaseTarget): void {
    const pool = poolFor(target.url);
    for (const scenario of casePlan()) {
      for (const step of scenario.steps) {
        const id = CASE_STEP.exec(step)?.[2];
        if (id === undefined || pool.has(id)) continue;
        const c = caseById(id);
        if (this.playable(c)) void pool.schedule(id, () => playCase(c, target));
      }
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
