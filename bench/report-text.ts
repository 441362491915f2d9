/** The terminal table: each figure beside its target and its baseline. */
import type { BenchFigure, BenchReport, TechniqueCost } from './model.ts';
import { formatValue } from './stats.ts';

/** `sse`, `sse (HTTP/2)`. */
export function techniqueLabel(t: Pick<TechniqueCost, 'technique' | 'http'>): string {
  return t.http === '2' ? `${t.technique} (HTTP/2)` : t.technique;
}

/** What HTTP/2 saves (negative) or costs (positive) per message against HTTP/1.1, for one technique and workload of one run. */
export interface Http2Delta {
  technique: TechniqueCost['technique'];
  workload: string;
  http1Bytes: number;
  http2Bytes: number;
}

/** Pairs each HTTP/2 row with the HTTP/1.1 row of the same technique and workload (rows without a pair are left out). */
export function http2Pairs(rows: readonly TechniqueCost[]): Http2Delta[] {
  return rows.flatMap((h2) => {
    if (h2.http !== '2') return [];
    const h1 = rows.find((r) => r.http === '1.1' && r.technique === h2.technique && r.workload === h2.workload);
    return h1 === undefined ? [] : [{ technique: h2.technique, workload: h2.workload, http1Bytes: h1.bytesPerMessage, http2Bytes: h2.bytesPerMessage }];
  });
}

/** `longPolling · busy channel: 410 B → 95 B per message over HTTP/2 (saves 315 B, 77 %)`. */
export function http2DeltaText(d: Http2Delta): string {
  const diff = d.http2Bytes - d.http1Bytes;
  const share = d.http1Bytes > 0 ? `, ${formatValue((Math.abs(diff) / d.http1Bytes) * 100)} %` : '';
  return `${d.technique} · ${d.workload}: ${formatValue(d.http1Bytes)} B → ${formatValue(d.http2Bytes)} B per message over HTTP/2 (${diff <= 0 ? 'saves' : 'costs'} ${formatValue(Math.abs(diff))} B${diff <= 0 ? '' : ' more'}${share})`;
}

/** The derived lines: HTTP/2 against HTTP/1.1, bytes per message, per technique and workload. */
export function http2Deltas(rows: readonly TechniqueCost[]): string[] {
  return http2Pairs(rows).map((d) => `HTTP/2 vs HTTP/1.1, ${http2DeltaText(d)}`);
}

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
      out.push(line(['6', `${techniqueLabel(t)} · ${t.workload}`, `${formatValue(t.bytesPerMessage)} B · ${formatValue(t.requestsPerMessage)}`, `${formatValue(t.latencyP50Ms)} / ${formatValue(t.latencyP99Ms)} ms`, `${formatValue(t.serverCpuUsPerMessage)} µs`]));
    }
  }
  const deltas = http2Deltas(report.techniques);
  if (deltas.length > 0) out.push('', ...deltas);
  for (const s of report.skipped) out.push(`skipped ${s.id}: ${s.reason}`);
  out.push('', `machine: ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}${report.regressions.length ? ` · regressions applied: ${report.regressions.join(', ')}` : ''}`);
  return out.join('\n');
}
