/**
 * Item 1 of issue 8: WebSocket echo throughput, 32-byte messages, many
 * connections. The reference server's `/echo` against a bare `ws` server (the
 * baseline, target ≥ 90 %) and @fastify/websocket (a peer), plus the load
 * generator's own ceiling: the same load over raw TCP against a `net` echo
 * server, which must beat every WebSocket figure or the generator, not the
 * servers, set the pace.
 *
 * Every server runs in its own process; the load runs in two more (so the
 * clients may use the second core while the server uses one), driven in step
 * over IPC. Subjects are measured in interleaved rounds (a warm-up round
 * first, not counted), so noise from the machine falls on all alike.
 */
import type { BenchFigure } from '../model.ts';
import { startServer, type ServerProcess } from '../process.ts';
import type { BenchContext, Scenario, ScenarioResult } from '../scenario.ts';
import { median, summarize } from '../stats.ts';

/** One window's outcome for one subject. */
export interface WindowResult {
  /** Messages (or requests) per second. */
  rate: number;
  errors: number;
  /** Server CPU time over the window's wall time: 1 = one core busy throughout. */
  serverBusy: number;
  /** Server CPU time per message (or request), in µs. */
  serverUs: number;
  /** CPU time all load processes together spent per message (or request), in µs. */
  clientUs: number;
  firstError?: string;
}

/** Something measured in windows: a server and the load processes aimed at it. */
export interface Subject {
  name: string;
  measure(ms: number): Promise<WindowResult>;
}

export interface RoundPlan {
  warmupMs: number;
  windowMs: number;
  repetitions: number;
  log(line: string): void;
}

/**
 * Measures every subject once per round: a warm-up round (discarded), then
 * `repetitions` rounds, each starting with the next subject in turn.
 * Returns each subject's windows, in order.
 */
export async function measureInterleaved(subjects: readonly Subject[], plan: RoundPlan): Promise<Map<string, WindowResult[]>> {
  const results = new Map(subjects.map((s) => [s.name, [] as WindowResult[]]));
  for (const subject of subjects) await subject.measure(plan.warmupMs);
  for (let round = 0; round < plan.repetitions; round++) {
    const order = subjects.map((_, i) => subjects[(i + round) % subjects.length]!);
    for (const subject of order) results.get(subject.name)!.push(await subject.measure(plan.windowMs));
    plan.log(`round ${round + 1}/${plan.repetitions}: ${subjects.map((s) => `${s.name} ${Math.round(results.get(s.name)!.at(-1)!.rate)}/s`).join(', ')}`);
  }
  return results;
}

/**
 * A subject whose load runs in `loads` (each answering `measure` for target
 * `target`, see bench/load/ws-echo.ts), all in step; `count` names the field
 * of their replies to sum (`messages`, `requests`).
 */
export function loadSubject(name: string, server: ServerProcess, loads: readonly ServerProcess[], target: number, count: string): Subject {
  return {
    name,
    async measure(ms) {
      const cpu = async () => (await Promise.all([server, ...loads].map((child) => child.usage()))).map((usage) => usage.cpuUs);
      const before = await cpu();
      const t0 = performance.now();
      const replies = await Promise.all(loads.map((load) => load.command({ cmd: 'measure', target, ms })));
      const wallUs = (performance.now() - t0) * 1000;
      const used = (await cpu()).map((us, i) => us - before[i]!);
      const total = replies.reduce((sum, r) => sum + Number(r[count] ?? 0), 0);
      const seconds = Math.max(...replies.map((r) => Number(r.ms))) / 1000;
      const firstError = replies.map((r) => r.firstError ?? r.error).find((e) => e !== undefined);
      return {
        rate: total / seconds,
        errors: replies.reduce((sum, r) => sum + Number(r.errors ?? 0), 0) + (replies.some((r) => r.error !== undefined) ? 1 : 0),
        serverBusy: used[0]! / wallUs,
        serverUs: used[0]! / total,
        clientUs: used.slice(1).reduce((sum, us) => sum + us, 0) / total,
        ...(firstError === undefined ? {} : { firstError: String(firstError) }),
      };
    },
  };
}

