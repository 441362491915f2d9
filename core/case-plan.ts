/**
 * The scenarios a run will play, in order, as cucumber announces them before
 * the first one starts. A technique may read it to start independent cases
 * ahead of their scenarios, several at once (the WebSocket echo cases, each on
 * its own connection), while cucumber still runs scenarios one at a time.
 * Set by the suite runner; empty when a scenario runs outside it.
 */

/** One scenario the run will play. */
export interface PlannedScenario {
  name: string;
  /** Its step texts, Background steps included. */
  steps: string[];
  tags: string[];
}

// On globalThis, as core/run-control.ts does: the CLI and the support code may load two copies of this module.
const KEY = Symbol.for('pushspec.casePlan');
type Holder = { [KEY]?: PlannedScenario[] };

/** Starts an empty plan for a new run. */
export function resetCasePlan(): void {
  (globalThis as Holder)[KEY] = [];
}

/** Adds a scenario the run will play. */
export function planScenario(scenario: PlannedScenario): void {
  ((globalThis as Holder)[KEY] ??= []).push(scenario);
}

/** The run's scenarios, in the order they will run. */
export function casePlan(): readonly PlannedScenario[] {
  return (globalThis as Holder)[KEY] ?? [];
}
