/**
 * Item 6 of issue 8: the design note's comparison of the four techniques
 * (Ajax polling, long-polling, SSE, WebSocket), in numbers, against the
 * reference server. Two workloads: one client receiving one 32-byte message
 * per second, and a busy channel (100 messages per second to one client).
 * For each technique and workload, one {@link TechniqueCost} row:
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
 * Processes: one reference server per technique (so each one's CPU is its
 * own), one left idle (the CPU baseline), one that only takes publishes,
 * the clients (bench/load/technique-client.ts) and the publisher
 * (bench/load/technique-publisher.ts). Each window uses a fresh channel and a
 * fresh client connection: opening it is part of the cost. A warm-up window
 * per technique comes first and is not counted. The one-per-second windows of
 * the four techniques run at the same time (each on its own server; they are
 * idle most of the time); the busy windows run one after the other, in
 * rotating order, `context.repetitions` rounds.
 */
import type { TechniqueCost } from '../model.ts';
import { startServer, type ServerProcess } from '../process.ts';
import type { BenchContext, Scenario, ScenarioResult } from '../scenario.ts';
import type { TechniqueSessionResult } from '../load/technique-client.ts';
import { clock, PAYLOAD_BYTES } from '../load/technique-payload.ts';
import type { TechniqueName } from '../load/technique-transports.ts';
import { median, percentile, formatValue } from '../stats.ts';

const TECHNIQUES: readonly TechniqueName[] = ['polling', 'longPolling', 'sse', 'websocket'];
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

