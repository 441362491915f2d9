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
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, readdirSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { findMissingProgram } from '../../adapters/contract/launch.ts';
import { loadAdapterFile } from '../../adapters/contract/load.ts';
import { CLI_ENTRY, PACKAGE_ROOT } from '../../core/package.ts';
import { PushspecError, EXIT } from '../../core/errors.ts';
import { compareWithExpected, loadExpected, recordVerdicts, writeExpected } from '../../verdicts/expected.ts';
import { buildSummary, readSummary } from '../../verdicts/summary.ts';
import { VERDICT_STYLES } from '../../reporting/verdict-style.ts';
import { writeReports } from '../../reporting/write-reports.ts';
import type { AdapterRun, NotRunTarget } from '../../verdicts/model.ts';
import { countLine, countVerdicts } from '../../verdicts/outcome.ts';
import { DIM, painter, type Painter } from '../color.ts';
import { parseDeadline, parseOptions } from '../options.ts';
import { CA_OPTION, caFiles, readCaOption } from '../tls-options.ts';

/** SGR colours of the matrix's own lines, those of pass and fail everywhere else. */
const GREEN = VERDICT_STYLES.pass.ansi;
const RED = VERDICT_STYLES.fail.ansi;

/** The longest one target may take before it is stopped and reported as not run. */
const TARGET_DEADLINE_MS = 10 * 60_000;

/** The file a target's folder describes it in: JSON, or a module for protocols that need code. */
const ADAPTER_FILES = ['adapter.json', 'adapter.ts', 'adapter.mjs'];

/** The bundled targets: every adapters/targets/<name>/adapter.json (or adapter.ts, adapter.mjs), in name order. */
export function bundledAdapters(root = join(PACKAGE_ROOT, 'adapters', 'targets')): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && ADAPTER_FILES.some((file) => existsSync(join(root, entry.name, file))))
    .map((entry) => join(root, entry.name, ADAPTER_FILES.find((file) => existsSync(join(root, entry.name, file)))!))
    .sort();
}

/** One target's outcome: its run (stopped early: `error`), or why there is none. */
type Outcome = { run: AdapterRun; error?: boolean } | { notRun: NotRunTarget; error: boolean };

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
  if (values.reference !== false) outcomes.push(await runTarget('reference', undefined, reportDir, extra, paint));
  for (const { file, adapter } of adapters) {
    const missing = findMissingProgram(adapter);
    if (missing !== undefined) {
      const { program } = missing;
      const notRun: NotRunTarget = { adapter: { name: adapter.name, source: adapter.source }, reason: `${program.name} is not installed`, install: program.install };
      process.stdout.write(`${paint(DIM, `· ${adapter.name}: not run, ${notRun.reason}; install with: ${program.install}`)}\n`);
      outcomes.push({ notRun, error: false });
      continue;
    }
    outcomes.push(await runTarget(adapter.name, file, reportDir, [...extra, ...trusted], paint));
  }

  const runs = outcomes.flatMap((o) => ('run' in o ? [o.run] : []));
  const notRun = outcomes.flatMap((o) => ('notRun' in o ? [o.notRun] : []));
  await writeReports(buildSummary(runs, notRun), reportDir);
  process.stdout.write(`\nMatrix: ${relative(process.cwd(), join(reportDir, 'index.html'))} (${runs.length} run, ${notRun.length} not run)\n`);

  let code: number = outcomes.some((o) => o.error === true) ? EXIT.UNREACHABLE : EXIT.OK;
  if (expected !== undefined && typeof values.expected === 'string') {
    if (values['update-expected'] === true) {
      const servers = Object.fromEntries(runs.map((r) => [r.adapter.name, expected.targets[r.adapter.name]?.server ?? r.adapter.name]));
      const { updated, unexplained } = recordVerdicts(expected, runs, servers);
      await writeExpected(resolve(values.expected), updated);
      process.stdout.write(`Recorded the verdicts of ${runs.length} servers in ${values.expected}\n`);
      for (const line of unexplained) process.stdout.write(`  needs an explanation: ${line}\n`);
      if (unexplained.length > 0) code = Math.max(code, EXIT.NONCONFORMANT);
    } else {
      const problems = runs.flatMap((run) => compareWithExpected(run, expected.targets[run.adapter.name]));
      if (problems.length === 0) {
        process.stdout.write(`${paint(GREEN, '✔')} every verdict is the one ${values.expected} expects\n`);
      } else {
        process.stdout.write(`${paint(RED, '✗')} ${problems.length} difference(s) from ${values.expected}:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
        code = Math.max(code, EXIT.NONCONFORMANT);
      }
    }
  }
  process.stdout.write(`${countLine(countVerdicts(runs))}\n`);
  return code;
}

/**
 * Runs `pushspec run` for one target in a child process, its output in
 * <report-dir>/<name>/run.log, and reads back the summary it wrote.
 */
async function runTarget(name: string, adapterFile: string | undefined, reportDir: string, extra: readonly string[], paint: Painter): Promise<Outcome> {
  const dir = join(reportDir, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const log = createWriteStream(join(dir, 'run.log'));
  const args = [CLI_ENTRY, 'run', '--report-dir', dir, '--no-color', ...extra, ...(adapterFile ? ['--adapter', adapterFile] : [])];
  const started = performance.now();
  process.stdout.write(`${paint(DIM, `… ${name}`)}\n`);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const timer = setTimeout(() => {
    log.write(`\npushspec matrix: ${name} took longer than ${TARGET_DEADLINE_MS} ms; stopped\n`);
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
  }, TARGET_DEADLINE_MS);
  const [exitCode, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  log.end();
  await once(log, 'close');
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const source = adapterFile ? relative(process.cwd(), adapterFile) : 'embedded reference server';
  // A run that stopped early (its server died: 3; its --deadline passed: 5) still reports what it judged.
  const stoppedEarly = exitCode === EXIT.UNREACHABLE || exitCode === EXIT.INCOMPLETE;
  if (exitCode === EXIT.OK || exitCode === EXIT.NONCONFORMANT || (stoppedEarly && existsSync(join(dir, 'summary.json')))) {
    const summary = await readSummary(join(dir, 'summary.json'));
    const run = summary.runs[0];
    if (run !== undefined && (!stoppedEarly || run.stopReason !== undefined)) {
      const counts = countVerdicts([run]);
      const stopped = run.stopReason !== undefined ? `; stopped early: ${run.stopReason}` : '';
      process.stdout.write(`${counts.failed > 0 || stoppedEarly ? paint(RED, '✗') : paint(GREEN, '✔')} ${name}: ${countLine(counts).replace(/^pushspec: /, '')} (${seconds} s${stopped})\n`);
      return stoppedEarly ? { run, error: true } : { run };
    }
  }
  const reason = `pushspec run ended with ${signal ?? `exit ${exitCode}`} after ${seconds} s; see ${relative(process.cwd(), join(dir, 'run.log'))}`;
  process.stdout.write(`${paint(RED, '✗')} ${name}: not run, ${reason}\n`);
  return { notRun: { adapter: { name, source }, reason }, error: true };
}