/** Stops whatever started, even when a start failed; never throws. */
export async function stopAll(processes: ReadonlyArray<Promise<ServerProcess>>): Promise<void> {
  await Promise.all(processes.map((p) => p.then((child) => child.stop(), () => undefined)));
}

/** The notes every windowed figure carries: errors and how busy its server was. */
export function windowNotes(windows: readonly WindowResult[], unit: string): string[] {
  const busy = windows.map((w) => w.serverBusy).sort((a, b) => a - b);
  const errors = windows.reduce((sum, w) => sum + w.errors, 0);
  const us = (pick: (w: WindowResult) => number) => median(windows.map(pick)).toFixed(1);
  const notes = [
    `server CPU during the windows: ${Math.round(busy[0]! * 100)}–${Math.round(busy.at(-1)! * 100)} % of one core`,
    `CPU per ${unit} (medians): server ${us((w) => w.serverUs)} µs, load generator ${us((w) => w.clientUs)} µs`,
  ];
  notes.push(errors === 0 ? 'no errors' : `${errors} errors (first: ${windows.find((w) => w.firstError)?.firstError ?? 'a connection closed'})`);
  return notes;
}

const CLIENT_PROCESSES = 2;
const WINDOW = 16;
/**
 * A baseline server busier than this (share of one core, median over the
 * windows) was what ran out, not its load: only then is a ratio to it judged.
 */
export const SATURATED = 0.85;

async function run(context: BenchContext): Promise<ScenarioResult> {
  const connections = context.quick ? 50 : 100;
  const plan: RoundPlan = context.quick
    ? { warmupMs: 250, windowMs: 350, repetitions: context.repetitions, log: context.log }
    : { warmupMs: 1500, windowMs: 3000, repetitions: context.repetitions, log: context.log };
  const perProcess = String(Math.ceil(connections / CLIENT_PROCESSES));
  const reference = startServer('servers/reference.ts', [], { execArgv: context.referenceExecArgv });
  const bare = startServer('servers/ws-echo.ts');
  const peer = startServer('servers/fastify-websocket-echo.ts');
  const net = startServer('servers/net-echo.ts');
  const started: Array<Promise<ServerProcess>> = [reference, bare, peer, net];
  const skipped: ScenarioResult['skipped'] = [];
  try {
    // The peer is optional (a devDependency): without it the others still run.
    const optionalPeer = peer.catch((error: Error) => {
      skipped.push({ id: 'ws-echo-fastify-websocket', reason: `@fastify/websocket server did not start: ${error.message}` });
      return undefined;
    });
    // Awaited together, so a failing start is never an unhandled rejection.
    const [referenceServer, bareServer, netServer, peerServer] = await Promise.all([reference, bare, net, optionalPeer]);
    const urls = [`ws://127.0.0.1:${referenceServer.port}/echo`, `ws://127.0.0.1:${bareServer.port}/`];
    if (peerServer) urls.push(`ws://127.0.0.1:${peerServer.port}/echo`);
    const loadArgs = ['--connections', perProcess, '--window', String(WINDOW), '--size', '32'];
    const wsLoads = Array.from({ length: CLIENT_PROCESSES }, () => startServer('load/ws-echo.ts', [...urls.flatMap((u) => ['--url', u]), ...loadArgs]));
    const netLoads = Array.from({ length: CLIENT_PROCESSES }, () => startServer('load/net-echo.ts', ['--port', String(netServer.port), ...loadArgs]));
    started.push(...wsLoads, ...netLoads);
    const clients = await Promise.all([...wsLoads, ...netLoads]);
    const ws = clients.slice(0, CLIENT_PROCESSES);
    const tcp = clients.slice(CLIENT_PROCESSES);
    const bareName = `bare ws ${String(bareServer.info.ws ?? '')}`.trim();
    const subjects = [
      loadSubject('reference', referenceServer, ws, 0, 'messages'),
      loadSubject(bareName, bareServer, ws, 1, 'messages'),
      ...(peerServer ? [loadSubject(`@fastify/websocket ${String(peerServer.info.version ?? '')}`.trim(), peerServer, ws, 2, 'messages')] : []),
      loadSubject('net echo', netServer, tcp, 0, 'messages'),
    ];
    context.log(`${connections} connections over ${CLIENT_PROCESSES} client processes, ${WINDOW} messages in flight each; ${plan.windowMs} ms windows`);
    const results = await measureInterleaved(subjects, plan);
    return { figures: figures(subjects, results, connections, plan, context), skipped };
  } finally {
    await stopAll(started);
  }
}

