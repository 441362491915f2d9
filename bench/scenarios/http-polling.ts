/**
 * Item 5 of issue 8: HTTP polling requests per second. The reference
 * server's `GET /channels/{ch}/messages?cursor=<latest>` (nothing new: the
 * empty answer, the commonest poll of all) against a bare `node:http` server
 * answering the same status, headers and body shape (the baseline, target
 * ≥ 90 %).
 *
 * Each server runs in its own process; the load (keep-alive connections,
 * every answer followed at once by the next request) runs in two more, driven
 * in step. The load uses bench/load/http-rps.ts's raw `net` client, not
 * undici: undici spends more CPU per request than bare node:http spends
 * answering it, so on 2 cores it cannot keep that server busy and would
 * measure itself. The two servers are measured in interleaved rounds after a
 * warm-up round that is not counted.
 */
import type { BenchFigure } from '../model.ts';
import { startServer, type ServerProcess } from '../process.ts';
import type { BenchContext, Scenario, ScenarioResult } from '../scenario.ts';
import { median, summarize } from '../stats.ts';
import { SATURATED, loadSubject, measureInterleaved, stopAll, windowNotes, type RoundPlan, type Subject, type WindowResult } from './ws-echo.ts';

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
      startServer('load/http-rps.ts', [...urls.flatMap((u) => ['--url', u]), '--connections', String(connections / CLIENT_PROCESSES), '--client', 'raw']),
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

function figures(subjects: Subject[], results: Map<string, WindowResult[]>, connections: number, plan: RoundPlan, path: string, context: BenchContext): BenchFigure[] {
  const [referenceSubject, plainSubject] = subjects as [Subject, Subject];
  const windows = (s: Subject) => results.get(s.name)!;
  const stats = (s: Subject) => summarize(windows(s).map((w) => w.rate));
  const reference = stats(referenceSubject);
  const plain = stats(plainSubject);
  const ratio = reference.median / plain.median;
  // A baseline its load did not keep busy was measured at the generator's pace: no ratio to it can be judged.
  const plainBusy = median(windows(plainSubject).map((w) => w.serverBusy));
  const judged = plainBusy >= SATURATED;
  const title = `HTTP polling requests per second, empty answer, ${connections} connections`;
  const common = [
    `GET ${path.replace(/cursor=\d+/, 'cursor=<latest>')}: nothing after the cursor, so the answer is {"messages":[],"cursor":"<latest>"} (28-byte body, Cache-Control: no-store)`,
    `${connections} keep-alive connections from ${CLIENT_PROCESSES} client processes (bench/load/http-rps.ts, raw net client), one request in flight on each, no pipelining; every server in its own process`,
    `${plan.windowMs} ms per repetition after a ${plan.warmupMs} ms warm-up; the two servers interleaved round by round`,
  ];
  const make = (id: string, subject: Subject, extra: Partial<BenchFigure>): BenchFigure => ({
    id,
    item: 5,
    title,
    subject: subject.name,
    unit: 'requests/s',
    better: 'higher',
    ...stats(subject),
    ...extra,
    notes: [...common, ...windowNotes(windows(subject), 'request'), ...(extra.notes ?? [])],
  });
  return [
    make('http-poll-reference', referenceSubject, {
      target: { text: '≥ 90 % of bare node:http', ...(judged ? { met: ratio >= 0.9 } : {}) },
      baseline: { name: plainSubject.name, median: plain.median, ratio },
      notes: [
        `reference server (fastify)${context.regressions.length ? ` with regressions: ${context.regressions.join(', ')}` : ''}`,
        ...(judged ? [] : [`not judged: bare node:http was only ${Math.round(plainBusy * 100)} % busy, so the load generator (or another process on the machine), not the server, set its pace`]),
      ],
    }),
    make('http-poll-bare-node-http', plainSubject, { notes: ['the baseline: node:http answering the same status, headers and body shape with no framework'] }),
  ];
}

export const httpPollingScenario: Scenario = {
  id: 'http-polling',
  item: 5,
  title: 'HTTP polling requests per second: reference vs bare node:http',
  run,
};
