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
