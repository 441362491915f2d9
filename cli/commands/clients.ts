/**
 * `pushspec clients --client <file>`: checks a client. pushspec plays the
 * server (a scripted one per case) and judges what the client does and
 * reports, against the client requirements (clients/requirements.json).
 *
 * One `--client`: the client is checked in this process, and the exit code is
 * a run's (1: a MUST failed). Several, or none (every bundled client,
 * adapters/clients/<name>/adapter.json): the client matrix, each client in its
 * own `pushspec clients` process, merged into one report with the clients as
 * columns, exit codes as for `pushspec matrix` (cli/several-runs.ts).
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import parseTagExpression from '@cucumber/tag-expressions';
import { join, relative, resolve } from 'node:path';
import { findMissingIn } from '../../adapters/contract/launch.ts';
import { loadClientAdapter, type ClientAdapter } from '../../clients/contract/adapter.ts';
import { CODE_ROOT, PACKAGE_ROOT } from '../../core/package.ts';
import { EXIT, PushspecError } from '../../core/errors.ts';
import { resetRunControl } from '../../core/run-control.ts';
import { runSuite, type SuiteKind } from '../../steps/run-suite.ts';
import { loadClientCatalogue } from '../../verdicts/catalogue.ts';
import { loadExpected, type ExpectedVerdicts } from '../../verdicts/expected.ts';
import type { AdapterRun } from '../../verdicts/model.ts';
import { countLine, countVerdicts, exitCodeFor } from '../../verdicts/outcome.ts';
import { buildSummary } from '../../verdicts/summary.ts';
import { writeReports } from '../../reporting/write-reports.ts';
import { painter, type Painter } from '../color.ts';
import { renderRun, renderTotals } from '../console-tree.ts';
import { LiveReports } from '../live-reports.ts';
import { parseOptions } from '../options.ts';
import { bundledAdapters, folderName, notInstalled, runInChild, settleExpected, type Outcome } from '../several-runs.ts';

/** The bundled real clients: every adapters/clients/<name>/adapter.json, in name order. */
export function bundledClients(): string[] {
  const root = join(PACKAGE_ROOT, 'adapters', 'clients');
  const files = existsSync(root) ? bundledAdapters(root) : [];
  if (files.length === 0) throw new PushspecError('PUSHSPEC_ERR_USAGE', `clients: no --client given, and no bundled clients in ${root}; name a client adapter with --client <file>`);
  return files;
}

interface Options {
  reportDir: string;
  tags: string | undefined;
  strict: boolean;
  expected: { file: string; verdicts: ExpectedVerdicts; update: boolean } | undefined;
}

/** The client checks: clients/features/, their own World and hooks, each technique's client-side steps. */
export const CLIENT_SUITE: SuiteKind = {
  paths: ['clients/features/**/*.feature'],
  support: ((ext) => [join(CODE_ROOT, 'clients', 'support', `*.${ext}`), join(CODE_ROOT, 'techniques', '*', 'client-side', `*.steps.${ext}`)])(CODE_ROOT === '' ? 'ts' : 'js'),
  requirements: () => loadClientCatalogue().requirements,
};

export async function clientsCommand(args: string[]): Promise<number> {
  const { values } = parseOptions('clients', args, {
    client: { type: 'string', multiple: true },
    'report-dir': { type: 'string', default: join('reports', 'clients') },
    tags: { type: 'string' },
    strict: { type: 'boolean', default: false },
    expected: { type: 'string' },
    'update-expected': { type: 'boolean', default: false },
    color: { type: 'boolean', default: true },
  });
  if (typeof values.tags === 'string') {
    try {
      parseTagExpression(values.tags);
    } catch (error) {
      throw new PushspecError('PUSHSPEC_ERR_USAGE', `clients: --tags: ${(error as Error).message}`);
    }
  }
  if (values['update-expected'] === true && typeof values.expected !== 'string') {
    throw new PushspecError('PUSHSPEC_ERR_USAGE', 'clients: --update-expected needs --expected <file> to write to');
  }
  const given = (values.client as string[] | undefined) ?? [];
  const files = given.length > 0 ? given.map((f) => resolve(f)) : bundledClients();
  // Every adapter is loaded (and so validated) before anything runs: a typo stops the run at once, exit 2.
  const clients = await Promise.all(files.map(async (file) => ({ file, client: await loadClientAdapter(file) })));
  const options: Options = {
    reportDir: resolve(String(values['report-dir'])),
    tags: typeof values.tags === 'string' ? values.tags : undefined,
    strict: values.strict === true,
    expected: typeof values.expected === 'string' ? { file: values.expected, verdicts: await loadExpected(resolve(values.expected), loadClientCatalogue()), update: values['update-expected'] === true } : undefined,
  };
  await mkdir(options.reportDir, { recursive: true });
  const paint = painter(process.stdout, values.color === false);
  if (given.length === 1) return checkOne(clients[0]!.file, clients[0]!.client, options, paint);
  return checkSeveral(clients, options, paint);
}

