/** The terminal table: each figure beside its target and its baseline. */
import type { BenchFigure, BenchReport } from './model.ts';
import { formatValue } from './stats.ts';

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** `1,234 msg/s (1,200–1,260)`. */
export function figureText(f: BenchFigure): string {
  const spread = f.samples.length > 1 ? ` (${formatValue(f.min)}–${formatValue(f.max)})` : '';
  return `${formatValue(f.median)} ${f.unit}${spread}`;
}

export function targetText(f: BenchFigure): string {
  if (f.target === undefined) return '';
  const mark = f.target.met === undefined ? '·' : f.target.met ? '✔' : '✗';
  return `${mark} ${f.target.text}`;
}

export function baselineText(f: BenchFigure): string {
  if (f.baseline === undefined) return '';
  return `${f.baseline.name} ${formatValue(f.baseline.median)} ${f.unit} → ${formatValue(f.baseline.ratio * 100)} %`;
}

export function renderBenchTable(report: BenchReport): string {
  const rows = report.figures.map((f) => [`${f.item}`, `${f.title} [${f.subject}]`, figureText(f), targetText(f), baselineText(f)]);
  const head = ['#', 'figure', 'median (min–max)', 'target', 'baseline (same run)'];
  const widths = head.map((h, i) => Math.min(70, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!)).join('  ').trimEnd();
  const out = [line(head), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)];
  if (report.techniques.length > 0) {
    out.push('', 'Technique comparison (item 6)');
    out.push(line(['', 'technique / workload', 'bytes · requests per message', 'latency p50 / p99', 'server CPU per message']));
    for (const t of report.techniques) {
      out.push(line(['6', `${t.technique} · ${t.workload}`, `${formatValue(t.bytesPerMessage)} B · ${formatValue(t.requestsPerMessage)}`, `${formatValue(t.latencyP50Ms)} / ${formatValue(t.latencyP99Ms)} ms`, `${formatValue(t.serverCpuUsPerMessage)} µs`]));
    }
  }
  for (const s of report.skipped) out.push(`skipped ${s.id}: ${s.reason}`);
  out.push('', `machine: ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}${report.regressions.length ? ` · regressions applied: ${report.regressions.join(', ')}` : ''}`);
  return out.join('\n');
}
