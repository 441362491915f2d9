/**
 * Item 7 of issue 8: harness speed. The wall time of the whole conformance
 * suite against the embedded reference server, `node bin/pushspec.mjs run
 * --report-dir <tmp dir>`, from spawning the process to its exit, so Node's
 * start-up, the reference server's start and the reports count too: it is
 * what a user waits for. Target: at most 30 s for all four techniques on 2
 * cores (issue 15, with some 550 WebSocket cases; issue 8 asked for 60 s),
 * with the number of cases run beside it, and the figures Autobahn's
 * category 9 cases reported in the first run (issue 15), one figure per
 * family: each case's duration, its rate in the notes.
 *
 * No warm-up run: every run is a fresh process, so there is nothing a first
 * run would warm for a second one, and a cold start is what is measured.
 * Two repetitions (full). `--quick` runs only `--tags @polling`, once, to
 * show the harness still runs; its time says nothing about the target,
 * which is then not judged.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchFigure } from '../model.ts';
import type { BenchContext, Scenario, ScenarioResult } from '../scenario.ts';
import { formatValue, summarize } from '../stats.ts';
import { CATEGORY_9_FAMILIES, readSuiteCases, type SuiteCases } from './suite-cases.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const FULL_REPETITIONS = 2;
const QUICK_REPETITIONS = 1;
const TARGET_S = 30;

interface SuiteRun {
  seconds: number;
  exitCode: number | null;
  totals: Record<string, number> | undefined;
  cases: SuiteCases;
}

/** Runs the suite once into a fresh report dir; kills it at the deadline. */
async function runSuite(args: string[], execArgv: string[], deadlineMs: number): Promise<SuiteRun> {
  const reportDir = await mkdtemp(join(tmpdir(), 'pushspec-bench-suite-'));
  try {
    const started = performance.now();
    const child = spawn(process.execPath, [...execArgv, join(REPO, 'bin', 'pushspec.mjs'), 'run', '--report-dir', reportDir, '--no-color', ...args], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
    const [exitCode, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    clearTimeout(timer);
    const seconds = (performance.now() - started) / 1000;
    if (signal !== null) throw new Error(`the suite did not finish within ${deadlineMs / 1000} s (killed)`);
    // Exit 1 (a MUST failed) still ran the whole suite; 2–4 mean it could not run.
    if (exitCode !== 0 && exitCode !== 1) throw new Error(`the suite exited ${exitCode}: ${stderr.trim().split('\n').slice(-3).join(' / ')}`);
    const summary = JSON.parse(await readFile(join(reportDir, 'summary.json'), 'utf8')) as { runs?: Array<{ totals?: Record<string, number> }> };
    const cases = readSuiteCases(await readFile(join(reportDir, 'messages.ndjson'), 'utf8'));
    return { seconds, exitCode, totals: summary.runs?.[0]?.totals, cases };
  } finally {
    await rm(reportDir, { recursive: true, force: true });
  }
}

async function run(context: BenchContext): Promise<ScenarioResult> {
  const args = context.quick ? ['--tags', '@polling'] : [];
  const repetitions = context.quick ? QUICK_REPETITIONS : FULL_REPETITIONS;
  const runs: SuiteRun[] = [];
  for (let i = 0; i < repetitions; i++) {
    const result = await runSuite(args, context.referenceExecArgv, context.quick ? 60_000 : 150_000);
    runs.push(result);
    context.log(`run ${i + 1}/${repetitions}: ${result.seconds.toFixed(1)} s, ${result.cases.caseCount} cases, exit ${result.exitCode}`);
  }
  const stats = summarize(runs.map((r) => r.seconds));
  const totals = runs[0]!.totals;
  const notes = [
    context.quick
      ? 'QUICK MODE: only the @polling scenarios (--tags @polling), once; not the full suite, so the target is not judged'
      : `the full suite, all four techniques: ${FULL_REPETITIONS} repetitions`,
    'no warm-up run: each run is a fresh process, so nothing carries over from one to the next, and a cold start is part of what a user waits for',
    'wall time from spawning `node bin/pushspec.mjs run --report-dir <tmp dir>` to its exit (Node start-up, embedded reference server, every scenario, the reports)',
    totals === undefined ? 'no totals in summary.json' : `results: ${Object.entries(totals).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `cases run (scenarios and Examples rows): ${runs.map((r) => r.cases.caseCount).join(', ')}`,
  ];
  if (runs.some((r) => r.exitCode === 1)) notes.push('a MUST failed in at least one run (exit 1): the time is still the whole suite');
  if (context.regressions.length) notes.push(`regressions ${context.regressions.join(', ')} applied to the suite process (the embedded reference server and the harness share it)`);
  const figure: BenchFigure = {
    id: 'suite-wall-time',
    item: 7,
    title: context.quick ? 'Harness speed: conformance suite, @polling scenarios only (quick mode)' : 'Harness speed: full conformance suite against the embedded reference server',
    subject: 'pushspec run (embedded reference server)',
    unit: 's',
    better: 'lower',
    ...stats,
    target: context.quick ? { text: `under ${TARGET_S} s for the full suite on 2 cores (not judged in quick mode)` } : { text: `under ${TARGET_S} s on 2 cores`, met: stats.median < TARGET_S },
    notes,
  };
  return { figures: [figure, ...category9Figures(runs[0]!.cases)] };
}

/** One figure per category 9 family: its cases' durations as samples, each case's duration and rate in the notes. */
function category9Figures(cases: SuiteCases): BenchFigure[] {
  return Object.entries(CATEGORY_9_FAMILIES).flatMap(([family, words]) => {
    const timed = cases.timed.filter((c) => c.id.startsWith(`${family}.`) && c.durationMs !== undefined);
    if (timed.length === 0) return [];
    return [
      {
        id: `suite-autobahn-${family.replace('.', '-')}`,
        item: 7,
        title: `Autobahn ${family}.x in the suite: ${words}, duration per case`,
        subject: 'pushspec run (embedded reference server)',
        unit: 'ms',
        better: 'lower' as const,
        ...summarize(timed.map((c) => c.durationMs!)),
        notes: [
          'from the first run; each case shares the machine with the rest of the suite (12 cases at once), so these are figures, never judged',
          timed.map((c) => `${c.id} ${formatValue(c.durationMs!)} ms${c.mibPerSecond === undefined ? '' : `, ${formatValue(c.mibPerSecond)} MiB/s`}`).join('; '),
        ],
      },
    ];
  });
}

export const suiteSpeedScenario: Scenario = {
  id: 'suite-speed',
  item: 7,
  title: 'Harness speed: wall time of the conformance suite against the embedded reference server',
  run,
};
