/**
 * What `npm run bench` measures and writes (reports/bench/bench.json). A
 * benchmark, not a test: nothing here passes or fails a run. Each figure is
 * measured several times after a warm-up; the median is the figure and the
 * spread (min, max) says how much to trust it. Where the issue sets a target
 * the figure is shown beside it; where a baseline ran in the same invocation
 * (a bare `ws`, `node:http` or `net` server) the ratio to it is shown, so the
 * machine's own speed cancels out.
 */

/** Bump on any change a reader of bench.json would notice. */
export const BENCH_SCHEMA_VERSION = 2;

/** Whether a larger or a smaller value is the better one. */
export type Better = 'higher' | 'lower';

/** A target from the issue, e.g. `≥ 90 % of bare ws` or `p99 ≤ 100 ms`. */
export interface Target {
  /** How a reader says it, e.g. `≥ 90 % of bare ws`. */
  text: string;
  /** True when the figure meets it; absent when it cannot be judged (no baseline ran). */
  met?: boolean;
}

/** One server (or load generator) measured beside the subject, in the same run. */
export interface Baseline {
  /** e.g. `bare ws 8.23`, `node:http`, `net echo`. */
  name: string;
  median: number;
  /** The subject's median divided by the baseline's. */
  ratio: number;
}

/** One number the benchmark reports. */
export interface BenchFigure {
  /** Stable id, e.g. `ws-echo-throughput`, `fanout-sse-p99`. */
  id: string;
  /** Which item it answers: 1–7 of issue 8, 8 of issue 14 (soak, harness memory), 9–10 of issue 17 (a cluster). */
  item: number;
  /** One line, e.g. `WebSocket echo throughput, 32-byte messages, 200 connections`. */
  title: string;
  /** What was measured: `reference`, `bare ws`, `SSE`, … */
  subject: string;
  unit: string;
  better: Better;
  /** Every repetition's value, warm-up excluded. */
  samples: number[];
  median: number;
  min: number;
  max: number;
  target?: Target;
  baseline?: Baseline;
  /** Anything a reader needs to read the figure right (connections, message size, interval). */
  notes?: string[];
}

/**
 * The technique comparison (item 6): one row per technique, HTTP version and
 * workload (schema 2 added `http`: polling, long-polling and SSE have an
 * HTTP/2 row beside the HTTP/1.1 one, from the same run).
 */
export interface TechniqueCost {
  technique: 'polling' | 'longPolling' | 'sse' | 'websocket';
  /** What the client's connection spoke: `1.1`, or `2` (h2c with prior knowledge). WebSocket is always `1.1` (an upgrade). */
  http: '1.1' | '2';
  /** `one message per second to one client` or `busy channel`. */
  workload: string;
  /** Bytes on the wire (both ways, headers included) per delivered message. */
  bytesPerMessage: number;
  /** HTTP requests (or connection opens) per delivered message. */
  requestsPerMessage: number;
  /** Publish-to-receive delay, median and p99, in ms. */
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Server CPU time (user + system) per delivered message, in µs. */
  serverCpuUsPerMessage: number;
  /** How the client worked, e.g. `polling every 500 ms`. */
  notes?: string[];
}

/** The whole of bench.json. */
export interface BenchReport {
  schemaVersion: typeof BENCH_SCHEMA_VERSION;
  tool: { name: 'pushspec'; version: string };
  generatedAt: string;
  /** `full` (npm run bench) or `quick` (--quick). */
  mode: 'full' | 'quick';
  /** The machine the figures come from: they mean nothing without it. */
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string };
  /** Deliberate slowdowns applied to the reference server, e.g. `sync-log` (empty normally). */
  regressions: string[];
  durationMs: number;
  figures: BenchFigure[];
  techniques: TechniqueCost[];
  /** Scenarios that could not run, and why (a peer not installed, a limit hit). */
  skipped: Array<{ id: string; reason: string }>;
}
