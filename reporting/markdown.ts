/**
 * A short markdown summary, meant for a CI job summary
 * ($GITHUB_STEP_SUMMARY and the like): totals per adapter (every verdict
 * counted), then what did not hold: fail and non-strict results only. An
 * unsupported result is not a finding, and listing one per requirement an
 * adapter does not declare would bury the failures; its count is in the table.
 * The details stay in the HTML report.
 */
import type { RequirementResult, Summary, Verdict } from '../verdicts/model.ts';
import { conformanceWord, formatDate, formatDuration } from './format.ts';
import { VERDICT_STYLES, verdictLabel } from './verdict-style.ts';

const COUNTED = ['pass', 'non-strict', 'fail', 'informational', 'unsupported', 'not-run'] as const;

/** Listed under "Did not hold", most serious first. */
const NOT_HELD: readonly Verdict[] = ['fail', 'non-strict'];

/**
 * Escapes text from the summary for markdown: without this a server's message
 * could add links, HTML or break the table (`|`). Line breaks become spaces
 * so every entry stays on its line.
 */
export function escapeMarkdown(value: string): string {
  return value
    .replace(/\s*[\r\n]+\s*/g, ' ')
    // Other control characters only garble a job summary.
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(/[\\`*_{}[\]()<>#+!|~&-]/g, '\\$&');
}

/** Renders summary.md. */
export function renderMarkdown(summary: Summary): string {
  const out: string[] = [];
  out.push(`## ${escapeMarkdown(summary.tool.name)} ${escapeMarkdown(summary.tool.version)}: conformance summary`, '');
  out.push(
    `Catalogue ${escapeMarkdown(summary.catalogueVersion)} · generated ${escapeMarkdown(formatDate(summary.generatedAt))}`,
    '',
  );
  if (summary.runs.length === 0) return [...out, 'No adapter was run.', ''].join('\n');

  out.push(`| Adapter | Result | ${COUNTED.map((v) => verdictLabel(v)).join(' | ')} | Time |`);
  out.push(`|---|---|${COUNTED.map(() => '--:|').join('')}--:|`);
  for (const run of summary.runs) {
    const word = conformanceWord(run);
    const stopped = run.stopReason !== undefined ? `: ${escapeMarkdown(run.stopReason)}` : '';
    const result = word === 'conformant' ? '✔ conformant' : word === 'incomplete' ? `· incomplete${stopped}` : `✗ not conformant${stopped}`;
    const counts = COUNTED.map((v) => String(run.totals[v] ?? 0)).join(' | ');
    const name = `${escapeMarkdown(run.adapter.name)} (${escapeMarkdown(run.adapter.baseUrl)})`;
    out.push(`| ${name} | ${result}${run.strict ? ' (strict)' : ''} | ${counts} | ${formatDuration(run.durationMs)} |`);
  }
  for (const target of summary.notRun ?? []) {
    out.push(`| ${escapeMarkdown(target.adapter.name)} | · not run: ${escapeMarkdown(target.reason)}${target.install ? ` (install: \`${target.install.replace(/`/g, '')}\`)` : ''} |${COUNTED.map(() => ' |').join('')} |`);
  }
  out.push('');

  const rows = summary.runs.flatMap((run) =>
    run.results
      .filter((r) => NOT_HELD.includes(r.verdict))
      .map((r) => ({ adapter: run.adapter.name, r })),
  );
  if (rows.length === 0) return [...out, everyHeld(summary), ''].join('\n');
  rows.sort((a, b) => NOT_HELD.indexOf(a.r.verdict) - NOT_HELD.indexOf(b.r.verdict));
  out.push('### Did not hold', '');
  for (const { adapter, r } of rows) out.push(renderItem(adapter, r, summary.runs.length > 1));
  out.push('', `Legend: ${NOT_HELD.map((v) => `${verdictLabel(v)}: ${VERDICT_STYLES[v].meaning}`).join(' ')}`, '');
  return out.join('\n');
}

/** The closing line when nothing failed; unsupported results were not checked, so they are not called passed. */
function everyHeld(summary: Summary): string {
  const unsupported = summary.runs.reduce((n, run) => n + run.totals.unsupported, 0);
  return unsupported === 0
    ? 'Every requirement passed.'
    : `Every requirement that was checked held (${unsupported} unsupported, not checked).`;
}

/** `- ✗ fail · **ID** (MUST) Title: message`, with the adapter when there are several. */
function renderItem(adapter: string, r: RequirementResult, showAdapter: boolean): string {
  const where = showAdapter ? ` \\[${escapeMarkdown(adapter)}\\]` : '';
  const why = r.message ?? r.evidence.actual;
  return `- ${verdictLabel(r.verdict)} · **${escapeMarkdown(r.id)}** (${r.level}) ${escapeMarkdown(r.title)}${where}${
    why !== undefined ? `: ${escapeMarkdown(why)}` : ''
  }`;
}
