/**
 * Tags that make a scenario depend on something the adapter must declare.
 * A scenario whose needs are not declared is reported as unsupported, never
 * as failed. The tag registry in features/README.md documents each one; a test
 * keeps the two in step.
 */
import type { ResolvedAdapter } from '../adapters/resolve.ts';

type Need = (adapter: ResolvedAdapter) => string | undefined;

/** Technique tags, set on a Feature: the adapter must declare the technique. */
export const TECHNIQUE_TAGS: Record<string, Need> = {
  '@polling': (a) => (a.polling ? undefined : 'the adapter declares no Ajax polling endpoint ("polling")'),
};

/** Capability tags, set on a Scenario: the technique must have this property. */
export const CAPABILITY_TAGS: Record<string, Need> = {
  '@batching': (a) =>
    a.polling?.format.type === 'text' ? 'each poll answer carries one message ("format": "text"), so there are no batches to check' : undefined,
  '@history-limit': (a) =>
    a.polling?.historyLimit === undefined ? 'the adapter declares no history limit ("polling.historyLimit"), so no cursor can be made to fall behind it' : undefined,
};

/** Level tags, one per scenario, matching the catalogue. */
export const LEVEL_TAGS = { '@must': 'MUST', '@should': 'SHOULD', '@may': 'MAY' } as const;

/** Why the adapter cannot run a scenario with these tags, or undefined when it can. */
export function unsupportedReason(adapter: ResolvedAdapter, tags: readonly string[]): string | undefined {
  for (const tag of tags) {
    const need = TECHNIQUE_TAGS[tag] ?? CAPABILITY_TAGS[tag];
    const reason = need?.(adapter);
    if (reason !== undefined) return reason;
  }
  return undefined;
}