/** Every process the scenario runs. */
interface Rig {
  servers: Record<TechniqueName, ServerProcess>;
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
async function measureWindow(rig: Rig, technique: TechniqueName, count: number, intervalMs: number, jitterMs: number): Promise<Window> {
  const server = rig.servers[technique];
  const session = `s${++nextSession}`;
  const channel = `techniques-${technique}-${nextSession}`;
  const [before, idleBefore] = await Promise.all([server.usage(), rig.idle.usage()]);
  const started = await rig.client.command({ cmd: 'start', session, technique, port: server.port, channel, expected: count, pollIntervalMs: POLL_INTERVAL_MS });
  if (started.error !== undefined) throw new Error(`${technique}: ${String(started.error)}`);
  const published = await rig.publisher.command({ cmd: 'publish', port: server.port, channel, count, intervalMs, jitterMs });
  // Polling may need one more interval to pick up the last message; past that it is lost.
  const result = (await rig.client.command({ cmd: 'finish', session, timeoutMs: POLL_INTERVAL_MS + 2_000 })) as unknown as TechniqueSessionResult;
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

/** One row of the comparison from a technique's windows of one workload. */
function toRow(technique: TechniqueName, workload: string, windows: readonly Window[], commonNotes: { skew: string; publishCpuUs: number; how: string }): TechniqueCost {
  const counted = windows.filter((w) => w.result.delivered > 0);
  const perMessage = (pick: (w: Window) => number): number[] => counted.map((w) => pick(w) / w.result.delivered);
  const bytes = perMessage((w) => w.result.bytesRead + w.result.bytesWritten);
  const cpu = perMessage((w) => w.serverCpuUs - w.idleCpuUs);
  const rawCpu = perMessage((w) => w.serverCpuUs);
  const latencies = counted.flatMap((w) => w.result.latenciesMs);
  const range = (values: number[], unit: string) => `${formatValue(Math.min(...values))}–${formatValue(Math.max(...values))} ${unit}`;
  const p99s = counted.map((w) => percentile(w.result.latenciesMs, 99));
  const messages = windows[0]?.result.expected ?? 0;
  const notes = [
    HOW[technique],
    commonNotes.how,
    `${windows.length} window${windows.length > 1 ? 's' : ''} of ${messages} messages, each on a fresh channel and connection (opening it counted); ${deliveryNote(windows)}`,
    `per message ${formatValue(median(perMessage((w) => w.result.bytesRead)))} B server→client + ${formatValue(median(perMessage((w) => w.result.bytesWritten)))} B client→server (TCP/IP headers not counted)`,
    `server CPU = its CPU time over the window minus an idle reference server's over the same window (raw ${formatValue(median(rawCpu))} µs/message); it includes handling the publish`,
    ...(counted.length > 1 ? [`spread over the windows: bytes/message ${range(bytes, 'B')}, server CPU/message ${range(cpu, 'µs')}, delay p99 ${range(p99s, 'ms')}`] : []),
    `publishing, the same for every technique: 1 POST of ${formatValue(median(windows.map((w) => w.publishBytes / Math.max(1, w.result.expected))))} B per message, left out of bytes and requests; its server CPU, included above, is ≈ ${formatValue(commonNotes.publishCpuUs)} µs per message (the same publishes to a server with no subscriber)`,
    commonNotes.skew,
  ];
  return {
    technique,
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
  const starts = [...TECHNIQUES, 'idle', 'publishOnly'].map((name) => [name, startServer('servers/reference.ts', ['--keep-alive', '3600000'], { execArgv: context.referenceExecArgv })] as const);
  const clientStart = startServer('load/technique-client.ts');
  const publisherStart = startServer('load/technique-publisher.ts');
  const all = [...starts.map(([, p]) => p), clientStart, publisherStart];
  try {
    const started = await Promise.all(starts.map(async ([name, p]) => [name, await p] as const));
    const byName = Object.fromEntries(started) as Record<TechniqueName | 'idle' | 'publishOnly', ServerProcess>;
    const rig: Rig = { servers: byName, idle: byName.idle, publishOnly: byName.publishOnly, client: await clientStart, publisher: await publisherStart };
    const [clientClock, publisherClock] = [await clockOffset(rig.client), await clockOffset(rig.publisher)];
    const skew = clientClock.offsetMs - publisherClock.offsetMs;
    const skewNote = `delay = receive − publish time, each performance.timeOrigin + performance.now() in its own process (client, publisher); their clocks differ by ≈ ${formatValue(skew)} ms (±${formatValue((clientClock.rttMs + publisherClock.rttMs) / 2)} ms), not corrected`;

    // Warm-up, not counted: every server's path for its technique (or for publishing), and the clients' and publisher's.
    await Promise.all([...TECHNIQUES.map((t) => measureWindow(rig, t, warmupMessages, 1000 / BUSY_RATE, 0)), measurePublishOnly(rig, warmupMessages, 1000 / BUSY_RATE, 0)]);
    context.log(`warm-up done (${warmupMessages} messages per technique)`);

    const slowWorkload = `one ${PAYLOAD_BYTES}-byte message per second to one client`;
    const [slowPublishCpu, ...slow] = await Promise.all([measurePublishOnly(rig, slowMessages, 1000, SLOW_JITTER_MS), ...TECHNIQUES.map((t) => measureWindow(rig, t, slowMessages, 1000, SLOW_JITTER_MS))]) as [number, ...Window[]];
    context.log(`${slowWorkload}: ${TECHNIQUES.map((t, i) => `${t} ${slow[i]!.result.delivered}/${slowMessages}`).join(', ')}`);

    const busyWorkload = `busy channel: ${BUSY_RATE} messages per second to one client`;
    const busy = new Map<TechniqueName, Window[]>(TECHNIQUES.map((t) => [t, []]));
    const publishCpu: number[] = [];
    for (let round = 0; round < context.repetitions; round++) {
      const order = TECHNIQUES.map((_, i) => TECHNIQUES[(i + round) % TECHNIQUES.length]!);
      for (const technique of order) busy.get(technique)!.push(await measureWindow(rig, technique, busyMessages, 1000 / BUSY_RATE, 0));
      publishCpu.push(await measurePublishOnly(rig, busyMessages, 1000 / BUSY_RATE, 0));
      context.log(`busy round ${round + 1}/${context.repetitions}: ${TECHNIQUES.map((t) => `${t} ${busy.get(t)!.at(-1)!.result.delivered}/${busyMessages}`).join(', ')}`);
    }

    const techniques = [
      ...TECHNIQUES.map((t, i) => toRow(t, slowWorkload, [slow[i]!], { skew: skewNote, publishCpuUs: slowPublishCpu, how: `published every 1 s plus a random 0–${SLOW_JITTER_MS} ms; the four techniques measured at the same time, each on its own server process` })),
      ...TECHNIQUES.map((t) => toRow(t, busyWorkload, busy.get(t)!, { skew: skewNote, publishCpuUs: median(publishCpu), how: `published every ${1000 / BUSY_RATE} ms; one technique at a time, ${context.repetitions} rounds in rotating order, delay percentiles over every message of every round` })),
    ];
    for (const row of techniques) {
      context.log(`${row.technique} · ${row.workload}: ${formatValue(row.bytesPerMessage)} B, ${formatValue(row.requestsPerMessage)} req, ${formatValue(row.latencyP50Ms)}/${formatValue(row.latencyP99Ms)} ms, ${formatValue(row.serverCpuUsPerMessage)} µs CPU per message`);
    }
    return { figures: [], techniques };
  } finally {
    await Promise.all(all.map((p) => p.then((child) => child.stop(), () => undefined)));
  }
}

export const techniquesScenario: Scenario = {
  id: 'techniques',
  item: 6,
  title: 'The four techniques compared: bytes, requests, delay and server CPU per delivered message',
  run,
};
