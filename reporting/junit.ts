/**
 * JUnit XML for CI systems. The mapping is chosen so that a CI job fails
 * exactly when the run does not conform:
 * - fail → `<failure>` (a MUST did not hold);
 * - non-strict → a passing test with a `<system-out>` note, because a SHOULD
 *   does not break conformance; under --strict (`run.strict`) it is a `<failure>`;
 * - unsupported → `<skipped>`;
 * - not-run → `<skipped>` with the reason the run stopped (a run with one never exits 0);
 * - informational and pass → passing tests, figures in `<system-out>`.
 */
import type { AdapterRun, RequirementResult, Summary } from '../verdicts/model.ts';
import { formatFigure, groupByTechnique } from './format.ts';
import { caseHref } from './paths.ts';
import { verdictLabel } from './verdict-style.ts';

/** Characters XML 1.0 does not allow at all, not even escaped (control characters, lone surrogates, U+FFFE/F). */
const ILLEGAL_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text fit for XML element content: illegal characters dropped, markup escaped. */
export function xmlText(value: string): string {
  return value
    .replace(ILLEGAL_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Text fit for a double-quoted XML attribute; line breaks kept as references, since parsers fold raw ones to spaces. */
export function xmlAttr(value: string): string {
  return xmlText(value)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** Counts of one suite or of the whole document. */
interface Counts {
  tests: number;
  failures: number;
  skipped: number;
  ms: number;
}

function countsAttrs(c: Counts): string {
  return `tests="${c.tests}" failures="${c.failures}" errors="0" skipped="${c.skipped}" time="${seconds(c.ms)}"`;
}

/** Whether a result fails the CI build: a MUST always, a SHOULD only under --strict. */
function isFailure(run: AdapterRun, r: RequirementResult): boolean {
  return r.verdict === 'fail' || (r.verdict === 'non-strict' && run.strict);
}

/** Renders the whole junit.xml. */
export function renderJunit(summary: Summary): string {
  const total: Counts = { tests: 0, failures: 0, skipped: 0, ms: 0 };
  const suites: string[] = [];
  for (const run of summary.runs) {
    for (const [technique, results] of groupByTechnique(run.results)) {
      const c: Counts = {
        tests: results.length,
        failures: results.filter((r) => isFailure(run, r)).length,
        skipped: results.filter((r) => r.verdict === 'unsupported' || r.verdict === 'not-run').length,
        ms: results.reduce((sum, r) => sum + r.durationMs, 0),
      };
      total.tests += c.tests;
      total.failures += c.failures;
      total.skipped += c.skipped;
      total.ms += c.ms;
      suites.push(
        `  <testsuite name="${xmlAttr(`${run.adapter.name} · ${technique}`)}" ${countsAttrs(c)} timestamp="${xmlAttr(run.startedAt)}">\n` +
          `    <properties>\n` +
          `      <property name="baseUrl" value="${xmlAttr(run.adapter.baseUrl)}"/>\n` +
          `      <property name="adapterSource" value="${xmlAttr(run.adapter.source)}"/>\n` +
          `      <property name="catalogueVersion" value="${xmlAttr(summary.catalogueVersion)}"/>\n` +
          `      <property name="strict" value="${run.strict}"/>\n` +
          `    </properties>\n` +
          results.map((r) => renderTestcase(run, r)).join('') +
          `  </testsuite>\n`,
      );
    }
  }
  const name = `${summary.tool.name} ${summary.tool.version}`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="${xmlAttr(name)}" ${countsAttrs(total)}>\n${suites.join('')}</testsuites>\n`
  );
}

/** One `<testcase>`; its children follow the mapping in the file comment. */
function renderTestcase(run: AdapterRun, r: RequirementResult): string {
  const open = `    <testcase classname="${xmlAttr(r.technique)}" name="${xmlAttr(`${r.id} ${r.title}`)}" time="${seconds(r.durationMs)}"`;
  const children: string[] = [];
  if (isFailure(run, r)) {
    const message = r.message ?? r.evidence.actual ?? `${r.level} requirement did not hold`;
    children.push(`<failure message="${xmlAttr(message)}" type="${xmlAttr(r.verdict)}">${xmlText(explain(run, r))}</failure>`);
  } else if (r.verdict === 'unsupported') {
    children.push(`<skipped message="${xmlAttr(r.message ?? 'unsupported by the adapter')}"/>`);
  } else if (r.verdict === 'not-run') {
    children.push(`<skipped message="${xmlAttr(`not run: ${r.message ?? 'the run stopped before this case was judged'}`)}"/>`);
  }
  const out = systemOut(run, r);
  if (out !== '') children.push(`<system-out>${xmlText(out)}</system-out>`);
  if (children.length === 0) return `${open}/>\n`;
  return `${open}>\n${children.map((c) => `      ${c}\n`).join('')}    </testcase>\n`;
}

/** The h2spec-style explanation of a result that did not hold. */
function explain(run: AdapterRun, r: RequirementResult): string {
  const lines = [`${verdictLabel(r.verdict)}: ${r.level} ${r.id} ${r.title}`];
  if (r.message !== undefined) lines.push(r.message);
  if (r.evidence.expected !== undefined) lines.push(`Expected: ${r.evidence.expected}`);
  if (r.evidence.actual !== undefined) lines.push(`  Actual: ${r.evidence.actual}`);
  lines.push(`Details: ${caseHref(run.adapter.name, r.id)}`);
  return `\n${lines.join('\n')}\n`;
}

/** What a passing or skipped test should still tell: an unmet SHOULD or MAY, the figures. */
function systemOut(run: AdapterRun, r: RequirementResult): string {
  const parts: string[] = [];
  if (r.verdict === 'non-strict' && !run.strict) {
    parts.push(`A ${r.level} requirement was not met; still conformant (it fails only under --strict).${explain(run, r)}`.trimEnd());
  }
  if (r.evidence.figures.length > 0) {
    parts.push(r.evidence.figures.map((f) => `${f.name}: ${formatFigure(f)}`).join('\n'));
  }
  return parts.join('\n');
}
