/**
 * Item 6 of issue 8: the design note's comparison of the four techniques
 * (Ajax polling, long-polling, SSE, WebSocket), in numbers, against the
 * reference server. Two workloads: one client receiving one 32-byte message
 * per second, and a busy channel (100 messages per second to one client).
 * Ajax polling, long-polling and SSE are measured twice in the same run, over
 * HTTP/1.1 and over HTTP/2 (h2c with prior knowledge: the reference started
 * with `--http2`, the client through core/http-version.ts, and a window whose
 * connection did not speak the row's version fails the scenario), so HPACK's
 * and framing's effect shows beside the HTTP/1.1 row. WebSocket stays on
 * HTTP/1.1 (the reference has no RFC 8441).
 * For each technique, HTTP version and workload, one {@link TechniqueCost} row:
 * - bytes on the wire per delivered message, both directions, HTTP heads and
 *   framing included, counted at the client's socket (bytesRead +
 *   bytesWritten); the publisher's own requests are left out (they cost the
 *   same for every technique and are noted beside);
 * - HTTP requests per delivered message (a WebSocket upgrade or an event
 *   stream is one request);
 * - publish-to-receive delay, p50 and p99 over every message;
 * - server CPU per delivered message: the server's CPU time over the window,
 *   minus that of an idle reference server over the same window. Handling
 *   the publish is included: the same messages published, at the same
 *   rate, to one more server with no subscriber say how much that is (notes).
 *
 * Processes: one reference server per technique and HTTP version (so each
 * one's CPU is its own), one left idle (the CPU baseline), one that only takes publishes,
 * the clients (bench/load/technique-client.ts) and the publisher
 * (bench/load/technique-publisher.ts). Each window uses a fresh channel and a
 * fresh client connection: opening it is part of the cost. A warm-up window
 * per technique comes first and is not counted. The one-per-second windows of
 * the seven variants run at the same time (each on its own server; they are
 * idle most of the time); the busy windows run one after the other, in
 * rotating order, `context.repetitions` rounds.
 */
import type { TechniqueCost } from '../model.ts';
import { startServer, type ServerProcess } from '../process.ts';
import type { BenchContext, Scenario, ScenarioResult } from '../scenario.ts';
import type { TechniqueSessionResult } from '../load/technique-client.ts';
import { clock, PAYLOAD_BYTES } from '../load/technique-payload.ts';
import type { TechniqueName } from '../load/technique-transports.ts';
import type { HttpVersion } from '../../core/http-version.ts';
import { http2Deltas, techniqueLabel } from '../report-text.ts';
import { median, percentile, formatValue } from '../stats.ts';

/** A technique over one HTTP version: one server, one row per workload. */
interface Variant {
  technique: TechniqueName;
  http: HttpVersion;
  /** `sse`, `sse (HTTP/2)`: the row's and the server's name. */
  label: string;
}

const variant = (technique: TechniqueName, http: HttpVersion): Variant => ({ technique, http, label: http === '2' ? `${technique} (HTTP/2)` : technique });
/** Each HTTP/2 row right after its HTTP/1.1 row. */
const VARIANTS: readonly Variant[] = [
  variant('polling', '1.1'),
  variant('polling', '2'),
  variant('longPolling', '1.1'),
  variant('longPolling', '2'),
  variant('sse', '1.1'),
  variant('sse', '2'),
  variant('websocket', '1.1'),
];
/** Ajax polling's interval: the design note's example (0.5 s). */
const POLL_INTERVAL_MS = 500;
/** The busy channel's rate, messages per second. */
const BUSY_RATE = 100;
/** Publish times of the slow workload get up to this much random delay, so polling's phase does not fix its delay. */
const SLOW_JITTER_MS = 500;

const HOW: Record<TechniqueName, string> = {
  polling: `Ajax polling every ${POLL_INTERVAL_MS} ms (fixed schedule, random phase) on one keep-alive connection`,
  longPolling: 'long-polling (wait=25000), the next poll sent as soon as an answer arrives, on one keep-alive connection',
  sse: 'one event stream (GET …/events)',
  websocket: 'one WebSocket (…/ws, no compression)',
};

const HTTP_HOW: Record<HttpVersion, string> = {
  '1.1': 'over HTTP/1.1',
  '2': 'over HTTP/2 in the clear (h2c, prior knowledge; each request a stream on the one connection; its preface and SETTINGS counted); the server reads the connection through the reference\'s h2c sniffer (reference/http2.ts), which adds a JS stream between socket and HTTP/2 session',
};

