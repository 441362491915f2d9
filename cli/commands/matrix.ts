/**
 * `pushspec matrix`: runs the suite against several servers, one after the
 * other, and merges the results into one report. With no adapter named it
 * runs the embedded reference server and every bundled target
 * (adapters/targets/<name>/adapter.json). A target whose program is not installed is
 * reported as not run, with its install command, never as a failure.
 *
 * Each target runs in its own `pushspec run` process: a server that hangs or
 * crashes costs one target, and every run starts from a clean process.
 */
import { mkdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { findMissingProgram } from '../../adapters/contract/launch.ts';
import { loadAdapterFile } from '../../adapters/contract/load.ts';
import { PACKAGE_ROOT } from '../../core/package.ts';
import { PushspecError, EXIT } from '../../core/errors.ts';
import { loadCatalogue } from '../../verdicts/catalogue.ts';
import { loadExpected } from '../../verdicts/expected.ts';
import { buildSummary } from '../../verdicts/summary.ts';
import { writeReports } from '../../reporting/write-reports.ts';
import { countLine, countVerdicts } from '../../verdicts/outcome.ts';
import { painter } from '../color.ts';
import { parseDeadline, parseOptions } from '../options.ts';
import { bundledAdapters as bundledIn, notInstalled, runInChild, settleExpected, type Outcome } from '../several-runs.ts';
import { CA_OPTION, caFiles, readCaOption } from '../tls-options.ts';

/** The bundled targets: every adapters/targets/<name>/adapter.json (or adapter.ts, adapter.mjs), in name order. */
export function bundledAdapters(root = join(PACKAGE_ROOT, 'adapters', 'targets')): string[] {
  return bundledIn(root);
}

export async function matrixCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    'matrix',
    args,
    {
      'report-dir': { type: 'string', default: join('reports', 'matrix') },
      expected: { type: 'string' },
      'update-expected': { type: 'boolean', default: false },
      reference: { type: 'boolean', default: true },
      tags: { type: 'string' },
      deadline: { type: 'string' },
      color: { type: 'boolean', default: true },
      ...CA_OPTION,
    },
    true,
  );
  const deadline = parseDeadline('matrix', values.deadline);
  // Read here, so a missing or bad file stops the matrix at once (exit 2); each adapter's run trusts it too.
  readCaOption('matrix', values.ca);
  const trusted = caFiles(values.ca).flatMap((file) => ['--ca', file]);
  if (values['update-expected'] === true && typeof values.expected !== 'string') {
    throw new PushspecError('PUSHSPEC_ERR_USAGE', 'matrix: --update-expected needs --expected <file> to write to');
  }
  const reportDir = resolve(String(values['report-dir']));
  const files = positionals.length > 0 ? positionals.map((f) => resolve(f)) : bundledAdapters();
  // Every adapter is loaded (and so validated) before anything runs: a typo stops the matrix at once, exit 2.
  const adapters = await Promise.all(files.map(async (file) => ({ file, adapter: await loadAdapterFile(file) })));
  const expected = typeof values.expected === 'string' ? await loadExpected(resolve(values.expected)) : undefined;
  const paint = painter(process.stdout, values.color === false);
  await mkdir(reportDir, { recursive: true });

  const extra = [...(typeof values.tags === 'string' ? ['--tags', values.tags] : []), ...(deadline !== undefined ? ['--deadline', String(deadline)] : [])];
  const outcomes: Outcome[] = [];
  const run = (name: string, file: string | undefined, more: readonly string[]): Promise<Outcome> =>
    runInChild({ name, source: file ? relative(process.cwd(), file) : 'embedded reference server', dir: join(reportDir, name), command: ['run', ...more, ...(file ? ['--adapter', file] : [])] }, paint);
  if (values.reference !== false) outcomes.push(await run('reference', undefined, extra));
  for (const { file, adapter } of adapters) {
    const missing = findMissingProgram(adapter);
    outcomes.push(missing !== undefined ? notInstalled(adapter, missing.program, paint) : await run(adapter.name, file, [...extra, ...trusted]));
  }

  const runs = outcomes.flatMap((o) => ('run' in o ? [o.run] : []));
  const notRun = outcomes.flatMap((o) => ('notRun' in o ? [o.notRun] : []));
  await writeReports(buildSummary(runs, notRun), reportDir);
  process.stdout.write(`\nMatrix: ${relative(process.cwd(), join(reportDir, 'index.html'))} (${runs.length} run, ${notRun.length} not run)\n`);

  let code: number = outcomes.some((o) => o.error === true) ? EXIT.UNREACHABLE : EXIT.OK;
  if (expected !== undefined && typeof values.expected === 'string') {
    const settled = await settleExpected({ file: values.expected, expected, runs, update: values['update-expected'] === true, catalogue: loadCatalogue(), what: 'servers' }, paint);
    code = Math.max(code, settled);
  }
  process.stdout.write(`${countLine(countVerdicts(runs))}\n`);
  return code;
}
