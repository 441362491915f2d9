/** Assembles and reads summary.json (schema: docs/summary-schema.md). */
import { readFile } from 'node:fs/promises';
import { LEVELS, READABLE_SCHEMA_VERSIONS, SUMMARY_SCHEMA_VERSION, type AdapterRun, type Level, type NotRunTarget, type Summary } from './model.ts';
import { loadCatalogue, toolVersion } from './catalogue.ts';
import { PushspecError } from '../core/errors.ts';

/** `catalogueVersion`: the version of the catalogue the runs were judged with (default: the server checks'). */
export function buildSummary(runs: AdapterRun[], notRun: NotRunTarget[] = [], catalogueVersion = loadCatalogue().version): Summary {
  return {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    tool: { name: 'pushspec', version: toolVersion() },
    catalogueVersion,
    generatedAt: new Date().toISOString(),
    runs,
    ...(notRun.length > 0 ? { notRun } : {}),
  };
}

/**
 * Reads a summary.json this tool wrote, refusing anything else with a message
 * naming the file. A version 2 summary (pushspec 0.3) is read as version 3:
 * its totals count no `not-run`, and its runs were complete.
 */
export async function readSummary(file: string): Promise<Summary> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new PushspecError('PUSHSPEC_ERR_SUMMARY_INVALID', `cannot read ${file}: ${(error as Error).message}`);
  }
  const summary = value as Partial<Summary>;
  if (!READABLE_SCHEMA_VERSIONS.includes(summary?.schemaVersion as number) || !Array.isArray(summary.runs)) {
    throw new PushspecError(
      'PUSHSPEC_ERR_SUMMARY_INVALID',
      `${file} is not a pushspec summary of schema version ${READABLE_SCHEMA_VERSIONS.join(' or ')} (schemaVersion is ${JSON.stringify(summary?.schemaVersion)})` +
        ((summary?.schemaVersion as number | undefined) === 1 ? '; version 1 was written by pushspec 0.1, whose verdicts could mark a MUST requirement non-strict: run the server again with this version' : ''),
    );
  }
  checkLevels(summary as Summary, file);
  return upgraded(summary as Summary);
}

/** A summary of an older readable version in the current version's shape. */
function upgraded(summary: Summary): Summary {
  if (summary.schemaVersion === SUMMARY_SCHEMA_VERSION) return summary;
  const runs = summary.runs.map((run) => ({ ...run, totals: { ...run.totals, 'not-run': run.totals?.['not-run'] ?? 0 } }));
  return { ...summary, schemaVersion: SUMMARY_SCHEMA_VERSION, runs };
}

/**
 * Refuses a summary that breaks the rule every report rests on: a MUST that
 * does not hold is a fail, so a MUST result (or any of its examples) is never
 * non-strict. pushspec never writes one; a file that has one was edited or
 * written by something else, and rendering it would show a MUST as optional.
 */
function checkLevels(summary: Summary, file: string): void {
  for (const run of summary.runs) {
    const name = typeof run?.adapter?.name === 'string' ? run.adapter.name : '?';
    if (!Array.isArray(run?.results)) {
      throw new PushspecError('PUSHSPEC_ERR_SUMMARY_INVALID', `${file}: the run of adapter "${name}" has no results list`);
    }
    for (const result of run.results) {
      if (typeof result !== 'object' || result === null) {
        throw new PushspecError('PUSHSPEC_ERR_SUMMARY_INVALID', `${file}: the run of adapter "${name}" has a result that is not an object`);
      }
      const example = result.examples?.find((e) => e.verdict === 'non-strict');
      if (result.level !== 'MUST' || (result.verdict !== 'non-strict' && example === undefined)) continue;
      const what = result.verdict === 'non-strict' ? 'its result' : `its example "${example?.name ?? ''}"`;
      throw new PushspecError(
        'PUSHSPEC_ERR_SUMMARY_INVALID',
        `${file}: ${result.id} is a MUST requirement, but ${what} for adapter "${name}" says non-strict; ` +
          'a MUST that does not hold is a fail (docs/summary-schema.md), so pushspec did not write this file as it is: run the server again',
      );
    }
  }
}

/** A requirement the merged runs give different levels (their catalogues differ), with the adapters at each level. */
export interface LevelDisagreement {
  id: string;
  levels: Array<{ level: Level; adapters: string[] }>;
}

/**
 * Requirements whose level differs between runs: summaries written with
 * different catalogues (a SHOULD raised to a MUST). Each result keeps its own
 * level and the reports show it per cell; this says where that happens.
 */
export function levelDisagreements(runs: readonly AdapterRun[]): LevelDisagreement[] {
  const byId = new Map<string, Map<Level, string[]>>();
  for (const run of runs) {
    for (const result of run.results) {
      const levels = byId.get(result.id) ?? new Map<Level, string[]>();
      levels.set(result.level, [...(levels.get(result.level) ?? []), run.adapter.name]);
      byId.set(result.id, levels);
    }
  }
  return [...byId]
    .filter(([, levels]) => levels.size > 1)
    .map(([id, levels]) => ({ id, levels: LEVELS.filter((l) => levels.has(l)).map((level) => ({ level, adapters: levels.get(level) ?? [] })) }));
}

/** Merges runs from several summaries: one column per adapter, the latest run of each. */
export function mergeRuns(summaries: readonly Summary[]): { runs: AdapterRun[]; replaced: string[] } {
  const byName = new Map<string, AdapterRun>();
  const replaced: string[] = [];
  for (const run of summaries.flatMap((s) => s.runs)) {
    const previous = byName.get(run.adapter.name);
    if (previous !== undefined) replaced.push(run.adapter.name);
    if (previous === undefined || previous.startedAt <= run.startedAt) byName.set(run.adapter.name, run);
  }
  return { runs: [...byName.values()], replaced };
}
