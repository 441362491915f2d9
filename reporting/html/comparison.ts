/**
 * "The four techniques, measured": for each run, what it measured per
 * technique, taken from the figures of a few requirements' results: how
 * quickly a published message reached a client (delivery latency) and, where
 * a case measured it, how one publish reached many clients (broadcast reach).
 * Small inline SVG bar charts put latency, requests and bytes per message
 * side by side, each on its own scale.
 */
import { TECHNIQUES } from '../../techniques/registry.ts';
import type { Technique } from '../../techniques/registry.ts';
import type { AdapterRun, Figure, RequirementResult } from '../../verdicts/model.ts';
import { formatFigure, formatNumber, techniqueLabel } from '../format.ts';
import { caseHref } from '../paths.ts';
import { html } from './escape.ts';
import type { SafeHtml } from './escape.ts';
import { renderBarChart } from './bar-chart.ts';
import { verdictBadge } from './layout.ts';

/** Where a technique's delivery latency comes from. */
interface LatencySource {
  id: string;
  figure: string;
  /** How the figure summarises several deliveries: `mean`, `p99`, or '' for one. */
  stat: string;
}

/** The figure each technique's delivery latency is read from. */
export const LATENCY_SOURCES: Readonly<Record<Technique, LatencySource>> = {
  polling: { id: 'POLL-INTERVAL-LATENCY', figure: 'mean delay', stat: 'mean' },
  longPolling: { id: 'LP-DELIVER-PROMPT', figure: 'publish to receipt', stat: '' },
  sse: { id: 'SSE-PROMPT', figure: 'mean publish to receipt', stat: 'mean' },
  websocket: { id: 'WS-PUSH-ALL', figure: 'p99 publish to receipt', stat: 'p99' },
};

/** Where a technique's broadcast reach comes from, for the techniques a case measures it for. */
const REACH_SOURCES: Partial<Record<Technique, { id: string; figure: string; noun: string }>> = {
  longPolling: { id: 'LP-BROADCAST-ALL', figure: 'p99 publish to receipt', noun: 'held polls' },
  websocket: { id: 'WS-PUSH-ALL', figure: 'p99 publish to receipt', noun: 'connections' },
};

/** Where a technique's cost per delivered message (requests and bytes) comes from. */
export const COST_SOURCES: Readonly<Record<Technique, string>> = {
  polling: 'POLL-INTERVAL-LATENCY',
  longPolling: 'LP-NO-GAP-LOSS',
  sse: 'SSE-PROMPT',
  websocket: 'WS-FULL-DUPLEX',
};

/** A figure read from a result, with the result it came from. */
export interface Measured {
  result: RequirementResult;
  figure: Figure;
}

/** One technique's row of the comparison. */
export interface TechniqueMeasures {
  technique: Technique;
  stat: string;
  latency?: Measured;
  reach?: Measured & { clients?: number; noun: string };
  /** Polling only: the interval the client polled at. */
  intervalMs?: number;
  /** Requests and bytes it took per delivered message. */
  cost?: { requests: Measured; bytes?: Measured };
}

function findFigure(run: AdapterRun, id: string, name: string): Measured | undefined {
  const result = run.results.find((r) => r.id === id);
  const figure = result?.evidence.figures.find((f) => f.name === name && Number.isFinite(f.value));
  return result && figure ? { result, figure } : undefined;
}

/** A figure in milliseconds, for the chart's one scale; `undefined` for a unit that is not a time. */
function inMs(figure: Figure): number | undefined {
  const unit = figure.unit.trim();
  if (unit === 'ms') return figure.value;
  if (unit === 's') return figure.value * 1000;
  return undefined;
}

