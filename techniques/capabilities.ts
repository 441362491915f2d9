/**
 * Tags that make a scenario depend on something the adapter must declare:
 * the technique tag on a Feature (the adapter must have that section) and
 * the capability tags on a Scenario (the section must have a property, which
 * each technique defines in its adapter.ts). A scenario whose needs are not
 * declared is reported as unsupported, never as failed. features/README.md
 * documents every tag; a test keeps the two in step.
 */
import type { ResolvedAdapter } from '../adapters/contract/resolve.ts';
import { TECHNIQUE_MODULES, techniqueOfTags, type Technique } from './registry.ts';

/** Technique tags, set on a Feature, and the adapter field that declares the technique. */
export const TECHNIQUE_TAGS: Readonly<Record<string, { technique: Technique; what: string }>> = Object.fromEntries(
  TECHNIQUE_MODULES.map((m) => [m.tag, { technique: m.key, what: m.what }]),
);

/** Every capability tag some technique defines (a tag may mean something in several techniques). */
export const CAPABILITY_TAGS: ReadonlySet<string> = new Set(TECHNIQUE_MODULES.flatMap((m) => Object.keys(m.capabilities)));

/** Level tags, one per scenario, matching the catalogue. */
export const LEVEL_TAGS = { '@must': 'MUST', '@should': 'SHOULD', '@may': 'MAY' } as const;

/** The technique of a scenario, from its (Feature's) technique tag. */
export function techniqueOf(tags: readonly string[]): Technique | undefined {
  return techniqueOfTags(tags)?.key as Technique | undefined;
}

/** Why the adapter cannot run a scenario with these tags, or undefined when it can. */
export function unsupportedReason(adapter: ResolvedAdapter, tags: readonly string[]): string | undefined {
  const technique = techniqueOfTags(tags);
  if (technique === undefined) return undefined;
  const section = (adapter as unknown as Record<string, unknown>)[technique.key];
  if (section === undefined) return `the adapter declares no ${technique.what} ("${technique.key}")`;
  for (const tag of tags) {
    const reason = technique.capabilities[tag]?.(section);
    if (reason !== undefined) return reason;
  }
  return undefined;
}
