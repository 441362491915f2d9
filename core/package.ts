/**
 * Where pushspec's own files are, whether it runs from its sources (through
 * tsx) or built (dist/): the package root holds package.json, features/ and
 * docs/, which the built code reads at run time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder above this file whose package.json names pushspec. */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'pushspec') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`pushspec's package.json was not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The package's root folder, wherever pushspec is run from. */
export const PACKAGE_ROOT = findPackageRoot();

/** True when this code runs from the TypeScript sources, false when from the built JavaScript. */
export const FROM_SOURCES = import.meta.url.endsWith('.ts');

/** Where the running code lives under the package root: `''` (sources) or `dist`. */
export const CODE_ROOT = FROM_SOURCES ? '' : 'dist';

/** The `pushspec` command this code runs as, for starting another run in a child process. */
export const CLI_ENTRY = FROM_SOURCES ? join(PACKAGE_ROOT, 'bin', 'pushspec.mjs') : join(PACKAGE_ROOT, 'dist', 'cli', 'bin.js');

/** The package's own version, stamped on every report. */
export function toolVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
