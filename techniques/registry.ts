/**
 * Every technique pushspec checks, in the order reports list them. A
 * technique is one folder under techniques/ whose index.ts exports a
 * TechniqueModule (core/technique.ts); adding one is that folder and one line
 * here, and its section in contracts.ts (the adapter contract's types).
 */
import type { AnyTechnique } from '../core/technique.ts';
import { longPolling } from './long-polling/index.ts';
import { polling } from './polling/index.ts';
import { sse } from './sse/index.ts';
import { websocket } from './websocket/index.ts';

export const TECHNIQUE_MODULES = [polling, longPolling, sse, websocket] as const;

type Modules = (typeof TECHNIQUE_MODULES)[number];

/** A technique's adapter field: `polling`, `longPolling`, `sse`, `websocket`. */
export type Technique = Modules['key'];

/** The technique keys, in report order. */
export const TECHNIQUES: readonly Technique[] = TECHNIQUE_MODULES.map((m) => m.key);

/** The module of one technique. */
export type ModuleOf<K extends Technique> = Extract<Modules, { key: K }>;

/** What an adapter author writes in a technique's section. */
export type SpecOf<K extends Technique> = Parameters<ModuleOf<K>['resolve']>[0] & object;

/** A technique's section with its defaults filled in. */
export type ResolvedOf<K extends Technique> = NonNullable<ReturnType<ModuleOf<K>['resolve']>>;

/** What a technique's steps drive. */
export type ActionsOf<K extends Technique> = ReturnType<ModuleOf<K>['actions']>;

/** Every technique's section once resolved (undefined: not declared). */
export type ResolvedSections = { [K in Technique]?: ResolvedOf<K> };

/** The module whose key is `key`. */
export function techniqueModule(key: Technique): AnyTechnique {
  return TECHNIQUE_MODULES.find((m) => m.key === key)!;
}

/** The module whose Feature tag is among `tags`, if any. */
export function techniqueOfTags(tags: readonly string[]): AnyTechnique | undefined {
  return TECHNIQUE_MODULES.find((m) => tags.includes(m.tag));
}
