/**
 * The streams of a case page: each Server-Sent Events response as the bytes
 * that arrived, chunk by chunk, with their arrival times, line breaks shown.
 */
import type { StreamRecord } from '../../verdicts/model.ts';
import { formatNumber } from '../format.ts';
import { html, type SafeHtml } from './escape.ts';

/**
 * Line breaks made visible as the escapes `\r` and `\n` (fonts often lack the
 * control-picture glyphs), while the text keeps its own lines.
 */
export function showLineBreaks(text: string): string {
  return text.replace(/\r\n|\r|\n/g, (end) => (end === '\r\n' ? '\\r\\n\n' : end === '\r' ? '\\r\n' : '\\n\n'));
}

function summaryLine(s: StreamRecord): string {
  const bytes = s.chunks.reduce((sum, c) => sum + c.bytes, 0) + s.omittedBytes;
  const opened = s.headersAtMs !== undefined ? `status ${s.status ?? '?'} at +${formatNumber(Math.round(s.headersAtMs))} ms` : 'no head';
  const ended = s.endedAtMs !== undefined ? `; ${s.end ?? 'ended'} at +${formatNumber(Math.round(s.endedAtMs))} ms` : '; still open';
  return `+${formatNumber(Math.round(s.startedAtMs))} ms  ${s.actor}  ${s.method} ${s.url} → ${opened}, ${s.chunks.length + s.omittedChunks} chunk(s), ${formatNumber(bytes)} bytes${ended}`;
}

function renderStream(s: StreamRecord): SafeHtml {
  const request = [`${s.method} ${s.url}`, ...Object.entries(s.requestHeaders).map(([k, v]) => `${k}: ${v}`)].join('\n');
  const head = s.status !== undefined ? [`${s.status}`, ...Object.entries(s.responseHeaders ?? {}).map(([k, v]) => `${k}: ${v}`)].join('\n') : undefined;
  return html`<details class="x"><summary>${summaryLine(s)}</summary><div class="msg">
<h4>Request</h4><pre>${request}</pre>
${head !== undefined && html`<h4>Response head</h4><pre>${head}</pre>`}
<h4>Bytes as they arrived</h4>
<table class="chunks"><thead><tr><th scope="col">at</th><th scope="col">bytes</th><th scope="col">text (\\r is CR, \\n is LF)</th></tr></thead><tbody>
${s.chunks.map((c) => html`<tr><td class="num">+${formatNumber(Math.round(c.atMs))} ms</td><td class="num">${formatNumber(c.bytes)}</td><td><pre>${showLineBreaks(c.text)}</pre></td></tr>`)}
</tbody></table>
${s.omittedChunks > 0 && html`<p class="muted">${formatNumber(s.omittedChunks)} more chunk(s), ${formatNumber(s.omittedBytes)} bytes, not kept.</p>`}
</div></details>
`;
}

/** The "Streams" section, or nothing when the case read no stream. */
export function renderStreams(streams: readonly StreamRecord[] | undefined): SafeHtml | false {
  if (streams === undefined || streams.length === 0) return false;
  return html`
<h2>Streams <span class="muted">(${streams.length})</span></h2>
${streams.map(renderStream)}`;
}
