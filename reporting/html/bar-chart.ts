/**
 * A small horizontal bar chart as inline SVG: one labelled bar per row on one
 * linear scale from zero, its value written beside it, and a `<title>` that
 * says every value so a screen reader (or a printout) loses nothing.
 */
import { formatNumber } from '../format.ts';
import { html } from './escape.ts';
import type { SafeHtml } from './escape.ts';

export interface Bar {
  label: string;
  value: number;
  /** The value as a reader says it, e.g. `1.8 ms mean`. */
  text: string;
  /** Extra class on the bar's group, e.g. `bar-polling`, for its colour. */
  className?: string;
}

export interface BarChartSpec {
  /** Unique in the page: the id of the chart's `<title>`. */
  id: string;
  /** Heading above the chart, e.g. `Delivery latency`. */
  heading: string;
  /** Spoken title: what the chart shows, for whom. */
  title: string;
  /** The unit written on the scale's end, e.g. `ms`. */
  unit: string;
  bars: readonly Bar[];
  /** One line under the chart on what the bars mean. */
  caption: string;
}

/** Layout, in SVG user units. */
const CHART = { width: 440, label: 122, value: 150, row: 26, bar: 14, axis: 22 } as const;

/** The chart, or `undefined` when there is no bar to draw. */
export function renderBarChart(spec: BarChartSpec): SafeHtml | undefined {
  const bars = spec.bars.filter((b) => Number.isFinite(b.value) && b.value >= 0);
  if (bars.length === 0) return undefined;
  const max = Math.max(...bars.map((b) => b.value));
  // Room for the longest label (about 6.5 units a character at 12px), so none is cut at the left edge.
  const labelWidth = Math.min(220, Math.max(CHART.label, Math.ceil(Math.max(...bars.map((b) => [...b.label].length)) * 6.5) + 12));
  const width = CHART.width - CHART.label + labelWidth;
  const span = width - labelWidth - CHART.value;
  const scale = max > 0 ? span / max : 0;
  const height = bars.length * CHART.row + CHART.axis;
  const axisY = bars.length * CHART.row + 4;
  const rows = bars.map((b, i) => {
    const mid = i * CHART.row + CHART.row / 2;
    const w = Math.max(2, b.value * scale);
    return html`<g class="bar${b.className ? ` ${b.className}` : ''}">
<text x="${labelWidth - 8}" y="${mid}" text-anchor="end" dominant-baseline="central">${b.label}</text>
<rect x="${labelWidth}" y="${mid - CHART.bar / 2}" width="${round(w)}" height="${CHART.bar}" rx="2"></rect>
<text class="val" x="${round(labelWidth + w + 6)}" y="${mid}" dominant-baseline="central">${b.text}</text>
</g>`;
  });
  return html`<figure class="chart">
<figcaption class="chart-head">${spec.heading}</figcaption>
<svg role="img" aria-labelledby="${spec.id}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" preserveAspectRatio="xMinYMin meet">
<title id="${spec.id}">${spec.title}: ${bars.map((b) => `${b.label} ${b.text}`).join('; ')}</title>
${rows}
<line class="axis" x1="${labelWidth}" y1="0" x2="${labelWidth}" y2="${axisY}"></line>
<line class="axis" x1="${labelWidth}" y1="${axisY}" x2="${labelWidth + span}" y2="${axisY}"></line>
<text class="tick" x="${labelWidth}" y="${axisY + 14}" text-anchor="middle">0</text>
<text class="tick" x="${labelWidth + span}" y="${axisY + 14}" text-anchor="middle">${formatNumber(max)}${spec.unit ? ` ${spec.unit}` : ''}</text>
</svg>
<p class="muted chart-caption">${spec.caption}</p>
</figure>`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