/** Every process the scenario runs. */
interface Rig {
  /** By {@link Variant.label}. */
  servers: Record<string, ServerProcess>;
  idle: ServerProcess;
  /** Takes the same publishes as a technique's server, with no subscriber. */
  publishOnly: ServerProcess;
  client: ServerProcess;
  publisher: ServerProcess;
}

/** One measured window of one technique. */
interface Window {
  result: TechniqueSessionResult;
  serverCpuUs: number;
  idleCpuUs: number;
  publishBytes: number;
  publishErrors: number;
  firstPublishError?: string;
}

let nextSession = 0;

/** Opens a client, publishes `count` messages, waits for them, and says what it cost. */
async function measureWindow(rig: Rig, { technique, http, label }: Variant, count: number, intervalMs: number, jitterMs: number): Promise<Window> {
  const server = rig.servers[label]!;
  const session = `s${++nextSession}`;
  const channel = `techniques-${technique}-${nextSession}`;
  const [before, idleBefore] = await Promise.all([server.usage(), rig.idle.usage()]);
  const started = await rig.client.command({ cmd: 'start', session, technique, http, port: server.port, channel, expected: count, pollIntervalMs: POLL_INTERVAL_MS });
  if (started.error !== undefined) throw new Error(`${label}: ${String(started.error)}`);
  const published = await rig.publisher.command({ cmd: 'publish', port: server.port, channel, count, intervalMs, jitterMs });
  // Polling may need one more interval to pick up the last message; past that it is lost.
  const finished = await rig.client.command({ cmd: 'finish', session, timeoutMs: POLL_INTERVAL_MS + 2_000 });
  // A connection that did not speak the row's HTTP version: the figures would be the other version's.
  if (finished.error !== undefined) throw new Error(`${label}: ${String(finished.error)}`);
  const result = finished as unknown as TechniqueSessionResult;
  const [after, idleAfter] = await Promise.all([server.usage(), rig.idle.usage()]);
  return {
    result,
    serverCpuUs: after.cpuUs - before.cpuUs,
    idleCpuUs: idleAfter.cpuUs - idleBefore.cpuUs,
    publishBytes: Number(published.bytes),
    publishErrors: Number(published.errors ?? 0) + (published.error === undefined ? 0 : 1),
    ...(published.firstError === undefined && published.error === undefined ? {} : { firstPublishError: String(published.firstError ?? published.error) }),
  };
}

/**
 * Server CPU per message of publishing alone (no subscriber), minus idle, µs:
 * the share of every row's CPU figure that is the same for all techniques.
 */
async function measurePublishOnly(rig: Rig, count: number, intervalMs: number, jitterMs: number): Promise<number> {
  const channel = `techniques-publish-only-${++nextSession}`;
  const [before, idleBefore] = await Promise.all([rig.publishOnly.usage(), rig.idle.usage()]);
  await rig.publisher.command({ cmd: 'publish', port: rig.publishOnly.port, channel, count, intervalMs, jitterMs });
  const [after, idleAfter] = await Promise.all([rig.publishOnly.usage(), rig.idle.usage()]);
  return (after.cpuUs - before.cpuUs - (idleAfter.cpuUs - idleBefore.cpuUs)) / count;
}

/** How far `child`'s clock is ahead of this process's (ms), from the IPC round trip with the smallest delay. */
async function clockOffset(child: ServerProcess): Promise<{ offsetMs: number; rttMs: number }> {
  let best = { offsetMs: 0, rttMs: Infinity };
  for (let i = 0; i < 5; i++) {
    const t0 = clock();
    const { now } = await child.command({ cmd: 'clock' });
    const t1 = clock();
    if (t1 - t0 < best.rttMs) best = { offsetMs: Number(now) - (t0 + t1) / 2, rttMs: t1 - t0 };
  }
  return best;
}

/** What the windows say about delivery: exactly once and in order, or what went wrong. */
function deliveryNote(windows: readonly Window[]): string {
  const sum = (pick: (r: TechniqueSessionResult) => number) => windows.reduce((total, w) => total + pick(w.result), 0);
  const expected = sum((r) => r.expected);
  const problems = [
    [sum((r) => r.missing), 'missing'],
    [sum((r) => r.duplicates), 'duplicated'],
    [sum((r) => r.outOfOrder), 'out of order'],
    [sum((r) => r.malformed), 'malformed'],
  ].filter(([n]) => Number(n) > 0);
  const errors = windows.flatMap((w) => [...w.result.errors, ...(w.firstPublishError === undefined ? [] : [`publish: ${w.firstPublishError}`])]);
  if (problems.length === 0 && errors.length === 0) return `all ${expected} messages delivered exactly once, in order`;
  return `DELIVERY PROBLEM: of ${expected} messages ${problems.map(([n, what]) => `${n} ${what}`).join(', ') || 'none lost'}${errors.length > 0 ? `; first error: ${errors[0]}` : ''}`;
}

