/**
 * The requirement catalogue (features/requirements.json): the one list of
 * requirement ids, levels, titles and sources that feature tags, reports and
 * docs all refer to.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Requirement } from './model.ts';

/** The package's root folder, wherever pushspec is run from. */
export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Catalogue {
  version: string;
  requirements: Requirement[];
}

let cached: Catalogue | undefined;

export function loadCatalogue(): Catalogue {
  cached ??= JSON.parse(readFileSync(new URL('../features/requirements.json', import.meta.url), 'utf8')) as Catalogue;
  return cached;
}

export function findRequirement(id: string): Requirement | undefined {
  return loadCatalogue().requirements.find((r) => r.id === id);
}

/** The package's own version, stamped on every report. */
export function toolVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
