/** `pushspec report`: merge summary.json files of earlier runs into one set of reports. */
import { resolve } from 'node:path';
import { PushspecError } from '../../core/errors.ts';
import { buildSummary, mergeRuns, readSummary } from '../../verdicts/summary.ts';
import { writeReports } from '../../reporting/write-reports.ts';
import { exitCodeFor } from '../../verdicts/outcome.ts';
import { painter } from '../color.ts';
import { renderRun, renderTotals } from '../console-tree.ts';
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
  await writeReports(buildSummary(runs), resolve(String(values['report-dir'])));
  const paint = painter(process.stdout, values.color === false);
  const lines = values.quiet === true ? [] : runs.flatMap((run) => [...renderRun(run, paint), '']);
  process.stdout.write(`${[...lines, ...renderTotals(runs, paint)].join('\n')}\n`);
  return exitCodeFor(runs);
}