function figures(subjects: Subject[], results: Map<string, WindowResult[]>, connections: number, plan: RoundPlan, context: BenchContext): BenchFigure[] {
  const title = `WebSocket echo throughput, 32-byte messages, ${connections} connections`;
  const common = [
    `${connections} connections from ${CLIENT_PROCESSES} client processes (ws), ${WINDOW} messages in flight on each; every server in its own process`,
    `${plan.windowMs} ms per repetition after a ${plan.warmupMs} ms warm-up; subjects interleaved round by round`,
  ];
  const [referenceSubject, bareSubject, ...rest] = subjects;
  const netSubject = rest.pop()!;
  const peerSubject = rest[0];
  const stats = (s: Subject) => summarize(results.get(s.name)!.map((w) => w.rate));
  const bare = stats(bareSubject!);
  const ceiling = stats(netSubject);
  const wsSubjects = [referenceSubject!, bareSubject!, ...(peerSubject ? [peerSubject] : [])];
  const fastestWs = Math.max(...wsSubjects.map((s) => stats(s).median));
  const make = (id: string, subject: Subject, extra: Partial<BenchFigure>): BenchFigure => ({
    id,
    item: 1,
    title,
    subject: subject.name,
    unit: 'messages/s',
    better: 'higher',
    ...stats(subject),
    ...extra,
    notes: [...common, ...windowNotes(results.get(subject.name)!, 'message'), ...(extra.notes ?? [])],
  });
  const versus = (subject: Subject) => ({ name: bareSubject!.name, median: bare.median, ratio: stats(subject).median / bare.median });
  const referenceRatio = versus(referenceSubject!).ratio;
  const bareBusy = median(results.get(bareSubject!.name)!.map((w) => w.serverBusy));
  const judged = bareBusy >= SATURATED;
  const out = [
    make('ws-echo-reference', referenceSubject!, {
      target: { text: `≥ 90 % of ${bareSubject!.name}`, ...(judged ? { met: referenceRatio >= 0.9 } : {}) },
      baseline: versus(referenceSubject!),
      notes: [
        `reference server /echo${context.regressions.length ? ` with regressions: ${context.regressions.join(', ')}` : ''}`,
        ...(judged ? [] : [`not judged: ${bareSubject!.name} was only ${Math.round(bareBusy * 100)} % busy, so the load generator (or another process on the machine), not the server, set its pace`]),
      ],
    }),
    make('ws-echo-bare-ws', bareSubject!, { notes: ['the baseline: ws WebSocketServer, same settings as the reference (no compression, UTF-8 checked)'] }),
  ];
  if (peerSubject) out.push(make('ws-echo-fastify-websocket', peerSubject, { baseline: versus(peerSubject), notes: ['peer: @fastify/websocket route echoing each message'] }));
  const aboveAll = ceiling.median > fastestWs;
  out.push(
    make('ws-echo-load-ceiling', netSubject, {
      title: `Load generator ceiling: the same echo load over raw TCP, 32-byte messages, ${connections} connections`,
      subject: 'net echo (load generator ceiling)',
      notes: [
        'raw node:net echo server, no framing: the most this load generator and machine can push',
        'must be higher than every WebSocket figure, or the generator rather than the server set the pace',
        aboveAll
          ? `it is: ${(ceiling.median / fastestWs).toFixed(1)}× the fastest WebSocket figure (${Math.round(fastestWs)}/s)`
          : `IT IS NOT (fastest WebSocket figure ${Math.round(fastestWs)}/s): the WebSocket figures are bounded by the generator`,
      ],
    }),
  );
  return out;
}

export const wsEchoScenario: Scenario = {
  id: 'ws-echo',
  item: 1,
  title: 'WebSocket echo throughput: reference vs bare ws vs @fastify/websocket, and the load generator ceiling',
  run,
};
