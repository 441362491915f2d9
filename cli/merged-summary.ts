/**
 * What `pushspec report` prints: a few lines a newcomer can take in at once.
 * Every requirement's line is in each run's own output and in the HTML
 * report; here, one line per adapter with its counts, each requirement that
 * did not hold once (with the adapters where it did not), and where the
 * report is.
 */
import { VERDICT_STYLES } from '../reporting/verdict-style.ts';
import { conformanceWord, isConformant } from '../reporting/format.ts';
import type { AdapterRun, Level, Verdict } from '../verdicts/model.ts';
import { BOLD, DIM, type Painter } from './color.ts';

/** The counts of an adapter's line, in the order every report lists verdicts. */
const COUNTED = ['pass', 'non-strict', 'fail', 'informational', 'unsupported', 'not-run'] as const;

/** Listed under "Did not hold", most serious first. */
const NOT_HELD = ['fail', 'non-strict'] as const;

/** A title longer than this is cut: the list is for finding, the report for reading. */
const TITLE_CHARS = 70;

/** One line of the list: a requirement, one verdict, one level, and the adapters it applies to. */
interface NotHeld {
  id: string;
  title: string;
  level: Level;
  verdict: Verdict;
  adapters: string[];
}

/**
 * The requirements that did not hold, one entry per requirement and verdict,
 * fail first, then in the order the runs list them. The level is part of the
 * key: merged runs of different catalogues may hold one id at two levels, and
 * an entry must never show a MUST beside a non-strict.
 */
export function notHeld(runs: readonly AdapterRun[]): NotHeld[] {
  const entries = new Map<string, NotHeld>();
  for (const run of runs) {
    for (const r of run.results) {
      if (r.verdict !== 'fail' && r.verdict !== 'non-strict') continue;
      const key = `${r.verdict} ${r.level} ${r.id}`;
      const entry = entries.get(key) ?? { id: r.id, title: r.title, level: r.level, verdict: r.verdict, adapters: [] };
      entry.adapters.push(run.adapter.name);
      entries.set(key, entry);
    }
  }
  const order = (v: Verdict): number => (NOT_HELD as readonly Verdict[]).indexOf(v);
  return [...entries.values()].sort((a, b) => order(a.verdict) - order(b.verdict));
}

function cut(text: string, max: number): string {
  return [...text].length <= max ? text : `${[...text].slice(0, max - 1).join('').trimEnd()}…`;
}

/** `✗ name  not conformant  11 pass, 0 non-strict, 1 fail, 1 info, 0 unsupported`, names aligned. */
function adapterLines(runs: readonly AdapterRun[], paint: Painter): string[] {
  const verdicts = runs.map((run) => `${conformanceWord(run)}${run.strict ? ' (strict)' : ''}`);
  const nameWidth = Math.max(...runs.map((run) => run.adapter.name.length));
  const verdictWidth = Math.max(...verdicts.map((v) => v.length));
  return runs.map((run, i) => {
    const mark = isConformant(run) ? paint(VERDICT_STYLES.pass.ansi, '✔') : paint(VERDICT_STYLES.fail.ansi, '✗');
    const counts = COUNTED.map((v) => `${run.totals[v] ?? 0} ${VERDICT_STYLES[v].word}`).join(', ');
    return `  ${mark} ${run.adapter.name.padEnd(nameWidth)}  ${(verdicts[i] ?? '').padEnd(verdictWidth)}  ${counts}`;
  });
}

/** The merged summary's lines; `reportFile` is where index.html was written, as the reader should type it. */
export function renderMergedSummary(runs: readonly AdapterRun[], reportFile: string, paint: Painter): string[] {
  const lines = [paint(BOLD, `Merged ${runs.length} run${runs.length === 1 ? '' : 's'} into one matrix`)];
  if (runs.length > 0) lines.push(...adapterLines(runs, paint));
  const entries = notHeld(runs);
  lines.push('');
  if (entries.length === 0) {
    lines.push('Every requirement that was checked held.');
  } else {
    lines.push(paint(BOLD, `Did not hold (${entries.length})`));
    const idWidth = Math.max(...entries.map((e) => e.id.length));
    for (const e of entries) {
      const { glyph, word, ansi } = VERDICT_STYLES[e.verdict];
      const label = `${glyph} ${word}`.padEnd(12);
      lines.push(`  ${paint(ansi, label)} ${e.id.padEnd(idWidth)}  ${e.level.padEnd(6)} in ${e.adapters.join(', ')}${paint(DIM, ` · ${cut(e.title, TITLE_CHARS)}`)}`);
    }
  }
  lines.push('', `Report: ${reportFile} (each case page has Expected / Actual and the transcript)`);
  return lines;
}
