/**
 * How long one step may take against a server before pushspec calls it a
 * harness bug: 60 s plus three times the longest time the adapter declares
 * (a hold, a keep-alive or ping interval, a reconnection time: each
 * technique says which of its times count). The longest a step waits on a
 * declared time is an idle watch, two intervals and half of one as slack
 * (core/idle-watch.ts); two reconnection times, or a maximum hold and its
 * slack, are less. Used by the wrapper in step-deadline.ts; kept apart from
 * it so it can be tested without cucumber.
 */
import type { ResolvedAdapter } from '../../adapters/contract/resolve.ts';
import { TECHNIQUE_MODULES } from '../../techniques/registry.ts';

/** The backstop when the adapter declares no long time, or is not loaded yet. */
export const BASE_BACKSTOP_MS = 60_000;

/** The longest time the adapter declares for anything a step waits out. */
export function longestDeclaredMs(adapter: ResolvedAdapter | undefined): number {
  const sections = (adapter ?? {}) as Record<string, unknown>;
  const times = TECHNIQUE_MODULES.flatMap((technique) => {
    const section = sections[technique.key];
    return section === undefined ? [] : (technique.declaredTimes as (spec: unknown) => Array<number | undefined>)(section);
  });
  return Math.max(0, ...times.filter((t): t is number => typeof t === 'number' && Number.isFinite(t)));
}

/** How many of the longest declared time one step may spend on top of the base: more than any wait uses. */
const DECLARED_TIMES_PER_STEP = 3;

/** The backstop for one step against this adapter. */
export function backstopMs(adapter: ResolvedAdapter | undefined): number {
  return BASE_BACKSTOP_MS + DECLARED_TIMES_PER_STEP * longestDeclaredMs(adapter);
}

/**
 * What a case needs besides the adapter's declared times: a few answers due
 * at once (5 s deadlines each), publishing up to a hundred messages, on a
 * loaded machine. The longest case against the embedded reference takes about
 * 2 s, its longest declared time being 2 s.
 */
export const BASE_CASE_MS = 30_000;

/** How many of the longest declared time one case may spend: more than any case's waits add up to (an idle watch is 2.5). */
const DECLARED_TIMES_PER_CASE = 3;

/**
 * One case's deadline against this adapter, and how it was made, for the
 * Expected line of a case cut short by it (core/run-control.ts): 30 s plus
 * three times the longest time the adapter declares. Shorter than a step's
 * backstop, which only a wait without a deadline (a pushspec bug) reaches.
 */
export function caseDeadline(adapter: ResolvedAdapter | undefined): { ms: number; why: string } {
  const longest = longestDeclaredMs(adapter);
  const why = longest === 0 ? `${BASE_CASE_MS / 1000} s; the adapter declares no longer time` : `${BASE_CASE_MS / 1000} s + ${DECLARED_TIMES_PER_CASE} × ${Number((longest / 1000).toFixed(3))} s, the longest time the adapter declares`;
  return { ms: BASE_CASE_MS + DECLARED_TIMES_PER_CASE * longest, why };
}
