/**
 * `npm run bench [-- --quick] [--only <id>,...] [--regression sync-log] [--report-dir reports/bench]`
 *
 * Runs the benchmark scenarios one after the other (never two at once: they
 * would measure each other), prints each figure beside its target and
 * baseline, and writes reports/bench/bench.json and index.html. A benchmark,
 * not a test: it exits 0 whatever the figures, 1 only when a scenario could
 * not run to its end, 2 for a bad option.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { toolVersion } from '../verdicts/catalogue.ts';
import { BENCH_SCHEMA_VERSION, type BenchReport } from './model.ts';
import { renderBenchPage } from './report-html.ts';
import { renderBenchTable } from './report-text.ts';
import type { BenchContext } from './scenario.ts';
import { SCENARIOS } from './scenarios/index.ts';

/** Deliberate slowdowns `--regression` knows, and the module that applies each. */
const REGRESSIONS: Record<string, string> = { 'sync-log': new URL('./regressions/sync-log.ts', import.meta.url).pathname };

function usage(problem: string): never {
  process.stderr.write(`pushspec bench: ${problem}\nUsage: npm run bench -- [--quick] [--only ${SCENARIOS.map((s) => s.id).join(',')}] [--regression ${Object.keys(REGRESSIONS).join('|')}] [--report-dir reports/bench]\n`);
  process.exit(2);
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        regression: { type: 'string', multiple: true, default: [] },
        'report-dir': { type: 'string', default: join('reports', 'bench') },
      },
    });
  } catch (error) {
    usage((error as Error).message);
  }
  const { values } = parsed;
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  for (const id of only ?? []) if (!SCENARIOS.some((s) => s.id === id)) usage(`--only: no scenario "${id}"`);
  const regressions = values.regression ?? [];
  for (const name of regressions) if (REGRESSIONS[name] === undefined) usage(`--regression: no regression "${name}"`);
  const quick = values.quick === true;
  const context: BenchContext = {
    quick,
    repetitions: quick ? 3 : 5,
    regressions,
    referenceExecArgv: regressions.flatMap((name) => ['--import', REGRESSIONS[name]!]),
    log: (line) => process.stdout.write(`  ${line}\n`),
  };
  const started = performance.now();
  const report: BenchReport = {
    schemaVersion: BENCH_SCHEMA_VERSION,
    tool: { name: 'pushspec', version: toolVersion() },
    generatedAt: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform} ${process.arch}` },
    regressions,
    durationMs: 0,
    figures: [],
    techniques: [],
    skipped: [],
  };
  let failed = 0;
  for (const scenario of SCENARIOS.filter((s) => only === undefined || only.includes(s.id))) {
    process.stdout.write(`${scenario.item}. ${scenario.title}\n`);
    const t0 = performance.now();
    try {
      const result = await scenario.run(context);
      report.figures.push(...result.figures);
      report.techniques.push(...(result.techniques ?? []));
      report.skipped.push(...(result.skipped ?? []));
    } catch (error) {
      failed++;
      report.skipped.push({ id: scenario.id, reason: `failed: ${(error as Error).message}` });
      process.stdout.write(`  ✗ ${scenario.id} failed: ${(error as Error).stack ?? String(error)}\n`);
    }
    process.stdout.write(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  }
  report.durationMs = Math.round(performance.now() - started);
  const dir = resolve(values['report-dir'] ?? join('reports', 'bench'));
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(dir, 'index.html'), renderBenchPage(report));
  process.stdout.write(`\n${renderBenchTable(report)}\n\nWrote ${relative(process.cwd(), join(dir, 'index.html'))} and bench.json in ${(report.durationMs / 1000).toFixed(0)} s\n`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main();