/**
 * The polling kinds: what one poll costs, request to end of answer, both ways: the first of each window (it opens the
 * connection) and the later ones. Over HTTP/2 the later ones send their headers as HPACK table indexes.
 */
function pollNote(windows: readonly Window[]): string[] {
  const first = windows.flatMap((w) => w.result.pollBytes.slice(0, 1));
  const later = windows.flatMap((w) => w.result.pollBytes.slice(1));
  if (first.length === 0) return [];
  return [`one poll, request and answer: the first of a window ${formatValue(median(first))} B (opening the connection), later ones ${later.length > 0 ? `${formatValue(median(later))} B (median of ${later.length})` : 'none'}`];
}

/** One row of the comparison from a technique's windows of one workload. */
function toRow({ technique, http }: Variant, workload: string, windows: readonly Window[], commonNotes: { skew: string; publishCpuUs: number; how: string }): TechniqueCost {
  const counted = windows.filter((w) => w.result.delivered > 0);
  const perMessage = (pick: (w: Window) => number): number[] => counted.map((w) => pick(w) / w.result.delivered);
  const bytes = perMessage((w) => w.result.bytesRead + w.result.bytesWritten);
  const cpu = perMessage((w) => w.serverCpuUs - w.idleCpuUs);
  const rawCpu = perMessage((w) => w.serverCpuUs);
  const latencies = counted.flatMap((w) => w.result.latenciesMs);
  const range = (values: number[], unit: string) => `${formatValue(Math.min(...values))}–${formatValue(Math.max(...values))} ${unit}`;
  const p99s = counted.map((w) => percentile(w.result.latenciesMs, 99));
  const messages = windows[0]?.result.expected ?? 0;
  const protocols = [...new Set(windows.flatMap((w) => w.result.protocols))];
  const notes = [
    HOW[technique],
    technique === 'websocket' ? 'an HTTP/1.1 upgrade' : `${HTTP_HOW[http]}; connections spoke ${protocols.join(', ')}`,
    commonNotes.how,
    `${windows.length} window${windows.length > 1 ? 's' : ''} of ${messages} messages, each on a fresh channel and connection (opening it counted); ${deliveryNote(windows)}`,
    `per message ${formatValue(median(perMessage((w) => w.result.bytesRead)))} B server→client + ${formatValue(median(perMessage((w) => w.result.bytesWritten)))} B client→server (TCP/IP headers not counted)`,
    `server CPU = its CPU time over the window minus an idle reference server's over the same window (raw ${formatValue(median(rawCpu))} µs/message); it includes handling the publish`,
    ...pollNote(counted),
    ...(counted.length > 1 ? [`spread over the windows: bytes/message ${range(bytes, 'B')}, server CPU/message ${range(cpu, 'µs')}, delay p99 ${range(p99s, 'ms')}`] : []),
    `publishing, the same for every technique: 1 POST of ${formatValue(median(windows.map((w) => w.publishBytes / Math.max(1, w.result.expected))))} B per message, left out of bytes and requests; its server CPU, included above, is ≈ ${formatValue(commonNotes.publishCpuUs)} µs per message (the same publishes to a server with no subscriber)`,
    commonNotes.skew,
  ];
  return {
    technique,
    http,
    workload,
    bytesPerMessage: median(bytes),
    requestsPerMessage: median(perMessage((w) => w.result.requests)),
    latencyP50Ms: percentile(latencies, 50),
    latencyP99Ms: percentile(latencies, 99),
    serverCpuUsPerMessage: median(cpu),
    notes,
  };
}

