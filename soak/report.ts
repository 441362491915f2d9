/**
 * The soak's reports: a console table, `soak.json` (the whole result, for
 * machines) and `soak.html` (the same, for people: one table per technique
 * and latency per time slice).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SoakResult } from './run-soak.ts';
import type { TechniqueResult } from './technique-run.ts';

/** The soak holds when no message was lost, duplicated or reordered, and the server stayed up. */
export function soakHeld(result: SoakResult): boolean {
  const { lost, duplicated, reordered } = result.totals;
  return result.serverProblem === undefined && lost === 0 && duplicated === 0 && reordered === 0;
}

const ms = (n: number | null): string => (n === null ? '-' : `${n}`);

const COLUMNS = ['technique', 'published', 'delivered', 'lost', 'dup', 'reorder', 'reconn', 'errors', 'p50 ms', 'p95 ms', 'max ms'] as const;

function row(t: TechniqueResult): string[] {
  return [t.technique, `${t.published}`, `${t.delivered}`, `${t.lost}`, `${t.duplicated}`, `${t.reordered}`, `${t.reconnects}`, `${t.publishErrors + t.subscriberErrors}`, ms(t.latency.p50Ms), ms(t.latency.p95Ms), ms(t.latency.maxMs)];
}

/** The console table, one line per technique, then the memory, skipped techniques and the verdict. */
export function renderSoakTable(result: SoakResult): string {
  const rows = [[...COLUMNS], ...result.techniques.map(row)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  lines.push('', `delivered = distinct messages received, summed over ${result.subscribersPerTechnique} subscriber(s) per technique; latency from the publish request to the first receipt`);
  for (const t of result.techniques) lines.push(`  ${t.technique}: ${t.cut ? `cut at random, resumed by ${t.resume}` : `not cut (${t.resume})`}`);
  for (const s of result.skipped) lines.push(`  ${s.technique}: skipped, ${s.why}`);
  lines.push(`pushspec's memory (RSS): peak ${result.rss.peakMb} MB`);
  for (const t of result.techniques) for (const e of t.errors.slice(0, 3)) lines.push(`  ${t.technique}: ${e}`);
  if (result.serverProblem !== undefined) lines.push(`The soak stopped early: ${result.serverProblem}`);
  const { lost, duplicated, reordered } = result.totals;
  lines.push(soakHeld(result) ? 'Soak held: 0 lost, 0 duplicated, 0 reordered.' : `Soak failed: ${lost} lost, ${duplicated} duplicated, ${reordered} reordered.`);
  return lines.join('\n');
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A small page: the totals table and, per technique, latency per time slice next to pushspec's memory. */
export function renderSoakHtml(result: SoakResult): string {
  const cells = (r: string[], tag: 'td' | 'th'): string => `<tr>${r.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join('')}</tr>`;
  const summary = `<table>${cells([...COLUMNS], 'th')}${result.techniques.map((t) => cells(row(t), 'td')).join('')}</table>`;
  const slices = result.techniques
    .map((t) => {
      const body = t.latency.slices.map((s, i) => cells([`${s.fromS}–${s.toS} s`, `${s.count}`, ms(s.p50Ms), ms(s.p95Ms), ms(s.maxMs), ms(result.rss.slices[i]?.maxMb ?? null)], 'td')).join('');
      return `<h2>${escapeHtml(t.technique)}</h2><p>${escapeHtml(t.cut ? `Cut at random, resumed by ${t.resume}.` : `Not cut: ${t.resume}.`)} Channel ${escapeHtml(t.channel)}.</p><table>${cells(['slice', 'receipts', 'p50 ms', 'p95 ms', 'max ms', 'pushspec RSS MB'], 'th')}${body}</table>`;
    })
    .join('');
  const verdict = soakHeld(result) ? 'Held: 0 lost, 0 duplicated, 0 reordered.' : `Failed: ${result.totals.lost} lost, ${result.totals.duplicated} duplicated, ${result.totals.reordered} reordered.${result.serverProblem ? ` ${result.serverProblem}` : ''}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>pushspec soak: ${escapeHtml(result.target.name)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}td:first-child,th:first-child{text-align:left}</style></head>
<body><h1>Soak of ${escapeHtml(result.target.name)}</h1><p>${escapeHtml(`${result.target.baseUrl} · ${result.startedAt} · ${result.durationS} s · ${result.ratePerTechnique} msg/s and ${result.subscribersPerTechnique} subscriber(s) per technique · pushspec peak RSS ${result.rss.peakMb} MB`)}</p>
<p><strong>${escapeHtml(verdict)}</strong></p>${summary}${slices}</body></html>
`;
}

/** Writes soak.json and soak.html into `dir`; returns their paths. */
export async function writeSoakReports(result: SoakResult, dir: string): Promise<{ json: string; html: string }> {
  const json = join(dir, 'soak.json');
  const html = join(dir, 'soak.html');
  await writeFile(json, `${JSON.stringify({ held: soakHeld(result), ...result }, null, 2)}\n`);
  await writeFile(html, renderSoakHtml(result));
  return { json, html };
}
