/** Assembles and reads summary.json (schema: docs/summary-schema.md). */
import { readFile } from 'node:fs/promises';
import { SUMMARY_SCHEMA_VERSION, type AdapterRun, type NotRunTarget, type Summary } from './model.ts';
import { loadCatalogue, toolVersion } from './catalogue.ts';
import { PushspecError } from '../core/errors.ts';

export function buildSummary(runs: AdapterRun[], notRun: NotRunTarget[] = []): Summary {
  return {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    tool: { name: 'pushspec', version: toolVersion() },
    catalogueVersion: loadCatalogue().version,
    generatedAt: new Date().toISOString(),
    runs,
    ...(notRun.length > 0 ? { notRun } : {}),
  };
}

/** Reads a summary.json this tool wrote, refusing anything else with a message naming the file. */
export async function readSummary(file: string): Promise<Summary> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new PushspecError('PUSHSPEC_ERR_SUMMARY_INVALID', `cannot read ${file}: ${(error as Error).message}`);
  }
  const summary = value as Partial<Summary>;
  if (summary?.schemaVersion !== SUMMARY_SCHEMA_VERSION || !Array.isArray(summary.runs)) {
    throw new PushspecError(
      'PUSHSPEC_ERR_SUMMARY_INVALID',
      `${file} is not a pushspec summary of schema version ${SUMMARY_SCHEMA_VERSION} (schemaVersion is ${JSON.stringify(summary?.schemaVersion)})` +
        ((summary?.schemaVersion as number | undefined) === 1 ? '; version 1 was written by pushspec 0.1, whose verdicts could mark a MUST requirement non-strict: run the server again with this version' : ''),
    );
  }
  return summary as Summary;
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
