/**
 * The conformance matrix (index.html): one row per requirement, one column
 * per adapter run, every cell linking to its case page.
 */
import { LEVELS } from '../../verdicts/model.ts';
import type { AdapterRun, Level, NotRunTarget, Requirement, RequirementResult, Summary } from '../../verdicts/model.ts';
import { conformanceWord, formatDate, formatDuration, formatFigure, requirementUnion, techniqueLabel } from '../format.ts';
import { caseHref } from '../paths.ts';
import { VERDICT_STYLES, verdictLabel } from '../verdict-style.ts';
import type { CellState } from '../verdict-style.ts';
import { renderComparison } from './comparison.ts';
import { html } from './escape.ts';
import type { SafeHtml } from './escape.ts';
import { FILTER_SCRIPT, renderFilters, rowFilterData } from './filters.ts';
import { renderPage, verdictBadge } from './layout.ts';

/** The verdicts a run's totals count, in legend order. */
const COUNTED = ['pass', 'non-strict', 'fail', 'informational', 'unsupported', 'not-run'] as const;

/** Renders the whole index.html for a summary. */
export function renderIndex(summary: Summary): string {
  const { tool } = summary;
  const body = html`
<h1>Conformance matrix <span class="sub">· ${tool.name} ${tool.version}</span></h1>
<dl class="facts">
  <dt>Tool</dt><dd>${tool.name} ${tool.version}</dd>
  <dt>Catalogue</dt><dd>${summary.catalogueVersion}</dd>
  <dt>Generated</dt><dd><time datetime="${summary.generatedAt}">${formatDate(summary.generatedAt)}</time></dd>
  <dt>Machine-readable</dt><dd><a href="summary.json">summary.json</a> · <a href="junit.xml">junit.xml</a> · <a href="summary.md">summary.md</a></dd>
</dl>
<h2>Adapters</h2>
${summary.runs.length === 0 ? html`<p class="muted">No adapter was run.</p>` : html`<div class="runs">${summary.runs.map(renderRunCard)}${(summary.notRun ?? []).map(renderNotRunCard)}</div>`}
<h2>Legend</h2>
${renderLegend()}
<h2>Requirements</h2>
${renderTable(summary.runs)}
${renderComparison(summary.runs)}`;
  return renderPage({ title: `${tool.name} ${tool.version} · conformance matrix`, body, tool, script: FILTER_SCRIPT });
}

/** One adapter: name, where it ran, whether it conforms, and its totals. */
function renderRunCard(run: AdapterRun): SafeHtml {
  const word = conformanceWord(run);
  const totals = COUNTED.map((v) => {
    const s = VERDICT_STYLES[v];
    return html`<li><span class="badge v-${v}">${s.glyph} ${run.totals[v] ?? 0} ${s.word}</span></li>`;
  });
  const badge =
    word === 'conformant' ? html`<span class="badge v-pass">✔ conformant</span>` : word === 'incomplete' ? html`<span class="badge v-not-run">· incomplete</span>` : html`<span class="badge v-fail">✗ not conformant</span>`;
  return html`<section class="run">
  <h3>${run.adapter.name}</h3>
  <div class="url mono">${run.adapter.baseUrl}</div>
  <p class="muted">${badge}${run.strict ? ' (strict)' : ''} · ${formatDuration(run.durationMs)} · started ${formatDate(run.startedAt)}</p>
  ${run.stopReason !== undefined ? html`<p class="stopped"><strong>The run stopped early:</strong> ${run.stopReason}; the cases it did not judge are marked not run.</p>` : run.complete === false ? html`<p class="stopped"><strong>Incomplete:</strong> written while the run was still going; the cases after these were not judged (yet).</p>` : ''}
  <ul class="totals" aria-label="Totals for ${run.adapter.name}">${totals}</ul>
  ${renderBreakdown(run)}
</section>`;
}

