/**
 * Event streams cancelled on an HTTP/2 connection that stays open
 * (SSE-H2-CANCEL-RELEASED): the server's count of open streams (`sse.stats`)
 * is read, ten streams are opened on one connection and the count must rise
 * by ten, then all ten are cancelled at once (the strict reader's close aborts
 * each request: undici sends RST_STREAM with CANCEL, the connection stays
 * open) and the count is read until it is back where it was.
 */
import type { ScenarioContext } from '../../core/context.ts';
import { readStatsCount } from '../../core/stats-count.ts';
import { pause } from '../../core/wait.ts';
import type { ResolvedSse } from './adapter.ts';
import type { CancelReleaseRun } from './checks.ts';
import type { SseStreamClient } from './stream-client.ts';

/** How often the count is read while waiting. */
const POLL_EVERY_MS = 50;
/** How long the count may take to show streams whose heads have come. */
const OPENED_DEADLINE_MS = 2000;
/** The bound without a declared keep-alive: a server may notice a cancelled stream only at its next write. */
const BOUND_WITHOUT_KEEP_ALIVE_MS = 2000;
/** Added to the declared keep-alive interval: the write that reveals the cancelled stream, and reading the count. */
const KEEP_ALIVE_SLACK_MS = 1000;

/** What the actions lend this part. */
export interface CancelLender {
  open(name: string, options: { onSharedConnection: boolean; headAtOnce: boolean }): Promise<void>;
  stream(name: string): SseStreamClient;
  /** How many times the shared connection has closed so far. */
  sharedDisconnects(): number;
}

export class SseH2Cancel {
  private readonly context: ScenarioContext;
  private readonly spec: ResolvedSse;
  private readonly streams: CancelLender;
  private baseline: number | undefined;
  private run: CancelReleaseRun | undefined;

  constructor(context: ScenarioContext, spec: ResolvedSse, streams: CancelLender) {
    this.context = context;
    this.spec = spec;
    this.streams = streams;
  }

  /** How soon the count must be back: the declared keep-alive interval plus 1 s, or 2 s without one. */
  get boundMs(): number {
    return this.spec.keepAliveMs === undefined ? BOUND_WITHOUT_KEEP_ALIVE_MS : this.spec.keepAliveMs + KEEP_ALIVE_SLACK_MS;
  }

  /** The server's count of open event streams now. */
  private count(): Promise<number> {
    const stats = this.spec.stats;
    if (stats === undefined) throw new Error('the adapter declares no "sse.stats"');
    const where = { url: stats.url, ...(stats.streamsPointer !== undefined ? { pointer: stats.streamsPointer } : {}), ...(stats.streamsPattern !== undefined ? { pattern: stats.streamsPattern } : {}) };
    return readStatsCount(this.context.target.baseUrl, where, this.context.httpAgent, { count: 'count of open event streams', field: 'sse.stats' });
  }

  /** Reads the count until `done` says so or `deadlineMs` passed; the last count read, and whether `done` held. */
  private async countUntil(done: (count: number) => boolean, deadlineMs: number): Promise<{ count: number; done: boolean; atMs: number }> {
    const started = performance.now();
    for (;;) {
      const count = await this.count();
      const atMs = performance.now();
      if (done(count)) return { count, done: true, atMs };
      if (atMs - started >= deadlineMs) return { count, done: false, atMs };
      await pause(POLL_EVERY_MS);
    }
  }

  async rememberCount(): Promise<void> {
    this.baseline = await this.count();
    this.context.transcript.note(`the server counts ${this.baseline} open event stream(s) before the scenario's streams open`);
  }

  /** Opens `count` streams on one connection, sees the count rise, cancels them all at once and reads the count until it is back. */
  async openAndCancel(count: number): Promise<CancelReleaseRun> {
    const baseline = this.baseline;
    if (baseline === undefined) throw new Error('the scenario did not read the count of open event streams first');
    const names = Array.from({ length: count }, (_, i) => `cancelled stream ${i + 1}`);
    await Promise.all(names.map((name) => this.streams.open(name, { onSharedConnection: true, headAtOnce: true })));
    const opened = await this.countUntil((n) => n >= baseline + count, OPENED_DEADLINE_MS);
    const transcript = this.context.transcript;
    transcript.figure('streams counted', opened.count - baseline, '');
    const disconnectsBefore = this.streams.sharedDisconnects();
    const cancelledAtMs = performance.now();
    for (const name of names) this.streams.stream(name).close();
    transcript.note(`${count} streams cancelled at once (RST_STREAM, CANCEL); the connection they share stays open`);
    const boundMs = this.boundMs;
    // Read a little past the bound: a release just after it is told apart from none.
    const released = opened.done ? await this.countUntil((n) => n <= baseline, boundMs + 500) : undefined;
    const releaseMs = released?.done === true ? released.atMs - cancelledAtMs : undefined;
    if (releaseMs !== undefined) transcript.figure('released within', releaseMs, 'ms');
    const connectionClosed = this.streams.sharedDisconnects() > disconnectsBefore;
    transcript.note(`the shared connection ${connectionClosed ? 'closed while the count was read' : 'stayed open'}`);
    this.run = {
      opened: count,
      baseline,
      countAfterOpen: opened.count,
      ...(released !== undefined ? { countAfterCancel: released.count } : {}),
      ...(releaseMs !== undefined ? { releaseMs } : {}),
      readForMs: released === undefined ? 0 : released.atMs - cancelledAtMs,
      connectionClosed,
    };
    return this.run;
  }

  /** The last {@link openAndCancel}. */
  lastRun(): CancelReleaseRun {
    if (this.run === undefined) throw new Error('no event streams were opened and cancelled before this step');
    return this.run;
  }
}
