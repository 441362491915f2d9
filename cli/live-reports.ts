/**
 * Reports written as the run goes: when a case finishes, summary.json,
 * junit.xml, index.html and the rest are rewritten with what has been judged
 * so far (`complete: false`), at most once a second, and once more at the
 * end. A run killed with SIGKILL, or one that runs out of time, leaves the
 * last reports written. Each file is replaced atomically
 * (reporting/write-reports.ts).
 *
 * Rendering takes the event loop for a while (hundreds of milliseconds for
 * a hundred case pages), and the clients under test, and the embedded
 * reference server, share that loop: rendered in the middle of a case, it
 * would delay a ping or a reconnection the case is timing. So reports are
 * rendered only at the moment a case finishes, before the next one starts;
 * only the file writes, which take no time of the loop to speak of, go on
 * while the next case runs. A case that finishes within the interval of the
 * last write is written with the next one, or by the final write.
 */
import { renderReports, writeRendered, writeReports, type RenderedReport } from '../reporting/write-reports.ts';
import type { AdapterRun } from '../verdicts/model.ts';
import { buildSummary } from '../verdicts/summary.ts';

/** The least time between two writes while the run goes. */
export const REWRITE_INTERVAL_MS = 1_000;
/**
 * Rendering's share of the run, at most: after a render that took d ms the next
 * waits at least d × this factor, so a run of 600 cases (a render of 300 ms and
 * more) spends no more than a twenty-fifth of its time rewriting reports.
 */
export const RENDER_DUTY_FACTOR = 25;

export class LiveReports {
  private readonly dir: string;
  private readonly intervalMs: number;
  private readonly onError: (error: Error) => void;
  private readonly catalogueVersion: string | undefined;
  private latest: (() => AdapterRun) | undefined;
  /** When the next write may happen: the interval, or longer after a slow render. */
  private nextWriteAt = -Infinity;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;
  private failed = false;

  /** `onError` hears of a write that failed (once); the run goes on, and the final write tries again. */
  constructor(dir: string, options: { intervalMs?: number; onError?: (error: Error) => void; catalogueVersion?: string } = {}) {
    this.dir = dir;
    this.intervalMs = options.intervalMs ?? REWRITE_INTERVAL_MS;
    this.onError = options.onError ?? (() => undefined);
    this.catalogueVersion = options.catalogueVersion;
  }

  /**
   * A case finished: `soFar` builds the run as judged so far. Called before
   * the next case starts; renders now if the interval since the last write
   * has passed (the files are written in the background), else leaves it to
   * a later case or the final write.
   */
  caseFinished(soFar: () => AdapterRun): void {
    if (this.closed) return;
    this.latest = soFar;
    if (performance.now() < this.nextWriteAt) return;
    const started = performance.now();
    void this.write(soFar());
    const took = performance.now() - started;
    this.nextWriteAt = started + Math.max(this.intervalMs, took * RENDER_DUTY_FACTOR);
  }

  /** What was judged so far as the last case finished, or undefined before any finished. */
  soFar(): AdapterRun | undefined {
    return this.latest?.();
  }

  /** The last write: no further rewrite happens after it. Rejects if it fails. */
  async final(run: AdapterRun): Promise<void> {
    this.closed = true;
    await this.writing;
    await writeReports(buildSummary([run], [], this.catalogueVersion), this.dir);
  }

  private write(run: AdapterRun): Promise<void> {
    let files: RenderedReport[];
    try {
      files = renderReports(buildSummary([run], [], this.catalogueVersion));
    } catch (error) {
      this.failedOnce(error);
      return this.writing;
    }
    this.writing = this.writing.then(
      () => writeRendered(files, this.dir).then(() => undefined, (error: unknown) => this.failedOnce(error)),
    );
    return this.writing;
  }

  /** Tells `onError` of the first write that failed; the run goes on, and the final write tries again. */
  private failedOnce(error: unknown): void {
    if (!this.failed) this.onError(error as Error);
    this.failed = true;
  }
}
