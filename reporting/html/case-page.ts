/**
 * One requirement checked against one adapter (cases/<adapter>/<ID>.html):
 * the verdict, why, and the HTTP transcript that shows it.
 */
import { Buffer } from 'node:buffer';
import { STATUS_CODES } from 'node:http';
import type { AdapterRun, HttpExchange, RequirementResult, Summary } from '../../verdicts/model.ts';
import { formatDuration, formatFigure, formatNumber, techniqueLabel } from '../format.ts';
import { verdictColour } from '../verdict-style.ts';
import { html } from './escape.ts';
import type { SafeHtml } from './escape.ts';
import { renderPage, verdictBadge } from './layout.ts';
import { renderFrames } from './frames.ts';
import { renderSequence } from './sequence.ts';
import { sourceHref } from './model-page.ts';
import { renderStreams } from './streams.ts';

/** Case pages live at cases/<adapter>/<ID>.html, two folders below the index. */
const INDEX = '../../index.html';

/** Renders the case page of `result`, a result of `run`. */
export function renderCasePage(summary: Summary, run: AdapterRun, result: RequirementResult): string {
  const { evidence } = result;
  const source = sourceHref(result.source.url, 2);
  const body = html`
<nav class="crumbs" aria-label="Breadcrumb"><a href="${INDEX}">Conformance matrix</a> › <a href="${INDEX}#req-${encodeURIComponent(result.id)}">${result.id}</a> › ${run.adapter.name}</nav>
<h1><code>${result.id}</code><br>${result.title}</h1>
<dl class="facts">
  <dt>Verdict</dt><dd class="verdict">${verdictBadge(result.verdict)}</dd>
  <dt>Level</dt><dd><span class="level">${result.level}</span></dd>
  <dt>Technique</dt><dd>${techniqueLabel(result.technique)}</dd>
  <dt>Source</dt><dd>${source ? html`<a href="${source}">${result.source.label}</a>` : result.source.label}</dd>
  ${result.source.quote !== undefined && html`<dt>It says</dt><dd><blockquote class="quote">${result.source.quote}</blockquote>${result.source.note !== undefined && html`<p class="muted">Level: ${result.source.note}</p>`}</dd>`}
  <dt>Adapter</dt><dd>${run.adapter.name} · <span class="mono">${run.adapter.baseUrl}</span></dd>
  <dt>Duration</dt><dd>${formatDuration(result.durationMs)}</dd>
  ${result.verdict === 'not-run' && html`<dt>Not run</dt><dd class="pre">${result.message ?? 'the run stopped before this case was judged'}</dd>`}
  ${result.verdict !== 'not-run' && result.message !== undefined && evidence.expected === undefined && html`<dt>Message</dt><dd class="pre">${result.message}</dd>`}
</dl>
${(evidence.expected !== undefined || evidence.actual !== undefined) && html`
<h2>Expected / Observed</h2>
<div class="diff" style="border-left-color:${verdictColour(result.verdict)}"><dl>
  <dt>Requirement</dt><dd>${result.id} ${result.title}</dd>
  ${evidence.expected !== undefined && html`<dt>Expected:</dt><dd>${evidence.expected}</dd>`}
  ${evidence.actual !== undefined && html`<dt>Actual:</dt><dd>${evidence.actual}</dd>`}
</dl></div>`}
${result.examples !== undefined && html`
<h2>Examples <span class="muted">(${result.examples.length})</span></h2>
<table class="figures examples"><thead><tr><th scope="col">Verdict</th><th scope="col">Example</th><th scope="col">Close</th><th scope="col">What happened</th></tr></thead><tbody>
${result.examples.map((e) => html`<tr><td>${verdictBadge(e.verdict)}</td><td>${e.name}</td><td class="mono">${e.closeOutcome ?? ''}</td><td class="pre">${e.message ?? ''}</td></tr>`)}
</tbody></table>
<p class="muted">The evidence below is the worst example's.</p>`}
${evidence.closeOutcome !== undefined && html`<p><strong>Close outcome:</strong> <span class="mono">${evidence.closeOutcome}</span></p>`}
${result.scenario !== undefined && html`
<h2>How it was checked</h2>
<p class="muted">Scenario “${result.scenario.name}” in <span class="mono">${result.scenario.uri}</span></p>
<pre class="steps">${result.scenario.steps.join('\n')}</pre>`}
${renderSequence(evidence)}
${evidence.figures.length > 0 && html`
<h2>Figures</h2>
<table class="figures"><thead><tr><th scope="col">Measure</th><th scope="col">Value</th></tr></thead><tbody>
${evidence.figures.map((f) => html`<tr><td>${f.name}</td><td class="num">${formatFigure(f)}</td></tr>`)}
</tbody></table>`}
${evidence.notes.length > 0 && html`
<h2>Notes</h2>
<ul class="notes">${evidence.notes.map((n) => html`<li>${n}</li>`)}</ul>`}
${renderFrames(evidence.frames, evidence.omittedFrames)}
${renderStreams(evidence.streams)}
${renderTranscript(run, result)}`;
  return renderPage({
    title: `${result.id} · ${run.adapter.name} · ${summary.tool.name}`,
    body,
    tool: summary.tool,
  });
}

/** Every recorded exchange, in the order they started, each one collapsible. */
function renderTranscript(run: AdapterRun, result: RequirementResult): SafeHtml {
  const { exchanges, omittedExchanges } = result.evidence;
  // Stable sort: concurrent requests keep the recorder's order.
  const ordered = [...exchanges].sort((a, b) => a.startedAtMs - b.startedAtMs);
  const count = `${exchanges.length} exchange${exchanges.length === 1 ? '' : 's'}`;
  return html`
<h2>Transcript <span class="muted">(${count})</span></h2>
${exchanges.length === 0 && omittedExchanges === 0 && html`<p class="muted">No HTTP exchanges were recorded.</p>`}
${ordered.map((x) => renderExchange(x, run.adapter.baseUrl))}
${omittedExchanges > 0 && html`<p class="muted">${omittedExchanges} more exchange${omittedExchanges === 1 ? '' : 's'} not recorded.</p>`}`;
}

/** One exchange: a one-line summary; request and response inside. */
function renderExchange(x: HttpExchange, baseUrl: string): SafeHtml {
  let outcome: string;
  if (x.status !== undefined) outcome = `${x.status}${x.error !== undefined ? `, then error: ${x.error}` : ''}`;
  else outcome = x.error !== undefined ? `error: ${x.error}` : 'no response';
  const took = x.endedAtMs !== undefined ? ` (${formatNumber(Math.round(x.endedAtMs - x.startedAtMs))} ms)` : '';
  const line = `+${formatNumber(Math.round(x.startedAtMs))} ms  ${x.actor}  ${x.method} ${displayUrl(x.url, baseUrl)} → ${outcome}${took}${x.annotation !== undefined ? `  · ${x.annotation}` : ''}`;
  const request = [`${x.method} ${x.url}`, ...headerLines(x.requestHeaders)].join('\n');
  return html`<details class="x"><summary>${line}</summary><div class="msg">
<h4>Request</h4><pre>${request}${x.requestBody !== undefined && `\n\n${x.requestBody}`}</pre>
${x.status !== undefined && renderResponse(x, x.status)}
${x.error !== undefined && html`<h4>Error</h4><pre class="err">${x.error}</pre>`}
</div></details>
`;
}

/** Status line, headers and the (possibly cut) body of a response. */
function renderResponse(x: HttpExchange, status: number): SafeHtml {
  const reason = STATUS_CODES[status];
  const head = [`${status}${reason ? ` ${reason}` : ''}`, ...headerLines(x.responseHeaders ?? {})].join('\n');
  const shown = x.responseBody === undefined ? 0 : Buffer.byteLength(x.responseBody, 'utf8');
  // The recorder cuts long bodies (an SSE stream can be megabytes); say so.
  const cut = x.responseBytes !== undefined && x.responseBytes > shown;
  return html`<h4>Response</h4><pre>${head}${x.responseBody !== undefined && `\n\n${x.responseBody}`}</pre>
${cut && html`<p class="muted">Body cut: showing ${shown} of ${x.responseBytes} bytes.</p>`}`;
}

function headerLines(headers: Record<string, string>): string[] {
  return Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
}

/** A URL on the adapter's own origin as path and query, as a reader would write it; anything else in full. */
function displayUrl(url: string, baseUrl: string): string {
  try {
    const parsed = new URL(url);
    return parsed.origin === new URL(baseUrl).origin ? parsed.pathname + parsed.search : url;
  } catch {
    return url;
  }
}
