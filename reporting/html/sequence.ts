/**
 * The sequence diagram of a case page: the recorded traffic drawn as the
 * classic push-technique diagrams draw it, one lane per actor on the left, the
 * server on the right, time running down. Rows are in the order things
 * happened, not to scale (a 1 s hold next to 1 ms requests would otherwise be
 * one line and a gulf); every row prints its time, and a long quiet spell
 * adds a little space so holds stand out.
 */
import type { Evidence, FrameRecord, HttpExchange, StreamRecord } from '../../verdicts/model.ts';
import { formatNumber } from '../format.ts';
import { html, type SafeHtml } from './escape.ts';

/** Arrows drawn at most; the rest are counted in a note row. */
export const MAX_ARROWS = 120;

/** What an arrow carries; each kind has its colour (CSS class `sq-<kind>`) and arrowhead. */
type Kind = 'req' | 'res' | 'data' | 'end' | 'fail';
const KINDS: readonly Kind[] = ['req', 'res', 'data', 'end', 'fail'];

interface Arrow {
  atMs: number;
  actor: string;
  /** `up`: actor → server; `down`: server → actor. */
  toServer: boolean;
  label: string;
  kind: Kind;
  /** Arrows of one exchange or stream share a span: an activation bar is drawn from its first to its last row. */
  span?: number;
}

const OPCODES: Record<number, string> = { 0: 'continuation', 1: 'text', 2: 'binary', 8: 'close', 9: 'ping', 10: 'pong', [-1]: 'raw bytes' };

// Geometry, in viewBox units (the SVG is 720 wide and scales with the page).
const WIDTH = 720;
const TIME_X = 62; // right edge of the time labels
const FIRST_LANE_X = 112;
const SERVER_X = 652;
const ACTOR_SPAN = 260; // the actor lanes share at most this much width
const TOP = 52; // below the lane labels
const LABEL_CHARS = 42;
const CHAR_WIDTH = 7.2; // of a 12px system-ui character, on average

function cut(text: string, max = LABEL_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Path and query of an absolute URL; anything else as given. */
function path(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.pathname + parsed.search : url;
  } catch {
    return url;
  }
}

function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  return Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];
}

/** The annotation's first clause: `held 1,000 ms (asked for 1000 ms)` of `held …; ended by …`. */
function firstWords(annotation: string): string {
  return annotation.split(/[;.]\s/)[0] ?? annotation;
}

function exchangeArrows(x: HttpExchange, span: number): Arrow[] {
  const arrows: Arrow[] = [{ atMs: x.startedAtMs, actor: x.actor, toServer: true, label: `${x.method} ${path(x.url)}`, kind: 'req', span }];
  const at = x.endedAtMs ?? x.startedAtMs;
  if (x.status !== undefined) {
    const note = x.error !== undefined ? `then error: ${x.error}` : x.annotation !== undefined ? firstWords(x.annotation) : '';
    arrows.push({ atMs: at, actor: x.actor, toServer: false, label: `${x.status}${note ? ` · ${note}` : ''}`, kind: x.error !== undefined ? 'fail' : 'res', span });
  } else if (x.error !== undefined) {
    arrows.push({ atMs: at, actor: x.actor, toServer: false, label: `error: ${x.error}`, kind: 'fail', span });
  }
  return arrows;
}

