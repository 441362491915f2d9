/**
 * WebSocket clients under test: pushspec plays the server. A scenario names a
 * case (cases.ts); the scripted server answers the handshake as the case says,
 * sends its frames, and the client's glue echoes every message it receives
 * (Autobahn fuzzingserver style) and reports open, message and close. Each wait
 * ends at the event it waits for (the echoes in, the connection closed), with a
 * deadline; the server then closes as a server should, so the client's side of
 * the closing handshake is on the record too.
 */
import { ClientProcess, type ClientHost } from '../../../clients/contract/client-process.ts';
import type { ClientReport } from '../../../clients/contract/reports.ts';
import { waitUntil } from '../../../core/wait.ts';
import { clientCase, type ClientCase } from './cases.ts';
import { echoedMessages, pongPayloads } from './echo-measures.ts';
import { wsClientSectionFrom } from './contract.ts';
import { ScriptedWsServer, type ScriptedWsConnection } from './scripted-ws-server.ts';
import type { ConnectionView, WsClientView } from './checks.ts';

/** How long a started client has to connect (a process start under load included). */
export const CONNECT_MS = 10_000;
/** How long a client has to echo a case's messages, unless the case says otherwise. */
export const ECHO_MS = 5000;
/** How long a client has to fail, refuse or close a connection once it has cause to. */
export const CLOSE_MS = 3000;
/** How long the glue has to report the close after the connection ended (its stdout may lag the socket). */
const REPORT_MS = 2000;


export class WsClientActions {
  private readonly host: ClientHost;
  private played: { case: ClientCase; server: ScriptedWsServer; processes: ClientProcess[]; cut: Set<number> } | undefined;
  private caseName: string | undefined;

  constructor(host: ClientHost) {
    this.host = host;
    wsClientSectionFrom(host.client.techniques.websocket ?? {}, host.client.source);
  }

  /** The scripted server will play this case (cases.ts). */
  plays(name: string): void {
    clientCase(name);
    this.caseName = name;
  }

  /** Starts the scripted server and the client (twice for a two-connection case) and plays the case to its end. */
  async connect(): Promise<void> {
    if (this.caseName === undefined) throw new Error('no case: a step must say what the scripted server plays first');
    const c = clientCase(this.caseName);
    const { transcript } = this.host;
    const server = this.host.onClose(
      await ScriptedWsServer.start(transcript, c.answer, async (conn) => {
        if (c.lingerMs !== undefined) conn.lingerAfterCloseMs = c.lingerMs;
        await conn.send(c.frames);
      }),
    );
    const played = { case: c, server, processes: [] as ClientProcess[], cut: new Set<number>() };
    this.played = played;
    for (let i = 0; i < (c.connections ?? 1); i++) {
      const proc = ClientProcess.forCase(this.host, `${server.origin}/echo`, 'websocket');
      played.processes.push(proc);
      // The waits below look at the server's record and the client's reports alike: either changing wakes them.
      const bridge = proc.changes.subscribe(() => server.changes.notify());
      try {
        const conn = await this.connectionOf(server, proc, i);
        if (conn !== undefined) await this.playOn(c, server, proc, conn, played.cut);
        await proc.waitFor(() => proc.reports.some((r) => r.type === 'close' || r.type === 'error'), 'the client to report the close', REPORT_MS);
      } finally {
        bridge();
      }
      if (i + 1 < (c.connections ?? 1)) await proc.stop();
    }
  }

  private async connectionOf(server: ScriptedWsServer, proc: ClientProcess, index: number): Promise<ScriptedWsConnection | undefined> {
    await waitUntil(() => server.connections.length > index || proc.exitStatus !== undefined, { what: 'the client to connect', deadlineMs: CONNECT_MS + proc.startupLeftMs(), seen: () => 'no connection', signal: server.changes }).catch(() => undefined);
    const conn = server.connections[index];
    if (conn === undefined) this.host.transcript.note(`the client made no connection within ${CONNECT_MS} ms`);
    return conn;
  }

  private async playOn(c: ClientCase, server: ScriptedWsServer, proc: ClientProcess, conn: ScriptedWsConnection, cut: Set<number>): Promise<void> {
    const until = (done: () => boolean, what: string, deadlineMs: number): Promise<boolean> =>
      waitUntil(() => done() || conn.closed, { what, deadlineMs, seen: () => `${conn.frames.length} frame(s) from the client`, signal: server.changes }).then(() => done(), () => false);
    if (c.kind === 'refused') {
      const gaveUp = await until(() => proc.exitStatus !== undefined || proc.reports.some((r) => r.type === 'close' || r.type === 'error'), 'the client to give up on the connection', CLOSE_MS);
      // A client that took the connection for open waits for frames that never come: no second deadline for it.
      if (!gaveUp && !conn.closed) return this.cut(conn, cut, CLOSE_MS);
    } else if (c.kind === 'echo') {
      const echoed = (): boolean => echoedMessages(conn.frames).length >= c.echoes.length && pongPayloads(conn.frames).length >= c.pongs.length;
      await until(echoed, 'the client to echo every message', c.echoMs ?? ECHO_MS);
      // The echoes are in: the server closes, as an Autobahn fuzzingserver case ends.
      if (!conn.closed && conn.serverClose === undefined) await conn.sendClose(1000);
    }
    await until(() => false, 'the connection to end', CLOSE_MS + (c.lingerMs ?? 0));
    if (!conn.closed) this.cut(conn, cut, CLOSE_MS + (c.lingerMs ?? 0));
  }

  /** The connection outlived the case's deadline: the server cuts it, and the checks know. */
  private cut(conn: ScriptedWsConnection, cut: Set<number>, afterMs: number): void {
    cut.add(conn.index);
    this.host.transcript.note(`scripted server: ${conn.name} still open after ${afterMs} ms: the server cuts it`);
    conn.destroy();
  }

  /** What the case recorded: every connection's request and frames, and what the client reported. */
  view(): WsClientView {
    const played = this.played;
    if (played === undefined) throw new Error('no case was played: a step must connect the client first');
    const connections: ConnectionView[] = played.server.connections.map((conn) => ({
      ...(conn.request !== undefined ? { request: conn.request } : {}),
      frames: conn.frames,
      ...(conn.clientClose !== undefined ? { clientClose: conn.clientClose } : {}),
      ...(conn.serverClose !== undefined ? { serverClose: conn.serverClose } : {}),
      ...(conn.clientEndedAtMs !== undefined ? { clientEndedAtMs: conn.clientEndedAtMs } : {}),
      ...(conn.serverEndedAtMs !== undefined ? { serverEndedAtMs: conn.serverEndedAtMs } : {}),
      clientEndedFirst: conn.clientEndedFirst,
      ...(conn.closedAtMs !== undefined ? { closedAtMs: conn.closedAtMs } : {}),
      cutByServer: played.cut.has(conn.index),
    }));
    const reports: ClientReport[] = played.processes.flatMap((p) => p.reports);
    return { case: played.case, connections, reports, host: new URL(played.server.origin).host };
  }
}
