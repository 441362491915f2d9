/**
 * The committed expectations for the bundled third-party servers
 * (adapters/targets/expected-verdicts.json): every requirement's verdict per server,
 * and for every verdict that is not a pass the sentence that explains it, with
 * the spec passage the server departs from. `pushspec matrix --expected`
 * compares a run against it, so a harness change that flips a verdict on a
 * real server shows up as a difference to explain, not as silence.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { LEVELS, VERDICTS, type AdapterRun, type Level, type Verdict } from './model.ts';
import { loadCatalogue, type Catalogue } from './catalogue.ts';
import { PushspecError } from '../core/errors.ts';

/** Why a server does not meet a requirement: what it does, and the passage it departs from. */
export interface Deviation {
  /** One or two sentences a newcomer understands: what the server does, and what the spec says instead. */
  why: string;
  /** The passage, e.g. `RFC 6202 §2.2`. */
  spec: string;
  /** A link to it. */
  url?: string;
  /**
   * The level of the sentence the server departs from: the requirement's own
   * (a `fail` rests on a MUST, a `non-strict` on a SHOULD or a MAY), so no
   * verdict is stricter than the sentence it cites.
   */
  level: Level;
  /** The sentence itself, when it is not the one the requirement quotes (features/requirements.json); it must say its level. */
  quote?: string;
}

/** What is expected of one server. */
export interface ExpectedTarget {
  /** The program and version the verdicts were recorded against, e.g. `nginx 1.22.1 + Nchan 1.3.6 (Debian 12)`. */
  server: string;
  /** Every requirement the run checks, with its verdict. */
  verdicts: Record<string, Verdict>;
  /** One entry per `fail` or `non-strict` verdict (also one such verdict listed in `varies`). */
  deviations: Record<string, Deviation>;
  /**
   * Verdicts that differ from run to run because the server's own behaviour
   * does (Pushpin's 502s when its queue is momentarily full), with every
   * verdict seen and why. A run may give any of them; each is still judged in full.
   */
  varies?: Record<string, Variation>;
}

/** A verdict that is not the same in every run, and why. */
export interface Variation {
  /** Every verdict seen, the one in `verdicts` included. */
  verdicts: Verdict[];
  /** What in the server makes it vary, with the figures seen. */
  why: string;
}

export interface ExpectedVerdicts {
  /** The catalogue the verdicts were recorded with. */
  catalogueVersion: string;
  targets: Record<string, ExpectedTarget>;
}

/** Verdicts that need an explanation: the server did not do what the requirement asks. */
export const EXPLAINED: readonly Verdict[] = ['fail', 'non-strict'];

function invalid(file: string, problem: string): never {
  throw new PushspecError('PUSHSPEC_ERR_USAGE', `${file}: ${problem}`);
}

/**
 * Reads and checks an expected-verdicts file. Its ids must be requirements of
 * `catalogue`: the servers' (features/requirements.json) unless told, the
 * clients' (clients/requirements.json, `loadClientCatalogue()`) for client runs.
 *
 * @throws PushspecError `PUSHSPEC_ERR_USAGE` naming the file and the field that is wrong.
 */
export async function loadExpected(file: string, catalogue: Catalogue = loadCatalogue()): Promise<ExpectedVerdicts> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    invalid(file, `cannot read expected verdicts: ${(error as Error).message}`);
  }
  const doc = value as Partial<ExpectedVerdicts> | null;
  if (doc === null || typeof doc !== 'object' || typeof doc.catalogueVersion !== 'string' || typeof doc.targets !== 'object' || doc.targets === null) {
    invalid(file, 'expected {"catalogueVersion": "…", "targets": {"<adapter name>": {"server", "verdicts", "deviations"}}}');
  }
  const levels = new Map(catalogue.requirements.map((r) => [r.id, r.level]));
  const ids = new Set(levels.keys());
  for (const [name, target] of Object.entries(doc.targets)) {
    const where = `targets.${name}`;
    if (typeof target?.server !== 'string') invalid(file, `${where}.server: expected the program and version, e.g. "nginx 1.22.1 + Nchan 1.3.6"`);
    if (typeof target.verdicts !== 'object' || target.verdicts === null) invalid(file, `${where}.verdicts: expected {"<requirement id>": "<verdict>"}`);
    for (const [id, verdict] of Object.entries(target.verdicts)) {
      if (!ids.has(id)) invalid(file, `${where}.verdicts.${id}: not a requirement of catalogue ${catalogue.version}`);
      if (!VERDICTS.includes(verdict)) invalid(file, `${where}.verdicts.${id}: "${String(verdict)}" is not one of ${VERDICTS.join(', ')}`);
    }
    if (typeof target.deviations !== 'object' || target.deviations === null) invalid(file, `${where}.deviations: expected {"<requirement id>": {"why", "spec"}}`);
    for (const [id, deviation] of Object.entries(target.deviations)) {
      if (typeof deviation?.why !== 'string' || deviation.why.trim() === '' || typeof deviation.spec !== 'string' || deviation.spec.trim() === '') {
        invalid(file, `${where}.deviations.${id}: expected {"why": "<what the server does>", "spec": "<the passage, e.g. RFC 6202 §2.2>", "level": "<MUST, SHOULD or MAY>"}`);
      }
      checkDeviationLevel(file, `${where}.deviations.${id}`, deviation, levels.get(id));
    }
    for (const [id, variation] of Object.entries(target.varies ?? {})) {
      const listed = Array.isArray(variation?.verdicts) ? variation.verdicts : [];
      if (listed.length < 2 || !listed.every((v) => VERDICTS.includes(v)) || !listed.includes(target.verdicts[id] as Verdict) || typeof variation.why !== 'string' || variation.why.trim() === '') {
        invalid(file, `${where}.varies.${id}: expected {"verdicts": [the verdict in "verdicts" and every other one seen], "why": "<what in the server makes it vary>"}`);
      }
    }
  }
  return doc as ExpectedVerdicts;
}