function streamArrows(s: StreamRecord, span: number): Arrow[] {
  // A resuming request says where it resumes from first: labels are cut to fit, and that header is what a reconnection is about.
  const lastEventId = header(s.requestHeaders, 'last-event-id');
  const resumes = lastEventId !== undefined ? `Last-Event-ID: ${lastEventId} · ` : '';
  const arrows: Arrow[] = [{ atMs: s.startedAtMs, actor: s.actor, toServer: true, label: `${resumes}${s.method} ${path(s.url)}`, kind: 'req', span }];
  if (s.status !== undefined) {
    const type = header(s.responseHeaders, 'content-type')?.split(';')[0];
    arrows.push({ atMs: s.headersAtMs ?? s.startedAtMs, actor: s.actor, toServer: false, label: `${s.status}${type ? ` ${type}` : ''}`, kind: s.status < 400 ? 'res' : 'fail', span });
  }
  for (const c of s.chunks) {
    const line = c.text.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '').join(' ↵ ') || '(blank line)';
    arrows.push({ atMs: c.atMs, actor: s.actor, toServer: false, label: `${line} · ${formatNumber(c.bytes)} B`, kind: 'data', span });
  }
  if (s.endedAtMs !== undefined) {
    const end = s.end ?? 'ended';
    const more = s.omittedChunks > 0 ? ` (+${formatNumber(s.omittedChunks)} chunks not kept)` : '';
    const failed = /error|abort|reset/i.test(end);
    arrows.push({ atMs: s.endedAtMs, actor: s.actor, toServer: /client/i.test(end) && !failed, label: end + more, kind: failed ? 'fail' : 'end', span });
  }
  return arrows;
}

function frameArrow(f: FrameRecord): Arrow {
  const name = OPCODES[f.opcode];
  let label: string;
  if (f.opcode === 8) label = `close${f.closeCode !== undefined ? ` ${f.closeCode}` : ''}`;
  else if (f.opcode === 9 || f.opcode === 10) label = `${name}${f.length > 0 ? ` ${formatNumber(f.length)} B` : ''}`;
  else label = `${name ?? `reserved opcode ${f.opcode}`} ${formatNumber(f.length)} B${f.opcode === 1 && f.preview ? ` “${f.preview}”` : ''}`;
  const kind: Kind = name === undefined ? 'fail' : f.opcode === 8 ? 'end' : f.direction === 'sent' ? 'req' : 'res';
  return { atMs: f.atMs, actor: f.connection, toServer: f.direction === 'sent', label, kind };
}

/** Every arrow of the evidence, earliest first (ties keep the recorder's order). */
function collect(evidence: Evidence): Arrow[] {
  let span = 0;
  const arrows = [
    ...evidence.exchanges.flatMap((x) => exchangeArrows(x, span++)),
    ...(evidence.streams ?? []).flatMap((s) => streamArrows(s, span++)),
    ...(evidence.frames ?? []).map(frameArrow),
  ];
  return arrows.map((a, i) => ({ a, i })).sort((p, q) => p.a.atMs - q.a.atMs || p.i - q.i).map((p) => p.a);
}

const ms = (t: number): string => `+${formatNumber(Math.round(t))} ms`;

/**
 * The "Sequence" section: an SVG sequence diagram of the recorded HTTP
 * exchanges, streams and WebSocket frames, or `false` when nothing was recorded.
 */