/** A server that was not run: why, and the command that would let it run. Never counted as a failure. */
function renderNotRunCard(target: NotRunTarget): SafeHtml {
  return html`<section class="run not-run">
  <h3>${target.adapter.name}</h3>
  <p class="muted"><span class="badge v-not-run">· not run</span> ${target.reason}</p>
  ${target.install ? html`<p class="muted">Install: <code>${target.install}</code></p>` : ''}
</section>`;
}

/** Held / checked per technique and level: where a run's failures sit, at a glance. */
function renderBreakdown(run: AdapterRun): SafeHtml | false {
  const levels = ['MUST', 'SHOULD', 'MAY'] as const;
  const techniques = [...new Set(run.results.map((r) => r.technique))];
  if (techniques.length === 0) return false;
  const cell = (technique: string, level: string): string => {
    const checked = run.results.filter((r) => r.technique === technique && r.level === level && r.verdict !== 'unsupported' && r.verdict !== 'not-run');
    if (checked.length === 0) return '–';
    const held = checked.filter((r) => r.verdict === 'pass' || r.verdict === 'informational').length;
    return `${held}/${checked.length}`;
  };
  return html`<table class="breakdown"><caption class="muted">requirements held / checked</caption>
<thead><tr><th scope="col"></th>${levels.map((l) => html`<th scope="col">${l}</th>`)}</tr></thead>
<tbody>${techniques.map((t) => html`<tr><th scope="row">${techniqueLabel(t)}</th>${levels.map((l) => html`<td class="num">${cell(t, l)}</td>`)}</tr>`)}</tbody></table>`;
}

/** What each verdict means; the words match the cells so the legend is the key to the table. */
function renderLegend(): SafeHtml {
  const items = (Object.keys(VERDICT_STYLES) as CellState[]).map(
    (state) => html`<dt>${verdictBadge(state)}</dt><dd>${VERDICT_STYLES[state].meaning}</dd>`,
  );
  return html`<dl class="legend">${items}</dl>`;
}

/**
 * A technique's requirements cut into runs of one section, in catalogue
 * order. Summaries written before sections existed give one unnamed run.
 */
function sectionsOf(requirements: readonly Requirement[]): Array<[string | undefined, Requirement[]]> {
  const out: Array<[string | undefined, Requirement[]]> = [];
  for (const req of requirements) {
    const last = out.at(-1);
    if (last !== undefined && last[0] === req.section) last[1].push(req);
    else out.push([req.section, [req]]);
  }
  return out;
}

/**
 * The matrix itself, with its filters; one tbody per technique so a group can
 * hide as a whole, and a heading row per section inside it.
 */
function renderTable(runs: readonly AdapterRun[]): SafeHtml {
  const groups = requirementUnion(runs);
  if (groups.length === 0) return html`<p class="muted">No requirement was checked.</p>`;
  // Index each run's results once: the table looks every cell up by id.
  const byId = runs.map((run) => new Map(run.results.map((r) => [r.id, r])));
  const columns = 3 + runs.length;
  const head = runs.map((run) => html`<th scope="col" title="${run.adapter.baseUrl}">${run.adapter.name}</th>`);
  const total = groups.reduce((n, [, requirements]) => n + requirements.length, 0);
  // Opens folded to what did not hold when anything did (see filters.ts).
  const calm = groups.reduce((n, [, requirements]) => n + requirements.filter((req) => isCalm(byId.map((m) => m.get(req.id)))).length, 0);
  const bodies = groups.map(([technique, requirements]) => html`<tbody data-technique="${technique}">
<tr class="group"><th colspan="${columns}" scope="colgroup"><span>${techniqueLabel(technique)} <span class="muted">(${requirements.length})</span></span></th></tr>
${sectionsOf(requirements).map(([section, rows], i) => html`${
    section === undefined ? '' : html`<tr class="section" data-section="${technique}-${i}"><th colspan="${columns}" scope="rowgroup"><span>${section} <span class="muted">(${rows.length})</span></span></th></tr>`
  }${rows.map((req) => renderRow(req, runs, byId, `${technique}-${i}`))}`)}</tbody>`);
  return html`${renderFilters(groups.map(([technique]) => technique), total, { folded: calm < total, calm })}
<div class="table-wrap"><table>
<thead><tr><th scope="col" class="sticky">Requirement</th><th scope="col">Level</th><th scope="col">Title</th>${head}</tr></thead>
${bodies}
</table></div>`;
}

