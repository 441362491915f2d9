/**
 * `pushspec soak`'s engine: every technique the adapter declares soaked at
 * once against one server, pushspec's own memory sampled, and everything
 * closed at the end, whatever happened. The server going away (a launched
 * process exiting, or publishes failing again and again) stops the soak.
 */
import type { ResolvedAdapter } from '../adapters/contract/resolve.ts';
import { Transcript } from '../core/transcript.ts';
import { sliceLengthMs, type Delivery } from './accounting.ts';
import { soakPlans, type SoakTechnique } from './plans.ts';
import { startTechniqueRun, type TechniqueResult, type TechniqueRun } from './technique-run.ts';

export interface SoakOptions {
  adapter: ResolvedAdapter;
  durationMs: number;
  /** Subscribers per technique. */
  subscribers: number;
  /** Messages published per second, per technique. */
  rate: number;
  /** Each subscriber is cut after a random time between these (ms). */
  cutEveryMs: readonly [number, number];
  /** Resolves with how the server ended if it ends during the soak (a launched server). */
  serverExited?: Promise<string>;
  /** Progress lines, for the console. */
  progress?: (line: string) => void;
}

export interface SoakResult {
  target: { name: string; baseUrl: string };
  startedAt: string;
  durationS: number;
  sliceS: number;
  subscribersPerTechnique: number;
  ratePerTechnique: number;
  cutEveryMs: readonly [number, number];
  techniques: TechniqueResult[];
  /** Declared techniques the soak left out, and why. */
  skipped: Array<{ technique: SoakTechnique; why: string }>;
  /** pushspec's own resident memory, sampled through the run. */
  rss: { peakMb: number; slices: Array<{ fromS: number; toS: number; maxMb: number | null }> };
  totals: Delivery & { published: number; reconnects: number };
  /** Why the soak stopped early: the server could not be reached or went away. */
  serverProblem?: string;
}

const MB = 1024 * 1024;

/** Samples pushspec's RSS every `everyMs` until stopped. */
function sampleRss(everyMs: number): { stop: () => Array<[number, number]> } {
  const started = performance.now();
  const samples: Array<[number, number]> = [[0, process.memoryUsage.rss()]];
  const timer = setInterval(() => samples.push([performance.now() - started, process.memoryUsage.rss()]), everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      samples.push([performance.now() - started, process.memoryUsage.rss()]);
      return samples;
    },
  };
}

function rssSlices(samples: Array<[number, number]>, durationMs: number, sliceMs: number): SoakResult['rss'] {
  const count = Math.max(1, Math.ceil(durationMs / sliceMs));
  const slices = Array.from({ length: count }, (_, i) => ({ fromS: (i * sliceMs) / 1000, toS: Math.min(durationMs, (i + 1) * sliceMs) / 1000, maxMb: null as number | null }));
  for (const [atMs, rss] of samples) {
    const slice = slices[Math.min(count - 1, Math.floor(atMs / sliceMs))]!;
    slice.maxMb = Math.max(slice.maxMb ?? 0, Math.round((rss / MB) * 10) / 10);
  }
  return { peakMb: Math.round((Math.max(...samples.map(([, r]) => r)) / MB) * 10) / 10, slices };
}

/**
 * Runs the soak. Rejects only when the subscribers cannot take their
 * position at the start (the server does not answer as declared); a server
 * that goes away later ends the soak early, with `serverProblem` set.
 */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const { adapter } = options;
  const transcript = new Transcript();
  const sliceMs = sliceLengthMs(options.durationMs);
  const plans = soakPlans(adapter);
  const skipped = plans.filter((p) => p.skipped !== undefined).map((p) => ({ technique: p.technique, why: p.skipped! }));
  let gone: string | undefined;
  const onGone = (why: string): void => {
    gone ??= why;
  };
  void options.serverExited?.then((status) => onGone(`the server ${status}`));
  const startedAt = new Date().toISOString();
  const rss = sampleRss(Math.min(1000, sliceMs / 2));
  const target = { name: adapter.name, baseUrl: adapter.baseUrl, publish: adapter.publish, ...(adapter.tls !== undefined ? { tls: adapter.tls } : {}) };
  const runs: TechniqueRun[] = [];
  try {
    for (const plan of plans.filter((p) => p.skipped === undefined)) {
      runs.push(
        await startTechniqueRun(
          { plan, target, transcript, subscribers: options.subscribers, rate: options.rate, durationMs: options.durationMs, cutEveryMs: options.cutEveryMs, gone: () => gone, onGone },
          sliceMs,
        ),
      );
      options.progress?.(`${plan.technique}: ${options.subscribers} subscriber(s) on ${runs.at(-1)!.channel}, ${'how' in plan.resume ? `cut at random, resuming by ${plan.resume.how}` : `not cut: ${plan.resume.notCut}`}`);
    }
  } catch (error) {
    // Those already started still close their connections.
    onGone(`a subscriber could not start: ${(error as Error).message}`);
    await Promise.all(runs.map((r) => r.done));
    rss.stop();
    throw error;
  }
  const techniques = await Promise.all(runs.map((r) => r.done));
  const samples = rss.stop();
  const totals = { delivered: 0, lost: 0, duplicated: 0, reordered: 0, published: 0, reconnects: 0 };
  for (const t of techniques) for (const key of Object.keys(totals) as Array<keyof typeof totals>) totals[key] += t[key];
  return {
    target: { name: adapter.name, baseUrl: adapter.baseUrl },
    startedAt,
    durationS: options.durationMs / 1000,
    sliceS: sliceMs / 1000,
    subscribersPerTechnique: options.subscribers,
    ratePerTechnique: options.rate,
    cutEveryMs: options.cutEveryMs,
    techniques,
    skipped,
    rss: rssSlices(samples, options.durationMs, sliceMs),
    totals,
    ...(gone !== undefined ? { serverProblem: gone } : {}),
  };
}
