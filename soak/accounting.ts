/**
 * The soak's bookkeeping, as pure functions: what one subscriber's receipts
 * say about exactly-once delivery (lost, duplicated, reordered), and how
 * delivery latency and pushspec's memory read per time slice.
 */

/** One message a subscriber received: which publish it was (its sequence number) and when. */
export interface Receipt {
  seq: number;
  /** Milliseconds on the soak's clock. */
  atMs: number;
}

/** What one subscriber's receipts say, against the publishes it should have seen. */
export interface Delivery {
  /** Distinct expected messages received. */
  delivered: number;
  /** Expected messages never received. */
  lost: number;
  /** Receipts of a message already received. */
  duplicated: number;
  /** First receipts of a message published before one already received. */
  reordered: number;
}

/**
 * Accounts one subscriber's receipts (in arrival order) against the
 * sequence numbers it should have received (`expected`, the acknowledged
 * publishes). A message received twice counts once as delivered and once as
 * duplicated; a repeat is never also counted as reordered. Receipts of
 * sequence numbers not expected (a publish whose acknowledgement was lost)
 * count only when repeated.
 */
export function accountDelivery(expected: Iterable<number>, receipts: readonly Receipt[]): Delivery {
  const want = new Set(expected);
  const seen = new Set<number>();
  let duplicated = 0;
  let reordered = 0;
  let highest = -Infinity;
  for (const { seq } of receipts) {
    if (seen.has(seq)) {
      duplicated += 1;
      continue;
    }
    seen.add(seq);
    if (seq < highest) reordered += 1;
    else highest = seq;
  }
  let delivered = 0;
  for (const seq of want) if (seen.has(seq)) delivered += 1;
  return { delivered, lost: want.size - delivered, duplicated, reordered };
}

/** Adds deliveries up (a technique's subscribers together). */
export function sumDeliveries(deliveries: readonly Delivery[]): Delivery {
  const total: Delivery = { delivered: 0, lost: 0, duplicated: 0, reordered: 0 };
  for (const d of deliveries) {
    total.delivered += d.delivered;
    total.lost += d.lost;
    total.duplicated += d.duplicated;
    total.reordered += d.reordered;
  }
  return total;
}

/** The value below which `p` (0–1) of the sorted values lie (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank]!;
}

/** Delivery latency in one time slice of the run: from the publish request to each first receipt. */
export interface LatencySlice {
  /** Start of the slice, in seconds since publishing began. */
  fromS: number;
  toS: number;
  /** Receipts whose latency is in this slice (a slice is the one the receipt arrived in). */
  count: number;
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

/**
 * Slices latencies (`[arrival ms, latency ms]`, arrival on the soak's clock,
 * `originMs` the start of publishing) into consecutive slices of `sliceMs`
 * covering `durationMs`; a receipt after the last slice (the drain at the
 * end) falls in the last one.
 */
export function latencySlices(latencies: ReadonlyArray<readonly [number, number]>, originMs: number, durationMs: number, sliceMs: number): LatencySlice[] {
  const count = Math.max(1, Math.ceil(durationMs / sliceMs));
  const buckets: number[][] = Array.from({ length: count }, () => []);
  for (const [atMs, latencyMs] of latencies) {
    const index = Math.min(count - 1, Math.max(0, Math.floor((atMs - originMs) / sliceMs)));
    buckets[index]!.push(latencyMs);
  }
  return buckets.map((values, i) => {
    values.sort((a, b) => a - b);
    const empty = values.length === 0;
    return {
      fromS: round1((i * sliceMs) / 1000),
      toS: round1((Math.min(durationMs, (i + 1) * sliceMs)) / 1000),
      count: values.length,
      p50Ms: empty ? null : round1(percentile(values, 0.5)),
      p95Ms: empty ? null : round1(percentile(values, 0.95)),
      maxMs: empty ? null : round1(values.at(-1)!),
    };
  });
}

/**
 * The slice length for a run: a tenth of it, at least 1 s and at most 10 s
 * (a ten-minute soak gets 60 slices of 10 s, a six-second one 6 of 1 s).
 */
export function sliceLengthMs(durationMs: number): number {
  return Math.min(10_000, Math.max(1000, Math.round(durationMs / 10)));
}
