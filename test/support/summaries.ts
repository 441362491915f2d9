/** Summaries built by hand, for the tests of what reads and renders them. */
import type { AdapterRun, Evidence, RequirementResult, Summary, Verdict, VerdictTotals } from '../../verdicts/model.ts';

/** Empty evidence, with the fields a test sets. */
export function evidence(extra: Partial<Evidence> = {}): Evidence {
  return { exchanges: [], omittedExchanges: 0, figures: [], notes: [], ...extra };
}

/** A result titled `Title of <id>`; the title and source name no level, so a level in the output comes from `level`. */
export function result(id: string, technique: RequirementResult['technique'], level: RequirementResult['level'], verdict: Verdict, extra: Partial<RequirementResult> = {}): RequirementResult {
  return { id, technique, level, title: `Title of ${id}`, source: { label: 'RFC 9110' }, verdict, durationMs: 20, evidence: evidence(), ...extra };
}

/** A run whose totals are counted from its results. */
export function run(name: string, results: RequirementResult[], strict = false): AdapterRun {
  const totals: VerdictTotals = { pass: 0, 'non-strict': 0, fail: 0, informational: 0, unsupported: 0, 'not-run': 0 };
  for (const r of results) totals[r.verdict] += 1;
  return { adapter: { name, baseUrl: 'http://127.0.0.1:8080', source: `adapters/${name}.json` }, startedAt: '2026-11-24T07:59:00.000Z', durationMs: 1500, strict, totals, results };
}

/** A summary of the current schema version holding `runs`. */
export function summaryOf(runs: AdapterRun[]): Summary {
  return { schemaVersion: 3, tool: { name: 'pushspec', version: '0.3.0' }, catalogueVersion: '0.7.0', generatedAt: '2026-11-24T08:00:00.000Z', runs };
}
