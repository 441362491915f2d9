/** `pushspec report`: merge summary.json files of earlier runs into one set of reports. */
import { join, relative, resolve } from 'node:path';
import { PushspecError } from '../../core/errors.ts';
import { buildSummary, levelDisagreements, mergeRuns, readSummary } from '../../verdicts/summary.ts';
import { writeReports } from '../../reporting/write-reports.ts';
import { exitCodeFor } from '../../verdicts/outcome.ts';
import { painter } from '../color.ts';
import { renderTotals } from '../console-tree.ts';
import { renderMergedSummary } from '../merged-summary.ts';
import { parseOptions } from '../options.ts';

export async function reportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    'report',
    args,
    {
      'report-dir': { type: 'string', default: 'reports' },
      quiet: { type: 'boolean', default: false },
      color: { type: 'boolean', default: true },
    },
    true,
  );
  if (positionals.length === 0) throw new PushspecError('PUSHSPEC_ERR_USAGE', 'report: name at least one summary.json, e.g. "pushspec report reports/summary.json"');
  const summaries = await Promise.all(positionals.map((file) => readSummary(resolve(file))));
  const { runs, replaced } = mergeRuns(summaries);
  for (const name of new Set(replaced)) process.stderr.write(`pushspec: adapter "${name}" appears in several summaries; the latest run is shown\n`);
  for (const { id, levels } of levelDisagreements(runs)) {
    const where = levels.map(({ level, adapters }) => `${level} in ${adapters.join(', ')}`).join(', ');
    process.stderr.write(`pushspec: ${id} is ${where} (their catalogues differ); each result is judged and shown at its own level\n`);
  }
  const reportDir = resolve(String(values['report-dir']));
  await writeReports(buildSummary(runs), reportDir);
  const paint = painter(process.stdout, values.color === false);
  // Every requirement's line is in each run's own output; here only what a reader needs first.
  const indexFile = join(reportDir, 'index.html');
  const shown = relative(process.cwd(), indexFile);
  const index = shown.startsWith('..') ? indexFile : shown;
  const lines = values.quiet === true ? [] : [...renderMergedSummary(runs, index, paint), ''];
  process.stdout.write(`${[...lines, ...renderTotals(runs, paint)].join('\n')}\n`);
  return exitCodeFor(runs);
}
