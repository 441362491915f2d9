/**
 * The requirement catalogue (features/requirements.json): the one list of
 * requirement ids, levels, titles and sources that feature tags, reports and
 * docs all refer to.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../core/package.ts';
import type { Requirement } from './model.ts';

export { PACKAGE_ROOT, toolVersion } from '../core/package.ts';

export interface Catalogue {
  version: string;
  requirements: Requirement[];
}

let cached: Catalogue | undefined;

export function loadCatalogue(): Catalogue {
  cached ??= JSON.parse(readFileSync(join(PACKAGE_ROOT, 'features', 'requirements.json'), 'utf8')) as Catalogue;
  return cached;
}

let clientCached: Catalogue | undefined;

/** The client checks' catalogue (clients/requirements.json): requirements on clients, ids `<TECHNIQUE>C-…`. */
export function loadClientCatalogue(): Catalogue {
  clientCached ??= JSON.parse(readFileSync(join(PACKAGE_ROOT, 'clients', 'requirements.json'), 'utf8')) as Catalogue;
  return clientCached;
}

export function findRequirement(id: string): Requirement | undefined {
  return loadCatalogue().requirements.find((r) => r.id === id);
}
