/**
 * What a set of verdicts means for the process: the counts of the closing
 * line `pushspec: N passed, N failed, N skipped`, and the exit code.
 */
import { EXIT } from '../core/errors.ts';
import type { AdapterRun } from './model.ts';

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  /** SHOULD/MAY requirements that did not hold; counted as passed unless strict. */
  nonStrict: number;
  /** Requirements the run stopped before judging; counted as skipped, and the run never exits 0. */
  notRun: number;
}

/**
 * pass and informational count as passed; fail as failed; unsupported as
 * skipped; not-run as skipped too; non-strict as passed (conformant, as
 * Autobahn counts it) unless the run was strict, then as failed.
 */
export function countVerdicts(runs: readonly AdapterRun[]): Counts {
  const counts: Counts = { passed: 0, failed: 0, skipped: 0, nonStrict: 0, notRun: 0 };
  for (const run of runs) {
    const notRun = run.totals['not-run'] ?? 0;
    counts.passed += run.totals.pass + run.totals.informational;
    counts.failed += run.totals.fail;
    counts.skipped += run.totals.unsupported + notRun;
    counts.notRun += notRun;
    counts.nonStrict += run.totals['non-strict'];
    if (run.strict) counts.failed += run.totals['non-strict'];
    else counts.passed += run.totals['non-strict'];
  }
  return counts;
}

export function countLine(counts: Counts): string {
  return `pushspec: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
}

/**
 * 0 when every MUST held (and every SHOULD, under --strict); 1 when one did
 * not; else 5 when a requirement was not run, or a run did not finish: a run
 * that stopped early never exits 0. (`pushspec run` exits with its stop's own
 * code instead, 3 when the server died: cli/commands/run.ts.)
 */
export function exitCodeFor(runs: readonly AdapterRun[]): number {
  const counts = countVerdicts(runs);
  if (counts.failed > 0) return EXIT.NONCONFORMANT;
  if (counts.notRun > 0 || runs.some((run) => run.complete === false)) return EXIT.INCOMPLETE;
  return EXIT.OK;
}
