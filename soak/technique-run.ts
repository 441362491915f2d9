/**
 * One technique's soak: a fresh channel, subscribers that take their
 * position, a publisher that publishes at a steady pace until the deadline,
 * cuts at random moments, a bounded drain, then the accounting.
 */
import { describeError } from '../core/http.ts';
import { Publisher, type PublishTarget } from '../core/publisher.ts';
import type { Transcript } from '../core/transcript.ts';
import { pause, waitUntil } from '../core/wait.ts';
import { accountDelivery, latencySlices, percentile, sumDeliveries, type Delivery, type LatencySlice } from './accounting.ts';
import type { TechniquePlan, SoakTechnique } from './plans.ts';
import { soakData, type Subscriber } from './subscriber.ts';

/** A publish must be acknowledged within this. */
const PUBLISH_DEADLINE_MS = 5000;
/** This many publishes failing in a row means the server is gone. */
export const FAILED_PUBLISHES_FOR_GONE = 5;

export interface TechniqueRunOptions {
  plan: TechniquePlan;
  target: PublishTarget;
  transcript: Transcript;
  subscribers: number;
  /** Messages per second. */
  rate: number;
  durationMs: number;
  /** Cuts come at random, between these many milliseconds apart (per subscriber). */
  cutEveryMs: readonly [number, number];
  /** Set once the server is known to be gone: everything stops. */
  gone: () => string | undefined;
  /** Called when publishing keeps failing: the server is gone. */
  onGone: (why: string) => void;
  random?: () => number;
}

export interface TechniqueResult extends Delivery {
  technique: SoakTechnique;
  channel: string;
  subscribers: number;
  /** How cut subscribers resumed, or why they were not cut. */
  resume: string;
  cut: boolean;
  published: number;
  publishErrors: number;
  reconnects: number;
  subscriberErrors: number;
  /** The first few errors, word for word. */
  errors: string[];
  /** Whole-run delivery latency: from the publish request to each first receipt, in ms. */
  latency: { count: number; p50Ms: number | null; p95Ms: number | null; maxMs: number | null; slices: LatencySlice[] };
}

export interface TechniqueRun {
  technique: SoakTechnique;
  channel: string;
  /** Settles when the soak of this technique is over and every connection is closed. */
  done: Promise<TechniqueResult>;
}

