/**
 * The terminal view of a run, h2spec style: a ✔/✗ line per requirement under
 * its technique, the failures again with Expected and Actual, then the counts.
 */
import { formatFigure, techniqueLabel } from '../reporting/format.ts';
import { VERDICT_STYLES } from '../reporting/verdict-style.ts';
import type { AdapterRun, RequirementResult } from '../verdicts/model.ts';
import { countLine, countVerdicts } from '../verdicts/outcome.ts';
import { BOLD, DIM, type Painter } from './color.ts';

function figureText(result: RequirementResult): string {
  const figure = result.evidence.figures[0];
  return figure ? `; ${figure.name} ${formatFigure(figure)}` : '';
}

function line(result: RequirementResult, paint: Painter): string {
  const { glyph, word, ansi } = VERDICT_STYLES[result.verdict];
  const label = result.verdict === 'pass' ? '' : ` [${word}]`;
  const examples = result.examples !== undefined ? `; ${result.examples.length} examples` : '';
  const observed = result.collected !== undefined ? `${result.examples?.length ?? 1} observation(s) in other cases` : `${result.durationMs} ms${examples}`;
  const detail =
    result.verdict === 'unsupported' || result.verdict === 'not-run' ? ` (${result.message?.split('\n')[0] ?? result.verdict})` : ` (${observed}${figureText(result)})`;
  return `  ${paint(ansi, glyph)} ${result.id.padEnd(26)} ${result.level.padEnd(6)} ${result.title}${paint(ansi, label)}${paint(DIM, detail)}`;
}

/** The whole report for one run, as lines. */
export function renderRun(run: AdapterRun, paint: Painter): string[] {
  const lines = [paint(BOLD, run.adapter.name) + paint(DIM, ` · ${run.adapter.baseUrl} · ${(run.durationMs / 1000).toFixed(1)} s`)];
  if (run.stopReason !== undefined) lines.push(paint(BOLD, `The run stopped early: ${run.stopReason}; the cases it did not judge are marked not run.`));
  const techniques = [...new Set(run.results.map((r) => r.technique))];
  for (const technique of techniques) {
    lines.push('', techniqueLabel(technique));
    for (const result of run.results.filter((r) => r.technique === technique)) lines.push(line(result, paint));
  }
  const notHeld = run.results.filter((r) => r.verdict === 'fail' || r.verdict === 'non-strict');
  if (notHeld.length > 0) {
    lines.push('', paint(BOLD, 'Requirements that did not hold'));
    notHeld.forEach((result, index) => {
      lines.push('', `  ${index + 1}) ${result.id} [${result.verdict}] ${result.title}`);
      lines.push(paint(DIM, `     -> ${result.level}, ${result.source.label}`));
      const expected = result.evidence.expected;
      const text = expected !== undefined ? [`Expected: ${expected}`, `Actual:   ${result.evidence.actual ?? ''}`] : (result.message ?? '').split('\n');
      for (const row of text) lines.push(`     ${row}`);
    });
  }
  return lines;
}

/** The closing lines: non-strict note (if any) and the count line the CI reads. */
export function renderTotals(runs: readonly AdapterRun[], paint: Painter): string[] {
  const counts = countVerdicts(runs);
  const lines: string[] = [];
  if (counts.nonStrict > 0) {
    const strict = runs.some((r) => r.strict);
    lines.push(paint(VERDICT_STYLES['non-strict'].ansi, `${counts.nonStrict} SHOULD/MAY requirement(s) did not hold (non-strict): ${strict ? 'counted as failed (--strict)' : 'counted as passed; --strict makes them fail'}`));
  }
  if (counts.notRun > 0) lines.push(paint(VERDICT_STYLES['not-run'].ansi, `${counts.notRun} requirement(s) not run: the run stopped before judging them (counted as skipped; the run does not pass)`));
  lines.push(countLine(counts));
  return lines;
}
