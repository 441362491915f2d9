/**
 * The pieces `pushspec matrix` (servers) and `pushspec clients` (clients)
 * share when they run several adapters one after the other into one merged
 * report: the bundled adapters of a folder, one child `pushspec` process per
 * adapter, the line for an adapter whose program is not installed, and the
 * comparison with (or recording of) the expected verdicts.
 *
 * Each adapter runs in its own process: one that hangs or crashes costs one
 * column, and every run starts from a clean process.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, readdirSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { RequiredProgram } from '../adapters/contract/definition.ts';
import { CLI_ENTRY } from '../core/package.ts';
import { EXIT } from '../core/errors.ts';
import type { Catalogue } from '../verdicts/catalogue.ts';
import { compareWithExpected, recordVerdicts, writeExpected, type ExpectedVerdicts } from '../verdicts/expected.ts';
import { readSummary } from '../verdicts/summary.ts';
import { VERDICT_STYLES } from '../reporting/verdict-style.ts';
import type { AdapterRun, NotRunTarget } from '../verdicts/model.ts';
import { countLine, countVerdicts } from '../verdicts/outcome.ts';
import { DIM, type Painter } from './color.ts';

/** SGR colours of the matrix's own lines, those of pass and fail everywhere else. */
export const GREEN = VERDICT_STYLES.pass.ansi;
export const RED = VERDICT_STYLES.fail.ansi;

/** The longest one adapter's run may take before it is stopped and reported as not run. */
const RUN_DEADLINE_MS = 10 * 60_000;

/** The file an adapter's folder describes it in: JSON, or a module for protocols that need code. */
const ADAPTER_FILES = ['adapter.json', 'adapter.ts', 'adapter.mjs'];

/** The bundled adapters of `root`: every <root>/<name>/adapter.json (or adapter.ts, adapter.mjs), in name order. */
export function bundledAdapters(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && ADAPTER_FILES.some((file) => existsSync(join(root, entry.name, file))))
    .map((entry) => join(root, entry.name, ADAPTER_FILES.find((file) => existsSync(join(root, entry.name, file)))!))
    .sort();
}

/** One adapter's outcome: its run (stopped early: `error`), or why there is none. */
export type Outcome = { run: AdapterRun; error?: boolean } | { notRun: NotRunTarget; error: boolean };

/** The outcome of an adapter whose program is not installed (not an error: install it to check it), its line printed. */
export function notInstalled(adapter: { name: string; source: string }, program: RequiredProgram, paint: Painter): Outcome {
  const notRun: NotRunTarget = { adapter: { name: adapter.name, source: adapter.source }, reason: `${program.name} is not installed`, install: program.install };
  process.stdout.write(`${paint(DIM, `· ${adapter.name}: not run, ${notRun.reason}; install with: ${program.install}`)}\n`);
  return { notRun, error: false };
}

/** A folder name for an adapter's own reports: its name, lower case, runs of other characters as `-`. */
export function folderName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-|-$/g, '') || 'adapter';
}

/**
 * Runs `pushspec <command...>` for one adapter in a child process, its output
 * in <dir>/run.log, and reads back the summary it wrote in <dir>.
 */
export async function runInChild(run: { name: string; source: string; dir: string; command: readonly string[] }, paint: Painter): Promise<Outcome> {
  const { name, source, dir } = run;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const log = createWriteStream(join(dir, 'run.log'));
  const args = [CLI_ENTRY, ...run.command, '--report-dir', dir, '--no-color'];
  const started = performance.now();
  process.stdout.write(`${paint(DIM, `… ${name}`)}\n`);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const timer = setTimeout(() => {
    log.write(`\npushspec: ${name} took longer than ${RUN_DEADLINE_MS} ms; stopped\n`);
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
  }, RUN_DEADLINE_MS);
  const [exitCode, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  log.end();
  await once(log, 'close');
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  // A run that stopped early (its server died: 3; its --deadline passed: 5) still reports what it judged.
  const stoppedEarly = exitCode === EXIT.UNREACHABLE || exitCode === EXIT.INCOMPLETE;
  if (exitCode === EXIT.OK || exitCode === EXIT.NONCONFORMANT || (stoppedEarly && existsSync(join(dir, 'summary.json')))) {
    const summary = await readSummary(join(dir, 'summary.json'));
    const result = summary.runs[0];
    if (result !== undefined && (!stoppedEarly || result.stopReason !== undefined)) {
      const counts = countVerdicts([result]);
      const stopped = result.stopReason !== undefined ? `; stopped early: ${result.stopReason}` : '';
      process.stdout.write(`${counts.failed > 0 || stoppedEarly ? paint(RED, '✗') : paint(GREEN, '✔')} ${name}: ${countLine(counts).replace(/^pushspec: /, '')} (${seconds} s${stopped})\n`);
      return stoppedEarly ? { run: result, error: true } : { run: result };
    }
  }
  const reason = `pushspec ${run.command[0]} ended with ${signal ?? `exit ${exitCode}`} after ${seconds} s; see ${relative(process.cwd(), join(dir, 'run.log'))}`;
  process.stdout.write(`${paint(RED, '✗')} ${name}: not run, ${reason}\n`);
  return { notRun: { adapter: { name, source }, reason }, error: true };
}

/**
 * Compares `runs` with the expected verdicts in `file`, or records them there
 * (`update`), printing what differs or needs an explanation; the exit code
 * that adds (0, or 1 for a difference or an unexplained fail).
 */
export async function settleExpected(options: { file: string; expected: ExpectedVerdicts; runs: readonly AdapterRun[]; update: boolean; catalogue: Catalogue; what: string }, paint: Painter): Promise<number> {
  const { file, expected, runs } = options;
  if (options.update) {
    const programs = Object.fromEntries(runs.map((r) => [r.adapter.name, expected.targets[r.adapter.name]?.server ?? r.adapter.name]));
    const { updated, unexplained } = recordVerdicts(expected, runs, programs, options.catalogue);
    await writeExpected(resolve(file), updated);
    process.stdout.write(`Recorded the verdicts of ${runs.length} ${options.what} in ${file}\n`);
    for (const line of unexplained) process.stdout.write(`  needs an explanation: ${line}\n`);
    return unexplained.length > 0 ? EXIT.NONCONFORMANT : EXIT.OK;
  }
  const problems = runs.flatMap((run) => compareWithExpected(run, expected.targets[run.adapter.name]));
  if (problems.length === 0) {
    process.stdout.write(`${paint(GREEN, '✔')} every verdict is the one ${file} expects\n`);
    return EXIT.OK;
  }
  process.stdout.write(`${paint(RED, '✗')} ${problems.length} difference(s) from ${file}:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
  return EXIT.NONCONFORMANT;
}
