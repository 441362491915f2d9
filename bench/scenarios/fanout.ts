/**
 * Item 2 of issue 8: one publish fanned out to 10,000 subscribers (quick:
 * 1,000) of each technique: every message delivered to every subscriber, in
 * order; publish-to-receive p50 and p99; the server's own time to write the
 * broadcast. Reference server against the bare baseline of each technique.
 *
 * Also home of the connection sets items 2, 3 and 4 share, so the big sets
 * open once per repetition rather than once per figure: for each technique
 * and server (a fresh process each), every repetition opens 10,000 idle
 * subscribers (memory after GC: item 3, idle-memory.ts), fans out to them on
 * the last repetition (item 2), then opens 9,000 more on top (19,000 at once,
 * and the open rate over both batches: item 4, connections.ts). Whichever of
 * the three scenarios runs first does the work; the others read its results.
 */
import { execFileSync } from 'node:child_process';
import { request } from 'undici';
import { addErrors, SubscriberFleet, waitUntil, type Technique } from '../load/subscriber-fleet.ts';
import type { BenchFigure } from '../model.ts';
import { startServer, type ServerProcess } from '../process.ts';
import type { BenchContext, Scenario, ScenarioResult } from '../scenario.ts';
import { percentile, summarize } from '../stats.ts';

export const TECHNIQUES: readonly Technique[] = ['websocket', 'sse', 'longPolling'];
/** How a reader says each technique, and its part of figure ids. */
export const TECHNIQUE_LABELS: Record<Technique, { name: string; id: string }> = {
  websocket: { name: 'WebSocket', id: 'ws' },
  sse: { name: 'SSE', id: 'sse' },
  longPolling: { name: 'held long-poll', id: 'long-poll' },
};
const BARE_SCRIPTS: Record<Technique, string> = { websocket: 'servers/bare-ws.ts', sse: 'servers/bare-sse.ts', longPolling: 'servers/bare-long-poll.ts' };
/** The `stats` field counting each technique's connections (for long-polling: polls held right now). */
const OPEN_COUNT_KEYS: Record<Technique, string> = { websocket: 'sockets', sse: 'streams', longPolling: 'held' };
const CHANNEL = 'bench';
/** How long a broadcast may take to reach every subscriber before the rest count as not delivered. */
export const DELIVERY_DEADLINE_MS = 10_000;

/** What one server (reference or bare) gave for one technique. */
export interface SetMeasurements {
  technique: Technique;
  /** `reference` or the baseline's name (e.g. `bare ws 8.23.0`). */
  subject: string;
  /** Subscribers in the idle set (items 2, 3), and in all once the extra batch opened (item 4; 0 when the fd limit forbids it). */
  count: number;
  total: number;
  /** Item 3, one per repetition: (heapUsed + external) after GC with the set open minus without, per connection, KiB. */
  heapKiB: number[];
  /** The same by RSS, on the first set of the fresh process only (later sets reuse memory the earlier ones freed). */
  firstRssKiB: number;
  /** Item 2, one per counted publish: p50/p99 over every subscriber (ms), receipts, the server's loop and loop-until-flushed (ms). */
  p50: number[];
  p99: number[];
  delivered: number[];
  loopMs: number[];
  flushedMs: number[];
  outOfOrder: number;
  /** Item 4, one per repetition: opened per second over both batches, and the most the server held at once. */
  rates: number[];
  held: number[];
  /** Over the whole run: failed opens by code, and subscribers that closed after opening. */
  openErrors: Record<string, number>;
  dropped: number;
}

/** A server under measurement, in its own process started with --expose-gc (so `usage` reads after a GC). */
interface Subject {
  name: string;
  server: ServerProcess;
  openCount(technique: Technique): Promise<number>;
  /** The server's own timing of its last broadcast (see lastBroadcast in the reference). */
  lastBroadcast(technique: Technique): Promise<{ subscribers: number; ms: number; flushedMs: number }>;
}

