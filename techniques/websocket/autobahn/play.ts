/**
 * Plays one case against the echo endpoint on a connection of its own, with a
 * transcript of its own, ending it as Autobahn does: the client closes once the
 * expected events came (or its timer fires), or waits for the server to fail
 * the connection and fails it itself (Close 1001) if the server does not.
 */
import type { ConnectionOptions } from 'node:tls';
import { ConformanceFailure } from '../../../core/failure.ts';
import { Transcript } from '../../../core/transcript.ts';
import { attachDeflate } from '../deflate/session.ts';
import { offerHeader } from '../deflate/negotiation.ts';
import { RawWebSocket } from '../raw-client.ts';
import type { HandshakeRequestOptions } from '../handshake.ts';
import { CaseConnection } from './connection.ts';
import { judgeCase, judgedEvents, listMatches, type Judgement } from './judge.ts';
import type { AutobahnCase, CaseRecord } from './model.ts';

/** Where a case connects, and how. */
export interface CaseTarget {
  /** The echo endpoint's URL. */
  url: string;
  /** Extra handshake headers (an adapter's own). */
  headers?: Record<string, string>;
  /** TLS options for wss:// (what to trust: core/tls.ts). */
  tls?: ConnectionOptions;
  /** Open the connection as a stream of an HTTP/2 connection (RFC 8441's extended CONNECT) instead of an upgrade. */
  http2?: boolean;
}

export interface PlayedCase {
  record: CaseRecord;
  transcript: Transcript;
  judged: Judgement;
}

/** The handshake must be answered at once; 10 s is ample even with a dozen cases and a loaded machine. */
const HANDSHAKE_MS = 10_000;
/**
 * How long the client waits for the server to react (fail the connection, or
 * answer a close) before it acts itself. Autobahn waits 0.5–1 s; pushspec
 * waits at least 2 s, since up to 16 cases share the machine: more lenient in
 * time, never stricter.
 */
export const REACTION_MS = 2000;
/** Default deadline of a whole case. */
const CASE_MS = 10_000;

