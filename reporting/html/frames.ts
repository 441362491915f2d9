/**
 * The frame log of a case page: every WebSocket frame both ways, with its
 * time, direction, opcode, flags, length and the start of its payload.
 */
import type { FrameRecord } from '../../verdicts/model.ts';
import { formatNumber } from '../format.ts';
import { html, type SafeHtml } from './escape.ts';

const OPCODES: Record<number, string> = { 0: 'continuation', 1: 'text', 2: 'binary', 8: 'close', 9: 'ping', 10: 'pong', [-1]: 'raw bytes' };

/** `FIN RSV1 MASK`-style flags, so a broken frame is visible at a glance. */
function flags(frame: FrameRecord): string {
  const parts = [frame.fin ? 'FIN' : 'no FIN'];
  if (frame.rsv & 4) parts.push('RSV1');
  if (frame.rsv & 2) parts.push('RSV2');
  if (frame.rsv & 1) parts.push('RSV3');
  parts.push(frame.masked ? 'masked' : 'unmasked');
  return parts.join(' ');
}

/** The "Frames" section, or nothing when the case sent no frame. */
export function renderFrames(frames: readonly FrameRecord[] | undefined, omitted: number | undefined): SafeHtml | false {
  if (frames === undefined || (frames.length === 0 && !omitted)) return false;
  return html`
<h2>Frames <span class="muted">(${frames.length + (omitted ?? 0)})</span></h2>
<table class="chunks frames"><thead><tr><th scope="col">at</th><th scope="col">connection</th><th scope="col"></th><th scope="col">opcode</th><th scope="col">flags</th><th scope="col">length</th><th scope="col">payload</th></tr></thead><tbody>
${frames.map(
  (f) => html`<tr><td class="num">+${formatNumber(Math.round(f.atMs))} ms</td><td>${f.connection}</td><td>${f.direction === 'sent' ? '→ sent' : '← received'}</td><td>${OPCODES[f.opcode] ?? `reserved ${f.opcode}`}${f.closeCode !== undefined ? ` ${f.closeCode}` : ''}</td><td>${flags(f)}</td><td class="num">${formatNumber(f.length)}</td><td><pre>${f.preview}</pre></td></tr>`,
)}
</tbody></table>
${(omitted ?? 0) > 0 && html`<p class="muted">${formatNumber(omitted ?? 0)} more frame(s) not kept.</p>`}`;
}