/**
 * A deviation's level is the requirement's: the sentence a `fail` departs from
 * is a MUST, a `non-strict` one's a SHOULD or MAY. A quote of its own must say
 * that level (WHATWG writes its keywords in lower case).
 */
function checkDeviationLevel(file: string, where: string, deviation: Deviation, level: Level | undefined): void {
  if (!LEVELS.includes(deviation.level)) invalid(file, `${where}.level: expected one of ${LEVELS.join(', ')}, the level of the sentence the server departs from`);
  if (level !== undefined && deviation.level !== level) {
    invalid(file, `${where}.level: ${deviation.level}, but the requirement is a ${level}; a verdict rests on the requirement's level, so cite a ${level} sentence`);
  }
  if (deviation.quote !== undefined && (typeof deviation.quote !== 'string' || !new RegExp(`\\b${deviation.level}\\b`, 'i').test(deviation.quote))) {
    invalid(file, `${where}.quote: the sentence must say ${deviation.level} (or leave "quote" out to cite the requirement's own sentence)`);
  }
}

/**
 * Where a run departs from what is expected of its server, one line each;
 * empty when every verdict is as expected and every deviation is explained.
 */
export function compareWithExpected(run: AdapterRun, expected: ExpectedTarget | undefined): string[] {
  const name = run.adapter.name;
  if (expected === undefined) return [`${name}: no expected verdicts; record them with --update-expected and explain each fail and non-strict one`];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const result of run.results) {
    seen.add(result.id);
    const want = expected.verdicts[result.id];
    if (want === undefined) problems.push(`${name} ${result.id}: got ${result.verdict}, but no verdict is expected (a new requirement?)`);
    else if (want !== result.verdict && expected.varies?.[result.id]?.verdicts.includes(result.verdict) !== true) problems.push(`${name} ${result.id}: expected ${want}, got ${result.verdict}${result.message ? ` (${firstLine(result.message)})` : ''}`);
    if (EXPLAINED.includes(result.verdict) && expected.deviations[result.id] === undefined) {
      problems.push(`${name} ${result.id}: ${result.verdict} with no explanation in deviations`);
    }
  }
  for (const id of Object.keys(expected.verdicts)) {
    if (!seen.has(id)) problems.push(`${name} ${id}: expected ${expected.verdicts[id]}, but the run has no result`);
  }
  for (const id of Object.keys(expected.deviations)) {
    const verdict = expected.verdicts[id];
    const possible = expected.varies?.[id]?.verdicts ?? (verdict === undefined ? [] : [verdict]);
    if (!possible.some((v) => EXPLAINED.includes(v))) problems.push(`${name} ${id}: an explanation for a verdict that is not fail or non-strict (${verdict ?? 'none'}); remove it`);
  }
  return problems;
}

/**
 * Records the verdicts of `runs`, keeping every explanation that still
 * applies; other targets are left as they were. Returns the ids that now need
 * an explanation. `catalogue` gives the version recorded (the clients' for client runs).
 */
export function recordVerdicts(
  expected: ExpectedVerdicts,
  runs: readonly AdapterRun[],
  servers: Readonly<Record<string, string>>,
  catalogue: Catalogue = loadCatalogue(),
): { updated: ExpectedVerdicts; unexplained: string[] } {
  const targets = { ...expected.targets };
  const unexplained: string[] = [];
  for (const run of runs) {
    const previous = targets[run.adapter.name];
    const verdicts = Object.fromEntries(run.results.map((r) => [r.id, r.verdict]));
    // A verdict known to vary keeps its note while this run's verdict is one of those seen.
    const varies = Object.fromEntries(Object.entries(previous?.varies ?? {}).filter(([id, v]) => v.verdicts.includes(verdicts[id] as Verdict)));
    const possible = (id: string): Verdict[] => varies[id]?.verdicts ?? [verdicts[id] as Verdict];
    const deviations = Object.fromEntries(Object.entries(previous?.deviations ?? {}).filter(([id]) => possible(id).some((v) => EXPLAINED.includes(v))));
    for (const r of run.results) if (EXPLAINED.includes(r.verdict) && deviations[r.id] === undefined) unexplained.push(`${run.adapter.name} ${r.id}`);
    const server = servers[run.adapter.name] ?? previous?.server ?? run.adapter.name;
    targets[run.adapter.name] = { server, verdicts, deviations, ...(Object.keys(varies).length > 0 ? { varies } : {}) };
  }
  return { updated: { catalogueVersion: catalogue.version, targets }, unexplained };
}

export async function writeExpected(file: string, expected: ExpectedVerdicts): Promise<void> {
  await writeFile(file, `${JSON.stringify(expected, null, 2)}\n`, 'utf8');
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}