export async function playCase(c: AutobahnCase, target: CaseTarget): Promise<PlayedCase> {
  const transcript = new Transcript();
  transcript.note(`case ${c.id}: the client sends ${c.sends}`);
  const headers: Record<string, string> = { ...(target.headers ?? {}) };
  if (c.deflate !== undefined) headers['Sec-WebSocket-Extensions'] = offerHeader(c.deflate);
  const options: HandshakeRequestOptions & { transcript: Transcript; deadlineMs: number } = { url: target.url, actor: 'client', transcript, deadlineMs: HANDSHAKE_MS, headers };
  let ws: RawWebSocket;
  try {
    const connectOptions = { ...options, ...(target.tls !== undefined ? { tls: target.tls } : {}) };
    ws = target.http2 === true ? await RawWebSocket.connectOverHttp2(connectOptions) : await RawWebSocket.connect(connectOptions);
  } catch (error) {
    const why = error instanceof ConformanceFailure ? `${error.expected}: ${error.actual}` : (error as Error).message;
    return finish(c, transcript, emptyRecord(0, `the handshake failed (${why})`));
  }
  if (!ws.upgraded) {
    ws.destroy();
    return finish(c, transcript, emptyRecord(ws.status, `the handshake was answered with status ${ws.status}, not 101`));
  }
  const conn = new CaseConnection(ws);
  let deflateDeclined: boolean | undefined;
  let aborted: string | undefined;
  if (c.deflate !== undefined) {
    const session = attachDeflate(conn, ws.headers, c.deflate);
    deflateDeclined = session.declined;
    if (session.problem !== undefined) {
      // RFC 7692 §7: a client MUST fail the connection on such an answer; the case is not played.
      transcript.note(session.problem);
      aborted = session.problem;
      ws.close(1002, 'unacceptable Sec-WebSocket-Extensions answer');
    }
  }
  const started = performance.now();
  const deadlineMs = c.timeoutMs ?? CASE_MS;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), deadlineMs)));
  // Once the server ended the connection, what the script still writes is moot (Autobahn never waits for its own
  // writes): a server that refused a message and stopped reading leaves the write of the rest pending until it drops TCP.
  let stopWatching: (() => void) | undefined;
  const serverEnded = new Promise<'ended'>((resolve) => {
    const look = (): void => void (ws.closeReceived !== undefined || ws.tcpClosedAtMs !== undefined ? resolve('ended') : undefined);
    stopWatching = ws.inbox.changes.subscribe(look);
    look();
  });
  try {
    if (aborted === undefined) {
      const ran = await Promise.race([c.script(conn).then(() => 'done' as const), timedOut, serverEnded]);
      if (ran === 'timeout') aborted = `the case did not finish within ${deadlineMs} ms`;
      else await end(c, conn, Math.max(0, deadlineMs - (performance.now() - started)));
    }
  } catch (error) {
    aborted = `the client could not play the case: ${(error as Error).message}`;
  } finally {
    clearTimeout(timer);
    stopWatching?.();
  }
  let killed = false;
  if (aborted === undefined && c.ending.kind === 'await' && ws.closeReceived === undefined && ws.tcpClosedAtMs === undefined) {
    // Autobahn's killAfter: the server did not fail the connection, so the client does.
    killed = true;
    ws.close(1001, 'Going Away');
  }
  const close = await ws.waitForClose(REACTION_MS);
  if (ws.tcpClosedAtMs === undefined) ws.destroy();
  const durationMs = performance.now() - started;
  const sentFirst = ws.firstCloseBy === 'client';
  const record: CaseRecord = {
    // The opening handshake completed: a 101, or over HTTP/2 the 2xx to the extended CONNECT that stands for it.
    status: 101,
    ...(ws.headers['sec-websocket-extensions'] !== undefined ? { extensions: ws.headers['sec-websocket-extensions'] } : {}),
    events: [...conn.events],
    closedByClient: sentFirst || (ws.closeReceived === undefined && ws.closeSentAtMs === undefined && ws.tcpClosedBy === 'client'),
    // Autobahn's wasClean: both close frames crossed and nothing was reset; who ended TCP is the next column (droppedByClient).
    clean: ws.closeSentAtMs !== undefined && ws.closeReceived !== undefined && ws.socketError === undefined,
    droppedByClient: ws.tcpClosedBy === 'client',
    ...(ws.closeReceived?.code !== undefined ? { serverCode: ws.closeReceived.code } : {}),
    serverClosed: ws.closeReceived !== undefined,
    killed,
    outcome: close.outcome,
    findings: [...ws.findings],
    durationMs,
    ...(aborted !== undefined ? { aborted } : {}),
    ...(deflateDeclined !== undefined ? { deflateDeclined } : {}),
    bytesSent: conn.bytesSent,
    bytesReceived: conn.events.reduce((n, e) => n + (e.kind === 'message' ? e.data.length : 0), 0),
  };
  if (c.timed === true) {
    transcript.figure(`case ${c.id} duration`, durationMs, 'ms');
    const messages = record.events.filter((e) => e.kind === 'message').length;
    if (durationMs > 0) transcript.figure(`case ${c.id} echoed payload rate`, record.bytesReceived / 1048576 / (durationMs / 1000), 'MiB/s');
    transcript.note(`case ${c.id}: ${messages} message(s), ${record.bytesReceived} bytes echoed in ${Math.round(durationMs)} ms`);
  }
  return finish(c, transcript, record);
}

/** Ends the case as its expectation says (see {@link CaseEnding}). */
async function end(c: AutobahnCase, conn: CaseConnection, leftMs: number): Promise<void> {
  const ws = conn.ws;
  const waitMs = Math.min(leftMs, Math.max(c.ending.afterMs, REACTION_MS));
  if (c.ending.kind === 'close') {
    const lists = [...c.expected.ok, ...(c.expected.nonStrict ?? [])];
    // Nothing the server sends after its close counts (CaseConnection), so its close ends the wait too.
    const over = (): boolean => ws.closeReceived !== undefined || ws.tcpClosedAtMs !== undefined;
    await ws.inbox.until(() => over() || lists.some((l) => listMatches(judgedEvents(c, conn.events), l)), waitMs, 'the expected events', () => '').catch(() => undefined);
    if (ws.canSend && ws.closeSentAtMs === undefined && ws.closeReceived === undefined) ws.close(1000);
    return;
  }
  await ws.inbox.until(() => ws.closeReceived !== undefined || ws.tcpClosedAtMs !== undefined, waitMs, 'the server to end the connection', () => '').catch(() => undefined);
}

function emptyRecord(status: number, aborted: string): CaseRecord {
  return { status, events: [], closedByClient: false, clean: false, droppedByClient: false, serverClosed: false, killed: false, outcome: aborted, findings: [], durationMs: 0, aborted, bytesSent: 0, bytesReceived: 0 };
}

function finish(c: AutobahnCase, transcript: Transcript, record: CaseRecord): PlayedCase {
  const judged = judgeCase(c, record);
  transcript.note(`case ${c.id}: Autobahn's outcome ${judged.behaviour}; closing behaviour ${judged.close} (${judged.closeText})`);
  return { record, transcript, judged };
}
