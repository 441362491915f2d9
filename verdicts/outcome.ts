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
}

/**
 * pass and informational count as passed; fail as failed; unsupported as
 * skipped; non-strict as passed (conformant, as Autobahn counts it) unless
 * the run was strict, then as failed.
 */
export function countVerdicts(runs: readonly AdapterRun[]): Counts {
  const counts: Counts = { passed: 0, failed: 0, skipped: 0, nonStrict: 0 };
  for (const run of runs) {
    counts.passed += run.totals.pass + run.totals.informational;
    counts.failed += run.totals.fail;
    counts.skipped += run.totals.unsupported;
    counts.nonStrict += run.totals['non-strict'];
    if (run.strict) counts.failed += run.totals['non-strict'];
    else counts.passed += run.totals['non-strict'];
  }
  return counts;
}

export function countLine(counts: Counts): string {
  return `pushspec: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
}

/** 0 when every MUST held (and every SHOULD, under --strict); 1 otherwise. */
export function exitCodeFor(runs: readonly AdapterRun[]): number {
  return countVerdicts(runs).failed > 0 ? EXIT.NONCONFORMANT : EXIT.OK;
}