/** What a run measured, one entry per technique in the usual order. */
export function measuresOf(run: AdapterRun): TechniqueMeasures[] {
  return TECHNIQUES.map((technique) => {
    const source = LATENCY_SOURCES[technique];
    const entry: TechniqueMeasures = { technique, stat: source.stat };
    const latency = findFigure(run, source.id, source.figure);
    if (latency) entry.latency = latency;
    if (technique === 'polling' && latency) {
      const interval = latency.result.evidence.figures.find((f) => f.name === 'poll interval');
      if (interval && Number.isFinite(interval.value)) entry.intervalMs = inMs(interval);
    }
    const requests = findFigure(run, COST_SOURCES[technique], 'requests per message');
    const bytes = findFigure(run, COST_SOURCES[technique], 'bytes per message');
    if (requests) entry.cost = { requests, ...(bytes ? { bytes } : {}) };
    const reachSource = REACH_SOURCES[technique];
    const reach = reachSource && findFigure(run, reachSource.id, reachSource.figure);
    if (reachSource && reach) entry.reach = { ...reach, noun: reachSource.noun, clients: clientCount(reach.result, reachSource.noun) };
    return entry;
  });
}

/** How many clients a broadcast reached: the `held polls` figure, or the scenario's "N clients". */
function clientCount(result: RequirementResult, noun: string): number | undefined {
  const counted = result.evidence.figures.find((f) => f.name === noun && Number.isFinite(f.value));
  if (counted) return counted.value;
  for (const step of result.scenario?.steps ?? []) {
    const match = /\b(\d+) clients\b/.exec(step);
    if (match?.[1]) return Number(match[1]);
  }
  return undefined;
}

/** `42.4 ms mean`, `2.4 ms p99`, `0.8 ms`. */
function latencyText(entry: TechniqueMeasures, figure: Figure): string {
  return `${formatFigure(figure)}${entry.stat ? ` ${entry.stat}` : ''}`;
}

/** The section, after the matrix; nothing when no adapter was run. */
export function renderComparison(runs: readonly AdapterRun[]): SafeHtml {
  if (runs.length === 0) return html``;
  return html`<section class="comparison" aria-labelledby="comparison-title">
<h2 id="comparison-title">The four techniques, measured</h2>
<p class="muted">Figures from the cases that measure delivery: the time from an acknowledged publish to the message reaching a client; what each delivered message cost in requests and in bytes received (response bodies, stream bytes or frame payloads); and, where a case measures it, how one publish reached many clients at once.</p>
<div class="measures">${runs.map((run, i) => renderRunMeasures(run, i))}</div>
</section>`;
}

function renderRunMeasures(run: AdapterRun, index: number): SafeHtml {
  const entries = measuresOf(run);
  return html`<section class="measure">
<h3>${run.adapter.name}</h3>
<table class="compare">
<thead><tr><th scope="col">Technique</th><th scope="col">Delivery latency</th><th scope="col">Per delivered message</th><th scope="col">Broadcast reach</th></tr></thead>
<tbody>${entries.map((entry) => renderMeasureRow(run, entry))}</tbody>
</table>
${renderCharts(run, entries, index)}
</section>`;
}

function renderMeasureRow(run: AdapterRun, entry: TechniqueMeasures): SafeHtml {
  const { latency, reach } = entry;
  const latencyCell = latency
    ? html`<td><span class="num">${latencyText(entry, latency.figure)}</span>${resultNote(run, latency.result, entry.intervalMs !== undefined ? `polling every ${formatNumber(entry.intervalMs)} ms` : '')}</td>`
    : html`<td class="muted">not measured</td>`;
  const reachCell = reach
    ? html`<td><span class="num">${reach.clients !== undefined ? `${formatNumber(reach.clients)} ${reach.noun}, ` : ''}p99 ${formatFigure(reach.figure)}</span>${resultNote(run, reach.result, '')}</td>`
    : html`<td class="muted">not measured</td>`;
  const cost = entry.cost;
  const costCell = cost
    ? html`<td><span class="num">${requestsText(cost.requests.figure.value)}${cost.bytes ? `, ${formatNumber(Math.round(cost.bytes.figure.value))} B` : ''}</span>${resultNote(run, cost.requests.result, '')}</td>`
    : html`<td class="muted">not measured</td>`;
  return html`<tr><th scope="row">${techniqueLabel(entry.technique)}</th>${latencyCell}${costCell}${reachCell}</tr>`;
}

