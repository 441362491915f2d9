/**
 * Small formatting helpers shared by every report: technique names and order,
 * figures, durations and dates. Kept free of HTML so the markdown, JUnit and
 * console output can use them too.
 */
import { TECHNIQUES } from '../techniques/registry.ts';
import type { Technique } from '../techniques/registry.ts';
import type { AdapterRun, Figure, Requirement } from '../verdicts/model.ts';

/** What a reader calls each technique; also the matrix's group headings. */
export const TECHNIQUE_LABELS: Readonly<Record<Technique, string>> = {
  polling: 'Ajax polling',
  longPolling: 'HTTP long-polling',
  sse: 'Server-Sent Events',
  websocket: 'WebSockets',
};

/** The reader's name for a technique; falls back to the raw key for one this build does not know. */
export function techniqueLabel(technique: string): string {
  return (TECHNIQUE_LABELS as Record<string, string | undefined>)[technique] ?? technique;
}

/**
 * Groups items by technique, in {@link TECHNIQUES} order, keeping the order the
 * items came in within a group (the catalogue's order). A technique this
 * build does not know (a newer summary.json) is listed after the known ones
 * rather than dropped.
 */
export function groupByTechnique<T extends { technique: string }>(items: readonly T[]): Array<[string, T[]]> {
  const groups = new Map<string, T[]>(TECHNIQUES.map((t): [string, T[]] => [t, []]));
  for (const item of items) {
    const group = groups.get(item.technique);
    if (group) group.push(item);
    else groups.set(item.technique, [item]);
  }
  return [...groups].filter(([, group]) => group.length > 0);
}

/** Every requirement any run checked, first occurrence wins, grouped by technique. */
export function requirementUnion(runs: readonly AdapterRun[]): Array<[string, Requirement[]]> {
  const seen = new Map<string, Requirement>();
  for (const run of runs) {
    for (const r of run.results) {
      if (!seen.has(r.id)) {
        seen.set(r.id, { id: r.id, technique: r.technique, section: r.section, level: r.level, title: r.title, source: r.source });
      }
    }
  }
  return groupByTechnique([...seen.values()]);
}

/** A number without float noise: `38`, `2.35`, `120.5`. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  return (Math.abs(value) < 10 ? TWO_DIGITS : ONE_DIGIT).format(value);
}

// One formatter each, made once: toLocaleString with options builds a new one per call, and case
// pages format every chunk of 5,000-message streams (0.8 s of a run's main thread, measured).
const TWO_DIGITS = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2, useGrouping: false });
const ONE_DIGIT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1, useGrouping: false });

/** A figure as a reader says it, e.g. `38 ms`, `3 messages`, `99%`. */
export function formatFigure(figure: Figure): string {
  const unit = figure.unit.trim();
  const glued = unit === '%' || unit === '';
  return `${formatNumber(figure.value)}${glued ? '' : ' '}${unit}`;
}

/** A duration: `850 ms`, `2.35 s`, `1 min 5 s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 1000) return `${formatNumber(Math.round(ms))} ms`;
  if (ms < 60_000) return `${formatNumber(Math.round(ms / 10) / 100)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}

/** An ISO timestamp shown as `2025-11-24 07:59 UTC`; anything unparseable is shown as given. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Whether a run conforms: no MUST failed and, under --strict, no SHOULD either. */
export function isConformant(run: AdapterRun): boolean {
  return run.totals.fail === 0 && (!run.strict || run.totals['non-strict'] === 0) && !isIncomplete(run);
}

/** Whether the run stopped before judging every case (or its reports were written while it ran): never called conformant. */
export function isIncomplete(run: AdapterRun): boolean {
  return run.complete === false || (run.totals['not-run'] ?? 0) > 0;
}

/** What a run's card and line say about it: `conformant`, `not conformant`, or `incomplete` when nothing failed but not everything was judged. */
export function conformanceWord(run: AdapterRun): 'conformant' | 'not conformant' | 'incomplete' {
  if (isConformant(run)) return 'conformant';
  const failed = run.totals.fail > 0 || (run.strict && run.totals['non-strict'] > 0);
  return failed ? 'not conformant' : 'incomplete';
}
