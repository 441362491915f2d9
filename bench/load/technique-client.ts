/**
 * The client side of the technique comparison (issue 8, item 6): one process
 * holding receiving sessions, each one client of one technique on one
 * connection (bench/load/technique-transports.ts), counting what it costs.
 *
 *   node --import tsx bench/load/technique-client.ts
 *
 * Started through bench/process.ts `startServer` (it prints a ready line and
 * takes IPC commands), so a scenario can drive it in step with the publisher
 * (bench/load/technique-publisher.ts, another process):
 * - `{cmd: 'start', session, technique, http, port, channel, expected, pollIntervalMs}`
 *   opens the client (`http`: `1.1` or `2`, for the HTTP kinds) and answers
 *   `{ready: true}` once it has made its first round trip (or `{error}`);
 * - `{cmd: 'finish', session, timeoutMs}` waits until all `expected` messages
 *   arrived (or the timeout), closes the client and answers a
 *   {@link TechniqueSessionResult}, or `{error}` when a connection did not
 *   speak the HTTP version asked for: a row labelled HTTP/2 must be HTTP/2;
 * - `{cmd: 'clock'}` answers `{now}`, so the scenario can estimate how far
 *   this process's clock is from the publisher's.
 *
 * The counters (bytes, requests) are read when the last expected message
 * arrives, and the client then asks for nothing more: a poll after it would
 * deliver nothing and is no cost of these messages.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { serveCommands } from '../process.ts';
import type { HttpVersion } from '../../core/http-version.ts';
import { clock, parsePayload } from './technique-payload.ts';
import { SocketTally } from './technique-sockets.ts';
import { openTransport, protocolProblem, type TechniqueName, type Transport } from './technique-transports.ts';

/** What one session measured. */
export interface TechniqueSessionResult {
  technique: TechniqueName;
  http: HttpVersion;
  /** How each HTTP connection spoke (`HTTP/1.1`, `HTTP/2 (h2c, prior knowledge)`); empty for WebSocket. */
  protocols: string[];
  expected: number;
  /** Distinct expected messages received. */
  delivered: number;
  duplicates: number;
  /** Receipts of a message older than one already received. */
  outOfOrder: number;
  /** Data that was not a payload of this run (wrong size, shape or seq). */
  malformed: number;
  missing: number;
  /** Client's bytes received and sent, both over its socket(s), up to the last expected message. */
  bytesRead: number;
  bytesWritten: number;
  /** HTTP requests sent up to the last expected message (a WebSocket upgrade is one). */
  requests: number;
  /** The polling kinds: bytes of each poll answered up to the last expected message, request to end of answer (Transport.pollBytes). */
  pollBytes: number[];
  /** TCP connections opened. */
  connections: number;
  /** Publish-to-receive delay of each message's first receipt, ms. */
  latenciesMs: number[];
  /** From the client's start to its last expected message (or the timeout), ms. */
  elapsedMs: number;
  timedOut: boolean;
  /** The first few errors the client saw. */
  errors: string[];
}

interface Session {
  readonly technique: TechniqueName;
  readonly http: HttpVersion;
  readonly protocols: string[];
  readonly expected: number;
  readonly startedAt: number;
  readonly tally: SocketTally;
  transport?: Transport;
  readonly seen: Set<number>;
  maxSeq: number;
  duplicates: number;
  outOfOrder: number;
  malformed: number;
  readonly latenciesMs: number[];
  readonly errors: string[];
  /** Counters when the last expected message arrived. */
  snapshot?: { read: number; written: number; requests: number; pollBytes: number[]; at: number };
  complete: () => void;
  readonly completed: Promise<void>;
}

const sessions = new Map<string, Session>();

function takeSnapshot(session: Session): void {
  if (session.snapshot !== undefined) return;
  const bytes = session.tally.bytes();
  session.snapshot = { ...bytes, requests: session.transport?.requests() ?? 0, pollBytes: [...(session.transport?.pollBytes?.() ?? [])], at: clock() };
  session.transport?.stop();
  session.complete();
}

