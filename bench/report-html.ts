/**
 * reports/bench/index.html: the figures with their targets and baselines, a
 * chart per figure group (subject against baseline), and the technique
 * comparison as a table and charts. Self-contained: inline CSS and SVG, no
 * script, no network.
 */
import { renderBarChart } from '../reporting/html/bar-chart.ts';
import { html, type SafeHtml } from '../reporting/html/escape.ts';
import type { BenchFigure, BenchReport, TechniqueCost } from './model.ts';
import { baselineText, figureText, http2DeltaText, http2Pairs, targetText } from './report-text.ts';
import { formatValue } from './stats.ts';

const TECHNIQUE_LABELS: Record<TechniqueCost['technique'], string> = { polling: 'Ajax polling', longPolling: 'HTTP long-polling', sse: 'Server-Sent Events', websocket: 'WebSockets' };

/** `Server-Sent Events`, `Server-Sent Events (HTTP/2)`. */
const rowLabel = (t: TechniqueCost): string => `${TECHNIQUE_LABELS[t.technique]}${t.http === '2' ? ' (HTTP/2)' : ''}`;

const STYLE = `body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1f2328;margin:0 auto;max-width:1100px;padding:1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border-bottom:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
td.num{font-variant-numeric:tabular-nums}td.fig{width:42%}.subject{font-weight:600}
details summary{cursor:pointer;font-size:.85rem}details p{font-size:.85rem;margin:.2rem 0}.met{color:#1a7f37}.missed{color:#cf222e}.muted{color:#57606a}
div.charts{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem}figure.chart{margin:0;flex:1 1 22rem;max-width:27rem}
figure.chart svg{display:block;max-width:100%;height:auto;font:12px system-ui,sans-serif}figure.chart rect{fill:#0969da}
figure.chart .bar-baseline rect{fill:#8c959f}figure.chart text.tick{fill:#57606a;font-size:11px}figure.chart line.axis{stroke:#d0d7de}
figure.chart .chart-head{font-weight:600;font-size:.9rem}figure.chart .chart-caption{margin:.3rem 0 0;font-size:.8rem}
@media print{body{max-width:none}}`;

function targetCell(f: BenchFigure): SafeHtml {
  if (f.target === undefined) return html`<td class="muted">–</td>`;
  const cls = f.target.met === undefined ? 'muted' : f.target.met ? 'met' : 'missed';
  return html`<td class="${cls}">${targetText(f)}</td>`;
}

function figureRow(f: BenchFigure): SafeHtml {
  // How it was measured can run to a paragraph: folded, so the table stays a table.
  const notes = f.notes?.length ? html`<details><summary class="muted">how it was measured</summary><p class="muted">${f.notes.join(' · ')}</p></details>` : '';
  return html`<tr><td>${f.item}</td><td class="fig">${f.title} <span class="subject">[${f.subject}]</span>${notes}</td><td class="num">${figureText(f)}</td>${targetCell(f)}<td class="num">${baselineText(f) || '–'}</td></tr>`;
}

/** A chart per figure that has a baseline: the subject's median beside the baseline's. */
function baselineCharts(report: BenchReport): SafeHtml {
  const charts = report.figures
    .filter((f) => f.baseline !== undefined)
    .map((f, i) =>
      renderBarChart({
        id: `bench-${i}`,
        heading: f.title,
        title: `${f.title}: ${f.subject} against ${f.baseline!.name}`,
        unit: f.unit,
        bars: [
          { label: f.subject, value: f.median, text: `${formatValue(f.median)} ${f.unit}` },
          { label: f.baseline!.name, value: f.baseline!.median, text: `${formatValue(f.baseline!.median)} ${f.unit}`, className: 'bar-baseline' },
        ],
        caption: `${formatValue(f.baseline!.ratio * 100)} % of the baseline, in the same run (${f.better} is better).`,
      }),
    );
  return html`<div class="charts">${charts}</div>`;
}

