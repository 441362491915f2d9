/**
 * Tags that make a scenario depend on something the adapter must declare:
 * the technique tag on a Feature (the adapter must have that section) and
 * the capability tags on a Scenario (the section must have a property, which
 * each technique defines in its adapter.ts). A scenario whose needs are not
 * declared is reported as unsupported, never as failed. features/README.md
 * documents every tag; a test keeps the two in step.
 */
import { cannotStopReason } from '../adapters/contract/cluster-control.ts';
import type { ResolvedAdapter } from '../adapters/contract/resolve.ts';
import { TECHNIQUE_MODULES, techniqueOfTags, type Technique } from './registry.ts';

/** Technique tags, set on a Feature, and the adapter field that declares the technique. */
export const TECHNIQUE_TAGS: Readonly<Record<string, { technique: Technique; what: string }>> = Object.fromEntries(
  TECHNIQUE_MODULES.map((m) => [m.tag, { technique: m.key, what: m.what }]),
);

/**
 * Tags about how the server is reached, whatever the technique: `@cleartext`
 * needs plain HTTP. pushspec's buffering intermediary is a TCP proxy that
 * forwards TLS bytes as they are; in front of TLS it would hold back the
 * handshake itself, where a real buffering proxy ends TLS and buffers what
 * is inside. Every other fault (cuts, delays, 1-byte writes, idle timeouts)
 * works on TLS bytes as on plain ones. `@cluster` needs a `cluster` section
 * (docs/model.md M-11), and `@cluster-stop` one whose instances pushspec can
 * stop and start again: it launched them, or `cluster.stop` / `cluster.start` say how.
 */
const CONNECTION_TAGS: Readonly<Record<string, (adapter: ResolvedAdapter) => string | undefined>> = {
  '@cleartext': (adapter) =>
    /^https:/i.test(adapter.baseUrl)
      ? "the server is reached over TLS (baseUrl https://), and pushspec's buffering intermediary, a TCP proxy, cannot buffer inside TLS: it would hold back the TLS handshake itself"
      : undefined,
  '@cluster': (adapter) => {
    if (adapter.cluster === undefined) return 'the adapter declares no cluster ("cluster"): one server has no other instance to fan out to or resume on';
    return adapter.cluster.baseUrls === undefined ? "the cluster's instances were not started or listed for this run" : undefined;
  },
  '@cluster-stop': (adapter) => (adapter.cluster === undefined ? undefined : cannotStopReason(adapter.cluster)),
};

/** Every capability tag some technique defines (a tag may mean something in several techniques), and the connection tags. */
export const CAPABILITY_TAGS: ReadonlySet<string> = new Set([...TECHNIQUE_MODULES.flatMap((m) => Object.keys(m.capabilities)), ...Object.keys(CONNECTION_TAGS)]);

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
    const reason = technique.capabilities[tag]?.(section) ?? CONNECTION_TAGS[tag]?.(adapter);
    if (reason !== undefined) return reason;
  }
  return undefined;
}
