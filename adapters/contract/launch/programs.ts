/**
 * The programs a launched server needs (`launch.requires`), checked before
 * anything starts, so a missing one is named with its install command rather
 * than surfacing as a launch that died.
 */
import { spawnSync } from 'node:child_process';
import { PushspecError } from '../../../core/errors.ts';
import type { RequiredProgram } from '../definition.ts';
import type { ResolvedAdapter } from '../resolve.ts';

/** How long one `requires` check may take before it counts as failed. */
const CHECK_TIMEOUT_MS = 15_000;

/**
 * Runs each `launch.requires` check (from the adapter's folder) and returns
 * the first program that is missing, with why its check failed; `undefined`
 * when everything is installed.
 */
export function findMissingProgram(adapter: ResolvedAdapter): { program: RequiredProgram; why: string } | undefined {
  return findMissingIn(adapter.launch?.requires ?? [], adapter.launch?.cwd);
}

/**
 * Runs each check of `requires` from `cwd` and returns the first program that
 * is missing, with why its check failed; `undefined` when everything is
 * installed. Shared by server adapters (`launch.requires`) and client adapters (`requires`).
 */
export function findMissingIn(requires: readonly RequiredProgram[], cwd: string | undefined): { program: RequiredProgram; why: string } | undefined {
  for (const program of requires) {
    const [command = '', ...args] = program.check;
    const result = spawnSync(command, args, { cwd, stdio: 'ignore', timeout: CHECK_TIMEOUT_MS });
    if (result.status === 0) continue;
    const why = result.error !== undefined ? (result.error as NodeJS.ErrnoException).code ?? result.error.message : result.signal ? `killed by ${result.signal}` : `exit ${result.status}`;
    return { program, why };
  }
  return undefined;
}

/**
 * Checks `launch.requires` before anything starts, so a missing program is
 * named with its install command rather than surfacing as a launch that died.
 *
 * @throws PushspecError `PUSHSPEC_ERR_NOT_INSTALLED` for the first check that fails.
 */
export function assertInstalled(adapter: ResolvedAdapter): void {
  const missing = findMissingProgram(adapter);
  if (missing === undefined) return;
  const { program, why } = missing;
  throw new PushspecError(
    'PUSHSPEC_ERR_NOT_INSTALLED',
    `${adapter.source}: ${program.name} is not installed (\`${program.check.join(' ')}\` failed: ${why}). Install it with: ${program.install}`,
  );
}