function receive(session: Session, data: string, receivedAt: number): void {
  const payload = parsePayload(data);
  if (payload === undefined || payload.seq >= session.expected) {
    session.malformed++;
    return;
  }
  if (session.seen.has(payload.seq)) {
    session.duplicates++;
    return;
  }
  if (payload.seq < session.maxSeq) session.outOfOrder++;
  session.maxSeq = Math.max(session.maxSeq, payload.seq);
  session.seen.add(payload.seq);
  session.latenciesMs.push(Math.round((receivedAt - payload.sentAt) * 1000) / 1000);
  if (session.seen.size === session.expected) takeSnapshot(session);
}

async function start(cmd: Record<string, unknown>): Promise<Record<string, unknown>> {
  const id = String(cmd.session);
  const technique = cmd.technique as TechniqueName;
  const http: HttpVersion = cmd.http === '2' ? '2' : '1.1';
  let complete = (): void => {};
  const completed = new Promise<void>((resolve) => (complete = resolve));
  const session: Session = {
    technique,
    http,
    protocols: [],
    expected: Number(cmd.expected),
    startedAt: clock(),
    tally: new SocketTally(),
    seen: new Set(),
    maxSeq: -1,
    duplicates: 0,
    outOfOrder: 0,
    malformed: 0,
    latenciesMs: [],
    errors: [],
    complete,
    completed,
  };
  sessions.set(id, session);
  session.transport = openTransport(technique, {
    port: Number(cmd.port),
    channel: String(cmd.channel),
    http,
    onConnection: (how) => session.protocols.push(how),
    pollIntervalMs: Number(cmd.pollIntervalMs),
    tally: session.tally,
    onMessage: (data, receivedAt) => receive(session, data, receivedAt),
    onError: (error) => {
      if (session.errors.length < 3) session.errors.push(error);
    },
  });
  const deadline = sleep(10_000).then(() => {
    throw new Error(`${technique} client not ready within 10 s`);
  });
  try {
    await Promise.race([session.transport.ready, deadline]);
    return { ready: true };
  } catch (error) {
    await session.transport.close();
    sessions.delete(id);
    return { error: (error as Error).message };
  }
}

async function finish(cmd: Record<string, unknown>): Promise<Record<string, unknown>> {
  const session = sessions.get(String(cmd.session));
  if (session === undefined) return { error: `no session ${String(cmd.session)}` };
  const timedOut = await Promise.race([session.completed.then(() => false), sleep(Number(cmd.timeoutMs)).then(() => true)]);
  takeSnapshot(session);
  await session.transport?.close();
  sessions.delete(String(cmd.session));
  const snapshot = session.snapshot!;
  const problem = protocolProblem(session.technique, session.http, session.protocols);
  if (problem !== undefined) return { error: problem };
  const result: TechniqueSessionResult = {
    technique: session.technique,
    http: session.http,
    protocols: session.protocols,
    expected: session.expected,
    delivered: session.seen.size,
    duplicates: session.duplicates,
    outOfOrder: session.outOfOrder,
    malformed: session.malformed,
    missing: session.expected - session.seen.size,
    bytesRead: snapshot.read,
    bytesWritten: snapshot.written,
    requests: snapshot.requests,
    pollBytes: snapshot.pollBytes,
    connections: session.tally.sockets.length,
    latenciesMs: session.latenciesMs,
    elapsedMs: snapshot.at - session.startedAt,
    timedOut,
    errors: session.errors,
  };
  return result as unknown as Record<string, unknown>;
}

serveCommands(async (cmd) => {
  switch (cmd.cmd) {
    case 'start':
      return start(cmd);
    case 'finish':
      return finish(cmd);
    case 'clock':
      return { now: clock() };
    default:
      return { error: `unknown command ${String(cmd.cmd)}` };
  }
});
process.stdout.write(`${JSON.stringify({ ready: true, port: 0, pid: process.pid })}\n`);
