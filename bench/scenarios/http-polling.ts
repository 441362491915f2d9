/**
 * Item 5 of issue 8: HTTP polling requests per second. The reference
 * server's `GET /channels/{ch}/messages?cursor=<latest>` (nothing new: the
 * empty answer, the commonest poll of all) against a bare `node:http` server
 * answering the same status, headers and body shape (the baseline, target
 * ≥ 90 %).
 *
 * Each server runs in its own process; the load (undici Pools, keep-alive
 * connections, every answer followed at once by the next request) runs in two
 * more, driven in step. The two servers are measured in interleaved rounds
 * after a warm-up round that is not counted.
 */
import type { BenchFigure } from '../model.ts';
import { startServer, type ServerProcess } from '../process.ts';
import type { BenchContext, Scenario, ScenarioResult } from '../scenario.ts';
import { summarize } from '../stats.ts';
import { loadSubject, measureInterleaved, stopAll, windowNotes, type RoundPlan, type Subject, type WindowResult } from './ws-echo.ts';

const CLIENT_PROCESSES = 2;
const CHANNEL = 'bench-poll';

/** Publishes one message and returns its id: the cursor of a poll with nothing new. */
async function publishOne(server: ServerProcess): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${server.port}/channels/${CHANNEL}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: 'x'.repeat(32),
    signal: AbortSignal.timeout(5_000),
  });
  if (response.status !== 201) throw new Error(`publishing to the reference server answered ${response.status}`);
  return ((await response.json()) as { id: string }).id;
}

async function run(context: BenchContext): Promise<ScenarioResult> {
  const connections = context.quick ? 16 : 32;
  const plan: RoundPlan = context.quick
    ? { warmupMs: 250, windowMs: 350, repetitions: context.repetitions, log: context.log }
    : { warmupMs: 1500, windowMs: 3000, repetitions: context.repetitions, log: context.log };
  const reference = startServer('servers/reference.ts', [], { execArgv: context.referenceExecArgv });
  const plain = startServer('servers/http-plain.ts');
  const started: Array<Promise<ServerProcess>> = [reference, plain];
  try {
    const [referenceServer, plainServer] = await Promise.all([reference, plain]);
    const cursor = await publishOne(referenceServer);
    const path = `/channels/${CHANNEL}/messages?cursor=${cursor}`;
    const urls = [`http://127.0.0.1:${referenceServer.port}${path}`, `http://127.0.0.1:${plainServer.port}${path}`];
    const loads = Array.from({ length: CLIENT_PROCESSES }, () =>
      startServer('load/http-rps.ts', [...urls.flatMap((u) => ['--url', u]), '--connections', String(connections / CLIENT_PROCESSES)]),
    );
    started.push(...loads);
    const clients = await Promise.all(loads);
    const subjects = [loadSubject('reference', referenceServer, clients, 0, 'requests'), loadSubject('bare node:http', plainServer, clients, 1, 'requests')];
    context.log(`${connections} keep-alive connections over ${CLIENT_PROCESSES} client processes, one request in flight on each; ${plan.windowMs} ms windows`);
    const results = await measureInterleaved(subjects, plan);
    return { figures: figures(subjects, results, connections, plan, path, context) };
  } finally {
    await stopAll(started);
  }
}

/**
 * Requests per second of server CPU: what the server would answer with a
 * core to itself. The undici generator spends more CPU per request than
 * bare node:http does, so on two cores it cannot keep that server's core
 * busy; the measured rate then says more about the generator than the
 * server, while CPU per request does not depend on who set the pace.
 */
function perCore(window: WindowResult): number {
  return 1_000_000 / window.serverUs;
}

function figures(subjects: Subject[], results: Map<string, WindowResult[]>, connections: number, plan: RoundPlan, path: string, context: BenchContext): BenchFigure[] {
  const [referenceSubject, plainSubject] = subjects as [Subject, Subject];
  const windows = (s: Subject) => results.get(s.name)!;
  const capacity = (s: Subject) => summarize(windows(s).map(perCore));
  const measured = (s: Subject) => summarize(windows(s).map((w) => w.rate));
  const busiest = (s: Subject) => Math.max(...windows(s).map((w) => w.serverBusy));
  const plainSaturated = busiest(plainSubject) >= 0.9;
  const common = [
    `GET ${path.replace(/cursor=\d+/, 'cursor=<latest>')}: nothing after the cursor, so the answer is {"messages":[],"cursor":"<latest>"} (28 bytes, Cache-Control: no-store)`,
    `${connections} keep-alive connections from ${CLIENT_PROCESSES} client processes (undici Pool), one request in flight on each, no pipelining; every server in its own process`,
    `${plan.windowMs} ms per repetition after a ${plan.warmupMs} ms warm-up; the two servers interleaved round by round`,
  ];
  const make = (id: string, subject: Subject, extra: Partial<BenchFigure> & Pick<BenchFigure, 'title' | 'unit' | 'samples' | 'median' | 'min' | 'max'>): BenchFigure => ({
    id,
    item: 5,
    subject: subject.name,
    better: 'higher',
    ...extra,
    notes: [...common, ...windowNotes(windows(subject), 'request'), ...(extra.notes ?? [])],
  });
  const capacityTitle = `HTTP polling requests per second per core of server CPU, empty answer, ${connections} connections`;
  const measuredTitle = `HTTP polling requests per second as measured, empty answer, ${connections} connections`;
  const capacityNote = 'requests answered per second of server CPU time (user + system), i.e. the rate the server sustains with one core to itself; judged here because the load generator (undici, see its CPU per request) cannot keep bare node:http busy on 2 cores';
  const referenceCapacity = capacity(referenceSubject);
  const plainCapacity = capacity(plainSubject);
  const referenceRate = measured(referenceSubject);
  const plainRate = measured(plainSubject);
  const regressions = context.regressions.length ? ` with regressions: ${context.regressions.join(', ')}` : '';
  return [
    make('http-poll-reference', referenceSubject, {
      title: capacityTitle,
      unit: 'requests/s per core',
      ...referenceCapacity,
      target: { text: '≥ 90 % of bare node:http', met: referenceCapacity.median / plainCapacity.median >= 0.9 },
      baseline: { name: plainSubject.name, median: plainCapacity.median, ratio: referenceCapacity.median / plainCapacity.median },
      notes: [capacityNote, `reference server (fastify)${regressions}`],
    }),
    make('http-poll-bare-node-http', plainSubject, {
      title: capacityTitle,
      unit: 'requests/s per core',
      ...plainCapacity,
      notes: [capacityNote, 'the baseline: node:http answering the same status, headers and body shape with no framework'],
    }),
    make('http-poll-reference-measured', referenceSubject, {
      title: measuredTitle,
      unit: 'requests/s',
      ...referenceRate,
      baseline: { name: plainSubject.name, median: plainRate.median, ratio: referenceRate.median / plainRate.median },
      notes: [
        plainSaturated
          ? 'bare node:http was kept busy (≥ 90 % of a core), so this ratio is the servers\' own'
          : `bare node:http never reached 90 % of a core (at most ${Math.round(busiest(plainSubject) * 100)} %): the load generator set the pace, so this ratio flatters the slower server; the per-core figure is the one judged`,
        `reference server (fastify)${regressions}`,
      ],
    }),
    make('http-poll-bare-node-http-measured', plainSubject, { title: measuredTitle, unit: 'requests/s', ...plainRate, notes: ['the baseline, as measured'] }),
  ];
}

export const httpPollingScenario: Scenario = {
  id: 'http-polling',
  item: 5,
  title: 'HTTP polling requests per second: reference vs bare node:http',
  run,
};
