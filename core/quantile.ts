/** The nearest-rank quantile `q` (0..1) of `values`, as the reports have always shown delivery figures; `values` must not be empty. */
export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