function techniqueSection(report: BenchReport): SafeHtml {
  if (report.techniques.length === 0) return html``;
  const workloads = [...new Set(report.techniques.map((t) => t.workload))];
  const pairs = http2Pairs(report.techniques);
  const metric = (name: string, unit: string, pick: (t: TechniqueCost) => number, workload: string, i: number) =>
    renderBarChart({
      id: `tech-${i}-${name.replace(/\W+/g, '-')}`,
      heading: `${name} · ${workload}`,
      title: `${name} per technique, ${workload}`,
      unit,
      bars: report.techniques.filter((t) => t.workload === workload).map((t) => ({ label: rowLabel(t), value: pick(t), text: `${formatValue(pick(t))} ${unit}`, className: `bar-${t.technique}` })),
      caption: '',
    });
  return html`<h2>The four techniques, measured (item 6)</h2>
<p class="muted">The design note's comparison, with numbers from this machine: what it costs to deliver one message with each technique. Ajax polling, long-polling and SSE also ran over HTTP/2 (h2c) in the same run, each row beside its HTTP/1.1 one.</p>
<table><thead><tr><th>technique</th><th>HTTP</th><th>workload</th><th>bytes / message</th><th>requests / message</th><th>latency p50 / p99</th><th>server CPU / message</th><th>notes</th></tr></thead>
<tbody>${report.techniques.map((t) => html`<tr><td>${TECHNIQUE_LABELS[t.technique]}</td><td>${t.http}</td><td>${t.workload}</td><td class="num">${formatValue(t.bytesPerMessage)} B</td><td class="num">${formatValue(t.requestsPerMessage)}</td><td class="num">${formatValue(t.latencyP50Ms)} / ${formatValue(t.latencyP99Ms)} ms</td><td class="num">${formatValue(t.serverCpuUsPerMessage)} µs</td><td>${t.notes?.length ? html`<details><summary class="muted">how it was measured</summary><p class="muted">${t.notes.join(' · ')}</p></details>` : ''}</td></tr>`)}</tbody></table>
${pairs.length ? html`<p>HTTP/2 against HTTP/1.1, bytes on the wire per message, same run (HPACK sends a repeated header as an index, so requests that repeat their headers gain most):</p><ul>${pairs.map((d) => html`<li>${http2DeltaText(d)}</li>`)}</ul>` : ''}
${workloads.map((w, i) => html`<div class="charts">${metric('Bytes per message', 'B', (t) => t.bytesPerMessage, w, i)}${metric('Latency p50', 'ms', (t) => t.latencyP50Ms, w, i)}${metric('Server CPU per message', 'µs', (t) => t.serverCpuUsPerMessage, w, i)}</div>`)}`;
}

export function renderBenchPage(report: BenchReport): string {
  const m = report.machine;
  const body = html`<h1>pushspec benchmarks <span class="muted">· ${report.mode}</span></h1>
<p>${report.tool.name} ${report.tool.version} · <time datetime="${report.generatedAt}">${report.generatedAt}</time> · ${formatValue(report.durationMs / 1000)} s · machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}</p>
${report.regressions.length ? html`<p class="missed">Deliberate regressions applied to the reference server: ${report.regressions.join(', ')}.</p>` : ''}
<p class="muted">Each figure is the median of several repetitions after a warm-up, with the smallest and largest in brackets. Baselines ran beside the subject in the same invocation, so the machine's speed cancels out in the ratio. Nothing here is a test: no run fails on a figure.</p>
<h2>Figures</h2>
<table><thead><tr><th>#</th><th>figure</th><th>median (min–max)</th><th>target</th><th>baseline (same run)</th></tr></thead>
<tbody>${report.figures.map(figureRow)}</tbody></table>
${baselineCharts(report)}
${techniqueSection(report)}
${report.skipped.length ? html`<h2>Not measured</h2><ul>${report.skipped.map((s) => html`<li><code>${s.id}</code>: ${s.reason}</li>`)}</ul>` : ''}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>pushspec benchmarks</title><style>${STYLE}</style></head>
<body>${body.toString()}</body></html>
`;
}