/** Nothing to act on: no result is fail or non-strict. The fold hides these rows. */
function isCalm(results: ReadonlyArray<RequirementResult | undefined>): boolean {
  return results.every((r) => r === undefined || (r.verdict !== 'fail' && r.verdict !== 'non-strict'));
}

/**
 * The levels a requirement's results carry, in LEVELS order. Runs from
 * different catalogue versions may disagree (a SHOULD raised to a MUST): the
 * row then lists each level and every cell says its own, so no row reads as a
 * MUST with a non-strict cell.
 */
function levelsOf(results: ReadonlyArray<RequirementResult | undefined>, fallback: Level): Level[] {
  const seen = new Set(results.flatMap((r) => (r === undefined ? [] : [r.level])));
  return seen.size === 0 ? [fallback] : LEVELS.filter((l) => seen.has(l));
}

/**
 * One requirement across every run. Rows with nothing to act on are `calm`;
 * the data attributes are what the filters match on.
 */
function renderRow(req: Requirement, runs: readonly AdapterRun[], byId: ReadonlyArray<Map<string, RequirementResult>>, section: string): SafeHtml {
  const results = byId.map((m) => m.get(req.id));
  const calm = isCalm(results);
  const levels = levelsOf(results, req.level);
  const mixed = levels.length > 1;
  const cells = runs.map((run, i) => renderCell(run, results[i], mixed));
  const states = results.map((r): CellState => r?.verdict ?? 'not-run');
  const level = mixed
    ? html`${levels.map((l) => html`<span class="level">${l}</span> `)}<span class="fig muted">the runs' catalogues differ</span>`
    : html`<span class="level">${levels[0]}</span>`;
  return html`<tr class="req${calm ? ' calm' : ''}" id="req-${req.id}" data-section="${section}" ${rowFilterData(req.technique, levels.join(' '), states)}>
<th scope="row" class="sticky rid"><code>${req.id}</code></th><td>${level}</td><td class="title">${req.title}</td>${cells}</tr>
`;
}

/**
 * A cell: glyph and word (never colour alone), the primary figure, a link to
 * the case page; its own level when the row's runs disagree on it; for a
 * WebSocket case that did not hold, how the connection closed (Autobahn's
 * close column) and how many of its examples held.
 */
function renderCell(run: AdapterRun, result: RequirementResult | undefined, ownLevel: boolean): SafeHtml {
  if (result === undefined) {
    return html`<td class="cell v-not-run"><span><span class="word">${verdictLabel('not-run')}</span></span></td>`;
  }
  const figure = result.evidence.figures[0];
  const tip = `${run.adapter.name}: ${verdictLabel(result.verdict)} (${result.level})${result.message ? ` — ${result.message}` : ''}`;
  // The verdict class sits on the cell so its tint fills the whole cell, whatever the row height.
  const held = result.examples?.filter((e) => e.verdict === 'pass' || e.verdict === 'informational').length;
  const notes = [
    ownLevel ? `as a ${result.level}` : '',
    // An unsupported outline was not checked at all: "0/n examples held" would read as n failures.
    result.examples !== undefined && held !== result.examples.length && result.verdict !== 'unsupported' && result.verdict !== 'not-run' ? `${held}/${result.examples.length} examples held` : '',
    result.verdict !== 'pass' && result.evidence.closeOutcome !== undefined ? result.evidence.closeOutcome : '',
  ].filter(Boolean);
  return html`<td class="cell v-${result.verdict}"><a href="${caseHref(run.adapter.name, result.id)}" title="${tip}"><span class="word">${verdictLabel(result.verdict)}</span>${
    figure ? html`<span class="fig" title="${figure.name}">${formatFigure(figure)}</span>` : ''
  }${notes.map((note) => html`<span class="fig">${note}</span>`)}</a></td>`;
}
