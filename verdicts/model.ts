/**
 * The result model every report is written from. summary.json is this model,
 * serialised; its schema is documented in docs/summary-schema.md and versioned
 * by {@link SUMMARY_SCHEMA_VERSION}.
 */
import type { Technique } from '../adapters/contract/definition.ts';

/** Bump on any change a reader of summary.json would notice. */
export const SUMMARY_SCHEMA_VERSION = 1;

/** RFC 2119 levels; MAY requirements are measured and reported, never fatal. */
export const LEVELS = ['MUST', 'SHOULD', 'MAY'] as const;
export type Level = (typeof LEVELS)[number];

/**
 * - pass: the requirement held.
 * - non-strict: a SHOULD (or MAY) requirement did not hold; still conformant unless --strict.
 * - fail: a MUST requirement did not hold.
 * - informational: a MAY requirement that held; the figure is what matters.
 * - unsupported: the adapter does not declare the technique or capability it needs.
 */
export const VERDICTS = ['pass', 'non-strict', 'fail', 'informational', 'unsupported'] as const;
export type Verdict = (typeof VERDICTS)[number];

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
  /** Where the rule comes from. */
  source: { label: string; url?: string };
}

/** A figure measured while checking a requirement, e.g. an answer time. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
}

/** One HTTP request/response pair, as recorded on the wire. */
export interface HttpExchange {
  /** Who sent it: a named client (`client alice`) or the publisher. */
  actor: string;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody?: string;
  /** Milliseconds since the scenario started. */
  startedAtMs: number;
  /** Absent when no response came (see `error`). */
  status?: number;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
  /** Bytes of the body before any cut for the report. */
  responseBytes?: number;
  endedAtMs?: number;
  error?: string;
  /** What the harness makes of it, e.g. how long a long-poll was held and what ended it. */
  annotation?: string;
}

/** Bytes of a stream as they arrived. */
export interface StreamChunk {
  /** Milliseconds since the scenario started. */
  atMs: number;
  /** The bytes, decoded as UTF-8 (invalid sequences as U+FFFD). */
  text: string;
  bytes: number;
}

/** A response read as a stream (Server-Sent Events): its head, then every chunk with its arrival time. */
export interface StreamRecord {
  actor: string;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  startedAtMs: number;
  status?: number;
  responseHeaders?: Record<string, string>;
  /** When the response head arrived (the stream opened). */
  headersAtMs?: number;
  chunks: StreamChunk[];
  /** Chunks and bytes beyond the record's cap: counted, not kept. */
  omittedChunks: number;
  omittedBytes: number;
  endedAtMs?: number;
  /** How it ended: closed by the server, by the client, or an error. */
  end?: string;
}

/** One WebSocket frame as it crossed the wire, either way. */
export interface FrameRecord {
  /** Which connection: the client's name. */
  connection: string;
  /** `sent` by the client, or `received` from the server. */
  direction: 'sent' | 'received';
  /** Milliseconds since the scenario started. */
  atMs: number;
  fin: boolean;
  /** The three reserved bits as a number 0–7 (RSV1 is 4). */
  rsv: number;
  opcode: number;
  masked: boolean;
  /** Payload length in bytes. */
  length: number;
  /** The start of the payload: text for text and close frames, hex otherwise. */
  preview: string;
  /** For close frames: the status code, when the payload has one. */
  closeCode?: number;
}

/** What a scenario recorded, attached to it for the reports. */
export interface Evidence {
  exchanges: HttpExchange[];
  /** Streams read chunk by chunk (Server-Sent Events). */
  streams?: StreamRecord[];
  /** WebSocket frames both ways, in order. */
  frames?: FrameRecord[];
  /** Frames beyond the record's cap: counted, not kept. */
  omittedFrames?: number;
  /** How the WebSocket connection closed: clean with a code, a wrong code, or unclean (Autobahn's close outcomes). */
  closeOutcome?: string;
  /** The check that did not hold is a recommendation inside a MUST case: the verdict is non-strict, not fail. */
  nonStrict?: boolean;
  /** Exchanges recorded beyond the transcript's cap (counted, not kept). */
  omittedExchanges: number;
  figures: Figure[];
  /** Free-form observations, in order. */
  notes: string[];
  /** Set when the requirement did not hold. */
  expected?: string;
  actual?: string;
}

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
  /** Why it failed, or why it is unsupported. */
  message?: string;
  evidence: Evidence;
}

export interface VerdictTotals {
  pass: number;
  'non-strict': number;
  fail: number;
  informational: number;
  unsupported: number;
}

/** One run of the suite against one adapter. */
export interface AdapterRun {
  adapter: { name: string; baseUrl: string; source: string };
  startedAt: string;
  durationMs: number;
  strict: boolean;
  totals: VerdictTotals;
  results: RequirementResult[];
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
