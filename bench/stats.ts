/** Small statistics for benchmark samples: no dependency, no surprises. */

/** The p-th percentile (0–100) by nearest rank; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Median, min and max of repetitions, for a {@link BenchFigure}. */
export function summarize(samples: readonly number[]): { samples: number[]; median: number; min: number; max: number } {
  return { samples: [...samples], median: median(samples), min: Math.min(...samples), max: Math.max(...samples) };
}

/** A number as a table shows it: 3 significant digits, no float noise. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toString();
}
