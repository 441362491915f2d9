/**
 * Issue 14: the soak figures. `pushspec soak` against the embedded reference
 * (a child process: `node bin/pushspec.mjs soak --minutes 0.5`, quick 0.1),
 * its soak.json read back: per technique, messages lost + duplicated +
 * reordered (target 0) and the delivery latency's p95 over the run, and
 * pushspec's own peak RSS. One run: the soak is itself a long measurement.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SoakResult } from '../../soak/run-soak.ts';
import type { BenchFigure } from '../model.ts';
import type { BenchContext, Scenario, ScenarioResult } from '../scenario.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

function single(value: number): Pick<BenchFigure, 'samples' | 'median' | 'min' | 'max'> {
  return { samples: [value], median: value, min: value, max: value };
}

async function run(context: BenchContext): Promise<ScenarioResult> {
  const minutes = context.quick ? 0.1 : 0.5;
  const reportDir = await mkdtemp(join(tmpdir(), 'pushspec-bench-soak-'));
  try {
    const child = spawn(process.execPath, ['bin/pushspec.mjs', 'soak', '--minutes', String(minutes), '--report-dir', reportDir], { cwd: REPO, stdio: 'ignore' });
    // The soak holds its own deadlines; this only guards the benchmark against a hang.
    const killer = setTimeout(() => child.kill('SIGKILL'), minutes * 60_000 + 60_000);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearTimeout(killer);
    const result = JSON.parse(await readFile(join(reportDir, 'soak.json'), 'utf8')) as SoakResult;
    const figures: BenchFigure[] = [];
    const setting = `${result.durationS} s, ${result.ratePerTechnique} msg/s and ${result.subscribersPerTechnique} subscribers per technique, each cut every ${result.cutEveryMs[0]}–${result.cutEveryMs[1]} ms and resumed; exit ${code}`;
    for (const t of result.techniques) {
      figures.push({
        id: `soak-${t.technique}-faults`,
        item: 8,
        title: `Soak, ${t.technique}: messages lost + duplicated + reordered`,
        subject: 'reference',
        unit: 'messages',
        better: 'lower',
        ...single(t.lost + t.duplicated + t.reordered),
        target: { text: '0', met: t.lost + t.duplicated + t.reordered === 0 },
        notes: [setting, `${t.published} published, ${t.delivered} delivered; ${t.lost} lost, ${t.duplicated} duplicated, ${t.reordered} reordered; ${t.reconnects} reconnects (${t.resume})`],
      });
      if (t.latency.p95Ms !== null) {
        const slices = t.latency.slices.map((s) => s.p95Ms ?? '-').join(' / ');
        figures.push({
          id: `soak-${t.technique}-latency-p95`,
          item: 8,
          title: `Soak, ${t.technique}: delivery latency p95, publish request to first receipt`,
          subject: 'reference',
          unit: 'ms',
          better: 'lower',
          ...single(t.latency.p95Ms),
          notes: [`p50 ${t.latency.p50Ms} ms, max ${t.latency.maxMs} ms over ${t.latency.count} receipts`, `p95 per ${result.sliceS} s slice: ${slices}`, ...(t.technique === 'polling' ? ['includes the 100 ms between polls'] : [])],
        });
      }
    }
    figures.push({
      id: 'soak-pushspec-rss',
      item: 8,
      title: "Soak: pushspec's own peak memory (RSS), reference in the same process",
      subject: 'pushspec soak',
      unit: 'MiB',
      better: 'lower',
      ...single(result.rss.peakMb),
      notes: [setting, `per ${result.sliceS} s slice: ${result.rss.slices.map((s) => s.maxMb ?? '-').join(' / ')} MB`],
    });
    context.log(`soak ${result.durationS} s: ${result.totals.published} published, ${result.totals.lost} lost, ${result.totals.duplicated} duplicated, ${result.totals.reordered} reordered; peak RSS ${result.rss.peakMb} MB`);
    return { figures };
  } finally {
    await rm(reportDir, { recursive: true, force: true });
  }
}

export const soakScenario: Scenario = {
  id: 'soak',
  item: 8,
  title: 'Soak: continuous publishing with subscribers cut at random, against the reference',
  run,
};
