/**
 * Figures read off a recorded stream: pure functions the actions use to
 * record what the report shows, and the checks use to judge.
 */

/** The longest stretch without a byte between `fromMs` and `toMs`, given when bytes arrived. */
export interface Silence {
  longestMs: number;
  /** How many arrivals fell inside the window. */
  chunks: number;
  windowMs: number;
}

export function silenceOf(arrivals: readonly number[], fromMs: number, toMs: number): Silence {
  const times = [fromMs, ...arrivals.filter((t) => t > fromMs && t < toMs), toMs];
  let longest = 0;
  for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i]! - times[i - 1]!);
  return { longestMs: longest, chunks: times.length - 2, windowMs: toMs - fromMs };
}