/** Checks one client in this process; the exit code is a run's. */
async function checkOne(file: string, client: ClientAdapter, options: Options, paint: Painter): Promise<number> {
  const missing = findMissingIn(client.requires, client.dir);
  if (missing !== undefined) {
    const { program, why } = missing;
    throw new PushspecError('PUSHSPEC_ERR_NOT_INSTALLED', `${client.source}: ${program.name} is not installed (\`${program.check.join(' ')}\` failed: ${why}). Install it with: ${program.install}`);
  }
  const { reportDir } = options;
  resetRunControl();
  const catalogueVersion = loadClientCatalogue().version;
  const live = new LiveReports(reportDir, { catalogueVersion, onError: (error) => process.stderr.write(`pushspec: could not write the reports as the run goes: ${error.message}\n`) });
  process.stdout.write(`pushspec: checking the client ${client.name}\n`);
  const run = await runSuite({
    suite: CLIENT_SUITE,
    parameters: { client: { file } },
    adapter: { name: client.name, source: relative(process.cwd(), file) || file, baseUrl: 'scripted servers' },
    reportDir,
    strict: options.strict,
    ...(options.tags !== undefined ? { tags: options.tags } : {}),
    onCaseFinished: (soFar) => live.caseFinished(soFar),
  });
  await live.final(run);
  const shown = relative(process.cwd(), reportDir) || '.';
  const lines = [...renderRun(run, paint), '', `Reports: ${shown}/index.html, ${shown}/summary.json, ${shown}/junit.xml`, ...renderTotals([run], paint)];
  process.stdout.write(`\n${lines.join('\n')}\n`);
  const settled = await settle([run], options, paint);
  return Math.max(exitCodeFor([run]), settled);
}

/**
 * The client matrix: each client in its own `pushspec clients` process (one
 * that hangs costs its column), a client whose program is missing shown not
 * run with its install command, every run merged into one report.
 */
async function checkSeveral(clients: ReadonlyArray<{ file: string; client: ClientAdapter }>, options: Options, paint: Painter): Promise<number> {
  const { reportDir } = options;
  const extra = [...(options.tags !== undefined ? ['--tags', options.tags] : []), ...(options.strict ? ['--strict'] : [])];
  const outcomes: Outcome[] = [];
  for (const { file, client } of clients) {
    const missing = findMissingIn(client.requires, client.dir);
    const source = relative(process.cwd(), file) || file;
    outcomes.push(
      missing !== undefined
        ? notInstalled({ name: client.name, source }, missing.program, paint)
        : await runInChild({ name: client.name, source, dir: join(reportDir, folderName(client.name)), command: ['clients', '--client', file, ...extra] }, paint),
    );
  }
  const runs = outcomes.flatMap((o) => ('run' in o ? [o.run] : []));
  const notRun = outcomes.flatMap((o) => ('notRun' in o ? [o.notRun] : []));
  await writeReports(buildSummary(runs, notRun, loadClientCatalogue().version), reportDir);
  process.stdout.write(`\nClients: ${relative(process.cwd(), join(reportDir, 'index.html'))} (${runs.length} run, ${notRun.length} not run)\n`);
  const code = outcomes.some((o) => o.error === true) ? EXIT.UNREACHABLE : EXIT.OK;
  const settled = await settle(runs, options, paint);
  process.stdout.write(`${countLine(countVerdicts(runs))}\n`);
  return Math.max(code, settled);
}

/** Compares with (or records in) --expected, when given. */
async function settle(runs: readonly AdapterRun[], options: Options, paint: Painter): Promise<number> {
  if (options.expected === undefined) return EXIT.OK;
  const { file, verdicts, update } = options.expected;
  return settleExpected({ file, expected: verdicts, runs, update, catalogue: loadClientCatalogue(), what: 'clients' }, paint);
}