/** Starts the subscribers (resolves once each holds its position), then runs the rest in the background. */
export async function startTechniqueRun(options: TechniqueRunOptions, sliceMs: number): Promise<TechniqueRun> {
  const { plan, transcript } = options;
  const channel = `soak-${plan.technique}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const subscribers = Array.from({ length: options.subscribers }, (_, i) => plan.subscriber(`${plan.technique} subscriber ${i + 1}`, channel, transcript));
  try {
    await Promise.all(subscribers.map((s) => s.start()));
  } catch (error) {
    await Promise.all(subscribers.map((s) => s.stop()));
    throw error;
  }
  return { technique: plan.technique, channel, done: soak(options, channel, subscribers, sliceMs) };
}

async function soak(options: TechniqueRunOptions, channel: string, subscribers: Subscriber[], sliceMs: number): Promise<TechniqueResult> {
  const { plan, transcript } = options;
  const publisher = new Publisher(options.target, channel, transcript);
  const random = options.random ?? Math.random;
  const startedAtMs = transcript.now();
  const endAtMs = startedAtMs + options.durationMs;
  let publishing = true;
  const cutting = 'how' in plan.resume ? subscribers.map((s) => cutAtRandom(s, options.cutEveryMs, random, () => publishing && options.gone() === undefined)) : [];
  const requested = new Map<number, number>(); // seq → when its publish was requested
  const errors: string[] = [];
  let publishErrors = 0;
  let inARow = 0;
  try {
    for (let seq = 0; transcript.now() < endAtMs && options.gone() === undefined; seq++) {
      const dueAtMs = startedAtMs + (seq * 1000) / options.rate;
      await pause(dueAtMs - transcript.now(), () => options.gone() !== undefined);
      const at = transcript.now();
      try {
        await publisher.publish(soakData(seq), { deadlineMs: PUBLISH_DEADLINE_MS });
        requested.set(seq, at);
        inARow = 0;
      } catch (error) {
        publishErrors += 1;
        inARow += 1;
        if (errors.length < 5) errors.push(`publish: ${describeError(error)}`);
        if (inARow >= FAILED_PUBLISHES_FOR_GONE) options.onGone(`${inARow} publishes in a row failed on ${plan.technique} (the last: ${describeError(error)})`);
      }
    }
  } finally {
    publishing = false;
  }
  await Promise.all(cutting);
  // Stragglers get a bounded time to arrive; then what is missing is lost.
  if (options.gone() === undefined) {
    await waitUntil(() => options.gone() !== undefined || subscribers.every((s) => covers(s, requested)), { what: 'every message to every subscriber', deadlineMs: plan.drainMs, seen: () => 'not yet', everyMs: 50 }).catch(() => undefined);
  }
  await Promise.all([...subscribers.map((s) => s.stop()), publisher.close()]);
  return result(options, channel, subscribers, requested, publisher.published.length, publishErrors, errors, startedAtMs, sliceMs);
}

/** Every requested publish is among the subscriber's receipts. */
function covers(subscriber: Subscriber, requested: ReadonlyMap<number, number>): boolean {
  if (subscriber.receipts.length < requested.size) return false;
  const seen = new Set(subscriber.receipts.map((r) => r.seq));
  for (const seq of requested.keys()) if (!seen.has(seq)) return false;
  return true;
}

/** Cuts the subscriber at random moments while `going()` holds. */
async function cutAtRandom(subscriber: Subscriber, [minMs, maxMs]: readonly [number, number], random: () => number, going: () => boolean): Promise<void> {
  while (going()) {
    await pause(minMs + random() * (maxMs - minMs), () => !going());
    if (going()) subscriber.cut();
  }
}

function result(
  options: TechniqueRunOptions,
  channel: string,
  subscribers: Subscriber[],
  requested: ReadonlyMap<number, number>,
  published: number,
  publishErrors: number,
  errors: string[],
  startedAtMs: number,
  sliceMs: number,
): TechniqueResult {
  const { plan } = options;
  const delivery = sumDeliveries(subscribers.map((s) => accountDelivery(requested.keys(), s.receipts)));
  const latencies: Array<[number, number]> = [];
  for (const s of subscribers) {
    const first = new Set<number>();
    for (const r of s.receipts) {
      const at = requested.get(r.seq);
      if (at === undefined || first.has(r.seq)) continue;
      first.add(r.seq);
      latencies.push([r.atMs, Math.max(0, r.atMs - at)]);
    }
  }
  const sorted = latencies.map(([, l]) => l).sort((a, b) => a - b);
  const round = (n: number): number => Math.round(n * 10) / 10;
  const stat = (p: number): number | null => (sorted.length === 0 ? null : round(percentile(sorted, p)));
  for (const s of subscribers) errors.push(...s.errors.first.map((e) => `${s.name}: ${e}`));
  return {
    technique: plan.technique,
    channel,
    subscribers: subscribers.length,
    resume: 'how' in plan.resume ? plan.resume.how : plan.resume.notCut,
    cut: 'how' in plan.resume,
    published,
    publishErrors,
    ...delivery,
    reconnects: subscribers.reduce((n, s) => n + s.reconnects, 0),
    subscriberErrors: subscribers.reduce((n, s) => n + s.errors.count, 0),
    errors: errors.slice(0, 10),
    latency: { count: sorted.length, p50Ms: stat(0.5), p95Ms: stat(0.95), maxMs: sorted.length === 0 ? null : round(sorted.at(-1)!), slices: latencySlices(latencies, startedAtMs, options.durationMs, sliceMs) },
  };
}