async function run(context: BenchContext): Promise<ScenarioResult> {
  const slowMessages = context.quick ? 3 : 10;
  const busyWindowMs = context.quick ? 300 : 1000;
  const busyMessages = Math.round((BUSY_RATE * busyWindowMs) / 1000);
  const warmupMessages = context.quick ? 20 : 50;
  // Keep-alives off (one hour): an SSE comment during a window would be a cost of idling, not of delivery.
  const reference = (http2: boolean) => startServer('servers/reference.ts', ['--keep-alive', '3600000', ...(http2 ? ['--http2'] : [])], { execArgv: context.referenceExecArgv });
  const starts = [...VARIANTS.map((v) => [v.label, reference(v.http === '2')] as const), ['idle', reference(false)] as const, ['publishOnly', reference(false)] as const];
  const clientStart = startServer('load/technique-client.ts');
  const publisherStart = startServer('load/technique-publisher.ts');
  const all = [...starts.map(([, p]) => p), clientStart, publisherStart];
  try {
    const byName = Object.fromEntries(await Promise.all(starts.map(async ([name, p]) => [name, await p] as const))) as Record<string, ServerProcess>;
    const rig: Rig = { servers: byName, idle: byName.idle!, publishOnly: byName.publishOnly!, client: await clientStart, publisher: await publisherStart };
    const [clientClock, publisherClock] = [await clockOffset(rig.client), await clockOffset(rig.publisher)];
    const skew = clientClock.offsetMs - publisherClock.offsetMs;
    const skewNote = `delay = receive − publish time, each performance.timeOrigin + performance.now() in its own process (client, publisher); their clocks differ by ≈ ${formatValue(skew)} ms (±${formatValue((clientClock.rttMs + publisherClock.rttMs) / 2)} ms), not corrected`;

    // Warm-up, not counted: every server's path for its technique (or for publishing), and the clients' and publisher's.
    await Promise.all([...VARIANTS.map((v) => measureWindow(rig, v, warmupMessages, 1000 / BUSY_RATE, 0)), measurePublishOnly(rig, warmupMessages, 1000 / BUSY_RATE, 0)]);
    context.log(`warm-up done (${warmupMessages} messages per technique and HTTP version)`);

    const slowWorkload = `one ${PAYLOAD_BYTES}-byte message per second to one client`;
    const [slowPublishCpu, ...slow] = await Promise.all([measurePublishOnly(rig, slowMessages, 1000, SLOW_JITTER_MS), ...VARIANTS.map((v) => measureWindow(rig, v, slowMessages, 1000, SLOW_JITTER_MS))]) as [number, ...Window[]];
    context.log(`${slowWorkload}: ${VARIANTS.map((v, i) => `${v.label} ${slow[i]!.result.delivered}/${slowMessages}`).join(', ')}`);

    const busyWorkload = `busy channel: ${BUSY_RATE} messages per second to one client`;
    const busy = new Map<Variant, Window[]>(VARIANTS.map((v) => [v, []]));
    const publishCpu: number[] = [];
    for (let round = 0; round < context.repetitions; round++) {
      const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]!);
      for (const v of order) busy.get(v)!.push(await measureWindow(rig, v, busyMessages, 1000 / BUSY_RATE, 0));
      publishCpu.push(await measurePublishOnly(rig, busyMessages, 1000 / BUSY_RATE, 0));
      context.log(`busy round ${round + 1}/${context.repetitions}: ${VARIANTS.map((v) => `${v.label} ${busy.get(v)!.at(-1)!.result.delivered}/${busyMessages}`).join(', ')}`);
    }

    const techniques = [
      ...VARIANTS.map((v, i) => toRow(v, slowWorkload, [slow[i]!], { skew: skewNote, publishCpuUs: slowPublishCpu, how: `published every 1 s plus a random 0–${SLOW_JITTER_MS} ms; the ${VARIANTS.length} techniques and HTTP versions measured at the same time, each on its own server process` })),
      ...VARIANTS.map((v) => toRow(v, busyWorkload, busy.get(v)!, { skew: skewNote, publishCpuUs: median(publishCpu), how: `published every ${1000 / BUSY_RATE} ms; one technique and HTTP version at a time, ${context.repetitions} rounds in rotating order, delay percentiles over every message of every round` })),
    ];
    for (const row of techniques) {
      context.log(`${techniqueLabel(row)} · ${row.workload}: ${formatValue(row.bytesPerMessage)} B, ${formatValue(row.requestsPerMessage)} req, ${formatValue(row.latencyP50Ms)}/${formatValue(row.latencyP99Ms)} ms, ${formatValue(row.serverCpuUsPerMessage)} µs CPU per message`);
    }
    for (const line of http2Deltas(techniques)) context.log(line);
    return { figures: [], techniques };
  } finally {
    await Promise.all(all.map((p) => p.then((child) => child.stop(), () => undefined)));
  }
}

export const techniquesScenario: Scenario = {
  id: 'techniques',
  item: 6,
  title: 'The four techniques compared (polling, long-polling and SSE also over HTTP/2): bytes, requests, delay and server CPU per delivered message',
  run,
};
