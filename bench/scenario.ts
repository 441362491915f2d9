/**
 * One benchmark scenario: starts what it needs (servers, load generators, in
 * their own processes via bench/process.ts), measures, stops everything, and
 * returns figures. Registered in bench/scenarios/index.ts.
 */
import type { BenchFigure, TechniqueCost } from './model.ts';

export interface BenchContext {
  /** `--quick`: fewer repetitions, smaller loads; the whole run under a minute. */
  quick: boolean;
  /** Measured repetitions per figure (after one warm-up): 5, or 3 when quick. */
  repetitions: number;
  /** Deliberate slowdowns for the reference server (`--regression sync-log`): pass `referenceExecArgv` when starting it. */
  regressions: string[];
  /** node flags that apply the regressions to a reference server process. */
  referenceExecArgv: string[];
  /** A progress line for the terminal. */
  log(line: string): void;
}

export interface ScenarioResult {
  figures: BenchFigure[];
  techniques?: TechniqueCost[];
  skipped?: Array<{ id: string; reason: string }>;
}

export interface Scenario {
  /** e.g. `ws-echo`; `--only ws-echo` runs just this one. */
  id: string;
  /** Which item it answers: 1–7 of issue 8, 8 of issue 14 (soak, harness memory), 9–10 of issue 17 (a cluster). */
  item: number;
  title: string;
  run(context: BenchContext): Promise<ScenarioResult>;
}