/** `1.1 requests`, or for a stream or a socket that carries many messages, `1 request per 400 messages`. */
export function requestsText(perMessage: number): string {
  if (perMessage > 0 && perMessage < 1) return `1 request per ${formatNumber(Math.round(1 / perMessage))} messages`;
  return `${formatNumber(Math.round(perMessage * 100) / 100)} request${perMessage === 1 ? '' : 's'}`;
}

/** Under a figure: the case it came from (a link), its verdict when it did not hold, and an optional detail. */
function resultNote(run: AdapterRun, result: RequirementResult, detail: string): SafeHtml {
  const held = result.verdict === 'pass' || result.verdict === 'informational';
  return html`<span class="fig muted">${detail ? `${detail} · ` : ''}<a href="${caseHref(run.adapter.name, result.id)}"><code>${result.id}</code></a>${held ? '' : html` ${verdictBadge(result.verdict)}`}</span>`;
}

/**
 * Three small charts side by side, one scale each: delivery latency, requests
 * per delivered message and bytes per delivered message.
 */
function renderCharts(run: AdapterRun, entries: readonly TechniqueMeasures[], index: number): SafeHtml {
  const label = (e: TechniqueMeasures): string => techniqueLabel(e.technique);
  const latency = renderBarChart({
    id: `latency-chart-${index}`,
    heading: 'Delivery latency',
    title: `Delivery latency per technique for ${run.adapter.name}`,
    unit: 'ms',
    bars: entries.flatMap((e) => {
      const ms = e.latency ? inMs(e.latency.figure) : undefined;
      return e.latency && ms !== undefined ? [{ label: label(e), value: ms, text: latencyText(e, e.latency.figure), className: `bar-${e.technique}` }] : [];
    }),
    caption: caption(entries),
  });
  const requests = renderBarChart({
    id: `requests-chart-${index}`,
    heading: 'Requests per delivered message',
    title: `Requests per delivered message per technique for ${run.adapter.name}`,
    unit: '',
    bars: entries.flatMap((e) => (e.cost ? [{ label: label(e), value: e.cost.requests.figure.value, text: formatNumber(round2(e.cost.requests.figure.value)), className: `bar-${e.technique}` }] : [])),
    caption: 'HTTP requests (or connections) opened per message received; a stream or a socket serves many messages with one.',
  });
  const bytes = renderBarChart({
    id: `bytes-chart-${index}`,
    heading: 'Bytes per delivered message',
    title: `Bytes received per delivered message per technique for ${run.adapter.name}`,
    unit: 'B',
    bars: entries.flatMap((e) => (e.cost?.bytes ? [{ label: label(e), value: e.cost.bytes.figure.value, text: `${formatNumber(Math.round(e.cost.bytes.figure.value))} B`, className: `bar-${e.technique}` }] : [])),
    caption: 'Response bodies, stream bytes or frame payloads received per message (headers not counted).',
  });
  const charts = [latency, requests, bytes].filter((c): c is SafeHtml => c !== undefined);
  if (latency === undefined) charts.unshift(html`<p class="muted">No delivery latency was measured in this run.</p>`);
  return html`<div class="charts">${charts}</div>`;
}

/** One line on what the bars measure, with the poll interval when it is known. */
function caption(entries: readonly TechniqueMeasures[]): string {
  const interval = entries.find((e) => e.technique === 'polling')?.intervalMs;
  const polling = interval !== undefined
    ? `polling's delay includes waiting for the next poll: about half the ${formatNumber(interval)} ms interval (≈${formatNumber(interval / 2)} ms) on average`
    : `polling's delay includes waiting for the next poll: about half the interval on average`;
  const ws = entries.some((e) => e.technique === 'websocket' && e.latency) ? ' (the WebSocket bar is the p99 over every connection)' : '';
  return `Time from an acknowledged publish to receipt; ${polling}, while long-polling, SSE and WebSockets deliver at once${ws}.`;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