async function startSubject(kind: 'reference' | 'bare', technique: Technique, context: BenchContext): Promise<Subject> {
  const server =
    kind === 'reference'
      ? await startServer('servers/reference.ts', ['--max-hold', '3600000'], { execArgv: ['--expose-gc', ...context.referenceExecArgv] })
      : await startServer(BARE_SCRIPTS[technique], [], { execArgv: ['--expose-gc'] });
  const stats = (): Promise<Record<string, unknown>> => server.command({ cmd: 'stats' });
  return {
    name: kind === 'reference' ? 'reference' : String(server.info.name),
    server,
    openCount: async (t) => Number((await stats())[OPEN_COUNT_KEYS[t]]),
    lastBroadcast: async (t) => ((await stats()).lastBroadcast as Record<Technique, { subscribers: number; ms: number; flushedMs: number }>)[t],
  };
}

/** Publishes `<seq> <time>`, the time taken just before sending: each subscriber's latency starts there. */
async function publish(port: number, seq: number): Promise<void> {
  const response = await request(`http://127.0.0.1:${port}/channels/${CHANNEL}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: `${seq} ${performance.timeOrigin + performance.now()}`,
  });
  await response.body.text();
  if (response.statusCode !== 201) throw new Error(`publish answered ${response.statusCode}`);
}

/** The sets of one technique on one server; `m` collects what they give. */
class SetRunner {
  readonly fleet: SubscriberFleet;
  readonly subject: Subject;
  readonly m: SetMeasurements;

  constructor(fleet: SubscriberFleet, subject: Subject, m: SetMeasurements) {
    this.fleet = fleet;
    this.subject = subject;
    this.m = m;
  }

  /** Opens `count` more and waits until the server holds every one that opened; returns the open result and how many it holds. */
  async open(count: number): Promise<{ durationMs: number; opened: number; holding: number }> {
    const before = await this.subject.openCount(this.m.technique);
    const result = await this.fleet.open(this.m.technique, this.subject.server.port, CHANNEL, count);
    addErrors(this.m.openErrors, result.errors);
    await waitUntil(async () => (await this.subject.openCount(this.m.technique)) >= before + result.opened, 15_000);
    return { ...result, holding: await this.subject.openCount(this.m.technique) };
  }

  async closeAll(): Promise<void> {
    this.m.dropped += (await this.fleet.status()).dropped;
    await this.fleet.closeAll();
    if (!(await waitUntil(async () => (await this.subject.openCount(this.m.technique)) === 0, 15_000))) throw new Error(`${this.subject.name}: ${this.m.technique} connections still open 15 s after their clients closed`);
  }

  /** Publishes `seq` once every subscriber is ready (long-polling: its next poll held), and waits until all have it. */
  async broadcast(count: number, seq: number): Promise<void> {
    await waitUntil(async () => (await this.subject.openCount(this.m.technique)) >= count, 5_000);
    await publish(this.subject.server.port, seq);
    await waitUntil(async () => (await this.fleet.received(seq)) >= count, DELIVERY_DEADLINE_MS);
  }

  /** Item 2 on the open set: a warm-up publish (seq 0), then one counted publish per repetition, spaced by the waits. */
  async fanOut(repetitions: number): Promise<void> {
    const { m } = this;
    for (let seq = 0; seq <= repetitions; seq++) {
      await this.broadcast(m.count, seq);
      if (seq === 0) continue;
      const loop = await this.subject.lastBroadcast(m.technique);
      m.loopMs.push(loop.ms);
      m.flushedMs.push(loop.flushedMs);
    }
    const { latencies, outOfOrder } = await this.fleet.deliveries();
    for (let seq = 1; seq <= repetitions; seq++) {
      const list = latencies.get(seq) ?? [];
      m.p50.push(percentile(list, 50));
      m.p99.push(percentile(list, 99));
      m.delivered.push(list.length);
    }
    m.outOfOrder = outOfOrder;
  }

  /** Warm-up (not counted), then per repetition: memory of the idle set, fan-out on the last, the extra batch on top. */
  async run(repetitions: number): Promise<void> {
    const { m, subject } = this;
    // Warm-up: 1,000 subscribers open, get a message and close, so code is compiled and heaps grown before anything counts.
    await this.open(1000);
    await this.broadcast(1000, 0);
    await this.closeAll();
    for (let rep = 0; rep < repetitions; rep++) {
      const none = await subject.server.usage();
      const first = await this.open(m.count);
      const held = await subject.server.usage();
      m.heapKiB.push((held.heapUsedBytes + held.externalBytes - none.heapUsedBytes - none.externalBytes) / first.holding / 1024);
      if (rep === 0) m.firstRssKiB = (held.rssBytes - none.rssBytes) / first.holding / 1024;
      if (rep === repetitions - 1) await this.fanOut(repetitions);
      if (m.total > m.count) {
        const second = await this.open(m.total - m.count);
        m.rates.push(((first.opened + second.opened) / (first.durationMs + second.durationMs)) * 1000);
        m.held.push(second.holding);
      }
      await this.closeAll();
    }
  }
}

const sessions = new WeakMap<BenchContext, Promise<SetMeasurements[]>>();

async function runSets(context: BenchContext, count: number, total: number): Promise<SetMeasurements[]> {
  // A fresh server per technique and kind (memory freed by an earlier set would hide part of the next one's), all
  // started at once with the load processes: idle until measured, they do not disturb each other.
  const plan = TECHNIQUES.flatMap((technique) => (['reference', 'bare'] as const).map((kind) => ({ technique, kind })));
  const started = await Promise.allSettled([SubscriberFleet.start(Math.max(count, total)), ...plan.map(({ kind, technique }) => startSubject(kind, technique, context))]);
  const [fleet, ...subjects] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined)) as [SubscriberFleet?, ...Array<Subject | undefined>];
  const results: SetMeasurements[] = [];
  try {
    const failure = started.find((s) => s.status === 'rejected');
    if (failure !== undefined) throw (failure as PromiseRejectedResult).reason;
    for (const [i, { technique }] of plan.entries()) {
      const subject = subjects[i]!;
      const m: SetMeasurements = { technique, subject: subject.name, count, total, heapKiB: [], firstRssKiB: Number.NaN, p50: [], p99: [], delivered: [], loopMs: [], flushedMs: [], outOfOrder: 0, rates: [], held: [], openErrors: {}, dropped: 0 };
      await new SetRunner(fleet!, subject, m).run(context.repetitions);
      results.push(m);
      const list = (values: number[], digits = 0): string => values.map((v) => v.toFixed(digits)).join('/');
      context.log(`${TECHNIQUE_LABELS[technique].name}, ${m.subject}: ${list(m.heapKiB, 2)} KiB/conn; fan-out p99 ${list(m.p99)} ms, write loop ${list(m.flushedMs)} ms; ${total} open at ${list(m.rates)}/s`);
      await subject.server.stop();
    }
  } finally {
    await Promise.all([fleet?.stop(), ...subjects.map((s) => s?.server.stop())]);
  }
  return results;
}

/** The `ulimit -n` servers and load processes started from here inherit. */
export function openFileLimit(): number {
  try {
    return Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
  } catch {
    return Number.NaN;
  }
}

/** Connections item 4 wants open at once in one server process: 19,000 (quick 2,000). */
export function concurrentTarget(context: BenchContext): number {
  return context.quick ? 2000 : 19_000;
}

/** Whether a server process may hold `count` connections: one descriptor each, plus a few dozen of its own. */
export function fdLimitAllows(count: number): boolean {
  const limit = openFileLimit();
  return Number.isNaN(limit) || limit >= count + 100;
}

/**
 * The connection sets of items 2–4, measured once per benchmark run (per context): 10,000 idle subscribers
 * (quick 1,000), and {@link concurrentTarget} at once unless the fd limit forbids it.
 */
export function measureConnectionSets(context: BenchContext): Promise<SetMeasurements[]> {
  let session = sessions.get(context);
  if (session === undefined) {
    const total = concurrentTarget(context);
    session = runSets(context, context.quick ? 1000 : 10_000, fdLimitAllows(total) ? total : 0);
    sessions.set(context, session);
  }
  return session;
}

/** A reference figure from `pick`, with the bare baseline's median beside it. */
export function compared(reference: SetMeasurements, bare: SetMeasurements | undefined, pick: (m: SetMeasurements) => number[], figure: Omit<BenchFigure, 'samples' | 'median' | 'min' | 'max' | 'baseline' | 'subject'>): BenchFigure {
  const summary = summarize(pick(reference));
  const baseline = bare === undefined ? undefined : summarize(pick(bare)).median;
  return { ...figure, subject: 'reference', ...summary, ...(baseline === undefined ? {} : { baseline: { name: bare!.subject, median: baseline, ratio: summary.median / baseline } }) };
}

/** The reference's and the bare baseline's measurements of each technique. */
export function pairs(sets: SetMeasurements[]): Array<{ technique: Technique; reference: SetMeasurements; bare: SetMeasurements | undefined }> {
  return TECHNIQUES.flatMap((technique) => {
    const reference = sets.find((m) => m.technique === technique && m.subject === 'reference');
    const bare = sets.find((m) => m.technique === technique && m.subject !== 'reference');
    return reference === undefined ? [] : [{ technique, reference, bare }];
  });
}

function fanoutFigures(reference: SetMeasurements, bare: SetMeasurements | undefined): BenchFigure[] {
  const { name, id } = TECHNIQUE_LABELS[reference.technique];
  const n = reference.count.toLocaleString('en-US');
  const title = `Fan-out to ${n} ${name} subscribers`;
  const p99 = compared(reference, bare, (m) => m.p99, {
    id: `fanout-${id}-p99`,
    item: 2,
    title: `${title}: publish-to-receive p99`,
    unit: 'ms',
    better: 'lower',
    notes: [`one channel, subscribers spread over load processes; ${reference.p99.length} publishes after a warm-up one, each once every subscriber was ready; p99 over all ${n} receipts of each`],
  });
  p99.target = { text: '≤ 100 ms', met: p99.median <= 100 };
  const p50 = compared(reference, bare, (m) => m.p50, { id: `fanout-${id}-p50`, item: 2, title: `${title}: publish-to-receive p50`, unit: 'ms', better: 'lower' });
  const loop = compared(reference, bare, (m) => m.flushedMs, {
    id: `fanout-${id}-write-loop`,
    item: 2,
    title: `${title}: the server's write loop for one broadcast`,
    unit: 'ms',
    better: 'lower',
    notes: [`from the loop's start until its writes were flushed (node defers a corked HTTP response's writes to the end of the tick; read at the next setImmediate); the loop alone: median ${summarize(reference.loopMs).median.toFixed(1)} ms`],
  });
  loop.target = { text: '≤ 10 ms', met: loop.median <= 10 };
  const expected = reference.count * reference.delivered.length;
  const got = reference.delivered.reduce((a, b) => a + b, 0);
  const delivered = compared(reference, bare, (m) => m.delivered.map((d) => (d / m.count) * 100), {
    id: `fanout-${id}-delivered`,
    item: 2,
    title: `${title}: messages delivered`,
    unit: '%',
    better: 'higher',
    notes: [`${got.toLocaleString('en-US')} of ${expected.toLocaleString('en-US')} receipts within ${DELIVERY_DEADLINE_MS / 1000} s of each publish, ${reference.outOfOrder} out of order, ${reference.dropped} subscribers dropped`],
  });
  delivered.target = { text: 'every message to every subscriber, in order', met: got === expected && reference.outOfOrder === 0 && reference.dropped === 0 };
  return [p99, p50, loop, delivered];
}

export const fanoutScenario: Scenario = {
  id: 'fanout',
  item: 2,
  title: 'Fan-out: one publish to 10,000 subscribers (quick: 1,000), WebSocket, SSE and long-polling',
  async run(context): Promise<ScenarioResult> {
    const sets = await measureConnectionSets(context);
    return { figures: pairs(sets).flatMap(({ reference, bare }) => fanoutFigures(reference, bare)) };
  },
};
