/**
 * The result model every report is written from. summary.json is this model,
 * serialised; its schema is documented in docs/summary-schema.md and versioned
 * by {@link SUMMARY_SCHEMA_VERSION}.
 */
import type { Technique } from '../techniques/registry.ts';

/** Bump on any change a reader of summary.json would notice. */
export const SUMMARY_SCHEMA_VERSION = 3;

/** Older schema versions `pushspec report` still reads (verdicts/summary.ts brings them up to date). */
export const READABLE_SCHEMA_VERSIONS: readonly number[] = [2, SUMMARY_SCHEMA_VERSION];

/** RFC 2119 levels; MAY requirements are measured and reported, never fatal. */
export const LEVELS = ['MUST', 'SHOULD', 'MAY'] as const;
export type Level = (typeof LEVELS)[number];

/**
 * - pass: the requirement held.
 * - non-strict: a SHOULD (or MAY) requirement did not hold; still conformant unless --strict.
 * - fail: a MUST requirement did not hold.
 * - informational: a MAY requirement that held; the figure is what matters.
 * - unsupported: the adapter does not declare the technique or capability it needs.
 * - not-run: the run stopped before the requirement was judged (the server
 *   exited or stopped answering, the run's --deadline passed, pushspec was
 *   interrupted); the result's message says why. Never a pass: a run with one
 *   does not exit 0.
 */
export const VERDICTS = ['pass', 'non-strict', 'fail', 'informational', 'unsupported', 'not-run'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The sentence a requirement rests on. */
export interface RequirementSource {
  /** Short citation, e.g. `RFC 6455 §5.1` or `pushspec model M-5 (gap)`. */
  label: string;
  url?: string;
  /**
   * The sentence itself, short, with `…` where words are left out, so a reader
   * can judge a verdict without leaving the page. A quote of docs/model.md is
   * kept verbatim by a drift test. Absent in summaries before catalogue 0.7.0.
   */
  quote?: string;
  /** Why the requirement's level is what it is, where the sentence alone does not say (e.g. an Autobahn basis). */
  note?: string;
}

/** A requirement as the catalogue (features/requirements.json) states it. */
export interface Requirement {
  /** Stable id, e.g. `POLL-CURSOR-ORDER`; also the scenario's tag. */
  id: string;
  technique: Technique;
  /**
   * The part of the technique it belongs to: the name of the Feature that
   * checks it (e.g. `The opening handshake`). Absent in summaries written
   * before catalogue 0.5.0.
   */
  section?: string;
  level: Level;
  /** One line, in the user's words. */
  title: string;
  /** Where the rule comes from: the sentence it rests on, quoted, with its address. */
  source: RequirementSource;
  /**
   * Set for a requirement no scenario checks on its own: every scenario of a
   * kind observes it on the way (a part of other cases at a level of its own), and says where it
   * is observed from. Each observation is one of its examples.
   */
  collected?: string;
}

/** The evidence records live in the core, where they are recorded; reports read them from here. */
export type { Evidence, Figure, FrameRecord, HttpExchange, StreamChunk, StreamRecord } from '../core/evidence.ts';
import type { Evidence } from '../core/evidence.ts';

/** The scenario that checked a requirement, as it was run. */
export interface ScenarioRef {
  /** Feature file, relative to the package root. */
  uri: string;
  name: string;
  /** Its steps, with Given/When/Then/And, Background steps included. */
  steps: string[];
}

/** One example of a requirement checked by a Scenario Outline (a row of its Examples). */
export interface ExampleResult {
  /** The scenario's name with the row's values filled in. */
  name: string;
  verdict: Verdict;
  durationMs: number;
  message?: string;
  closeOutcome?: string;
}

/** The verdict on one requirement for one adapter. */
export interface RequirementResult extends Requirement {
  /** The worst verdict of its examples. */
  verdict: Verdict;
  /** Every example, when an outline checked the requirement with several; the evidence is the worst one's. */
  examples?: ExampleResult[];
  /** What was done to check it. */
  scenario?: ScenarioRef;
  durationMs: number;
  /** Why it failed, why it is unsupported, or why it was not run. */
  message?: string;
  evidence: Evidence;
}

export interface VerdictTotals {
  pass: number;
  'non-strict': number;
  fail: number;
  informational: number;
  unsupported: number;
  /** Absent in summaries of schema version 2 (read as 0). */
  'not-run': number;
}

/** One run of the suite against one adapter. */
export interface AdapterRun {
  adapter: { name: string; baseUrl: string; source: string };
  startedAt: string;
  durationMs: number;
  strict: boolean;
  totals: VerdictTotals;
  results: RequirementResult[];
  /**
   * False when the run did not judge every case it was to run: it stopped
   * (see `stopReason`), or these are the reports written while it was still
   * going (or of a run that was killed). Absent in schema version 2 (read as true).
   */
  complete?: boolean;
  /** Why the run stopped early, e.g. `the server exited with code 1 while the suite ran`. */
  stopReason?: string;
}

/** A server `pushspec matrix` was asked to check but did not run, and why. */
export interface NotRunTarget {
  adapter: { name: string; source: string };
  /** Why it did not run, e.g. `nginx with the Nchan module is not installed`. */
  reason: string;
  /** The command that installs what is missing, when that is the reason. */
  install?: string;
}

/** The whole of summary.json. */
export interface Summary {
  schemaVersion: typeof SUMMARY_SCHEMA_VERSION;
  tool: { name: 'pushspec'; version: string };
  catalogueVersion: string;
  generatedAt: string;
  runs: AdapterRun[];
  /** Targets of a `pushspec matrix` that were not run (a program not installed, say); absent when none. */
  notRun?: NotRunTarget[];
}
