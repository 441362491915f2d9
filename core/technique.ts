/**
 * What every technique folder (techniques/<name>/) provides, so the rest of
 * pushspec can treat the four alike: its part of the adapter contract (how its
 * section is checked, filled with defaults and expanded from a protocol
 * shorthand), the capability tags its scenarios may carry, the times its
 * steps may wait on, and its actions for one scenario. techniques/registry.ts
 * lists them; adding a technique is one folder and one line there.
 */
import type { ClusterScene, ClusterSubscribers } from './cluster.ts';
import type { ScenarioContext } from './context.ts';
import type { Ctx } from './fields.ts';

/** Shorthand protocols: a server that speaks one needs no per-technique fields. */
export const PROTOCOLS = ['pushspec-reference'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** What a technique's section check is told about the rest of the definition. */
export interface SectionContext {
  /** The (valid) protocol whose defaults fill what the section leaves out. */
  protocol: Protocol | undefined;
  /** A protocol is set at all, even a wrong one (already reported): fields it would give become optional. */
  hasProtocol: boolean;
  /** The definition comes from a module, so fields may be functions (decoders). */
  allowFunctions: boolean;
}

/** Why a declared section cannot run a scenario with this tag, or undefined when it can. */
export type Capability<Resolved> = (spec: Resolved) => string | undefined;

/**
 * One technique. `Spec` is what an adapter author writes in the technique's
 * section, `Resolved` the section with every default filled in, `Actions`
 * what its steps drive.
 */
export interface TechniqueModule<Key extends string, Spec, Resolved, Actions> {
  /** The adapter field that declares the technique, e.g. `sse`. */
  readonly key: Key;
  /** The tag on its Features, e.g. `@sse`. */
  readonly tag: string;
  /** What a reader calls it: `Server-Sent Events`. */
  readonly title: string;
  /** What an adapter declares to have it, for "unsupported" reasons: `Server-Sent Events stream`. */
  readonly what: string;
  /** Checks the section (present in the definition), reporting every problem into `ctx`. */
  validate(ctx: Ctx, section: SectionContext): void;
  /** What each protocol shorthand implies for this technique. */
  readonly protocols: Readonly<Record<Protocol, Resolved>>;
  /**
   * The section with defaults filled in: `given` field by field over
   * `implied` (the protocol's), or over the technique's own defaults.
   * `undefined` when neither declares the technique.
   */
  resolve(given: Spec | undefined, implied: Resolved | undefined): Resolved | undefined;
  /** Capability tags its scenarios may carry, and why a section cannot run one. */
  readonly capabilities: Readonly<Record<string, Capability<Resolved>>>;
  /** The long times a step may wait out against this section (a hold, a keep-alive interval), in ms. */
  declaredTimes(spec: Resolved): Array<number | undefined>;
  /** The technique's clients and what they do, for one scenario. */
  actions(context: ScenarioContext, spec: Resolved): Actions;
  /** Its subscribers on a cluster's instances, for the cluster requirements (docs/model.md M-11); created per scenario. */
  clusterSubscribers(scene: ClusterScene, spec: Resolved): ClusterSubscribers;
}

/** A technique module of any kind, for code that iterates over the registry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds modules of different section types
export type AnyTechnique = TechniqueModule<string, any, any, any>;
