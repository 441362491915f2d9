/**
 * Reports written as the run goes: after a case finishes, summary.json,
 * junit.xml, index.html and the rest are rewritten with what has been judged
 * so far (`complete: false`), at most once a second, and once more at the
 * end. A run killed with SIGKILL, or one that runs out of time, leaves the
 * last reports written. Each file is replaced atomically
 * (reporting/write-reports.ts).
 */
import { writeReports } from '../reporting/write-reports.ts';
import type { AdapterRun } from '../verdicts/model.ts';
import { buildSummary } from '../verdicts/summary.ts';

/** The least time between two writes while the run goes. */
export const REWRITE_INTERVAL_MS = 1_000;

export class LiveReports {
  private readonly dir: string;
  private readonly intervalMs: number;
  private readonly onError: (error: Error) => void;
  private latest: (() => AdapterRun) | undefined;
  private lastWrite = -Infinity;
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private failed = false;

  /** `onError` hears of a write that failed (once); the run goes on, and the final write tries again. */
  constructor(dir: string, options: { intervalMs?: number; onError?: (error: Error) => void } = {}) {
    this.dir = dir;
    this.intervalMs = options.intervalMs ?? REWRITE_INTERVAL_MS;
    this.onError = options.onError ?? (() => undefined);
  }

  /** A case finished: `soFar` builds the run as judged so far. Writes now, or once the interval has passed. */
  caseFinished(soFar: () => AdapterRun): void {
    if (this.closed) return;
    this.latest = soFar;
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastWrite + this.intervalMs - performance.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const build = this.latest;
      if (build !== undefined && !this.closed) void this.write(build());
    }, wait);
    // A pending rewrite never keeps the process alive: the final write covers it.
    this.timer.unref();
  }

  /** What was judged so far as the last case finished, or undefined before any finished. */
  soFar(): AdapterRun | undefined {
    return this.latest?.();
  }

  /** The last write: no further rewrite happens after it. Rejects if it fails. */
  async final(run: AdapterRun): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
    await writeReports(buildSummary([run]), this.dir);
  }

  private write(run: AdapterRun): Promise<void> {
    this.lastWrite = performance.now();
    this.writing = this.writing
      .then(() => writeReports(buildSummary([run]), this.dir))
      .then(
        () => undefined,
        (error: unknown) => {
          if (!this.failed) this.onError(error as Error);
          this.failed = true;
        },
      );
    return this.writing;
  }
}