export function renderSequence(evidence: Evidence): SafeHtml | false {
  const all = collect(evidence);
  if (all.length === 0) return false;
  const shown = all.slice(0, MAX_ARROWS);
  const more = all.length - shown.length;

  // Lanes: actors in order of first appearance, then the server.
  const actors = [...new Set(all.map((a) => a.actor))];
  const step = actors.length > 1 ? Math.min(120, ACTOR_SPAN / (actors.length - 1)) : 0;
  const laneX = new Map(actors.map((actor, i) => [actor, FIRST_LANE_X + i * step]));
  const lastActorX = FIRST_LANE_X + (actors.length - 1) * step;
  const crowded = step > 0 && step < 96; // stagger the lane labels
  // Labels sit between the last actor lane and the server: cut them to fit.
  const labelChars = Math.min(LABEL_CHARS, Math.floor((SERVER_X - lastActorX - 24) / CHAR_WIDTH));
  const nameChars = crowded ? Math.max(8, Math.floor((step * 2) / 7.5)) : 18;

  // Rows: fill ~800 units when there are few, never tighter than readable.
  const rowH = Math.max(18, Math.min(32, Math.floor(800 / (shown.length + (more > 0 ? 1 : 0)))));
  const ys: number[] = [];
  let y = TOP + rowH / 2 + 6;
  shown.forEach((a, i) => {
    const prev = shown[i - 1];
    if (prev !== undefined) y += rowH + (a.atMs - prev.atMs >= 100 ? 14 : 0);
    ys.push(y);
  });
  const bottom = y + rowH / 2 + (more > 0 ? rowH : 0) + 8;
  const height = Math.max(300, Math.ceil(bottom + 8));

  // Activation bars: from the first to the last shown row of each exchange or stream.
  const spans = new Map<number, { actor: string; from: number; to: number }>();
  shown.forEach((a, i) => {
    if (a.span === undefined) return;
    const row = ys[i] ?? 0;
    const s = spans.get(a.span);
    if (s) s.to = row;
    else spans.set(a.span, { actor: a.actor, from: row, to: row });
  });

  const laneLabels = [...actors.map((actor, i) => ({ name: actor, x: laneX.get(actor) ?? 0, i })), { name: 'server', x: SERVER_X, i: 0 }].map(
    (l) => html`<text class="who" x="${l.x}" y="${crowded && l.i % 2 === 1 ? 34 : 18}">${l.name.length > nameChars ? html`<title>${l.name}</title>${cut(l.name, nameChars)}` : l.name}</text>`,
  );
  const lanes = [...laneX.values(), SERVER_X].map((x) => html`<line class="lane" x1="${x}" y1="${TOP - 10}" x2="${x}" y2="${height - 10}"/>`);
  const bars = [...spans.values()]
    .filter((s) => s.to > s.from)
    .map((s) => html`<rect class="hold" x="${(laneX.get(s.actor) ?? 0) - 4}" y="${s.from}" width="8" height="${s.to - s.from}"/>`);
  const rows = shown.map((a, i) => {
    const row = ys[i] ?? 0;
    const actorX = laneX.get(a.actor) ?? 0;
    const [x1, x2] = a.toServer ? [actorX + 5, SERVER_X - 6] : [SERVER_X - 5, actorX + 6];
    const label = cut(a.label, labelChars);
    // Requests read from the client's side, answers from the server's.
    const text = a.toServer
      ? html`<text x="${lastActorX + 12}" y="${row - 4}">${label}</text>`
      : html`<text x="${SERVER_X - 12}" y="${row - 4}" text-anchor="end">${label}</text>`;
    return html`<g><title>${ms(a.atMs)} ${a.actor} ${a.toServer ? '→ server' : '← server'}: ${a.label}</title><text class="at" x="${TIME_X}" y="${row + 4}" text-anchor="end">${ms(a.atMs)}</text><line class="arrow sq-${a.kind}" x1="${x1}" y1="${row}" x2="${x2}" y2="${row}" marker-end="url(#sq-head-${a.kind})"/>${text}</g>
`;
  });
  const last = shown[shown.length - 1];
  const first = shown[0];
  const desc = `Lanes: ${actors.join(', ')} and the server. ${all.length} message${all.length === 1 ? '' : 's'}${first && last ? ` from ${ms(first.atMs)} to ${ms(all[all.length - 1]?.atMs ?? last.atMs)}` : ''}${more > 0 ? `; the first ${shown.length} are drawn` : ''}.`;

  return html`
<h2>Sequence <span class="muted">(${all.length})</span></h2>
<svg class="seq" role="img" aria-labelledby="seq-title seq-desc" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" xmlns="http://www.w3.org/2000/svg">
<title id="seq-title">Sequence diagram of the recorded traffic</title>
<desc id="seq-desc">${desc}</desc>
<defs>${KINDS.map((k) => html`<marker id="sq-head-${k}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="sq-head sq-${k}" d="M0,0L10,5L0,10z"/></marker>`)}</defs>
${laneLabels}
${lanes}
${bars}
${rows}
${more > 0 && html`<text class="at" x="${(FIRST_LANE_X + SERVER_X) / 2}" y="${bottom - rowH / 2}" text-anchor="middle">… ${formatNumber(more)} more not drawn (see below)</text>`}
</svg>
<p class="muted seq-legend">Rows are in order, not to scale; times are since the scenario started. <span class="sq-key sq-req">request / frame sent</span> <span class="sq-key sq-res">response / frame received</span> <span class="sq-key sq-data">stream data</span> <span class="sq-key sq-end">end / close</span> <span class="sq-key sq-fail">error</span></p>`;
}
